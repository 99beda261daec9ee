"""networkx node-link JSON: node "id" is the key, edges carry "key" = relationship type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO

import networkx as nx

from kg.errors import InputError
from kg.sinks.atomic import atomic_write


def graph_to_data(graph: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(graph, edges="edges")


def write_json(graph: nx.MultiDiGraph, path_or_file: Path | str | IO[str]) -> None:
    """Write node-link JSON to a path (atomically) or an open text file."""
    data = graph_to_data(graph)
    if isinstance(path_or_file, (str, Path)):
        with atomic_write(Path(path_or_file)) as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.write("\n")
    else:
        json.dump(data, path_or_file, ensure_ascii=False)


def read_json(path_or_file: Path | str | IO[str]) -> nx.MultiDiGraph:
    """Read node-link JSON; text no UTF-8 output can hold (a lone surrogate) is an InputError."""
    if isinstance(path_or_file, (str, Path)):
        with open(path_or_file, encoding="utf-8") as handle:
            data = json.load(handle)
        where = str(path_or_file)
    else:
        data = json.load(path_or_file)
        where = "JSON graph"
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    _refuse_lone_surrogates(graph, where)
    return graph


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return _LONE_SURROGATE.search(value) is not None
    return isinstance(value, list) and any(_has_lone_surrogate(item) for item in value)


def _refuse_lone_surrogates(graph: nx.MultiDiGraph, where: str) -> None:
    """JSON can spell a lone surrogate ("\\ud800"); kg never writes one, and no UTF-8 file (GraphML
    aside, which drops it), Cypher script, CSV or Bolt message can carry it."""
    for node, data in graph.nodes(data=True):
        if _has_lone_surrogate(node) or any(_has_lone_surrogate(v) for v in data.values()):
            raise InputError(f"{where}: node {node!r} holds a lone surrogate, which no output can write")
    for source, target, rel, data in graph.edges(keys=True, data=True):
        if _has_lone_surrogate(rel) or any(_has_lone_surrogate(v) for v in data.values()):
            edge = f"{source!r}-[{rel!r}]->{target!r}"
            raise InputError(f"{where}: edge {edge} holds a lone surrogate, which no output can write")
