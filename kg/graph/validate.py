"""Check a graph against the schema: labels, keys, property names and types, relationship shapes."""

from __future__ import annotations

from typing import cast

import networkx as nx

from kg.errors import SchemaError
from kg.schema import Schema, load_schema

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "string[]": (list, tuple),
}
# Exact types that need no closer look: the common case, checked with one set lookup.
_PLAIN_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset([str]),
    "int": frozenset([int]),
    "float": frozenset([float, int]),
    "bool": frozenset([bool]),
    "string[]": frozenset(),
}


def node_label(data: dict[str, object]) -> str:
    """The single label of a node from its APOC-style ``labels`` value (":Method")."""
    return str(data.get("labels", "")).lstrip(":")


def _check_value(where: str, name: str, value: object, typ: str) -> None:
    if value is None:
        raise SchemaError(f"{where}: property {name!r} is None")
    if typ == "int" and isinstance(value, bool) or not isinstance(value, _PY_TYPES[typ]):
        raise SchemaError(f"{where}: property {name!r} should be {typ}, got {type(value).__name__}")
    # The isinstance check above with _PY_TYPES["string[]"] has made a string[] value a list or tuple.
    if typ == "string[]" and not all(isinstance(v, str) for v in cast("list[object] | tuple[object, ...]", value)):
        raise SchemaError(f"{where}: property {name!r} should hold strings only")


class RowChecker:
    """The schema's checks one node or relationship at a time: validate_graph runs them over a
    whole graph, and the streaming CSV writer (kg.stream) over each row before it is written."""

    def __init__(self, schema: Schema | None = None):
        self.schema = schema or load_schema()
        self._shapes_seen: set[tuple[str, str, str]] = set()
        self._edge_properties = {rel: self.schema.edge_properties(rel) for rel in self.schema.relationships}

    def node(self, label: str, key: str, props: dict[str, object]) -> None:
        """`props` may hold ``labels`` (the APOC-style label of a graph node), which is not checked."""
        if label not in self.schema.nodes:
            raise SchemaError(f"node {key!r}: unknown label {label!r}")
        if not key.startswith(self.schema.key_prefix(label) + ":"):
            raise SchemaError(f"node {key!r}: key must start with {self.schema.key_prefix(label)}:")
        _check_properties(f"node {key!r}", props, "labels", self.schema.node_properties(label), f"for {label}")

    def relationship(self, rel: str, source_label: str, target_label: str, source: str, target: str,
                     props: dict[str, object]) -> None:
        """`props` may hold ``label`` (a graph edge's copy of its type), which is not checked."""
        shape = (rel, source_label, target_label)
        if shape not in self._shapes_seen:
            self.schema.check_relationship(*shape)
            self._shapes_seen.add(shape)
        _check_properties(f"edge {source}-[:{rel}]->{target}", props, "label", self._edge_properties[rel], "")


def validate_graph(graph: nx.MultiDiGraph, schema: Schema | None = None) -> None:
    """Raise SchemaError at the first thing the contract does not allow."""
    check = RowChecker(schema)
    labels: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if data.get("key") != node:
            raise SchemaError(f"node {node!r}: key must equal the node id")
        label = labels[node] = node_label(data)
        check.node(label, str(node), data)
    for source, target, rel, data in graph.edges(keys=True, data=True):
        if data.get("label", rel) != rel:
            raise SchemaError(f"edge {source}->{target}: label {data.get('label')!r} differs from type {rel!r}")
        check.relationship(rel, labels[source], labels[target], source, target, data)


def _check_properties(where: str, data: dict[str, object], skip: str, allowed: dict[str, str], scope: str) -> None:
    for name, value in data.items():
        if name == skip:
            continue
        typ = allowed.get(name)
        if typ is None:
            raise SchemaError(f"{where}: property {name!r} is not in the schema{' ' + scope if scope else ''}")
        if type(value) not in _PLAIN_TYPES[typ]:
            _check_value(where, name, value, typ)
