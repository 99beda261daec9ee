from __future__ import annotations

import spacy

from kg.extract.pipeline import build_nlp
from kg.sources.reader import ReadReport, iter_papers
from tests.conftest import SEEDS


def test_tokens_of_every_seed_paper_equal_spacy_blank_english():
    """Dropping the newline special case (for speed) changes no token of a real corpus."""
    ours, reference = build_nlp(), spacy.blank("en")
    assert "\n" in reference.tokenizer.rules and "\n" not in ours.tokenizer.rules
    texts = [f"{p.title}\n{p.abstract}" for p in iter_papers([SEEDS], ReadReport())]
    assert len(texts) > 500
    for text in texts:
        expected = [(t.text, t.whitespace_, t.is_space) for t in reference.make_doc(text)]
        assert [(t.text, t.whitespace_, t.is_space) for t in ours.make_doc(text)] == expected


def test_title_is_one_sentence_and_abbreviations_end_none():
    from kg.extract.pipeline import make_docs, sentence_spans

    nlp = build_nlp()
    title, abstract = "A. Title. With Stops", "We follow Smith et al. and use e.g. BERT. Then more."
    doc = nlp(next(make_docs(nlp, [(title, abstract)])))
    text = f"{title}\n{abstract}"
    # The newline between title and abstract closes the title (evidence strips it).
    assert [text[a:b] for a, b in sentence_spans(doc)] == [title + "\n", "We follow Smith et al. and use e.g. BERT.", "Then more."]
    assert [s.text for s in doc.sents] == [text[a:b] for a, b in sentence_spans(doc)]
