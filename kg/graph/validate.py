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
    for node, data in graph.nodes(data=True):
        label = node_label(data)
        if label not in schema.nodes:
            raise SchemaError(f"node {node!r}: unknown label {label!r}")
        if data.get("key") != node or not str(node).startswith(schema.key_prefix(label) + ":"):
            raise SchemaError(f"node {node!r}: key must equal the node id and start with {schema.key_prefix(label)}:")
        allowed = schema.node_properties(label)
        for name, value in data.items():
            if name == "labels":
                continue
            if name not in allowed:
                raise SchemaError(f"node {node!r}: property {name!r} is not in the schema for {label}")
            _check_value(f"node {node!r}", name, value, allowed[name])
    for source, target, rel, data in graph.edges(keys=True, data=True):
        src_label = node_label(graph.nodes[source])
        dst_label = node_label(graph.nodes[target])
        schema.check_relationship(rel, src_label, dst_label)
        allowed = schema.edge_properties(rel)
        for name, value in data.items():
            if name == "label":
                if value != rel:
                    raise SchemaError(f"edge {source}->{target}: label {value!r} differs from type {rel!r}")
                continue
            if name not in allowed:
                raise SchemaError(f"edge {source}-[:{rel}]->{target}: property {name!r} is not in the schema")
            _check_value(f"edge {source}-[:{rel}]->{target}", name, value, allowed[name])
