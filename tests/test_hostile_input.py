"""Hostile input: bad records are skipped and reported by file and line, good ones are all kept,
and the output still opens in lxml, networkx and igraph."""

from __future__ import annotations

import json

import igraph
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from kg.cli import app
from kg.extract.abbreviations import find_abbreviations
from kg.extract.links import find_urls
from kg.sources.clean import MAX_ABSTRACT, clean
from kg.sources.reader import ReadReport, iter_papers

runner = CliRunner()


def test_hostile_folder_builds_with_every_good_paper_once(hostile_dir, tmp_path):
    out = tmp_path / "out" / "graph.graphml"
    result = runner.invoke(app, ["build", str(hostile_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    titles = sorted(d["title"] for _, d in graph.nodes(data=True) if d["labels"] == ":Paper")
    assert titles == ["BOM CSV paper", "Ctrl chars here", "Dup A", "Good One", "Huge"]
    good = next(d for _, d in graph.nodes(data=True) if d.get("title") == "Good One")
    assert good["abstract"] == "We propose GoodNet, a new model for image classification & more, with 10% gains."
    etree.parse(str(out))
    assert igraph.Graph.Read_GraphML(str(out)).vcount() == graph.number_of_nodes()

    rejects = [json.loads(line) for line in (out.parent / "graph.rejects.jsonl").read_text().splitlines()]
    where = {(r["kind"], r["origin"].split("/")[-1], r["reason"].split(":")[0]) for r in rejects}
    assert ("rejected", "a.jsonl:2", "malformed JSON") in where
    assert ("rejected", "a.jsonl:4", "record has no title") in where
    assert ("file-skipped", "c.bin:1", "binary file, not read") in where
    assert ("file-skipped", "empty.jsonl:1", "empty file") in where
    assert ("warning", "a.jsonl:5", "control characters removed") in where
    assert ("warning", "b.csv:2", "invalid UTF-8 replaced with U+FFFD") in where
    assert ("warning", "a.jsonl:8", "abstract differs from " + str(hostile_dir / "a.jsonl") + ":7; first kept") \
        in {(r["kind"], r["origin"].split("/")[-1], r["reason"]) for r in rejects}
    assert ("warning", "a.jsonl:9", f"cut to {MAX_ABSTRACT} characters") in where
    assert "Traceback" not in result.output
    assert "a.jsonl:2: malformed JSON" in result.output


def test_hostile_strict_stops_at_the_first_bad_record(hostile_dir, tmp_path):
    result = runner.invoke(app, ["build", str(hostile_dir / "a.jsonl"), "-o", str(tmp_path / "g.graphml"), "--strict"])
    assert result.exit_code == 2
    assert "a.jsonl:2: malformed JSON" in result.output and "(--strict)" in result.output
    assert not (tmp_path / "g.graphml").exists()


@pytest.mark.parametrize("raw,expected", [
    ("<p>Deep &amp; wide</p> nets", "Deep & wide nets"),
    ("10\\% better, $\\sim$2\\% worse", "10% better, ~2% worse"),
    ("\\textbf{Bold} and \\emph{it}", "Bold and it"),
    ("tab\tand\nnew  line", "tab and new line"),
    ("nul\x00bell\x07", "nul bell"),
])
def test_hostile_clean_makes_plain_text(raw, expected):
    assert clean(raw, 1000)[0] == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_hostile_clean_never_leaves_control_characters(text):
    cleaned, _ = clean(text, 500)
    assert len(cleaned) <= 500
    assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in cleaned)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_hostile_links_and_abbreviations_keep_offsets_inside_the_text(text):
    for found in find_urls(text):
        assert 0 <= found.start < found.end <= len(text)
    for ab in find_abbreviations(text):
        assert text[ab.short_start:ab.short_end] == ab.short and text[ab.long_start:ab.long_end] == ab.long


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))),
                max_size=8))
def test_hostile_readers_never_crash(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    report = ReadReport()
    papers = list(iter_papers([path], report))
    assert all(p.title and p.abstract for p in papers)
