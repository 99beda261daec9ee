"""The spaCy pipeline: a blank English tokenizer, a sentencizer, and kg's rule components.

Each component is a thin wrapper over the pure functions of its module and sets one Doc
extension (all offsets are into doc.text):

- ``kg_sentence_fixes``: the title is its own sentence, and "et al." or "e.g." end none;
- ``kg_links`` -> ``doc._.kg_links``: list of (FoundURL, LinkTarget);
- ``kg_abbreviations`` -> ``doc._.kg_abbreviations``: list of Abbreviation;
- ``kg_gazetteer`` -> ``doc._.kg_gazetteer``: list of GazetteerHit;
- ``kg_entities`` -> ``doc._.kg_entities``: list of EntityMention (names with type votes);
- ``kg_proposals`` -> ``doc._.kg_proposals``: list of Proposal;
- ``kg_citations`` -> ``doc._.kg_citations``: list of FoundCitation;
- ``kg_results`` -> ``doc._.kg_results``: list of FoundNumber.

A Doc's text is ``title + "\\n" + abstract``; ``doc.user_data["kg_title_end"]`` is len(title).
No model is loaded, ever: ``spacy.blank("en")`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import cast

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.extract.abbreviations import Abbreviation, find_abbreviations
from kg.extract.citations import find_citations
from kg.extract.entities import find_entities
from kg.extract.gazetteer import GazetteerMatcher
from kg.extract.links import classify, find_urls
from kg.extract.names import Word, sentence_words
from kg.extract.proposals import find_proposals
from kg.extract.results import find_results

TITLE_END = "kg_title_end"
# kg's components in dependency order; each but the first sets the Doc extension of its name.
COMPONENTS = (
    "kg_sentence_fixes",
    "kg_links",
    "kg_abbreviations",
    "kg_gazetteer",
    "kg_entities",
    "kg_proposals",
    "kg_citations",
    "kg_results",
)
EXTENSIONS = COMPONENTS[1:]

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


SENTENCES = "kg_sentences"
TEXT = "kg_text"
WORDS = "kg_words"


def text_of(doc: Doc) -> str:
    """The doc's text, kept from make_docs (Doc.text joins every token again on each call)."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentences, computed once by kg_sentence_fixes (doc.sents would
    build a Python object per token on every call)."""
    spans = doc.user_data.get(SENTENCES)
    if spans is None:
        spans = [(s.start_char, s.end_char) for s in doc.sents]
        doc.user_data[SENTENCES] = spans
    return spans


# Abbreviations whose final "." does not end a sentence ("et al.", "e.g.", "Fig.").
_NO_BREAK_AFTER = frozenset(
    ["al", "e.g", "i.e", "vs", "cf", "fig", "figs", "eq", "eqs", "approx", "resp", "sec", "no", "ref", "refs", "etc"]
)
_ALWAYS_JOIN = frozenset(["al", "e.g", "i.e", "vs", "cf"])


def _wrongly_starts(doc: Doc, i: int) -> bool:
    """Does the sentence start at token i follow an abbreviation's period ("et al.,", "e.g.")?"""
    j = i - 1
    while j > 0 and doc[j].is_punct and doc[j].text != ".":
        j -= 1  # "et al.," -> look past the comma to the period
    before = doc[j].text.lower() if doc[j].text != "." else doc[j - 1].text.lower() + "."
    before = before.rstrip(".")
    return before in _NO_BREAK_AFTER and (not doc[i].text[:1].isupper() or before in _ALWAYS_JOIN)


@Language.component("kg_sentence_fixes")
def sentence_fixes(doc: Doc) -> Doc:
    """The title is one sentence of its own; "et al." and "e.g." do not end sentences.

    Works on token arrays and touches Token objects only at sentence boundaries.
    """
    if len(doc) == 0:
        doc.user_data[SENTENCES] = []
        return doc
    arr = doc.to_array([IDX, SENT_START, LENGTH])
    idx, starts = arr[:, 0].astype(numpy.int64), arr[:, 1].astype(numpy.int64)
    title_end = doc.user_data.get(TITLE_END)
    first_body = len(doc)
    if title_end is not None:
        first_body = int(numpy.searchsorted(idx, title_end, side="right"))
        for i in numpy.nonzero(starts[1:first_body] == 1)[0] + 1:
            doc[int(i)].is_sent_start = False
            starts[i] = -1
        if first_body < len(doc):
            doc[first_body].is_sent_start = True
            starts[first_body] = 1
    for i in numpy.nonzero(starts[first_body + 1 :] == 1)[0] + first_body + 1:
        if i >= 2 and _wrongly_starts(doc, int(i)):
            doc[int(i)].is_sent_start = False
            starts[i] = -1
    boundaries = [0, *(int(i) for i in numpy.nonzero(starts[1:] == 1)[0] + 1), len(doc)]
    ends = idx + arr[:, 2].astype(numpy.int64)
    spans = [(int(idx[a]), int(ends[b - 1])) for a, b in zip(boundaries, boundaries[1:], strict=False)]
    doc.user_data[SENTENCES] = spans
    return doc


@Language.component("kg_links")
def links_component(doc: Doc) -> Doc:
    doc._.kg_links = [(found, classify(found.url)) for found in find_urls(text_of(doc))]
    return doc


@Language.component("kg_abbreviations")
def abbreviations_component(doc: Doc) -> Doc:
    text = text_of(doc)
    found = []
    for start, end in sentence_spans(doc):
        for ab in find_abbreviations(text[start:end]):
            found.append(
                Abbreviation(
                    ab.short,
                    ab.short_start + start,
                    ab.short_end + start,
                    ab.long,
                    ab.long_start + start,
                    ab.long_end + start,
                )
            )
    doc._.kg_abbreviations = found
    return doc


@Language.factory("kg_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerComponent:
    return GazetteerComponent(nlp)


class GazetteerComponent:
    def __init__(self, nlp: Language):
        self.matcher = GazetteerMatcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        url_spans = [(f.start, f.end) for f, _ in doc._.kg_links]
        doc._.kg_gazetteer = [h for h in self.matcher(doc) if not any(a <= h.start < b for a, b in url_spans)]
        return doc


def words_of(doc: Doc) -> list[list[Word]]:
    """The words of each sentence, split once for every component that needs them."""
    found = doc.user_data.get(WORDS)
    if found is None:
        found = doc.user_data[WORDS] = sentence_words(text_of(doc), sentence_spans(doc))
    return found


@Language.component("kg_entities")
def entities_component(doc: Doc) -> Doc:
    doc._.kg_entities = find_entities(
        text_of(doc), sentence_spans(doc), doc.user_data.get(TITLE_END, 0), doc._.kg_gazetteer, doc._.kg_abbreviations,
        words_of(doc)
    )
    return doc


@Language.component("kg_proposals")
def proposals_component(doc: Doc) -> Doc:
    title_end = doc.user_data.get(TITLE_END, 0)
    known = [(h.start, h.end) for h in doc._.kg_gazetteer]
    doc._.kg_proposals = find_proposals(text_of(doc), sentence_spans(doc), title_end, doc._.kg_abbreviations, known,
                                        words_of(doc))
    return doc


@Language.component("kg_citations")
def citations_component(doc: Doc) -> Doc:
    text = text_of(doc)
    url_spans = [(f.start, f.end) for f, _ in doc._.kg_links]
    title_end = doc.user_data.get(TITLE_END)
    if title_end is None:
        doc._.kg_citations = find_citations(text, url_spans)
        return doc
    # Title and abstract apart: the patterns allow white space, and so the newline between them
    # ("... Smith and" + "Jones (2019) ..." read as one citation with its end in the abstract).
    body = title_end + 1
    in_body = find_citations(text[body:], [(a - body, b - body) for a, b in url_spans])
    doc._.kg_citations = find_citations(text[:title_end], url_spans) + [
        replace(c, start=c.start + body, end=c.end + body) for c in in_body
    ]
    return doc


@Language.component("kg_results")
def results_component(doc: Doc) -> Doc:
    taken = [(f.start, f.end) for f, _ in doc._.kg_links]
    taken += [(c.start, c.end) for c in doc._.kg_citations]
    taken += [(e.start, e.end) for e in doc._.kg_entities]
    title_end = doc.user_data.get(TITLE_END, 0)
    text = text_of(doc)
    found = []
    for start, end in sentence_spans(doc):
        if start >= title_end:
            found.extend(find_results(text[start:end], start, taken))
    doc._.kg_results = found
    return doc


def drop_newline_special_case(nlp: Language) -> None:
    """Remove the English tokenizer's special case for "\\n".

    Once a text hits a special case, spaCy's tokenizer caches none of that text's later chunks
    (its has_special flag). Every kg text has a newline after its title, so nothing of any
    abstract was ever cached, and tokenising was about ten times slower. Without the rule a
    newline is still a token of its own: the tokens are the same (tests/test_extract_pipeline.py
    and tests/test_properties.py compare them with spacy.blank("en")'s).
    """
    # spacy.blank's tokenizer is a Tokenizer; Language types the attribute as any callable.
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.rules = {text: tokens for text, tokens in tokenizer.rules.items() if text != "\n"}


def build_nlp() -> Language:
    """spacy.blank("en") + sentencizer + kg's components, in dependency order."""
    nlp = spacy.blank("en")
    drop_newline_special_case(nlp)
    nlp.add_pipe("sentencizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp


def make_docs(nlp: Language, items: Iterable[tuple[str, str]]) -> Iterator[Doc]:
    """Docs for (title, abstract) pairs, ready for ``nlp.pipe``."""
    for title, abstract in items:
        text = f"{title}\n{abstract}"
        doc = nlp.make_doc(text)
        doc.user_data[TITLE_END] = len(title)
        doc.user_data[TEXT] = text
        yield doc
