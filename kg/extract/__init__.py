"""Extraction: papers in, plain records with evidence out.

``Extractor.extract_texts(pairs)`` runs the spaCy pipeline of kg.extract.pipeline over
(title, abstract) pairs in batches (each after the first inside ``nlp.memory_zone()``, so the
StringStore does not grow with the corpus) and turns what the components found into an
``Extraction`` per paper: final mentions for links, repositories and citations; typed-by-vote
``Candidate`` names for methods, datasets, metrics and tasks (kg.resolve.typing decides their
labels, pooling votes across the corpus); and ``ResultFact`` numbers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc

from kg.extract.links import is_official_code, refine_kind
from kg.extract.pipeline import TITLE_END, build_nlp, make_docs, sentence_spans, text_of
from kg.types import Evidence, Mention, Record

BATCH = 512


@dataclass(frozen=True, slots=True)
class Candidate(Record):
    """A name of a method, dataset, metric or task as one paper uses it, before typing."""

    name: str
    evidence: Evidence
    votes: tuple[tuple[str, float], ...]  # label -> weight of the cues around this mention
    canonical: str | None = None  # the gazetteer's name for it
    aliases: tuple[str, ...] = ()
    proposed: str | None = None  # the label a proposal rule gave it, when the paper introduces it


@dataclass(frozen=True, slots=True)
class ResultFact(Record):
    value: float
    raw: str
    unit: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Extraction(Record):
    """What one paper yielded."""

    mentions: tuple[Mention, ...]  # final: repositories, links, citations
    candidates: tuple[Candidate, ...]
    results: tuple[ResultFact, ...]
    abbreviations: tuple[tuple[str, str], ...]


class _Locator:
    """Maps doc offsets to (field, offsets in that field) and to the enclosing sentence."""

    def __init__(self, doc: Doc):
        self.text = text_of(doc)
        self.title_end = doc.user_data[TITLE_END]
        self.spans = sentence_spans(doc)
        self.starts = [s for s, _ in self.spans]

    def evidence(self, start: int, end: int, rule: str, confidence: float) -> Evidence:
        s_start, s_end = self.spans[max(0, bisect_right(self.starts, start) - 1)]
        raw = self.text[s_start:s_end]
        sentence = raw.strip()
        s_start += len(raw) - len(raw.lstrip())
        shift = 0 if start < self.title_end else self.title_end + 1
        field = "title" if start < self.title_end else "abstract"
        return Evidence(field, start - shift, end - shift, sentence, rule, confidence, max(0, s_start - shift))


def _link_mentions(doc: Doc, where: _Locator) -> list[Mention]:
    out: list[Mention] = []
    seen: set[str] = set()
    for found, target in doc._.kg_links:
        if target.key_path in seen:
            continue
        seen.add(target.key_path)
        ev = where.evidence(found.start, found.end, "url", 0.99)
        if target.is_repository:
            attrs: tuple[tuple[str, object], ...] = (  # Mention.attrs
                ("url", target.url),
                ("host", target.host),
                ("owner", target.owner),
                ("name", target.name),
                ("official", is_official_code(ev.sentence)),
            )
            out.append(Mention("Repository", "HAS_CODE", target.key_path, ev, attrs=attrs))
        else:
            attrs = (("url", target.url), ("host", target.host), ("kind", refine_kind(target, ev.sentence)))
            out.append(Mention("Link", "LINKS_TO", target.key_path, ev, attrs=attrs))
    return out


def _citation_mentions(doc: Doc, where: _Locator) -> list[Mention]:
    out = []
    for c in doc._.kg_citations:
        ev = where.evidence(c.start, c.end, f"citation-{c.kind}", 0.9)
        attrs = (("text", c.text), ("kind", c.kind), ("first_author", c.first_author), ("year", c.year))
        out.append(Mention("Citation", "CITES", c.key, ev, attrs=tuple((k, v) for k, v in attrs if v is not None)))
    return out


def _candidates(doc: Doc, where: _Locator) -> list[Candidate]:
    proposals = {p.name.casefold(): p for p in doc._.kg_proposals}
    unattached = dict(proposals)
    out: list[Candidate] = []
    for m in doc._.kg_entities:
        p = proposals.get(m.name.casefold()) or (proposals.get(m.canonical.casefold()) if m.canonical else None)
        if p is not None and m.canonical and p.rule == "defined-component":
            p = None  # a well-known name the paper spells out is not its own component
        aliases = tuple(dict.fromkeys(a for a in (m.long_form, *(p.aliases if p else ())) if a))
        if p is not None and unattached.pop(p.name.casefold(), None) is not None:
            # The first mention of a proposed name carries the proposal's (stronger) evidence.
            ev = where.evidence(p.start, p.end, p.rule, p.confidence)
        else:
            ev = where.evidence(m.start, m.end, m.rule, 0.0)
        out.append(Candidate(m.name, ev, m.votes, m.canonical, aliases, p.label if p else None))
    for p in unattached.values():
        ev = where.evidence(p.start, p.end, p.rule, p.confidence)
        out.append(Candidate(p.name, ev, ((p.label, 1.0),), None, p.aliases, p.label))
    return out


def extraction_of(doc: Doc) -> Extraction:
    """Plain records from a processed Doc."""
    where = _Locator(doc)
    mentions = _link_mentions(doc, where) + _citation_mentions(doc, where)
    results = tuple(
        ResultFact(r.value, r.raw, r.unit, where.evidence(r.start, r.end, "result", 0.0)) for r in doc._.kg_results
    )
    pairs = tuple(dict.fromkeys((ab.short, ab.long) for ab in doc._.kg_abbreviations))
    return Extraction(tuple(mentions), tuple(_candidates(doc, where)), results, pairs)


class Extractor:
    """Rule-based extraction over a blank spaCy pipeline; safe to reuse for many batches."""

    def __init__(self) -> None:
        self.nlp = build_nlp()
        self._tokenizer_warm = False

    def extract_one(self, title: str, abstract: str) -> Extraction:
        return next(self.extract_texts([(title, abstract)]))

    def extract_texts(self, items: Iterable[tuple[str, str]]) -> Iterator[Extraction]:
        iterator = iter(items)
        while batch := list(islice(iterator, BATCH)):
            with self._zone():
                for doc in self.nlp.pipe(make_docs(self.nlp, batch), batch_size=BATCH):
                    yield extraction_of(doc)

    def _zone(self) -> AbstractContextManager[object]:
        """A memory zone for every batch but the first.

        Inside a zone the Vocab does not grow with the corpus, but spaCy's tokenizer caches
        nothing either, and tokenising without its cache is five times slower. The first batch
        runs outside a zone to fill the cache (spaCy caps it at 10,000 chunks) with the words
        that make up most of any text: memory stays bounded, and the tokens are the same.
        """
        if self._tokenizer_warm:
            return self.nlp.memory_zone()
        self._tokenizer_warm = True
        return nullcontext()
