"""Build straight to neo4j-admin CSV from shard outputs, without holding the corpus in memory.

Three passes in shard order over the shard outputs of kg.shards:

1. What the whole corpus decides, kept compact: which records are one paper (IdentityIndex);
   each paper's key, date and the few fields citations and stated links need (no text);
   type votes (CorpusVotes) and abbreviation counts (EntityResolver). Later records of a paper
   are kept without their abstract, to merge into it in pass 2.
2. Paper by paper: the merged paper, its facts (kg.resolve.typing.resolve_paper) and its part
   of the graph (kg.graph.build.paper_part) — the same rules as the in-memory graph — written
   as CSV rows at once. Entities accumulate in an EntityTable (paper counts, not paper sets);
   what each paper uses goes to a temporary spill file.
3. Entity nodes, then BUILDS_ON from the spill (every entity's proposers are known by then).

Every row is checked against the schema as it is written (kg.graph.validate.RowChecker), as
validate_graph checks the in-memory graph.

Memory holds a few small fields per paper and one record per entity, never the extractions or
the texts. The files equal `kg export --format csv` of the in-memory graph of the same input.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract import Extraction
from kg.graph.build import CitationTargets, EntityKeys, EntityTable, PaperOrder, builds_on_of, paper_part
from kg.graph.validate import RowChecker
from kg.resolve.entities import EntityResolver
from kg.resolve.papers import IdentityIndex, PaperIndex, paper_links
from kg.resolve.typing import CorpusVotes, resolve_paper
from kg.schema import Schema, load_schema
from kg.shards import replay
from kg.sinks.neo4j_csv import AdminCsvWriter
from kg.sources.reader import ReadReport
from kg.types import Paper, Rejected

_SPILL_BATCH = 1000


@dataclass
class StreamResult:
    report: ReadReport
    papers: int  # distinct papers
    nodes: Counter[str]  # per label
    relationships: Counter[str]  # per type
    files: list[Path]
    seconds: float


def _digest(text: str) -> str:
    """Stands for an abstract where it is only compared (empty stays empty, as merging checks)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest() if text else ""


def _identity_fields(paper: Paper, dates: dict[str, str]) -> Paper:
    """What of a record decides the paper's key, date, citation names and stated links: no text,
    the first author only, dates shared."""
    date = dates.setdefault(paper.date, paper.date) if paper.date else None
    return replace(paper, abstract="", origin="", source="", source_id=None, date=date, date_text=None,
                   authors=paper.authors[:1], author_count=None, upvotes=None, url=None, categories=(), warnings=())


class _Corpus:
    """Pass 1: what the whole corpus decides, compact."""

    def __init__(self, schema: Schema, strict: bool):
        self.report = ReadReport(strict=strict)
        self.ids: IdentityIndex | None = IdentityIndex(digests=True)
        self._dates: dict[str, str] = {}  # one string per distinct date
        self.starts = bytearray()  # per record: 1 when it is the first record of its paper
        self.fields: list[Paper] = []  # per paper: its identity fields, merged over its records
        self.later: dict[int, list[Paper]] = {}  # per paper seen again: the later records, abstracts digested
        self.votes = CorpusVotes()
        self.resolver = EntityResolver()
        self.keys = EntityKeys(schema, self.resolver)
        self.cited: set[str] = set()  # citation keys some paper uses: the only ones worth indexing papers by

    def read(self, outputs: list[Path]) -> None:
        for paper, extraction in replay(outputs, self.report):
            number, is_new = self.ids.assign(PaperIndex.identities(paper))  # type: ignore[union-attr]
            self.starts.append(is_new)
            if is_new:
                # A paper new to the corpus is new to its shard too, so its shard extracted it.
                assert extraction is not None, f"{paper.origin}: no extraction in its shard output"
                self.fields.append(_identity_fields(paper, self._dates))
                self._learn(extraction)
            else:
                entry = PaperIndex.start(self.fields[number], number)
                PaperIndex.merge_into(entry, _identity_fields(paper, self._dates))
                self.fields[number] = entry.paper
                self.later.setdefault(number, []).append(replace(paper, abstract=_digest(paper.abstract), warnings=()))

    def _learn(self, extraction: Extraction) -> None:
        self.votes.add(extraction)
        self.resolver.add(extraction.abbreviations)
        for mention in extraction.mentions:
            if mention.label == "Citation":
                self.cited.add(self.keys(mention)[0])

    def settle(self) -> tuple[PaperOrder, CitationTargets, dict[int, list[str]]]:
        """Paper keys and dates, the citation index and stated links; drops what pass 2 does not need."""
        order = PaperOrder()
        citations = CitationTargets()
        for number, fields in enumerate(self.fields):
            key = PaperIndex.start(fields, number).key
            order.add(key, fields.date)
            citations.add(key, fields, wanted=self.cited)
        linked: dict[int, list[str]] = {}
        for a, b in paper_links(self.ids.find, self.report.links, self.fields):  # type: ignore[union-attr]
            linked.setdefault(a, []).append(order.keys[b])
        self.ids, self.fields, self.cited, self._dates = None, [], set(), {}
        return order, citations, linked


def stream_csv(outputs: list[Path], directory: Path, strict: bool = False,
               schema: Schema | None = None) -> StreamResult:
    """neo4j-admin CSV files for the corpus in `outputs` (shard outputs, in order), written to `directory`."""
    started = time.perf_counter()
    schema = schema or load_schema()
    corpus = _Corpus(schema, strict)
    corpus.read(outputs)
    order, citations, linked = corpus.settle()
    keys = EntityKeys(schema, corpus.resolver)
    label_of = {schema.key_prefix(label): label for label in schema.labels}
    table = EntityTable()
    conflicts: list[Rejected] = []
    checked = RowChecker(schema)
    with AdminCsvWriter(directory, schema, checked) as writer, tempfile.TemporaryFile(dir=directory) as spill:
        papers = 0
        batch: list[tuple[int, list[str], list[str]]] = []
        for paper, extraction in _first_records(outputs, corpus.starts):
            number = papers
            entry = PaperIndex.start(paper, number)
            later = corpus.later.pop(number, None)
            if later:
                # Merging compares abstracts, so the first record's is digested like the later ones',
                # then restored: the first record's text always wins.
                entry = PaperIndex.start(replace(paper, abstract=_digest(paper.abstract)), number)
                for record in later:
                    PaperIndex.merge_into(entry, record)
                entry.paper = replace(entry.paper, abstract=paper.abstract)
                conflicts.extend(entry.conflicts)
            mentions, results = resolve_paper(extraction, corpus.votes)
            part = paper_part(entry, mentions, results, keys, citations, linked.pop(number, ()))
            writer.node("Paper", part.key, part.properties)
            for (target, rel), props in part.edges.items():
                writer.relationship(rel, "Paper", label_of[target.split(":", 1)[0]], part.key, target, props)
            for key, props in part.results:
                writer.node("Result", key, props)
            for source, target, rel in part.result_edges:
                writer.relationship(rel, "Result", label_of[target.split(":", 1)[0]], source, target, {})
            table.add_paper(part, number)
            using = part.using
            if using:
                batch.append((number, using, part.cited_papers))
                if len(batch) >= _SPILL_BATCH:
                    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
            papers += 1
        if batch:
            pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
        corpus.report.warnings.extend(conflicts)

        proposers: dict[str, list[str]] = {}
        for key, label, props in table.nodes(order):
            writer.node(label, key, props)
            if "proposed_by" in props:
                proposers[key] = props["proposed_by"]  # type: ignore[assignment]
        spill.seek(0)
        for number, using, cited in _spilled(spill):
            paper_key = order.keys[number]
            # networkx keeps a paper's edges grouped by target: a BUILDS_ON to a paper it already
            # CITES sits at that paper's place, the others follow by key (the in-memory graph's order).
            place = {target: n for n, target in enumerate(cited)}
            edges = sorted(builds_on_of(paper_key, using, table, proposers),
                           key=lambda edge: (0, place[edge[0]], "") if edge[0] in place else (1, 0, edge[0]))
            for origin, via in edges:
                writer.relationship("BUILDS_ON", "Paper", "Paper", paper_key, origin, {"via": via})
        files = writer.close()
    return StreamResult(corpus.report, papers, writer.node_counts, writer.relationship_counts, files,
                        time.perf_counter() - started)


def _first_records(outputs: list[Path], starts: bytearray) -> Iterator[tuple[Paper, Extraction]]:
    """The first record of every paper with its extraction, in order (pass 1 marked them)."""
    for n, (paper, extraction) in enumerate(replay(outputs, ReadReport())):
        if starts[n]:
            yield paper, extraction  # type: ignore[misc]


def _spilled(spill) -> Iterable[tuple[int, list[str], list[str]]]:
    while True:
        try:
            yield from pickle.load(spill)
        except EOFError:
            return
