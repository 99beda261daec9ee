"""The graph contract (schemas/graph.json) loaded once, and the checks built on it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import SchemaError

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "graph.json"

PROPERTY_TYPES = {"string", "int", "float", "bool", "string[]"}


@dataclass(frozen=True)
class Schema:
    nodes: dict[str, dict[str, Any]]
    relationships: dict[str, dict[str, Any]]
    evidence_properties: dict[str, str]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.nodes)

    @property
    def relationship_types(self) -> tuple[str, ...]:
        return tuple(self.relationships)

    def key_prefix(self, label: str) -> str:
        return self.nodes[label]["key_prefix"]

    def node_properties(self, label: str) -> dict[str, str]:
        return self.nodes[label]["properties"]

    def edge_properties(self, rel_type: str) -> dict[str, str]:
        spec = self.relationships[rel_type]
        props = dict(spec.get("properties", {}))
        if spec.get("evidence"):
            props.update(self.evidence_properties)
        return props

    def check_label(self, label: str) -> str:
        """Return `label` if the schema allows it; labels reach Cypher only through here."""
        if label not in self.nodes:
            raise SchemaError(f"unknown node label {label!r}")
        return label

    def check_relationship(self, rel_type: str, source_label: str, target_label: str) -> str:
        spec = self.relationships.get(rel_type)
        if spec is None:
            raise SchemaError(f"unknown relationship type {rel_type!r}")
        if source_label not in spec["from"] or target_label not in spec["to"]:
            raise SchemaError(f"({source_label})-[:{rel_type}]->({target_label}) is not in the schema")
        return rel_type

    def all_property_types(self, domain: str) -> dict[str, str]:
        """Every property name of a domain ("node" or "edge") with its one type."""
        merged: dict[str, str] = {}
        specs = (
            [self.node_properties(label) for label in self.nodes]
            if domain == "node"
            else [self.edge_properties(rel) for rel in self.relationships]
        )
        for props in specs:
            for name, typ in props.items():
                if merged.setdefault(name, typ) != typ:
                    raise SchemaError(f"{domain} property {name!r} has two types")
        return merged


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    data = json.loads(path.read_text(encoding="utf-8"))
    evidence = data["evidence"]["properties"]
    schema = Schema(nodes=data["nodes"], relationships=data["relationships"], evidence_properties=evidence)
    for domain in ("node", "edge"):
        for name, typ in schema.all_property_types(domain).items():
            if typ not in PROPERTY_TYPES:
                raise SchemaError(f"{domain} property {name!r} has unknown type {typ!r}")
    return schema
