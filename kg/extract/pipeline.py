"""The spaCy pipeline: a blank English tokenizer, a sentencizer, and kg's rule components.

Each component is a thin wrapper over the pure functions of its module and sets one Doc
extension:

- ``kg_title_boundary``: the title is its own sentence (titles carry no final period);
- ``kg_links`` -> ``doc._.kg_links``: list of (FoundURL, LinkTarget);
- ``kg_abbreviations`` -> ``doc._.kg_abbreviations``: list of Abbreviation (doc offsets);
- ``kg_proposals`` -> ``doc._.kg_proposals``: list of Proposal.

A Doc's text is ``title + "\\n" + abstract``; ``doc.user_data["kg_title_end"]`` is len(title).
No model is loaded, ever: ``spacy.blank("en")`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.abbreviations import find_abbreviations
from kg.extract.links import classify, find_urls
from kg.extract.proposals import find_proposals

TITLE_END = "kg_title_end"

for _name in ("kg_links", "kg_abbreviations", "kg_proposals"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


@Language.component("kg_title_boundary")
def title_boundary(doc: Doc) -> Doc:
    title_end = doc.user_data.get(TITLE_END)
    if title_end is not None:
        for token in doc:
            if token.idx > title_end:
                token.is_sent_start = True
                break
            if token.i > 0:
                token.is_sent_start = False
    return doc


@Language.component("kg_links")
def links_component(doc: Doc) -> Doc:
    doc._.kg_links = [(found, classify(found.url)) for found in find_urls(doc.text)]
    return doc


@Language.component("kg_abbreviations")
def abbreviations_component(doc: Doc) -> Doc:
    found = []
    for start, end in _sentence_spans(doc):
        for ab in find_abbreviations(doc.text[start:end]):
            found.append(
                type(ab)(
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


@Language.component("kg_proposals")
def proposals_component(doc: Doc) -> Doc:
    title_end = doc.user_data.get(TITLE_END, 0)
    doc._.kg_proposals = find_proposals(doc.text, _sentence_spans(doc), title_end, doc._.kg_abbreviations or [])
    return doc


def build_nlp() -> Language:
    """spacy.blank("en") + sentencizer + kg's components, in dependency order."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_title_boundary")
    nlp.add_pipe("kg_links")
    nlp.add_pipe("kg_abbreviations")
    nlp.add_pipe("kg_proposals")
    return nlp


def make_docs(nlp: Language, items: Iterable[tuple[str, str]]) -> Iterator[Doc]:
    """Docs for (title, abstract) pairs, ready for ``nlp.pipe``."""
    for title, abstract in items:
        doc = nlp.make_doc(f"{title}\n{abstract}")
        doc.user_data[TITLE_END] = len(title)
        yield doc
