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

from kg.extract import Extraction
from kg.resolve.keys import slug
from kg.resolve.papers import MergedPaper
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
    if mention.label in ("Repository", "Link"):
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


def build_graph(items: Iterable[tuple[MergedPaper, Extraction]], schema: Schema | None = None) -> nx.MultiDiGraph:
    """One graph for the corpus: Paper nodes, entity nodes, and evidence-carrying edges."""
    schema = schema or load_schema()
    graph = nx.MultiDiGraph()
    entities: dict[str, _EntityAcc] = {}
    edges: dict[tuple[str, str, str], dict[str, object]] = {}

    for entry, extraction in sorted(items, key=lambda pair: pair[0].index):
        paper_key = entry.key
        graph.add_node(paper_key, labels=":Paper", **_paper_properties(entry))
        long_forms = dict(extraction.abbreviations)
        for mention in extraction.mentions:
            key = entity_key(schema, mention)
            schema.check_relationship(mention.relation, "Paper", mention.label)
            acc = entities.setdefault(key, _EntityAcc(mention.label))
            acc.surface[mention.name] += 1
            acc.aliases.update(mention.aliases)
            if mention.name in long_forms:
                acc.aliases.add(long_forms[mention.name])
            for name, value in mention.attrs:
                if name != "official":
                    acc.attrs.setdefault(name, value)
            acc.papers.add(paper_key)
            _add_evidence(edges, paper_key, key, mention)

    for key, acc in entities.items():
        props: dict[str, object] = {"key": key, **acc.attrs, "paper_count": len(acc.papers)}
        if acc.label in NAMED_LABELS:
            # The most used spelling names the node; the rest are aliases.
            name = max(acc.surface.items(), key=lambda kv: (kv[1], kv[0]))[0]
            props["name"] = name
            props["aliases"] = sorted((set(acc.surface) | acc.aliases) - {name})
        graph.add_node(key, labels=f":{acc.label}", **props)

    for (source, target, rel), props in edges.items():
        graph.add_edge(source, target, key=rel, label=rel, **props)
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
