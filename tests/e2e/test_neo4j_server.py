"""The local server scripts/neo4j starts is a real Neo4j that kg's loader can rely on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.neo4j

HOSTILE = 'x\'}) MATCH (n) DETACH DELETE n //` $param {braces} "quotes" \\ backslash 🧪'


def test_neo4j_server_merges_parameter_rows_idempotently(neo4j_driver):
    rows = [{"key": f"smoke:{i}", "text": HOSTILE} for i in range(100)]
    neo4j_driver.execute_query("CREATE CONSTRAINT kg_smoke_key IF NOT EXISTS FOR (n:KgSmoke) REQUIRE n.key IS UNIQUE")
    try:
        for _ in range(2):
            neo4j_driver.execute_query(
                "UNWIND $rows AS row MERGE (n:KgSmoke {key: row.key}) SET n.text = row.text", rows=rows
            )
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (n:KgSmoke) RETURN count(n) AS n, collect(DISTINCT n.text) AS texts"
        )
        assert records[0]["n"] == 100
        assert records[0]["texts"] == [HOSTILE]
        version, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v")
        assert version[0]["v"].startswith("5.")
    finally:
        neo4j_driver.execute_query("MATCH (n:KgSmoke) DETACH DELETE n")
        neo4j_driver.execute_query("DROP CONSTRAINT kg_smoke_key IF EXISTS")
