"""Load a kg graph into Neo4j over Bolt with the official driver.

Constraints first (one per label on `key`, from the schema), then nodes, then relationships,
each in batches of ``UNWIND $rows AS row MERGE ...`` run as managed write transactions (the
driver retries transient errors). MERGE on the key makes a load idempotent: loading the same
graph twice leaves the same counts, and a second corpus merges into the entities already there.
A batch that fails names itself; re-running the load completes it without duplicates. A batch
too big for the server's transaction memory is split in half and retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import neo4j
import networkx as nx
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from kg.errors import KGError
from kg.schema import Schema, load_schema
from kg.sinks.cypher import (
    Row,
    batches,
    constraint_query,
    delete_batch_query,
    lookup_index_queries,
    merge_nodes_query,
    merge_relationships_query,
    node_rows,
    quote_name,
    relationship_rows,
)
from kg.sinks.reconcile import Reconciler

_MEMORY_ERRORS = ("MemoryPoolOutOfMemoryError", "TransactionOutOfMemoryError")


class Neo4jConnectionError(KGError):
    """The server cannot be reached, refuses the credentials, or lacks the database."""

    code = 3


class LoadError(KGError):
    """A batch failed; the message names it. Re-running the load completes it."""

    code = 5


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password or "") if self.user else None

    @property
    def where(self) -> str:
        return f"{self.uri}" + (f" (database {self.database!r})" if self.database else "")


@dataclass
class LoadSummary:
    nodes: int = 0  # rows sent
    relationships: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    merged_existing: int = 0  # nodes already in the database merged under another key
    seconds: float = 0.0
    by_label: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def open_driver(conn: Connection) -> neo4j.Driver:
    """A connected driver, or one clear error saying what is wrong with the connection."""
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=conn.auth, max_transaction_retry_time=15.0,
                                            notifications_min_severity="OFF")
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=conn.database)
        return driver
    except AuthError as exc:
        raise Neo4jConnectionError(
            f"Neo4j at {conn.uri} refused the credentials for user {conn.user!r} "
            f"(check NEO4J_USER / NEO4J_PASSWORD): {exc.message}"
        ) from exc
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise Neo4jConnectionError(
            f"cannot reach Neo4j at {conn.uri}: {exc} (is it running? `scripts/neo4j start` or `docker compose up -d`)"
        ) from exc
    except ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            raise Neo4jConnectionError(f"database {conn.database!r} does not exist on {conn.uri}") from exc
        raise Neo4jConnectionError(f"Neo4j at {conn.where} rejected the connection: {exc.message}") from exc
    except ValueError as exc:  # a malformed URI
        raise Neo4jConnectionError(f"bad Neo4j URI {conn.uri!r}: {exc}") from exc


class Loader:
    """Writes graphs into one Neo4j database."""

    def __init__(
        self, driver: neo4j.Driver, database: str | None = None, schema: Schema | None = None, batch_size: int = 5000
    ):
        if batch_size < 1:
            raise KGError("batch size must be at least 1")
        self.driver = driver
        self.database = database
        self.schema = schema or load_schema()
        self.batch_size = batch_size

    def _write(self, query: str, **params: object) -> neo4j.ResultSummary:
        def work(tx: neo4j.ManagedTransaction) -> neo4j.ResultSummary:
            return tx.run(query, **params).consume()

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def _holds_kg_nodes(self) -> bool:
        for label in self.schema.labels:
            records, _, _ = self.driver.execute_query(
                f"MATCH (n:{quote_name(self.schema.check_label(label))}) RETURN count(n) > 0 AS any",
                database_=self.database, routing_=neo4j.RoutingControl.READ)
            if records[0]["any"]:
                return True
        return False

    def ensure_constraints(self) -> None:
        for label in self.schema.labels:
            self._write(constraint_query(self.schema, label))
        for query in lookup_index_queries(self.schema):
            self._write(query)

    def wipe(self, summary: LoadSummary) -> None:
        """Delete every node with one of kg's labels (and its relationships), in batches."""
        for label in self.schema.labels:
            query = delete_batch_query(self.schema, label)
            while True:
                with self.driver.session(database=self.database) as session:
                    deleted = session.execute_write(lambda tx, q=query: tx.run(q, limit=10_000).single()["deleted"])
                summary.nodes_deleted += deleted
                if deleted == 0:
                    break

    def _run_batch(self, query: str, rows: list[Row], what: str, summary: LoadSummary) -> None:
        try:
            counters = self._write(query, rows=rows).counters
        except TransientError as exc:
            if exc.code and any(e in exc.code for e in _MEMORY_ERRORS) and len(rows) > 1:
                half = len(rows) // 2
                self._run_batch(query, rows[:half], what, summary)
                self._run_batch(query, rows[half:], what, summary)
                return
            raise LoadError(
                f"{what} failed after retries: {exc.message}. Re-run the load to complete it; "
                "rows already written are merged, not duplicated."
            ) from exc
        except Neo4jError as exc:
            raise LoadError(
                f"{what} failed: {exc.message}. Re-run the load to complete it; rows already "
                "written are merged, not duplicated."
            ) from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise LoadError(
                f"{what} failed: the server went away ({exc}). Re-run the load to complete it; "
                "rows already written are merged, not duplicated."
            ) from exc
        summary.nodes_created += counters.nodes_created
        summary.relationships_created += counters.relationships_created
        summary.properties_set += counters.properties_set

    def load(self, graph: nx.MultiDiGraph, wipe: bool = False,
             progress: Callable[[int, int], None] | None = None, reconcile: bool = True) -> LoadSummary:
        """Load `graph`; `progress(done_rows, total_rows)` is called after every batch.

        With `reconcile`, nodes the database already knows under another key are merged first
        (kg.sinks.reconcile); after the load, paper counts, BUILDS_ON and citations of corpus
        papers are derived again from the whole database.
        """
        started = time.perf_counter()
        summary = LoadSummary()
        if wipe:
            self.wipe(summary)
        self.ensure_constraints()
        # Into a database without kg's nodes the graph goes as built: its paper counts, BUILDS_ON
        # and citations are already those of the whole database, so nothing needs deriving again.
        fresh = not self._holds_kg_nodes()
        reconciler = Reconciler(self.driver, self.database, self.schema)
        if reconcile and not fresh:
            graph, summary.merged_existing = reconciler.reconcile(graph)
        nodes = node_rows(graph)
        relationships = relationship_rows(graph)
        total = sum(map(len, nodes.values())) + sum(map(len, relationships.values()))
        done = 0
        for label, rows in nodes.items():
            query = merge_nodes_query(self.schema, label)
            count = -(-len(rows) // self.batch_size)
            for n, batch in enumerate(batches(rows, self.batch_size), start=1):
                self._run_batch(query, batch, f"batch {n}/{count} of :{label} nodes", summary)
                done += len(batch)
                if progress:
                    progress(done, total)
            summary.nodes += len(rows)
            summary.by_label[label] = len(rows)
        for (rel, source_label, target_label), rows in relationships.items():
            query = merge_relationships_query(self.schema, rel, source_label, target_label)
            count = -(-len(rows) // self.batch_size)
            for n, batch in enumerate(batches(rows, self.batch_size), start=1):
                what = f"batch {n}/{count} of (:{source_label})-[:{rel}]->(:{target_label}) relationships"
                self._run_batch(query, batch, what, summary)
                done += len(batch)
                if progress:
                    progress(done, total)
            summary.relationships += len(rows)
            summary.by_type[rel] = summary.by_type.get(rel, 0) + len(rows)
        if not fresh:
            reconciler.derive()
        summary.seconds = time.perf_counter() - started
        return summary


def count_in_database(
    driver: neo4j.Driver, database: str | None = None, schema: Schema | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per kg label and relationships per kg type, as the server counts them."""
    schema = schema or load_schema()
    labels: dict[str, int] = {}
    types: dict[str, int] = {}
    for label in schema.labels:
        records, _, _ = driver.execute_query(
            f"MATCH (n:`{schema.check_label(label)}`) RETURN count(n) AS c", database_=database
        )
        if records[0]["c"]:
            labels[label] = records[0]["c"]
    records, _, _ = driver.execute_query(
        "MATCH ()-[r]->() WHERE type(r) IN $types RETURN type(r) AS t, count(r) AS c",
        types=list(schema.relationship_types),
        database_=database,
    )
    for record in records:
        types[record["t"]] = record["c"]
    return labels, types
