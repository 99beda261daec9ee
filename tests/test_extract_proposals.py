from __future__ import annotations

import pytest

from kg.extract import Extractor


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def proposed(extractor, title, abstract):
    extraction = extractor.extract_one(title, abstract)
    return {(c.name, c.proposed) for c in extraction.candidates if c.proposed}


@pytest.mark.parametrize(
    "title,abstract,expected",
    [
        ("WombatNet: Fast Segmentation of Cells", "We study cells. WombatNet segments them.", ("WombatNet", "Method")),
        (
            "Visual Things: A Dataset of Things",
            "We present the Visual Things dataset of scenes.",
            ("Visual Things", "Dataset"),
        ),
        ("A Study", "In this paper, we propose GlimmerNet, a transformer for tables.", ("GlimmerNet", "Method")),
        ("A Study", "We introduce a new benchmark, TideBench, for tidal forecasting.", ("TideBench", "Dataset")),
        (
            "A Study",
            "We propose a sparse encoder for streaming ASR, which we call RiverMoE, for speed.",
            ("RiverMoE", "Method"),
        ),
        ("A Study", "Our method, dubbed QuillQA, answers questions.", ("QuillQA", "Method")),
        ("A Study", "QuarkFormer, a novel architecture, is introduced here.", ("QuarkFormer", "Method")),
        ("A Study", "We propose Heron Layout Transformer (HLT), a model for layouts.", ("HLT", "Method")),
        ("A Study", "We propose a light-weight tuning method (NMTune) for noisy models.", ("NMTune", "Method")),
    ],
)
def test_proposals_rules(extractor, title, abstract, expected):
    assert expected in proposed(extractor, title, abstract)


@pytest.mark.parametrize(
    "title,abstract",
    [
        ("Expanding Scene Graph Boundaries: A Survey", "We review prior work on scene graphs."),
        ("A Study", "To study the advantage of CLIP, we propose to use CLIP as the visual encoder."),
        ("A Study", "We construct a dataset leveraging BLIP-2 captions."),
        ("A Study", "Large language models (LLMs) are everywhere; we propose LLMs for tables."),
    ],
)
def test_proposals_not_proposals(extractor, title, abstract):
    assert proposed(extractor, title, abstract) == set()


def test_proposals_abbreviation_long_form_becomes_alias(extractor):
    extraction = extractor.extract_one("A Study", "We propose Heron Layout Transformer (HLT), a model for layouts.")
    (hlt,) = [c for c in extraction.candidates if c.proposed]
    assert hlt.aliases == ("Heron Layout Transformer",)


def test_proposals_title_prefix_offsets_skip_leading_white_space(extractor):
    # The evidence pointed at " Koal" (offsets 0..5) instead of "KoalaNet".
    title = "  KoalaNet: Fast Image Models"
    (candidate,) = [c for c in extractor.extract_one(title, "We study it.").candidates if c.name == "KoalaNet"]
    ev = candidate.evidence
    assert (ev.field, title[ev.start : ev.end], ev.rule) == ("title", "KoalaNet", "title-prefix")
