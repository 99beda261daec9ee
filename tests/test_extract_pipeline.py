from __future__ import annotations

import spacy

from kg.extract import BATCH, Extractor
from kg.extract.pipeline import build_nlp, make_docs, sentence_spans
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
    nlp = build_nlp()
    title, abstract = "A. Title. With Stops", "We follow Smith et al. and use e.g. BERT. Then more."
    doc = nlp(next(make_docs(nlp, [(title, abstract)])))
    text = f"{title}\n{abstract}"
    # The newline between title and abstract closes the title (evidence strips it).
    assert [text[a:b] for a, b in sentence_spans(doc)] == [title + "\n", "We follow Smith et al. and use e.g. BERT.", "Then more."]
    assert [s.text for s in doc.sents] == [text[a:b] for a, b in sentence_spans(doc)]


def test_vocabulary_stops_growing_after_the_first_batch():
    """The first batch warms the tokenizer's cache outside a memory zone; every later batch runs
    inside one, so new words do not stay in the StringStore and memory is flat in corpus size.
    (len(vocab) counts every lexeme ever made, freed ones too.)"""
    extractor = Extractor()

    def papers(first: int):
        return [(f"Title {n}", f"We study zqx{n} and wvy{n} on data.") for n in range(first, first + BATCH)]

    list(extractor.extract_texts(papers(0)))
    warmed = len(extractor.nlp.vocab.strings)
    list(extractor.extract_texts(papers(BATCH) + papers(2 * BATCH)))
    assert len(extractor.nlp.vocab.strings) == warmed
    assert extractor.extract_one("T", "We study zqx1 here.") == Extractor().extract_one("T", "We study zqx1 here.")
