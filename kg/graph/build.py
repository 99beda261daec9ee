"""Build the networkx graph from merged papers and their extractions.

Node ids are schema keys (``method:clip``); node data holds ``labels`` (":Method", as Neo4j's
APOC export writes it) and the schema's properties. Edges live in a MultiDiGraph keyed by
relationship type, so one paper has at most one edge of a type to one entity; that edge keeps
the most confident evidence and counts the mentions behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.graph.validate import node_label
from kg.resolve.entities import EntityResolver, Resolved
from kg.resolve.keys import slug
from kg.resolve.papers import MergedPaper
from kg.resolve.typing import ResolvedResult
from kg.schema import Schema, load_schema
from kg.sources.ids import year_of
from kg.types import Mention

NAMED_LABELS = ("Method", "Dataset", "Metric", "Task")
USING = ("USES", "EVALUATES_ON", "MEASURES", "ADDRESSES")


@dataclass
class _EntityAcc:
    """What the corpus says about one entity, gathered before its node is written."""

    label: str
    canonical: str | None = None
    surface: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    attrs: dict[str, object] = field(default_factory=dict)
    papers: set[str] = field(default_factory=set)
    evidence: dict[str, str] = field(default_factory=dict)  # surface -> why it joined this node


class EntityKeys:
    """Node keys of mentions: fixed for links, repositories and citations; resolved for names."""

    def __init__(self, schema: Schema, resolver: EntityResolver):
        self.schema = schema
        self.resolver = resolver
        self._known: dict[tuple[str, str, object], tuple[str, Resolved | None]] = {}

    def __call__(self, mention: Mention) -> tuple[str, Resolved | None]:
        long_form = mention.attr("long_form") if mention.label in NAMED_LABELS else None
        asked = (mention.label, mention.name, long_form)
        found = self._known.get(asked)
        if found is None:
            found = self._known[asked] = self._key(mention.label, mention.name, long_form)
        return found

    def _key(self, label: str, name: str, long_form: object) -> tuple[str, Resolved | None]:
        prefix = self.schema.key_prefix(label)
        if label not in NAMED_LABELS:
            return f"{prefix}:{name}", None
        resolved = self.resolver.resolve(label, name, str(long_form) if long_form else None)
        return f"{prefix}:{resolved.key}", resolved


def _paper_properties(entry: MergedPaper) -> dict[str, object]:
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


PaperFacts = tuple[MergedPaper, list[Mention], list[ResolvedResult]]


def build_graph(items: Iterable[PaperFacts], schema: Schema | None = None, resolver: EntityResolver | None = None,
                paper_links: Iterable[tuple[str, str]] = ()) -> nx.MultiDiGraph:
    """One graph for the corpus: Paper nodes, entity nodes, results, evidence-carrying edges,
    and the links between papers (BUILDS_ON, CITES). `paper_links` are (citing, cited) paper keys
    a source states (OpenAlex referenced_works, Semantic Scholar citations)."""
    schema = schema or load_schema()
    keys = EntityKeys(schema, resolver or EntityResolver())
    graph = nx.MultiDiGraph()
    entities: dict[str, _EntityAcc] = {}
    edges: dict[tuple[str, str, str], dict[str, object]] = {}
    papers: list[MergedPaper] = []
    result_nodes: list[tuple[str, dict[str, object]]] = []
    result_edges: list[tuple[str, str, str]] = []
    for entry, mentions, results in sorted(items, key=lambda item: item[0].index):
        paper_key = entry.key
        papers.append(entry)
        graph.add_node(paper_key, labels=":Paper", **_paper_properties(entry))
        for mention in mentions:
            key, resolved = keys(mention)
            schema.check_relationship(mention.relation, "Paper", mention.label)
            acc = entities.get(key)
            if acc is None:
                acc = entities[key] = _EntityAcc(mention.label)
            acc.surface[mention.name] += 1
            acc.aliases.update(mention.aliases)
            if resolved is not None:
                acc.canonical = acc.canonical or resolved.canonical
                acc.evidence.setdefault(mention.name, f"{mention.name} <- {resolved.reason} ({paper_key})")
            for name, value in mention.attrs:
                if name not in ("official", "long_form"):
                    acc.attrs.setdefault(name, value)
            acc.papers.add(paper_key)
            _add_evidence(edges, paper_key, key, mention)
        for n, result in enumerate(results, start=1):
            result_key = f"{schema.key_prefix('Result')}:{paper_key.split(':', 1)[1]}:{n}"
            props: dict[str, object] = {"key": result_key, "value": result.value, "raw": result.raw}
            if result.unit:
                props["unit"] = result.unit
            result_nodes.append((result_key, props))
            _add_evidence(edges, paper_key, result_key, Mention("Result", "REPORTS", result.raw, result.evidence))
            for rel, target in (("ACHIEVED_BY", result.method), ("ON_DATASET", result.dataset),
                                ("MEASURED_BY", result.metric)):
                if target is not None:
                    result_edges.append((result_key, keys(target)[0], rel))

    # PROPOSES takes precedence over using the same thing in the same paper.
    for source, target, rel in [e for e in edges if e[2] in USING]:
        if (source, target, "PROPOSES") in edges:
            del edges[(source, target, rel)]
    _resolve_citations(edges, entities, papers)

    for key, acc in entities.items():
        props: dict[str, object] = {"key": key, **acc.attrs, "paper_count": len(acc.papers)}
        if acc.label in NAMED_LABELS:
            # The gazetteer's name, else the most used spelling, names the node; the rest are aliases.
            name = acc.canonical or max(acc.surface.items(), key=lambda kv: (kv[1], kv[0]))[0]
            props["name"] = name
            props["aliases"] = sorted((set(acc.surface) | acc.aliases) - {name})
            props["merge_evidence"] = [acc.evidence[s] for s in sorted(acc.evidence) if s != name]
        if acc.label != "Citation" or acc.papers:
            graph.add_node(key, labels=f":{acc.label}", **props)

    for key, props in result_nodes:
        graph.add_node(key, labels=":Result", **props)
    graph.add_edges_from((source, target, rel, {"label": rel, **props})
                         for (source, target, rel), props in edges.items())
    graph.add_edges_from((source, target, rel, {"label": rel}) for source, target, rel in result_edges)
    for citing, cited in paper_links:
        if citing != cited and citing in graph and cited in graph and not graph.has_edge(citing, cited, "CITES"):
            graph.add_edge(citing, cited, key="CITES", label="CITES", rule="source-references", confidence=1.0)
    add_builds_on(graph)
    return graph


def proposers(graph: nx.MultiDiGraph, entity: str) -> list[str]:
    """Papers proposing `entity`, earliest dated first (undated last, then by key)."""
    claimants = [s for s, _, k in graph.in_edges(entity, keys=True) if k == "PROPOSES"]
    return sorted(claimants, key=lambda p: (graph.nodes[p].get("date") or "9999", p))


def add_builds_on(graph: nx.MultiDiGraph) -> None:
    """(A)-[:BUILDS_ON {via}]->(B) when A uses what B proposes; the earliest proposer counts,
    and an entity several papers claim records them all in `proposed_by`."""
    via: dict[tuple[str, str], list[str]] = {}
    for entity, data in list(graph.nodes(data=True)):
        if node_label(data) not in NAMED_LABELS:
            continue
        claimants = proposers(graph, entity)
        if not claimants:
            continue
        data["proposed_by"] = claimants
        origin = claimants[0]
        for user, _, rel in graph.in_edges(entity, keys=True):
            if rel in USING and user != origin:
                via.setdefault((user, origin), []).append(str(data.get("name", entity)))
    for (user, origin), names in sorted(via.items()):
        graph.add_edge(user, origin, key="BUILDS_ON", label="BUILDS_ON", via=sorted(set(names)))


def _resolve_citations(edges: dict[tuple[str, str, str], dict[str, object]], entities: dict[str, _EntityAcc],
                       papers: list[MergedPaper]) -> None:
    """A citation of a paper in the corpus (arXiv id, DOI, or first author and year) points at it."""
    by_id: dict[str, str] = {}
    by_author_year: dict[str, list[str]] = {}
    for entry in papers:
        p = entry.paper
        if p.arxiv_id:
            by_id[f"cite:arxiv:{p.arxiv_id}"] = entry.key
        if p.doi:
            by_id[f"cite:doi:{p.doi}"] = entry.key
        year = year_of(p.date)
        if p.authors and year:
            surname = slug(p.authors[0].split()[-1]).replace("-", "")
            by_author_year.setdefault(f"cite:{surname}{year}", []).append(entry.key)
    for source, target, rel in [e for e in edges if e[2] == "CITES"]:
        matches = [by_id[target]] if target in by_id else by_author_year.get(target, [])
        if len(matches) == 1 and matches[0] != source:
            props = edges.pop((source, target, rel))
            edges[(source, matches[0], rel)] = props
            entities[target].papers.discard(source)


def _add_evidence(
    edges: dict[tuple[str, str, str], dict[str, object]], paper_key: str, entity: str, mention: Mention
) -> None:
    ev = mention.evidence
    edge_id = (paper_key, entity, mention.relation)
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
    official = mention.attr("official")
    if official is not None:
        props["official"] = bool(official)
    edges[edge_id] = props
