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


def test_cli_build_json_summary_is_one_object_matching_the_graph(tmp_path):
    import json

    out = tmp_path / "graph.graphml"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    graph = nx.read_graphml(out)
    assert summary["papers"] == 464 and summary["records"] == 544
    assert sum(summary["nodes"].values()) == graph.number_of_nodes()
    assert sum(summary["relationships"].values()) == graph.number_of_edges()


def test_cli_build_quiet_prints_nothing_and_off_a_terminal_shows_no_progress(tmp_path):
    quiet = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "q.graphml"), "--quiet"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    loud = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "l.graphml")])
    assert "Wrote" in loud.stdout
    assert "extracting" not in loud.stderr and "━" not in loud.stderr  # CliRunner is not a terminal


def test_build_progress_reaches_every_input_byte(tmp_path):
    from kg.build import read_corpus

    calls: list[tuple[int, int]] = []
    corpus = read_corpus([SEEDS], lambda papers, read: calls.append((papers, read)))
    total = sum(p.stat().st_size for p in SEEDS.iterdir())
    assert [papers for papers, _ in calls] == list(range(1, len(corpus.entries) + 1))
    assert all(a <= b for (_, a), (_, b) in zip(calls, calls[1:], strict=False))
    assert calls[-1][1] == total


def test_cli_shell_completion_completes_commands_and_options():
    import os
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_KG_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}
        done = subprocess.run([sys.executable, "-m", "kg"], env=env, capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("kg bu") == ["build"]
    assert {"--workers", "--work-dir"} <= set(complete("kg build --wo"))


@pytest.mark.parametrize("fmt", ["cypher", "csv"])
def test_cli_export_of_a_json_graph_with_a_lone_surrogate_is_an_input_error(tmp_path, fmt):
    # JSON can spell "\ud800"; the Cypher and CSV writers then failed to encode it (internal error, exit 70).
    graph = tmp_path / "g.json"
    graph.write_text('{"directed": true, "multigraph": true, "graph": {}, "edges": [], "nodes": '
                     '[{"id": "paper:x", "labels": ":Paper", "key": "paper:x", "title": "lone \\ud800 half"}]}')
    result = runner.invoke(app, ["export", str(graph), "-f", fmt, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "node 'paper:x' holds a lone surrogate" in result.output
