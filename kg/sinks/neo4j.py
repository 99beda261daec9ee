"""Load a kg graph into Neo4j over Bolt with the official driver.

Constraints first (one per label on `key`, from the schema), then nodes, then relationships,
each in batches of ``UNWIND $rows AS row MERGE ...`` run as managed write transactions (the
driver retries transient errors). Batches smaller than the batch size share a transaction as one
statement of subqueries, so a small graph costs a few round trips, not one per label and type.
MERGE on the key makes a load idempotent: loading the same graph twice leaves the same counts,
and a second corpus merges into the entities already there. A batch that fails names itself;
re-running the load completes it without duplicates. A batch too big for the server's
transaction memory is split in half and retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import neo4j
import networkx as nx
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from kg.collector import collector_paused
from kg.errors import KGError
from kg.schema import Schema, load_schema
from kg.sinks.cypher import (
    Row,
    batches,
    delete_batch_query,
    merge_nodes_query,
    merge_relationships_query,
    node_rows,
    one_statement,
    quote_name,
    relationship_rows,
    schema_queries,
)
from kg.sinks.reconcile import Reconciler

_MEMORY_ERRORS = ("MemoryPoolOutOfMemoryError", "TransactionOutOfMemoryError")
# Nodes deleted per transaction by a wipe, to start with: a paper takes its relationships with
# it, and 10,000 papers of a 20k-abstract graph overran a 256 MiB transaction limit.
WIPE_BATCH = 2_000


def _out_of_memory(exc: TransientError) -> bool:
    """Did the server refuse a transaction for want of memory (a smaller one may pass)?"""
    return bool(exc.code) and any(e in exc.code for e in _MEMORY_ERRORS)


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


class _Rows(list[Row]):
    """A batch of rows whose repr is its size: the driver formats every RUN's parameters for its
    debug log even when debug logging is off, which cost a fifth of a large load's client time."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


@dataclass(frozen=True)
class _Part:
    """One batch of rows for one MERGE statement, and how an error names it."""

    query: str
    rows: list[Row]
    what: str


@dataclass
class LoadSummary:
    nodes: int = 0  # rows sent
    relationships: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    merged_existing: int = 0  # nodes already in the database merged under another key
    seconds: float = 0.0  # the load, after any wipe
    wipe_seconds: float = 0.0
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

    def _write(self, query: str, **params: Any) -> neo4j.ResultSummary:
        """Run one statement in a managed write transaction (the driver retries transient errors).
        Parameters are any values the driver encodes (it types them as Any)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: tx.run(query, **params).consume())

    def _holds_kg_nodes(self) -> bool:
        counts = " UNION ALL ".join(f"MATCH (n:{quote_name(self.schema.check_label(label))}) RETURN count(n) AS c"
                                    for label in self.schema.labels)  # count-store lookups, one round trip
        records, _, _ = self.driver.execute_query(f"CALL () {{ {counts} }} RETURN sum(c) > 0 AS any",
                                                  database_=self.database, routing_=neo4j.RoutingControl.READ)
        return bool(records[0]["any"])

    def ensure_constraints(self) -> None:
        """Create the constraints and indexes kg needs that the database lacks (a read first: schema
        writes take a lock, and loads are often repeated)."""
        records, _, _ = self.driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names",
                                                  database_=self.database, routing_=neo4j.RoutingControl.READ)
        existing = set(records[0]["names"])
        for name, statement in schema_queries(self.schema):
            if name not in existing:
                self._write(statement)

    def wipe(self, summary: LoadSummary) -> None:
        """Delete every node with one of kg's labels (and its relationships), in batches; a batch too
        big for the server's transaction memory (a node's relationships go with it) is halved."""
        limit = WIPE_BATCH
        for label in self.schema.labels:
            query = delete_batch_query(self.schema, label)
            while True:
                try:
                    deleted = self._delete_batch(query, limit)
                except TransientError as exc:
                    if _out_of_memory(exc) and limit > 1:
                        limit //= 2
                        continue
                    raise LoadError(f"wiping :{label} nodes failed after retries: {exc.message}") from exc
                except Neo4jError as exc:
                    raise LoadError(f"wiping :{label} nodes failed: {exc.message}") from exc
                except (ServiceUnavailable, SessionExpired) as exc:
                    raise LoadError(f"wiping :{label} nodes failed: the server went away ({exc})") from exc
                summary.nodes_deleted += deleted
                if deleted == 0:
                    break

    def _delete_batch(self, query: str, limit: int) -> int:
        with self.driver.session(database=self.database) as session:
            # The query returns count(*): always one row.
            return session.execute_write(
                lambda tx: cast(neo4j.Record, tx.run(query, limit=limit).single())["deleted"])

    def _run_batch(self, parts: list[_Part], summary: LoadSummary) -> None:
        """One transaction of one statement for one or more parts; a part too big for the server's
        memory is halved."""
        what = " and ".join(part.what for part in parts)
        try:
            statement, parameters = one_statement([(part.query, _Rows(part.rows)) for part in parts])
            result = self._write(statement, **parameters)
        except TransientError as exc:
            if _out_of_memory(exc) and sum(len(p.rows) for p in parts) > 1:
                for part in parts:
                    half = len(part.rows) // 2
                    for rows in (part.rows[:half], part.rows[half:]) if half else (part.rows,):
                        self._run_batch([_Part(part.query, rows, part.what)], summary)
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
        summary.nodes_created += result.counters.nodes_created
        summary.relationships_created += result.counters.relationships_created
        summary.properties_set += result.counters.properties_set

    def _parts(self, graph: nx.MultiDiGraph, summary: LoadSummary) -> list[_Part]:
        """Every batch of the load, nodes first: per label, then per (type, source, target)."""
        parts: list[_Part] = []
        for label, rows in node_rows(graph).items():
            query = merge_nodes_query(self.schema, label)
            count = -(-len(rows) // self.batch_size)
            parts += [_Part(query, batch, f"batch {n}/{count} of :{label} nodes")
                      for n, batch in enumerate(batches(rows, self.batch_size), start=1)]
            summary.nodes += len(rows)
            summary.by_label[label] = len(rows)
        for (rel, source_label, target_label), rows in relationship_rows(graph).items():
            query = merge_relationships_query(self.schema, rel, source_label, target_label)
            count = -(-len(rows) // self.batch_size)
            shape = f"(:{source_label})-[:{rel}]->(:{target_label}) relationships"
            parts += [_Part(query, batch, f"batch {n}/{count} of {shape}")
                      for n, batch in enumerate(batches(rows, self.batch_size), start=1)]
            summary.relationships += len(rows)
            summary.by_type[rel] = summary.by_type.get(rel, 0) + len(rows)
        return parts

    def _transactions(self, parts: list[_Part]) -> Iterator[list[_Part]]:
        """Consecutive parts packed into transactions of at most batch_size rows (a part stays whole):
        a small graph goes in a few commits rather than one per label and type."""
        packed: list[_Part] = []
        for part in parts:
            if packed and sum(len(p.rows) for p in packed) + len(part.rows) > self.batch_size:
                yield packed
                packed = []
            packed.append(part)
        if packed:
            yield packed

    def load(self, graph: nx.MultiDiGraph, wipe: bool = False,
             progress: Callable[[int, int], None] | None = None, reconcile: bool = True) -> LoadSummary:
        """Load `graph`; `progress(done_rows, total_rows)` is called after every batch.

        With `reconcile`, nodes the database already knows under another key are merged first
        (kg.sinks.reconcile); after the load, paper counts, BUILDS_ON and citations of corpus
        papers are derived again from the whole database.
        """
        summary = LoadSummary()
        if wipe:
            wiping = time.perf_counter()
            self.wipe(summary)
            summary.wipe_seconds = time.perf_counter() - wiping
        started = time.perf_counter()  # loading only: rows/s does not count the deletions
        self.ensure_constraints()
        # Into a database without kg's nodes the graph goes as built: its paper counts, BUILDS_ON
        # and citations are already those of the whole database, so nothing needs deriving again.
        fresh = not self._holds_kg_nodes()
        reconciler = Reconciler(self.driver, self.database, self.schema)
        if reconcile and not fresh:
            graph, summary.merged_existing = reconciler.reconcile(graph)
        with collector_paused():  # a row per node and relationship: millions of new objects
            parts = self._parts(graph, summary)
        total = summary.nodes + summary.relationships
        done = 0
        for transaction in self._transactions(parts):
            self._run_batch(transaction, summary)
            done += sum(len(part.rows) for part in transaction)
            if progress:
                progress(done, total)
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
