"""What a graph holds: counts, top entities, most built-on papers, how mentions merged into nodes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TypedDict

import networkx as nx

from kg.graph.build import NAMED_LABELS
from kg.graph.validate import node_label
from kg.resolve.entities import compact


@dataclass
class GraphStats:
    nodes: dict[str, int]
    relationships: dict[str, int]
    top_entities: dict[str, list[tuple[str, int]]]
    most_built_on: list[tuple[str, int]]
    merges: dict[str, dict[str, float]]  # label -> mentions, surface forms, nodes, duplicate names, rate
    paper_links: dict[str, int]

    def as_dict(self) -> dict:
        return {"nodes": self.nodes, "relationships": self.relationships,
                "top_entities": {k: [{"name": n, "papers": c} for n, c in v] for k, v in self.top_entities.items()},
                "most_built_on": [{"paper": t, "papers_building_on_it": c} for t, c in self.most_built_on],
                "merges": self.merges, "paper_links": self.paper_links}


def duplicate_names(graph: nx.MultiDiGraph, label: str) -> list[list[str]]:
    """Groups of nodes of one label whose names (or aliases) are the same after normalisation."""
    owners: dict[str, set[str]] = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if node_label(data) == label:
            owners[compact(str(data.get("name", node)))].add(node)
    return [sorted(nodes) for nodes in owners.values() if len(nodes) > 1]


def graph_stats(graph: nx.MultiDiGraph, top: int = 10) -> GraphStats:
    labels = Counter(node_label(d) for _, d in graph.nodes(data=True))
    rels = Counter(k for _, _, k in graph.edges(keys=True))
    top_entities: dict[str, list[tuple[str, int]]] = {}
    merges: dict[str, dict[str, float]] = {}
    for label in NAMED_LABELS:
        members = [(str(d.get("name", n)), int(d.get("paper_count", 0)), d) for n, d in graph.nodes(data=True)
                   if node_label(d) == label]
        top_entities[label] = [(name, count) for name, count, _ in
                               sorted(members, key=lambda m: (-m[1], m[0]))[:top]]
        mentions = sum(int(d.get("mentions", 1)) for _, t, d in graph.edges(data=True)
                       if node_label(graph.nodes[t]) == label and node_label(graph.nodes[_]) == "Paper")
        surfaces = sum(1 + len(d.get("aliases", [])) for _, _, d in members)
        duplicates = sum(len(g) - 1 for g in duplicate_names(graph, label))
        merges[label] = {"mentions": mentions, "surface_forms": surfaces, "nodes": len(members),
                         "duplicate_names": duplicates,
                         "duplicate_rate": round(duplicates / len(members), 4) if members else 0.0}
    built_on = Counter(t for _, t, k in graph.edges(keys=True) if k == "BUILDS_ON")
    most_built_on = [(str(graph.nodes[p].get("title", p)), c)
                     for p, c in sorted(built_on.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    paper_links = {
        "BUILDS_ON": rels.get("BUILDS_ON", 0),
        "CITES (to a paper)": sum(1 for _, t, k in graph.edges(keys=True)
                                  if k == "CITES" and node_label(graph.nodes[t]) == "Paper"),
        "CITES (unresolved citation)": sum(1 for _, t, k in graph.edges(keys=True)
                                           if k == "CITES" and node_label(graph.nodes[t]) == "Citation"),
    }
    return GraphStats(dict(sorted(labels.items())), dict(sorted(rels.items())), top_entities, most_built_on,
                      merges, paper_links)


def find_entities(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Keys of every method, dataset, metric or task node `name` is the name or an alias of."""
    wanted = compact(name)
    found = []
    for node, data in graph.nodes(data=True):
        if node_label(data) not in NAMED_LABELS:
            continue
        surfaces = [str(data.get("name", ""))] + list(data.get("aliases", []))
        if wanted in {compact(s) for s in surfaces} or node.split(":", 1)[1] == wanted:
            found.append(node)
    return found


class Explanation(TypedDict):
    """One node `explain` finds (a plain dict at run time)."""

    key: str
    label: str
    name: str
    aliases: list[str]
    paper_count: int
    proposed_by: list[str]
    merged: list[str]  # the node's merge_evidence
    evidence: list[dict[str, object]]  # paper, relation, rule and sentence of each edge into the node


def explain(graph: nx.MultiDiGraph, name: str) -> list[Explanation]:
    """Every entity node `name` is the name or an alias of, with why each alias joined it."""
    found: list[Explanation] = []
    for node in find_entities(graph, name):
        data = graph.nodes[node]
        evidence = []
        for paper, _, rel, edge in graph.in_edges(node, keys=True, data=True):
            evidence.append({"paper": graph.nodes[paper].get("title", paper), "relation": rel,
                             "rule": edge.get("rule"), "sentence": edge.get("sentence")})
        found.append({"key": node, "label": node_label(data), "name": data.get("name"),
                      "aliases": list(data.get("aliases", [])), "paper_count": data.get("paper_count", 0),
                      "proposed_by": list(data.get("proposed_by", [])),
                      "merged": list(data.get("merge_evidence", [])), "evidence": evidence})
    return found
