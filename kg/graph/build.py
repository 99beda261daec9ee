"""Build the networkx graph from merged papers and their extractions.

Node ids are schema keys (``method:clip``); node data holds ``labels`` (":Method", as Neo4j's
APOC export writes it) and the schema's properties. Edges live in a MultiDiGraph keyed by
relationship type, so one paper has at most one edge of a type to one entity; that edge keeps
the most confident evidence and counts the mentions behind it.

The rules are per paper (``paper_part``: edges, evidence, PROPOSES over USES, citations of
corpus papers) plus what the corpus knows (``EntityTable``: entity names, aliases, counts and
proposers; ``builds_on``: the earliest proposer is the origin). ``build_graph`` here and the
streaming CSV writer (kg.stream) both use them, so the two outputs cannot drift apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from kg.resolve.entities import EntityResolver, Resolved
from kg.resolve.keys import slug
from kg.resolve.papers import MergedPaper
from kg.resolve.typing import ResolvedResult
from kg.schema import Schema, load_schema
from kg.sources.ids import year_of
from kg.types import Mention, Paper

NAMED_LABELS = ("Method", "Dataset", "Metric", "Task")
USING = ("USES", "EVALUATES_ON", "MEASURES", "ADDRESSES")
_NOT_NODE_ATTRS = ("official", "long_form")  # mention attributes that belong to the edge or the resolver


class EntityKeys:
    """Node keys of mentions: fixed for links, repositories and citations; resolved for names."""

    def __init__(self, schema: Schema, resolver: EntityResolver):
        self.schema = schema
        self.resolver = resolver

    def __call__(self, mention: Mention) -> tuple[str, Resolved | None]:
        prefix = self.schema.key_prefix(mention.label)
        if mention.label not in NAMED_LABELS:
            return f"{prefix}:{mention.name}", None
        long_form = mention.attr("long_form")
        resolved = self.resolver.resolve(mention.label, mention.name, str(long_form) if long_form else None)
        return f"{prefix}:{resolved.key}", resolved


def paper_properties(entry: MergedPaper) -> dict[str, object]:
    p = entry.paper
    props: dict[str, object] = {
        "key": entry.key,
        "title": p.title,
        "abstract": p.abstract,
        "source_id": p.source_id,
        "arxiv_id": p.arxiv_id,
        "doi": p.doi,
        "openalex_id": p.openalex_id,
        "s2_id": p.s2_id,
        "date": p.date,
        "date_text": p.date_text,
        "year": year_of(p.date),
        "authors": list(p.authors),
        "author_count": p.author_count,
        "upvotes": p.upvotes,
        "url": p.url,
        "categories": list(p.categories),
        "source": ",".join(entry.sources),
        "origins": list(entry.origins),
    }
    return {k: v for k, v in props.items() if v is not None and v != []}


class CitationTargets:
    """The corpus papers an inline citation can name: by arXiv id or DOI, else by first author and year."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.by_author_year: dict[str, list[str]] = {}

    @staticmethod
    def names_of(paper: Paper) -> Iterator[tuple[str, bool]]:
        """The citation keys that may name `paper`, each with whether it is an id (else author and year)."""
        if paper.arxiv_id:
            yield f"cite:arxiv:{paper.arxiv_id}", True
        if paper.doi:
            yield f"cite:doi:{paper.doi}", True
        year = year_of(paper.date)
        if paper.authors and year:
            yield f"cite:{slug(paper.authors[0].split()[-1]).replace('-', '')}{year}", False

    def add(self, key: str, paper: Paper, wanted: set[str] | None = None) -> None:
        """Index paper `key`; with `wanted`, only under the citation keys in it (the ones some paper cites)."""
        for name, is_id in self.names_of(paper):
            if wanted is not None and name not in wanted:
                continue
            if is_id:
                self.by_id[name] = key
            else:
                self.by_author_year.setdefault(name, []).append(key)

    def target(self, citation: str, citing: str) -> str | None:
        """The corpus paper `citation` names, when exactly one does and it is not the citing paper."""
        matches = [self.by_id[citation]] if citation in self.by_id else self.by_author_year.get(citation, [])
        return matches[0] if len(matches) == 1 and matches[0] != citing else None


@dataclass(slots=True)
class PaperPart:
    """What one paper adds to the graph, decided from the paper and what the corpus knows."""

    key: str
    properties: dict[str, object]
    # (target, type) -> edge properties, in the order the paper's edges are kept (networkx adjacency order)
    edges: dict[tuple[str, str], dict[str, object]]
    named: list[tuple[str, Mention, Resolved | None]]  # every mention with its entity key
    uncounted: set[str]  # citation nodes this paper does not count for (the citation named a corpus paper)
    results: list[tuple[str, dict[str, object]]]
    result_edges: list[tuple[str, str, str]]
    cited_papers: list[str] = field(default_factory=list)  # corpus papers it CITES, in edge order

    @property
    def using(self) -> list[str]:
        """Entities the paper uses, evaluates on, measures or addresses: what BUILDS_ON is made of."""
        return [target for target, rel in self.edges if rel in USING]

    @property
    def proposing(self) -> list[str]:
        return [target for target, rel in self.edges if rel == "PROPOSES"]


def paper_part(entry: MergedPaper, mentions: list[Mention], results: list[ResolvedResult], keys: EntityKeys,
               citations: CitationTargets, linked: Iterable[str] = ()) -> PaperPart:
    """One paper's node, edges and results. `linked` are corpus papers a source says it cites."""
    schema = keys.schema
    paper_key = entry.key
    edges: dict[tuple[str, str], dict[str, object]] = {}
    named: list[tuple[str, Mention, Resolved | None]] = []
    for mention in mentions:
        key, resolved = keys(mention)
        schema.check_relationship(mention.relation, "Paper", mention.label)
        named.append((key, mention, resolved))
        _add_evidence(edges, key, mention)
    result_nodes: list[tuple[str, dict[str, object]]] = []
    result_edges: list[tuple[str, str, str]] = []
    target: Mention | str | None  # a result's mention (if any), then an edge's target key
    for n, result in enumerate(results, start=1):
        result_key = f"{schema.key_prefix('Result')}:{paper_key.split(':', 1)[1]}:{n}"
        props: dict[str, object] = {"key": result_key, "value": result.value, "raw": result.raw}
        if result.unit:
            props["unit"] = result.unit
        result_nodes.append((result_key, props))
        _add_evidence(edges, result_key, Mention("Result", "REPORTS", result.raw, result.evidence))
        for rel, target in (("ACHIEVED_BY", result.method), ("ON_DATASET", result.dataset),
                            ("MEASURED_BY", result.metric)):
            if target is not None:
                result_edges.append((result_key, keys(target)[0], rel))

    # PROPOSES takes precedence over using the same thing in the same paper.
    for target, rel in [e for e in edges if e[1] in USING]:
        if (target, "PROPOSES") in edges:
            del edges[(target, rel)]
    part = PaperPart(paper_key, paper_properties(entry), edges, named, set(), result_nodes, result_edges)
    # A citation of a corpus paper (arXiv id, DOI, or first author and year) points at it.
    for citation, rel in [e for e in edges if e[1] == "CITES"]:
        cited = citations.target(citation, paper_key)
        if cited is not None:
            edges[(cited, rel)] = edges.pop((citation, rel))
            part.uncounted.add(citation)
            if cited not in part.cited_papers:
                part.cited_papers.append(cited)
    for cited in linked:
        if cited != paper_key and (cited, "CITES") not in edges:
            edges[(cited, "CITES")] = {"rule": "source-references", "confidence": 1.0}
            part.cited_papers.append(cited)
    return part


class EntityAcc:
    """What the corpus says about one entity, gathered before its node is written. Compact: a paper
    count instead of the set of papers (a paper's mentions arrive together), and the name
    statistics only for named labels."""

    __slots__ = ("label", "attrs", "paper_count", "last_paper", "canonical", "surface", "aliases", "evidence",
                 "claimants")

    def __init__(self, label: str):
        self.label = label
        self.attrs: dict[str, object] = {}
        self.paper_count = 0
        self.last_paper = -1
        self.canonical: str | None = None
        named = label in NAMED_LABELS
        self.surface: Counter[str] | None = Counter() if named else None
        self.aliases: set[str] | None = set() if named else None
        self.evidence: dict[str, str] | None = {} if named else None  # surface -> why it joined this node
        self.claimants: list[int] = []  # numbers of the papers that propose it

    @property
    def name(self) -> str | None:
        """The gazetteer's name, else the most used spelling; None for unnamed labels."""
        if self.surface is None:
            return None
        return self.canonical or max(self.surface.items(), key=lambda kv: (kv[1], kv[0]))[0]


class EntityTable:
    """Every entity of the corpus in first-seen order, accumulated paper by paper (papers numbered
    0, 1, ... in graph order)."""

    def __init__(self) -> None:
        self.entities: dict[str, EntityAcc] = {}

    def add_paper(self, part: PaperPart, number: int) -> None:
        for key, mention, resolved in part.named:
            acc = self.entities.get(key)
            if acc is None:
                acc = self.entities[key] = EntityAcc(mention.label)
            if acc.surface is not None:
                acc.surface[mention.name] += 1
                acc.aliases.update(mention.aliases)  # type: ignore[union-attr]
                if resolved is not None:
                    acc.canonical = acc.canonical or resolved.canonical
                    acc.evidence.setdefault(  # type: ignore[union-attr]
                        mention.name, f"{mention.name} <- {resolved.reason} ({part.key})")
            for name, value in mention.attrs:
                if name not in _NOT_NODE_ATTRS and name not in acc.attrs:
                    acc.attrs[name] = value
            if acc.last_paper != number and key not in part.uncounted:
                acc.last_paper = number
                acc.paper_count += 1
        for key in part.proposing:
            self.entities[key].claimants.append(number)

    def proposers(self, acc: EntityAcc, paper_order: PaperOrder) -> list[str]:
        """Keys of the papers proposing an entity, earliest dated first (undated last, then by key)."""
        return [paper_order.keys[n] for n in sorted(acc.claimants, key=paper_order.sort_key)]

    def nodes(self, paper_order: PaperOrder) -> Iterator[tuple[str, str, dict[str, object]]]:
        """(key, label, properties) of every entity node, in first-seen order."""
        for key, acc in self.entities.items():
            if acc.label == "Citation" and not acc.paper_count:
                continue  # every citation of it named a corpus paper
            props: dict[str, object] = {"key": key, **acc.attrs, "paper_count": acc.paper_count}
            name = acc.name
            if name is not None:
                props["name"] = name
                props["aliases"] = sorted((set(acc.surface) | acc.aliases) - {name})  # type: ignore[arg-type,operator]
                props["merge_evidence"] = [acc.evidence[s] for s in sorted(acc.evidence) if s != name]  # type: ignore
                if acc.claimants:
                    props["proposed_by"] = self.proposers(acc, paper_order)
            yield key, acc.label, props


class PaperOrder:
    """Key and date of every paper by number: what proposer order needs of all papers."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.dates: list[str | None] = []
        self._dates: dict[str, str] = {}  # one string per distinct date

    def add(self, key: str, date: str | None) -> None:
        self.keys.append(key)
        self.dates.append(self._dates.setdefault(date, date) if date else None)

    def sort_key(self, number: int) -> tuple[str, str]:
        return self.dates[number] or "9999", self.keys[number]


def builds_on(user: str, used: Iterable[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """(origin, via) of the BUILDS_ON edges of paper `user`, by origin key. `used` holds the name and
    the proposers (earliest first) of each entity the paper uses; the earliest proposer is the origin,
    and a paper never builds on itself."""
    via: dict[str, list[str]] = {}
    for name, claimants in used:
        if claimants and claimants[0] != user:
            via.setdefault(claimants[0], []).append(name)
    return [(origin, sorted(set(names))) for origin, names in sorted(via.items())]


def builds_on_of(part_key: str, using: Iterable[str], table: EntityTable,
                 proposers: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """`builds_on` for one paper, from the entity table and the proposers of each proposed entity."""
    used = [(str(table.entities[e].name), proposers[e]) for e in using if e in proposers]
    return builds_on(part_key, used)


PaperFacts = tuple[MergedPaper, list[Mention], list[ResolvedResult]]


def build_graph(items: Iterable[PaperFacts], schema: Schema | None = None, resolver: EntityResolver | None = None,
                paper_links: Iterable[tuple[str, str]] = ()) -> nx.MultiDiGraph:
    """One graph for the corpus: Paper nodes, entity nodes, results, evidence-carrying edges,
    and the links between papers (BUILDS_ON, CITES). `paper_links` are (citing, cited) paper keys
    a source states (OpenAlex referenced_works, Semantic Scholar citations)."""
    schema = schema or load_schema()
    keys = EntityKeys(schema, resolver or EntityResolver())
    ordered = sorted(items, key=lambda item: item[0].index)
    citations = CitationTargets()
    for entry, _, _ in ordered:
        citations.add(entry.key, entry.paper)
    in_corpus = {entry.key for entry, _, _ in ordered}
    linked: dict[str, list[str]] = defaultdict(list)
    for citing, cited in paper_links:
        if citing in in_corpus and cited in in_corpus:
            linked[citing].append(cited)

    graph = nx.MultiDiGraph()
    table = EntityTable()
    paper_order = PaperOrder()
    parts: list[PaperPart] = []
    for number, (entry, mentions, results) in enumerate(ordered):
        part = paper_part(entry, mentions, results, keys, citations, linked.get(entry.key, ()))
        graph.add_node(part.key, labels=":Paper", **part.properties)
        table.add_paper(part, number)
        paper_order.add(part.key, entry.paper.date)
        parts.append(part)
    proposers: dict[str, list[str]] = {}
    for key, label, props in table.nodes(paper_order):
        graph.add_node(key, labels=f":{label}", **props)
        if "proposed_by" in props:
            proposers[key] = props["proposed_by"]  # type: ignore[assignment]
    for part in parts:
        for key, props in part.results:
            graph.add_node(key, labels=":Result", **props)
    for part in parts:
        for (target, rel), props in part.edges.items():
            graph.add_edge(part.key, target, key=rel, label=rel, **props)
    for part in parts:
        for source, target, rel in part.result_edges:
            graph.add_edge(source, target, key=rel, label=rel)
    for part in parts:
        for origin, via in builds_on_of(part.key, part.using, table, proposers):
            graph.add_edge(part.key, origin, key="BUILDS_ON", label="BUILDS_ON", via=via)
    return graph


def _add_evidence(edges: dict[tuple[str, str], dict[str, object]], entity: str, mention: Mention) -> None:
    ev = mention.evidence
    edge_id = (entity, mention.relation)
    current = edges.get(edge_id)
    if current is not None:
        current["mentions"] = int(current["mentions"]) + 1  # type: ignore[call-overload]
        if ev.confidence <= float(current["confidence"]):  # type: ignore[arg-type]
            return
    props: dict[str, object] = {
        "field": ev.field,
        "start": ev.start,
        "end": ev.end,
        "sentence": ev.sentence,
        "rule": ev.rule,
        "confidence": ev.confidence,
        "mentions": current["mentions"] if current else 1,
    }
    official = mention.attr("official") if mention.attrs else None
    if official is not None:
        props["official"] = bool(official)
    edges[edge_id] = props
