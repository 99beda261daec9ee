"""Typing names from their context, on sentences written for these tests (not from the seeds)."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.resolve.typing import CorpusVotes, resolve_paper


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def found(extractor, abstract, title="A Study"):
    extraction = extractor.extract_one(title, abstract)
    mentions, results = resolve_paper(extraction, CorpusVotes.of([extraction]))
    return (
        {(m.label, m.name) for m in mentions if m.label in ("Method", "Dataset", "Metric", "Task")},
        mentions,
        results,
    )


@pytest.mark.parametrize(
    "abstract,expected",
    [
        # Unseen names typed by the words around them.
        ("Experiments on the QuokkaSet dataset show gains.", ("Dataset", "QuokkaSet")),
        ("Our model is trained on ZebraCorpus-2 and tested on two other corpora.", ("Dataset", "ZebraCorpus-2")),
        ("The approach clearly outperforms FlimNet on every split.", ("Method", "FlimNet")),
        ("We fine-tune the pre-trained GlarbLM model for ten epochs.", ("Method", "GlarbLM")),
        ("Quality is measured in terms of HarmoScore across runs.", ("Metric", "HarmoScore")),
        # Well-known names from the gazetteer, in any field.
        ("We report top-1 accuracy on ImageNet with a ResNet-50 backbone.", ("Dataset", "ImageNet")),
        ("We report top-1 accuracy on ImageNet with a ResNet-50 backbone.", ("Method", "ResNet-50")),
        ("We report top-1 accuracy on ImageNet with a ResNet-50 backbone.", ("Metric", "top-1 accuracy")),
        (
            "Speech is transcribed with wav2vec 2.0 and scored by word error rate on LibriSpeech.",
            ("Dataset", "LibriSpeech"),
        ),
        ("Molecules from QM9 are embedded with SchNet.", ("Method", "SchNet")),
    ],
)
def test_entities_typed_by_context_and_gazetteer(extractor, abstract, expected):
    names, _, _ = found(extractor, abstract)
    assert expected in names


@pytest.mark.parametrize(
    "abstract,absent",
    [
        ("Large language models (LLMs) and CNNs are widely used; transformers too.", {"LLMs", "CNNs", "LLM", "CNN"}),
        ("We train a 7B model on 3D scenes with 40K images at 2D resolution.", {"7B", "3D", "40K", "2D"}),
        # A lower-case long form is a term of the field, not a named method.
        ("We study differential privacy (DP) and then apply DP to our models.", {"DP"}),
    ],
)
def test_entities_generic_terms_and_sizes_are_not_names(extractor, abstract, absent):
    names, _, _ = found(extractor, abstract)
    assert not {n for _, n in names} & absent


def test_entities_list_members_share_a_type(extractor):
    names, _, _ = found(extractor, "We compare against strong baselines such as FooGCN, BarGAT and BazSAGE.")
    assert {("Method", "FooGCN"), ("Method", "BarGAT"), ("Method", "BazSAGE")} <= names


def test_entities_variant_of_a_known_name_is_its_own_thing(extractor):
    names, _, _ = found(extractor, "Our span model outperforms BERT-wwm-ext by a wide margin.")
    assert ("Method", "BERT-wwm-ext") in names and ("Method", "BERT") not in names


def test_entities_corpus_vote_types_a_name_another_paper_typed():
    extractor = Extractor()
    typed = extractor.extract_one("A", "Results on the WombatBench benchmark are strong.")
    open_ = extractor.extract_one("B", "WombatBench is hard for current systems.")
    corpus = CorpusVotes.of([typed, open_])
    mentions, _ = resolve_paper(open_, corpus)
    assert any(
        m.label == "Dataset" and m.name == "WombatBench" and m.evidence.rule.endswith("/corpus") for m in mentions
    )
    alone, _ = resolve_paper(open_, CorpusVotes.of([open_]))
    assert not any(m.name == "WombatBench" for m in alone)


def test_entities_roles_follow_types_and_proposals(extractor):
    _, mentions, _ = found(
        extractor, "We propose KoalaNet, a new model. KoalaNet beats ResNet-50 on CIFAR-10.", title="KoalaNet: A Model"
    )
    roles = {(m.name, m.relation) for m in mentions}
    assert ("KoalaNet", "PROPOSES") in roles and ("KoalaNet", "USES") not in roles
    assert ("ResNet-50", "USES") in roles and ("CIFAR-10", "EVALUATES_ON") in roles


def test_entities_every_mention_has_evidence_inside_its_field(extractor):
    title = "KoalaNet: A Model"
    abstract = "We propose KoalaNet. It reaches 91.2% accuracy on CIFAR-10 (Smith et al., 2020)."
    _, mentions, results = found(extractor, abstract, title=title)
    for m in mentions:
        text = title if m.evidence.field == "title" else abstract
        assert 0 <= m.evidence.start < m.evidence.end <= len(text)
        assert m.evidence.sentence in text and 0 < m.evidence.confidence <= 1
    assert results and abstract[results[0].evidence.start : results[0].evidence.end] == "91.2%"


@pytest.mark.parametrize("abstract,names", [
    ("We train KoalaNet.Results improve on all splits.", {"KoalaNet"}),
    ("It works.FooNet (FN) is fast.", {"FN"}),
])
def test_entities_stop_at_a_full_stop_without_a_space(extractor, abstract, names):
    # The sentencizer splits "KoalaNet.Results"; the word did not, giving a name that ran into the next sentence.
    candidates = extractor.extract_one("A Study", abstract).candidates
    assert {c.name for c in candidates} == names
    for c in candidates:
        ev = c.evidence
        assert ev.sentence_start <= ev.start < ev.end <= ev.sentence_start + len(ev.sentence)
