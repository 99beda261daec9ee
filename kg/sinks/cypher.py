"""Cypher for kg's graph: pure functions that build statements, and the cypher-shell script export.

Labels and relationship types cannot be parameters in Cypher, so they come only from the
schema's allow-list (Schema.check_label / check_relationship) and are backtick-quoted. Every
value travels as a parameter (`$rows`); the script export, which has no parameters, writes
values as escaped literals through `literal`, never by pasting text.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from kg.graph.validate import node_label
from kg.schema import Schema, load_schema
from kg.sinks.atomic import atomic_write

Row = dict[str, object]


def quote_name(name: str) -> str:
    """A label, type or property name as a Cypher identifier (backticks doubled inside)."""
    return "`" + name.replace("`", "``") + "`"


def constraint_name(label: str) -> str:
    return f"kg_{label.lower()}_key"


def constraint_query(schema: Schema, label: str) -> str:
    label = schema.check_label(label)
    return (
        f"CREATE CONSTRAINT {quote_name(constraint_name(label))} IF NOT EXISTS "
        f"FOR (n:{quote_name(label)}) REQUIRE n.key IS UNIQUE"
    )


# Paper properties the loader looks papers up by (citations of corpus papers), indexed.
PAPER_LOOKUPS = ("arxiv_id", "doi")


def schema_queries(schema: Schema) -> list[tuple[str, str]]:
    """(name, statement) of every constraint and index kg needs: a unique key per label, and the
    Paper properties looked up by."""
    queries = [(constraint_name(label), constraint_query(schema, label)) for label in schema.labels]
    paper = quote_name(schema.check_label("Paper"))
    for prop in PAPER_LOOKUPS:
        name = f"kg_paper_{prop}"
        statement = f"CREATE INDEX {quote_name(name)} IF NOT EXISTS FOR (n:{paper}) ON (n.{quote_name(prop)})"
        queries.append((name, statement))
    return queries


# List properties that grow with every corpus loaded rather than being replaced by the last one.
UNION_PROPERTIES = ("aliases", "origins", "merge_evidence")


def merge_nodes_query(schema: Schema, label: str) -> str:
    label = schema.check_label(label)
    query = f"UNWIND $rows AS row MERGE (n:{quote_name(label)} {{key: row.key}})"
    unions = [p for p in UNION_PROPERTIES if p in schema.node_properties(label)]
    if not unions:
        return query + " SET n += row.props"
    keep = ", ".join(f"coalesce(n.{p}, []) AS old_{p}" for p in unions)
    merge = ", ".join(f"n.{p} = old_{p} + [x IN coalesce(row.props.{p}, []) WHERE NOT x IN old_{p}]" for p in unions)
    return f"{query} WITH n, row, {keep} SET n += row.props SET {merge}"


def merge_relationships_query(schema: Schema, rel_type: str, source_label: str, target_label: str) -> str:
    rel_type = schema.check_relationship(rel_type, source_label, target_label)
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{quote_name(source_label)} {{key: row.src}}) "
        f"MATCH (b:{quote_name(target_label)} {{key: row.dst}}) "
        f"MERGE (a)-[r:{quote_name(rel_type)}]->(b) SET r += row.props"
    )


def one_statement(parts: list[tuple[str, list[Row]]]) -> tuple[str, dict[str, list[Row]]]:
    """Several ``UNWIND $rows ...`` statements and their rows as one statement and its parameters,
    each a unit subquery reading its own rows (``$rows0``, ``$rows1``, ...): one plan and one round
    trip instead of one per statement. Subqueries run in order, so relationships see the nodes
    merged before them."""
    if len(parts) == 1:
        query, rows = parts[0]
        return query, {"rows": rows}
    statement = " ".join("CALL () { " + query.replace("UNWIND $rows ", f"UNWIND $rows{n} ", 1) + " }"
                         for n, (query, _) in enumerate(parts))
    return statement, {f"rows{n}": rows for n, (_, rows) in enumerate(parts)}


def delete_batch_query(schema: Schema, label: str) -> str:
    label = schema.check_label(label)
    return f"MATCH (n:{quote_name(label)}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"


def _props(data: dict[str, object], skip: str) -> dict[str, object]:
    # Tuples stay tuples: the driver sends them as lists, and `literal` writes them as lists.
    return {k: v for k, v in data.items() if v is not None and k != skip}


def node_rows(graph: nx.MultiDiGraph) -> dict[str, list[Row]]:
    """Rows per label, in graph order: {"key": ..., "props": {...}}."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        rows[node_label(data)].append({"key": node, "props": _props(data, "labels")})
    return dict(rows)


def relationship_rows(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[Row]]:
    """Rows per (type, source label, target label): {"src": ..., "dst": ..., "props": {...}}."""
    labels = {node: node_label(data) for node, data in graph.nodes(data=True)}
    rows: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for source, target, rel, data in graph.edges(keys=True, data=True):
        rows[rel, labels[source], labels[target]].append({"src": source, "dst": target, "props": _props(data, "label")})
    return dict(rows)


def batches(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def literal(value: object) -> str:
    """A Cypher literal for a property value or a row (strings JSON-escaped, map keys quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("NaN and infinity have no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        # JSON's escapes (\" \\ \n \t \uXXXX) are all valid in a double-quoted Cypher string.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote_name(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def script_statements(graph: nx.MultiDiGraph, schema: Schema | None = None, batch_size: int = 500) -> Iterator[str]:
    """The statements of the cypher-shell script: constraints, nodes, relationships; one per line."""
    schema = schema or load_schema()
    for _, statement in schema_queries(schema):
        yield statement
    for label, rows in node_rows(graph).items():
        query = merge_nodes_query(schema, label)
        for batch in batches(rows, batch_size):
            yield query.replace("UNWIND $rows", f"UNWIND {literal(batch)}", 1)
    for (rel, source_label, target_label), rows in relationship_rows(graph).items():
        query = merge_relationships_query(schema, rel, source_label, target_label)
        for batch in batches(rows, batch_size):
            yield query.replace("UNWIND $rows", f"UNWIND {literal(batch)}", 1)


def write_cypher_script(graph: nx.MultiDiGraph, path: Path, schema: Schema | None = None) -> int:
    """Write the script (atomically); returns the number of statements."""
    count = 0
    with atomic_write(path) as handle:
        handle.write(
            "// kg graph for cypher-shell: cypher-shell -a bolt://HOST:7687 -u USER -p PASSWORD -f "
            f"{path.name}\n// One statement per line; re-running it merges, never duplicates.\n"
        )
        for statement in script_statements(graph, schema):
            handle.write(statement + ";\n")
            count += 1
    return count
