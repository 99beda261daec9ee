"""Extraction: papers in, mentions with evidence out.

``Extractor.extract_texts(pairs)`` runs the spaCy pipeline of kg.extract.pipeline over (title, abstract)
pairs in batches (inside ``nlp.memory_zone()`` so the StringStore does not grow with the corpus) and
turns what the components found into plain ``Mention`` records.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc

from kg.extract.links import is_official_code, refine_kind
from kg.extract.pipeline import TITLE_END, build_nlp, make_docs
from kg.types import Evidence, Mention

BATCH = 512


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one paper yielded: its mentions, and the abbreviation pairs it defines."""

    mentions: tuple[Mention, ...]
    abbreviations: tuple[tuple[str, str], ...]


class _Locator:
    """Maps doc offsets to (field, offsets in that field) and to the enclosing sentence."""

    def __init__(self, doc: Doc):
        self.text = doc.text
        self.title_end = doc.user_data[TITLE_END]
        self.spans = [(s.start_char, s.end_char) for s in doc.sents]
        self.starts = [s for s, _ in self.spans]

    def evidence(self, start: int, end: int, rule: str, confidence: float) -> Evidence:
        s_start, s_end = self.spans[max(0, bisect_right(self.starts, start) - 1)]
        sentence = self.text[s_start:s_end].strip()
        if start < self.title_end:
            return Evidence("title", start, end, sentence, rule, confidence)
        shift = self.title_end + 1
        return Evidence("abstract", start - shift, end - shift, sentence, rule, confidence)


def mentions_of(doc: Doc) -> Extraction:
    """Plain records from a processed Doc."""
    where = _Locator(doc)
    out: list[Mention] = []
    seen_urls: set[str] = set()
    for found, target in doc._.kg_links:
        if target.key_path in seen_urls:
            continue
        seen_urls.add(target.key_path)
        ev = where.evidence(found.start, found.end, "url", 0.99)
        if target.is_repository:
            attrs = (
                ("url", target.url),
                ("host", target.host),
                ("owner", target.owner),
                ("name", target.name),
                ("official", is_official_code(ev.sentence)),
            )
            out.append(Mention("Repository", "HAS_CODE", target.key_path, ev, attrs=attrs))
        else:
            kind = refine_kind(target, ev.sentence)
            attrs = (("url", target.url), ("host", target.host), ("kind", kind))
            out.append(Mention("Link", "LINKS_TO", target.key_path, ev, attrs=attrs))
    for p in doc._.kg_proposals:
        ev = where.evidence(p.start, p.end, p.rule, p.confidence)
        out.append(Mention(p.label, "PROPOSES", p.name, ev, aliases=p.aliases))
    pairs = tuple(dict.fromkeys((ab.short, ab.long) for ab in doc._.kg_abbreviations))
    return Extraction(tuple(out), pairs)


class Extractor:
    """Rule-based extraction over a blank spaCy pipeline; safe to reuse for many batches."""

    def __init__(self) -> None:
        self.nlp = build_nlp()

    def extract_one(self, title: str, abstract: str) -> Extraction:
        return next(self.extract_texts([(title, abstract)]))

    def extract_texts(self, items: Iterable[tuple[str, str]]) -> Iterator[Extraction]:
        iterator = iter(items)
        while batch := list(islice(iterator, BATCH)):
            with self.nlp.memory_zone():
                for doc in self.nlp.pipe(make_docs(self.nlp, batch), batch_size=BATCH):
                    yield mentions_of(doc)
