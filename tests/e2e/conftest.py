"""Fixtures for tests against a real Neo4j server (started by `make test` via scripts/neo4j)."""

from __future__ import annotations

import os
import socket

import pytest


def free_port() -> int:
    """A TCP port nothing listens on right now (for a server of a test's own, or a dead address)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def neo4j_uri() -> str | None:
    return os.environ.get("NEO4J_URI")


@pytest.fixture(scope="session")
def neo4j_driver():
    uri = neo4j_uri()
    if not uri:
        if os.environ.get("KG_REQUIRE_NEO4J") == "1":
            pytest.fail("KG_REQUIRE_NEO4J=1 but NEO4J_URI is not set: start one with scripts/neo4j start")
        pytest.skip("no Neo4j server: set NEO4J_URI (scripts/neo4j start prints it)")
    import neo4j

    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password) if user and password else None,
                                        notifications_min_severity="OFF")
    driver.verify_connectivity()
    yield driver
    driver.close()


@pytest.fixture
def empty_kg(neo4j_driver):
    """The server with none of kg's nodes in it (tests share one ephemeral database)."""
    from kg.sinks.neo4j import Loader, LoadSummary

    Loader(neo4j_driver).wipe(LoadSummary())
    return neo4j_driver
