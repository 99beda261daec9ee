"""Writers (and readers, for round trips) of graph files, chosen by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from kg.collector import collector_paused
from kg.errors import InputError, OutputError
from kg.sinks.graphml import read_graphml, write_graphml
from kg.sinks.jsonfile import read_json, write_json

WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {".graphml": write_graphml, ".json": write_json}
READERS: dict[str, Callable[[Path], nx.MultiDiGraph]] = {".graphml": read_graphml, ".json": read_json}


def write_graph(graph: nx.MultiDiGraph, path: Path) -> None:
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise OutputError(f"{path}: unknown output format {path.suffix!r} (use {', '.join(WRITERS)})")
    try:
        writer(graph, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def read_graph(path: Path) -> nx.MultiDiGraph:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{path}: not a graph file (expected {', '.join(READERS)})")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with collector_paused():
        return reader(path)
