"""Faults against real servers of their own: a wrong password, and a server killed mid-load."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.sinks import write_graph
from kg.sinks.neo4j import Connection, Loader, LoadError, Neo4jConnectionError, count_in_database, open_driver
from tests.conftest import ROOT
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.neo4j
SCRIPT = str(ROOT / "scripts" / "neo4j")



@contextlib.contextmanager
def own_server(home: Path, **settings: str):
    """A server of the test's own (not the suite's shared one), stopped at the end."""
    env = {**os.environ, "KG_NEO4J_HOME": str(home), "KG_NEO4J_LIB": str(ROOT / ".neo4j" / "lib"),
           "NEO4J_BOLT_PORT": str(free_port()), "NEO4J_HTTP_PORT": str(free_port()), **settings}
    started = subprocess.run([SCRIPT, "start"], env=env, check=True, capture_output=True, text=True, timeout=300)
    try:
        yield started.stdout.strip().splitlines()[-1].split("=", 1)[1], env
    finally:
        subprocess.run([SCRIPT, "stop"], env=env, capture_output=True, timeout=120)


def test_wrong_password_is_one_clear_line_and_exit_code_3(tmp_path, seed_build):
    graph_file = tmp_path / "graph.graphml"
    write_graph(seed_build.graph.subgraph(list(seed_build.graph)[:50]).copy(), graph_file)
    with own_server(tmp_path / "auth", KG_NEO4J_AUTH="1", KG_NEO4J_EPHEMERAL="1") as (uri, _):
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as first_login:
            first_login.execute_query("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO 'kg-secret-1'",
                                      database_="system")
        runner = CliRunner()
        wrong = runner.invoke(app, ["load", str(graph_file), "--uri", uri, "--user", "neo4j", "--password", "nope"])
        assert wrong.exit_code == 3
        assert wrong.output.count("\n") == 1 and "refused the credentials for user 'neo4j'" in wrong.output
        right = runner.invoke(app, ["load", str(graph_file), "--uri", uri, "--user", "neo4j",
                                    "--password", "kg-secret-1"])
        assert right.exit_code == 0, right.output


def _big_graph(n: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"method:m{i}", labels=":Method", key=f"method:m{i}", name=f"M{i}", aliases=[f"m-{i}"],
                       paper_count=0)
    return graph


def test_server_killed_mid_load_then_rerun_completes_with_identical_counts(tmp_path):
    graph = _big_graph(60_000)
    home = tmp_path / "faulty"
    with own_server(home) as (uri, _):
        driver = open_driver(Connection(uri))
        first_batch_done = threading.Event()

        def progress(done: int, total: int) -> None:
            first_batch_done.set()

        def kill_server() -> None:
            first_batch_done.wait(timeout=120)
            os.kill(int((home / "neo4j.pid").read_text()), signal.SIGKILL)

        killer = threading.Thread(target=kill_server)
        killer.start()
        with driver, pytest.raises((LoadError, Neo4jConnectionError)) as failure:
            Loader(driver, batch_size=500).load(graph, progress=progress)
        killer.join()
        assert "\n" not in failure.value.message
        assert "Re-run the load" in failure.value.message or "cannot reach" in failure.value.message
    with own_server(home) as (uri, _), open_driver(Connection(uri)) as driver:  # the same store, recovered
        Loader(driver, batch_size=5000).load(graph)
        assert count_in_database(driver) == ({"Method": 60_000}, {})
