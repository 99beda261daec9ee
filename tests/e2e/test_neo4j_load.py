"""Everything `kg load`, `kg export` and `kg query` claim, against a real Neo4j server."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.query import bind, cookbook, run_query
from kg.sinks.cypher import write_cypher_script
from kg.sinks.neo4j import (
    Connection,
    Loader,
    LoadError,
    LoadSummary,
    Neo4jConnectionError,
    count_in_database,
    open_driver,
)
from kg.sinks.neo4j_csv import write_admin_csv
from tests.conftest import ROOT
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def graphml_counts(path) -> tuple[dict[str, int], dict[str, int]]:
    """Counts as an independent reader (networkx) sees the exported file."""
    graph = nx.read_graphml(path, force_multigraph=True)
    labels = Counter(d["labels"].lstrip(":") for _, d in graph.nodes(data=True))
    types = Counter(d["label"] for _, _, d in graph.edges(data=True))
    return dict(labels), dict(types)


def test_load_seed_graph_counts_equal_the_graphml(empty_kg, seed_graphml):
    result = runner.invoke(app, ["load", str(seed_graphml), "--uri", os.environ["NEO4J_URI"]])
    assert result.exit_code == 0, result.output
    assert count_in_database(empty_kg) == graphml_counts(seed_graphml)
    assert "0 merged" in result.output


def test_load_twice_changes_nothing(empty_kg, seed_build):
    loader = Loader(empty_kg, batch_size=500)
    first = loader.load(seed_build.graph)
    counts = count_in_database(empty_kg)
    second = loader.load(seed_build.graph)
    assert (first.nodes_created, first.relationships_created) == (first.nodes, first.relationships)
    assert (second.nodes_created, second.relationships_created) == (0, 0)
    assert count_in_database(empty_kg) == counts


def test_load_hostile_text_is_stored_verbatim(empty_kg, tmp_path):
    hostile = "Q\"uotes' `back`ticks }) DETACH DELETE n // $param {braces} MATCH (n) DETACH DELETE n"
    inputs = tmp_path / "hostile.jsonl"
    inputs.write_text(
        json.dumps({"id": "2401.00001", "title": hostile, "abstract": f"We propose X-Net. {hostile}"}) + "\n"
    )
    result = runner.invoke(app, ["load", str(inputs), "--uri", os.environ["NEO4J_URI"]])
    assert result.exit_code == 0, result.output
    records, _, _ = empty_kg.execute_query(
        "MATCH (p:Paper {key: $key}) RETURN p.title AS t, p.abstract AS a", key="paper:arxiv:2401.00001"
    )
    assert records[0]["t"] == hostile and records[0]["a"].endswith(hostile)


def test_hostile_folder_builds_and_loads_with_every_good_paper_once(empty_kg, hostile_dir, tmp_path):
    out = tmp_path / "graph.graphml"
    built = runner.invoke(app, ["build", str(hostile_dir), "-o", str(out)])
    assert built.exit_code == 0, built.output
    loaded = runner.invoke(app, ["load", str(out), "--uri", os.environ["NEO4J_URI"]])
    assert loaded.exit_code == 0, loaded.output
    assert count_in_database(empty_kg) == graphml_counts(out)
    records, _, _ = empty_kg.execute_query("MATCH (p:Paper) RETURN p.title AS title ORDER BY title")
    assert [r["title"] for r in records] == ["BOM CSV paper", "Ctrl chars here", "Dup A", "Good One", "Huge"]


def test_load_failed_batch_names_itself_and_rerun_completes(empty_kg):
    graph = nx.MultiDiGraph()
    for i in range(6):
        graph.add_node(f"method:m{i}", labels=":Method", key=f"method:m{i}", name=f"M{i}", aliases=[], paper_count=1)
    graph.nodes["method:m3"]["aliases"] = ["mixed", 1]  # Neo4j refuses lists of mixed types
    loader = Loader(empty_kg, batch_size=2)
    with pytest.raises(LoadError, match=r"batch 2/3 of :Method nodes failed"):
        loader.load(graph)
    graph.nodes["method:m3"]["aliases"] = ["fixed"]
    summary = loader.load(graph)
    assert count_in_database(empty_kg)[0] == {"Method": 6}
    assert summary.nodes_created == 4  # the first batch was kept; only the rest is new


def test_parts_packed_into_one_statement_load_together_or_not_at_all(empty_kg):
    graph = nx.MultiDiGraph()
    graph.add_node("paper:p", labels=":Paper", key="paper:p", title="P")
    for i in range(3):
        graph.add_node(f"method:m{i}", labels=":Method", key=f"method:m{i}", name=f"M{i}", aliases=[], paper_count=1)
        graph.add_edge("paper:p", f"method:m{i}", key="USES", label="USES")
    graph.nodes["method:m1"]["aliases"] = ["mixed", 1]  # Neo4j refuses lists of mixed types
    loader = Loader(empty_kg)  # 7 rows: every part in one transaction, one statement
    with pytest.raises(LoadError, match=r"batch 1/1 of :Paper nodes and batch 1/1 of :Method nodes and "
                                        r"batch 1/1 of \(:Paper\)-\[:USES\]->\(:Method\) relationships failed"):
        loader.load(graph)
    assert count_in_database(empty_kg) == ({}, {})  # the Paper part before the failing one is rolled back
    graph.nodes["method:m1"]["aliases"] = ["fixed"]
    summary = loader.load(graph)
    assert (summary.nodes_created, summary.relationships_created) == (4, 3)  # USES found the nodes merged before it
    assert count_in_database(empty_kg) == ({"Paper": 1, "Method": 3}, {"USES": 3})


def test_load_wipe_removes_only_kg_nodes(empty_kg, seed_build):
    empty_kg.execute_query("CREATE (:NotKg {name: 'keep me'})")
    try:
        Loader(empty_kg).load(seed_build.graph)
        Loader(empty_kg).load(seed_build.graph.subgraph(list(seed_build.graph)[:10]).copy(), wipe=True)
        assert sum(count_in_database(empty_kg)[0].values()) == 10
        records, _, _ = empty_kg.execute_query("MATCH (n:NotKg) RETURN count(n) AS c")
        assert records[0]["c"] == 1
    finally:
        empty_kg.execute_query("MATCH (n:NotKg) DELETE n")


def test_export_cypher_script_loads_to_the_same_counts(empty_kg, seed_build, seed_graphml, tmp_path):
    script = tmp_path / "graph.cypher"
    count = write_cypher_script(seed_build.graph, script)
    statements = [line[:-1] for line in script.read_text(encoding="utf-8").split("\n") if line.endswith(";")]
    assert len(statements) == count
    with empty_kg.session() as session:
        for statement in statements:
            session.run(statement).consume()
    assert count_in_database(empty_kg) == graphml_counts(seed_graphml)



def test_export_csv_imports_with_neo4j_admin_to_the_same_counts(seed_build, seed_graphml, tmp_path):
    csv_dir = tmp_path / "import"
    write_admin_csv(seed_build.graph, csv_dir)
    env = {
        **os.environ,
        "KG_NEO4J_HOME": str(tmp_path / "home"),
        "KG_NEO4J_LIB": str(ROOT / ".neo4j" / "lib"),
        "NEO4J_BOLT_PORT": str(free_port()),
        "NEO4J_HTTP_PORT": str(free_port()),
    }
    env.pop("KG_NEO4J_EPHEMERAL", None)
    script = str(ROOT / "scripts" / "neo4j")
    subprocess.run([script, "import", str(csv_dir)], env=env, check=True, capture_output=True, timeout=300)
    started = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True, timeout=300)
    try:
        uri = started.stdout.strip().splitlines()[-1].split("=", 1)[1]
        driver = open_driver(Connection(uri))
        with driver:
            assert count_in_database(driver) == graphml_counts(seed_graphml)
            records, _, _ = driver.execute_query("MATCH (m:Method {key: 'method:clip'}) RETURN m.aliases AS a")
            assert "Contrastive Language-Image Pre-training" in records[0]["a"]
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=120)


def test_batches_too_big_for_the_servers_transaction_memory_are_halved(seed_build, seed_graphml, tmp_path,
                                                                       monkeypatch):
    """A server allowing 4 MiB per transaction: the load halves its batches and the wipe its deletes
    until they fit. (A wipe of a 20k-abstract graph in 10,000-node deletes overran 256 MiB.)"""
    import neo4j

    import kg.sinks.neo4j as sink

    env = {**os.environ, "KG_NEO4J_HOME": str(tmp_path / "home"), "KG_NEO4J_LIB": str(ROOT / ".neo4j" / "lib"),
           "KG_NEO4J_EPHEMERAL": "1", "KG_NEO4J_TX_MAX": "4m",
           "NEO4J_BOLT_PORT": str(free_port()), "NEO4J_HTTP_PORT": str(free_port())}
    script = str(ROOT / "scripts" / "neo4j")
    started = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True, timeout=300)
    try:
        uri = started.stdout.strip().splitlines()[-1].split("=", 1)[1]
        # No driver retries: each refusal comes straight back to the loader, which halves.
        with neo4j.GraphDatabase.driver(uri, auth=None, max_transaction_retry_time=0) as driver:
            loaded = Loader(driver).load(seed_build.graph)
            assert count_in_database(driver) == graphml_counts(seed_graphml)
            assert loaded.nodes_created == loaded.nodes
            limits: list[int] = []
            delete_batch = Loader._delete_batch
            monkeypatch.setattr(sink, "WIPE_BATCH", 5000)
            monkeypatch.setattr(Loader, "_delete_batch",
                                lambda self, query, limit: limits.append(limit) or delete_batch(self, query, limit))
            wiped = LoadSummary()
            Loader(driver).wipe(wiped)
            assert wiped.nodes_deleted == loaded.nodes and count_in_database(driver) == ({}, {})
            assert limits[0] == 5000 and min(limits) < 5000  # the server refused the first size
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def seeded(neo4j_driver, seed_build):
    loader = Loader(neo4j_driver)
    loader.wipe(LoadSummary())
    loader.load(seed_build.graph)
    return neo4j_driver


@pytest.mark.parametrize("name", sorted(cookbook()))
def test_cookbook_query_runs_and_returns_rows_on_the_seeds(seeded, name):
    query = cookbook()[name]
    keys, rows = run_query(seeded, query, bind(query, {}))
    assert keys
    if query.expect_rows:
        assert rows, f"{name} returned no rows on the seed graph"


def test_query_cli_lists_and_runs(seeded):
    listed = runner.invoke(app, ["query", "--list"])
    assert listed.exit_code == 0
    names = [line.split("\t")[0] for line in listed.output.splitlines()]
    assert names == sorted(cookbook()) and len(names) >= 12
    result = runner.invoke(
        app, ["query", "datasets-by-papers", "--param", "limit=3", "--format", "json", "--uri", os.environ["NEO4J_URI"]]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 3 and rows[0]["papers"] >= rows[-1]["papers"]


def test_query_cli_rejects_unknown_parameters(seeded):
    result = runner.invoke(app, ["query", "most-used-methods", "--param", "nope=1", "--uri", os.environ["NEO4J_URI"]])
    assert result.exit_code == 2 and "has no parameter 'nope'" in result.output


def test_connection_errors_are_one_line(neo4j_driver):
    with pytest.raises(Neo4jConnectionError, match="cannot reach Neo4j"):
        open_driver(Connection(f"bolt://127.0.0.1:{free_port()}"))
    with pytest.raises(Neo4jConnectionError, match="database 'nosuchdb' does not exist"):
        open_driver(Connection(os.environ["NEO4J_URI"], database="nosuchdb"))
    result = runner.invoke(
        app, ["load", str(ROOT / "seeds" / "002_2645963ca10a2fae.txt"), "--uri", f"bolt://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == 3
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
