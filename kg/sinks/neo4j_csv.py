"""CSV files in the header layout of `neo4j-admin database import full`, for graphs too large to
load over Bolt: one file per label and per relationship type, plus the exact command to run.

Node files: ``key:ID,<property>:<type>,...,:LABEL``; relationship files:
``:START_ID,:END_ID,:TYPE,<property>:<type>,...``. Keys are one global ID space (every key
starts with its label's prefix). Lists use U+001F (unit separator) between elements, a
character that never occurs in kg's cleaned text.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, cast

import networkx as nx

from kg.errors import OutputError
from kg.graph.validate import RowChecker, node_label
from kg.schema import Schema, load_schema
from kg.sinks.atomic import atomic_write

ARRAY_DELIMITER = "\x1f"
_ADMIN_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean", "string[]": "string[]"}


def _cell(value: object, typ: str) -> str:
    if value is None:
        return ""
    if typ == "string[]":
        # A string[] property holds a list or tuple: the schema's type (RowChecker checks it when on).
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in cast("Iterable[object]", value))
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


class AdminCsvWriter:
    """The CSV files written row by row, so a graph never has to be in memory to be exported.

    Rows go to a part file per label and per (type, source label, target label) as they come;
    `close` joins the parts into one file per label and per type, in schema order (labels, types,
    then source and target label), so the files depend on the graph, not on the order it was
    walked. Each final file, and IMPORT.txt, is written atomically.
    """

    def __init__(self, directory: Path, schema: Schema | None = None, check: RowChecker | None = None):
        self.directory = directory
        self.schema = schema or load_schema()
        self.check = check  # rows checked against the schema as they come (for writers without a graph)
        if directory.exists() and not directory.is_dir():
            raise OutputError(f"{directory}: exists and is not a directory (CSV output is a directory)")
        directory.mkdir(parents=True, exist_ok=True)
        self._parts_dir = Path(tempfile.mkdtemp(prefix=".parts-", dir=directory))
        self._parts: dict[tuple[str, ...], tuple[IO[str], Any]] = {}
        self._node_columns = {label: [(p, t) for p, t in self.schema.node_properties(label).items() if p != "key"]
                              for label in self.schema.labels}
        self._edge_columns = {rel: list(self.schema.edge_properties(rel).items())
                              for rel in self.schema.relationship_types}
        self.written: list[Path] = []
        self.node_counts: Counter[str] = Counter()  # rows per label
        self.relationship_counts: Counter[str] = Counter()  # rows per type

    def _writer(self, part: tuple[str, ...]) -> Any:
        found = self._parts.get(part)
        if found is None:
            handle = open(self._parts_dir / "-".join(part), "w", encoding="utf-8", newline="")  # noqa: SIM115
            found = self._parts[part] = (handle, csv.writer(handle))
        return found[1]

    def node(self, label: str, key: str, props: dict[str, object]) -> None:
        if self.check:
            self.check.node(label, key, props)
        row = [key, *(_cell(props.get(p), t) for p, t in self._node_columns[label]), label]
        self._writer((label,)).writerow(row)
        self.node_counts[label] += 1

    def relationship(self, rel: str, source_label: str, target_label: str, source: str, target: str,
                     props: dict[str, object]) -> None:
        if self.check:
            self.check.relationship(rel, source_label, target_label, source, target, props)
        row = [source, target, rel, *(_cell(props.get(p), t) for p, t in self._edge_columns[rel])]
        self._writer((rel, source_label, target_label)).writerow(row)
        self.relationship_counts[rel] += 1

    def close(self) -> list[Path]:
        """Join the parts into the final files and write IMPORT.txt; returns the CSV paths."""
        for handle, _ in self._parts.values():
            handle.close()
        labels = self.schema.labels
        for label in labels:
            header = ["key:ID", *(f"{p}:{_ADMIN_TYPES[t]}" for p, t in self._node_columns[label]), ":LABEL"]
            self._join(f"nodes_{label}.csv", header, [(label,)])
        for rel in self.schema.relationship_types:
            header = [":START_ID", ":END_ID", ":TYPE", *(f"{p}:{_ADMIN_TYPES[t]}" for p, t in self._edge_columns[rel])]
            groups: list[tuple[str, ...]] = sorted((part for part in self._parts if part[0] == rel and len(part) == 3),
                                                   key=lambda part: (labels.index(part[1]), labels.index(part[2])))
            self._join(f"rels_{rel}.csv", header, groups)
        with atomic_write(self.directory / "IMPORT.txt") as handle:
            handle.write("# Stop the server first; this replaces the database 'neo4j'. From this directory:\n")
            handle.write("neo4j-admin " + " ".join(import_arguments(self.written)) + "\n")
            handle.write("# Without a Neo4j install: scripts/neo4j import " + str(self.directory) + "\n")
        self.discard()
        return self.written

    def _join(self, name: str, header: list[str], parts: list[tuple[str, ...]]) -> None:
        parts = [part for part in parts if part in self._parts]
        if not parts:
            return
        path = self.directory / name
        with atomic_write(path, newline="") as handle:
            csv.writer(handle).writerow(header)
            for part in parts:
                with open(self._parts_dir / "-".join(part), encoding="utf-8", newline="") as source:
                    shutil.copyfileobj(source, handle, 1 << 20)
        self.written.append(path)

    def discard(self) -> None:
        """Remove the part files (after `close`, or instead of it when the export failed)."""
        for handle, _ in self._parts.values():
            handle.close()
        shutil.rmtree(self._parts_dir, ignore_errors=True)

    def __enter__(self) -> AdminCsvWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.discard()


def write_admin_csv(graph: nx.MultiDiGraph, directory: Path, schema: Schema | None = None) -> list[Path]:
    """Write the CSV files (each atomically) and IMPORT.txt with the command; returns the CSV paths."""
    with AdminCsvWriter(directory, schema) as writer:
        for node, data in graph.nodes(data=True):
            writer.node(node_label(data), node, data)
        for source, target, rel, data in graph.edges(keys=True, data=True):
            writer.relationship(rel, node_label(graph.nodes[source]), node_label(graph.nodes[target]), source, target,
                                data)
        return writer.close()
