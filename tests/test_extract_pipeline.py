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
