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

from kg.resolve.keys import slug
from kg.resolve.papers import MergedPaper
from kg.resolve.typing import ResolvedResult
from kg.schema import Schema, load_schema
from kg.sources.ids import year_of
from kg.types import Mention

NAMED_LABELS = ("Method", "Dataset", "Metric", "Task")


@dataclass
class _EntityAcc:
    """What the corpus says about one entity, gathered before its node is written."""

    label: str
    surface: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    attrs: dict[str, object] = field(default_factory=dict)
    papers: set[str] = field(default_factory=set)


def entity_key(schema: Schema, mention: Mention) -> str:
    prefix = schema.key_prefix(mention.label)
    if mention.label in ("Repository", "Link", "Citation"):
        return f"{prefix}:{mention.name}"
    return f"{prefix}:{slug(mention.name)}"


def _paper_properties(entry: MergedPaper) -> dict[str, object]:
    p = entry.paper
    props: dict[str, object] = {
        "key": entry.key,
        "title": p.title,
        "abstract": p.abstract,
        "source_id": p.source_id,
        "arxiv_id": p.arxiv_id,
        "doi": p.doi,
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


def build_graph(items: Iterable[PaperFacts], schema: Schema | None = None) -> nx.MultiDiGraph:
    """One graph for the corpus: Paper nodes, entity nodes, results, and evidence-carrying edges."""
    schema = schema or load_schema()
    graph = nx.MultiDiGraph()
    entities: dict[str, _EntityAcc] = {}
    edges: dict[tuple[str, str, str], dict[str, object]] = {}

    result_nodes: list[tuple[str, dict[str, object]]] = []
    result_edges: list[tuple[str, str, str]] = []
    for entry, mentions, results in sorted(items, key=lambda item: item[0].index):
        paper_key = entry.key
        graph.add_node(paper_key, labels=":Paper", **_paper_properties(entry))
        for mention in mentions:
            key = entity_key(schema, mention)
            schema.check_relationship(mention.relation, "Paper", mention.label)
            acc = entities.setdefault(key, _EntityAcc(mention.label))
            acc.surface[mention.name] += 1
            acc.aliases.update(mention.aliases)
            for name, value in mention.attrs:
                if name != "official":
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
            for rel, target in (
                ("ACHIEVED_BY", result.method),
                ("ON_DATASET", result.dataset),
                ("MEASURED_BY", result.metric),
            ):
                if target is not None:
                    result_edges.append((result_key, entity_key(schema, target), rel))

    for key, acc in entities.items():
        props: dict[str, object] = {"key": key, **acc.attrs, "paper_count": len(acc.papers)}
        if acc.label in NAMED_LABELS:
            # The most used spelling names the node; the rest are aliases.
            name = max(acc.surface.items(), key=lambda kv: (kv[1], kv[0]))[0]
            props["name"] = name
            props["aliases"] = sorted((set(acc.surface) | acc.aliases) - {name})
        graph.add_node(key, labels=f":{acc.label}", **props)

    for key, props in result_nodes:
        graph.add_node(key, labels=":Result", **props)
    for (source, target, rel), props in edges.items():
        graph.add_edge(source, target, key=rel, label=rel, **props)
    for source, target, rel in result_edges:
        graph.add_edge(source, target, key=rel, label=rel)
    return graph


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
