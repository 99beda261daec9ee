"""Check a graph against the schema: labels, keys, property names and types, relationship shapes."""

from __future__ import annotations

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
    if typ == "string[]" and not all(isinstance(v, str) for v in value):  # type: ignore[union-attr]
        raise SchemaError(f"{where}: property {name!r} should hold strings only")


def validate_graph(graph: nx.MultiDiGraph, schema: Schema | None = None) -> None:
    """Raise SchemaError at the first thing the contract does not allow."""
    schema = schema or load_schema()
    labels: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        label = node_label(data)
        if label not in schema.nodes:
            raise SchemaError(f"node {node!r}: unknown label {label!r}")
        if data.get("key") != node or not str(node).startswith(schema.key_prefix(label) + ":"):
            raise SchemaError(f"node {node!r}: key must equal the node id and start with {schema.key_prefix(label)}:")
        labels[node] = label
        _check_properties(f"node {node!r}", data, "labels", schema.node_properties(label), f"for {label}")
    shapes_seen: set[tuple[str, str, str]] = set()
    edge_properties = {rel: schema.edge_properties(rel) for rel in schema.relationships}
    for source, target, rel, data in graph.edges(keys=True, data=True):
        shape = (rel, labels[source], labels[target])
        if shape not in shapes_seen:
            schema.check_relationship(*shape)
            shapes_seen.add(shape)
        if data.get("label", rel) != rel:
            raise SchemaError(f"edge {source}->{target}: label {data.get('label')!r} differs from type {rel!r}")
        _check_properties(f"edge {source}-[:{rel}]->{target}", data, "label", edge_properties[rel], "")


def _check_properties(where: str, data: dict[str, object], skip: str, allowed: dict[str, str], scope: str) -> None:
    for name, value in data.items():
        if name == skip:
            continue
        typ = allowed.get(name)
        if typ is None:
            raise SchemaError(f"{where}: property {name!r} is not in the schema{' ' + scope if scope else ''}")
        if type(value) not in _PLAIN_TYPES[typ]:
            _check_value(where, name, value, typ)
