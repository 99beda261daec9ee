"""CSV files in the header layout of `neo4j-admin database import full`, for graphs too large to
load over Bolt: one file per label and per relationship type, plus the exact command to run.

Node files: ``key:ID,<property>:<type>,...,:LABEL``; relationship files:
``:START_ID,:END_ID,:TYPE,<property>:<type>,...``. Keys are one global ID space (every key
starts with its label's prefix). Lists use U+001F (unit separator) between elements, a
character that never occurs in kg's cleaned text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from kg.schema import Schema, load_schema
from kg.sinks.atomic import atomic_write
from kg.sinks.cypher import node_rows, relationship_rows

ARRAY_DELIMITER = "\x1f"
_ADMIN_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean", "string[]": "string[]"}


def _cell(value: object, typ: str) -> str:
    if value is None:
        return ""
    if typ == "string[]":
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in value)  # type: ignore[union-attr]
    if typ == "bool":
        return "true" if value else "false"
    return str(value)


def import_arguments(files: list[Path], database: str = "neo4j") -> list[str]:
    """The arguments of `neo4j-admin database import full` for the files written."""
    args = ["database", "import", "full"]
    args += [f"--nodes={f.name}" for f in files if f.name.startswith("nodes_")]
    args += [f"--relationships={f.name}" for f in files if f.name.startswith("rels_")]
    args += ["--array-delimiter=U+001F", "--multiline-fields=true", "--overwrite-destination=true", database]
    return args


def write_admin_csv(graph: nx.MultiDiGraph, directory: Path, schema: Schema | None = None) -> list[Path]:
    """Write the CSV files (each atomically) and IMPORT.txt with the command; returns the CSV paths."""
    schema = schema or load_schema()
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for label, rows in node_rows(graph).items():
        props = [p for p in schema.node_properties(label) if p != "key"]
        path = directory / f"nodes_{label}.csv"
        with atomic_write(path, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["key:ID", *(f"{p}:{_ADMIN_TYPES[schema.node_properties(label)[p]]}" for p in props), ":LABEL"]
            )
            for row in rows:
                values = row["props"]
                writer.writerow(
                    [row["key"], *(_cell(values.get(p), schema.node_properties(label)[p]) for p in props), label]
                )
        written.append(path)
    by_type: dict[str, list] = {}
    for (rel, _, _), rows in relationship_rows(graph).items():
        by_type.setdefault(rel, []).extend(rows)
    for rel, rows in by_type.items():
        types = schema.edge_properties(rel)
        path = directory / f"rels_{rel}.csv"
        with atomic_write(path, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([":START_ID", ":END_ID", ":TYPE", *(f"{p}:{_ADMIN_TYPES[t]}" for p, t in types.items())])
            for row in rows:
                values = row["props"]
                writer.writerow([row["src"], row["dst"], rel, *(_cell(values.get(p), t) for p, t in types.items())])
        written.append(path)
    with atomic_write(directory / "IMPORT.txt") as handle:
        handle.write("# Stop the server first; this replaces the database 'neo4j'. From this directory:\n")
        handle.write("neo4j-admin " + " ".join(import_arguments(written)) + "\n")
        handle.write("# Without a Neo4j install: scripts/neo4j import " + str(directory) + "\n")
    return written
