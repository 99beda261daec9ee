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

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.abbreviations import Abbreviation, find_abbreviations
from kg.extract.citations import find_citations
from kg.extract.entities import find_entities
from kg.extract.gazetteer import GazetteerMatcher
from kg.extract.links import classify, find_urls
from kg.extract.proposals import find_proposals
from kg.extract.results import find_results

TITLE_END = "kg_title_end"
EXTENSIONS = (
    "kg_links",
    "kg_abbreviations",
    "kg_gazetteer",
    "kg_entities",
    "kg_proposals",
    "kg_citations",
    "kg_results",
)

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


# Abbreviations whose final "." does not end a sentence ("et al.", "e.g.", "Fig.").
_NO_BREAK_AFTER = frozenset(
    ["al", "e.g", "i.e", "vs", "cf", "fig", "figs", "eq", "eqs", "approx", "resp", "sec", "no", "ref", "refs", "etc"]
)


@Language.component("kg_sentence_fixes")
def sentence_fixes(doc: Doc) -> Doc:
    """The title is one sentence of its own; "et al." and "e.g." do not end sentences."""
    title_end = doc.user_data.get(TITLE_END)
    in_title = title_end is not None
    for token in doc:
        if in_title and token.idx > title_end:
            token.is_sent_start = True
            in_title = False
        elif in_title:
            if token.i > 0:
                token.is_sent_start = False
        elif token.is_sent_start and token.i >= 2:
            j = token.i - 1
            while j > 0 and doc[j].is_punct and doc[j].text != ".":
                j -= 1  # "et al.," -> look past the comma to the period
            before = doc[j].text.lower() if doc[j].text != "." else doc[j - 1].text.lower() + "."
            before = before.rstrip(".")
            if before in _NO_BREAK_AFTER and (
                not token.text[:1].isupper() or before in {"al", "e.g", "i.e", "vs", "cf"}
            ):
                token.is_sent_start = False
    return doc


@Language.component("kg_links")
def links_component(doc: Doc) -> Doc:
    doc._.kg_links = [(found, classify(found.url)) for found in find_urls(doc.text)]
    return doc


@Language.component("kg_abbreviations")
def abbreviations_component(doc: Doc) -> Doc:
    found = []
    for start, end in sentence_spans(doc):
        for ab in find_abbreviations(doc.text[start:end]):
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


@Language.component("kg_entities")
def entities_component(doc: Doc) -> Doc:
    doc._.kg_entities = find_entities(
        doc.text, sentence_spans(doc), doc.user_data.get(TITLE_END, 0), doc._.kg_gazetteer, doc._.kg_abbreviations
    )
    return doc


@Language.component("kg_proposals")
def proposals_component(doc: Doc) -> Doc:
    title_end = doc.user_data.get(TITLE_END, 0)
    known = [(h.start, h.end) for h in doc._.kg_gazetteer]
    doc._.kg_proposals = find_proposals(doc.text, sentence_spans(doc), title_end, doc._.kg_abbreviations, known)
    return doc


@Language.component("kg_citations")
def citations_component(doc: Doc) -> Doc:
    doc._.kg_citations = find_citations(doc.text, [(f.start, f.end) for f, _ in doc._.kg_links])
    return doc


@Language.component("kg_results")
def results_component(doc: Doc) -> Doc:
    taken = [(f.start, f.end) for f, _ in doc._.kg_links]
    taken += [(c.start, c.end) for c in doc._.kg_citations]
    taken += [(e.start, e.end) for e in doc._.kg_entities]
    title_end = doc.user_data.get(TITLE_END, 0)
    found = []
    for start, end in sentence_spans(doc):
        if start >= title_end:
            found.extend(find_results(doc.text[start:end], start, taken))
    doc._.kg_results = found
    return doc


def build_nlp() -> Language:
    """spacy.blank("en") + sentencizer + kg's components, in dependency order."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    for component in (
        "kg_sentence_fixes",
        "kg_links",
        "kg_abbreviations",
        "kg_gazetteer",
        "kg_entities",
        "kg_proposals",
        "kg_citations",
        "kg_results",
    ):
        nlp.add_pipe(component)
    return nlp


def make_docs(nlp: Language, items: Iterable[tuple[str, str]]) -> Iterator[Doc]:
    """Docs for (title, abstract) pairs, ready for ``nlp.pipe``."""
    for title, abstract in items:
        doc = nlp.make_doc(f"{title}\n{abstract}")
        doc.user_data[TITLE_END] = len(title)
        yield doc
