"""networkx node-link JSON: node "id" is the key, edges carry "key" = relationship type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import networkx as nx

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
    if isinstance(path_or_file, (str, Path)):
        with open(path_or_file, encoding="utf-8") as handle:
            data = json.load(handle)
    else:
        data = json.load(path_or_file)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
