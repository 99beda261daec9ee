from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import ROOT, SEEDS

runner = CliRunner()


def _code_links_in_seeds() -> set[str]:
    """host/owner/name of every code link in the seed text, found independently of kg.extract."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
    found = set()
    for host, owner, name in re.findall(r"(github\.com|gitlab\.com|bitbucket\.org)/([\w.-]+)/([\w.-]+)", text):
        found.add(f"{host}/{owner}/{name.rstrip('.').removesuffix('.git')}".lower())
    for kind, owner, name in re.findall(r"huggingface\.co/(datasets/|spaces/)?([\w.-]+)/([\w.-]+)", text):
        found.add(f"huggingface.co/{kind}{owner}/{name.rstrip('.')}".lower())
    return found


def test_cli_build_seeds_makes_464_papers_and_every_repository(tmp_path):
    out = tmp_path / "graph.graphml"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "464 distinct papers" in result.output
    graph = nx.read_graphml(out)
    labels = [d["labels"] for _, d in graph.nodes(data=True)]
    assert labels.count(":Paper") == 464
    repos = {n.removeprefix("repo:") for n, d in graph.nodes(data=True) if d["labels"] == ":Repository"}
    expected = _code_links_in_seeds()
    assert len(expected) > 100
    assert expected == repos


def test_cli_build_json_output(tmp_path):
    out = tmp_path / "nested" / "graph.json"
    result = runner.invoke(app, ["build", str(SEEDS / "002_2645963ca10a2fae.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("{")


def test_cli_build_unknown_suffix_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "graph.xyz")])
    assert result.exit_code != 0
    assert "unknown output format '.xyz'" in result.output
    assert "Traceback" not in result.output


def test_cli_build_missing_input_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "missing"), "-o", str(tmp_path / "g.graphml")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output
    assert "Traceback" not in result.output


def test_cli_build_reports_bad_records_with_file_and_line(tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"title": "Good", "abstract": "We propose GoodNet, a new model."}\n{broken\n')
    result = runner.invoke(app, ["build", str(bad), "-o", str(tmp_path / "g.graphml")])
    assert result.exit_code == 0
    assert f"{bad}:2: malformed JSON" in result.output
    assert "1 distinct papers" in result.output


def _commands() -> list[str]:
    return [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", _commands())
def test_cli_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.parametrize("command", _commands())
def test_cli_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"\bkg {command}\b", readme), f"`kg {command}` is not documented in README.md"


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("kg ")


def test_cli_default_input_is_seeds(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "g.graphml"
    result = runner.invoke(app, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Path(out).exists()


@pytest.mark.parametrize("fmt", ["cypher", "csv"])
def test_cli_export_of_a_json_graph_with_a_lone_surrogate_is_an_input_error(tmp_path, fmt):
    # JSON can spell "\ud800"; the Cypher and CSV writers then failed to encode it (internal error, exit 70).
    graph = tmp_path / "g.json"
    graph.write_text('{"directed": true, "multigraph": true, "graph": {}, "edges": [], "nodes": '
                     '[{"id": "paper:x", "labels": ":Paper", "key": "paper:x", "title": "lone \\ud800 half"}]}')
    result = runner.invoke(app, ["export", str(graph), "-f", fmt, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "node 'paper:x' holds a lone surrogate" in result.output
