from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"


@pytest.fixture(scope="session")
def seed_build():
    """The seed corpus built once for every test that inspects the seed graph."""
    from kg.build import build

    return build([SEEDS])


@pytest.fixture(scope="session")
def seed_graphml(seed_build, tmp_path_factory):
    """The seed graph written once as GraphML, for every test that reads the file back."""
    from kg.sinks import write_graph

    path = tmp_path_factory.mktemp("seed-graph") / "graph.graphml"
    write_graph(seed_build.graph, path)
    return path


@pytest.fixture
def hostile_dir(tmp_path):
    """A folder of hostile inputs around five good papers (see test_hostile_input for what each holds)."""
    from kg.sources.clean import MAX_ABSTRACT

    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        json.dumps({"title": "Good One", "abstract": "We propose GoodNet, a new model for <b>image</b> "
                    "classification &amp; more, with 10\\% gains."}),
        "{broken json",
        "",
        json.dumps({"title": "", "abstract": "no title"}),
        json.dumps({"title": "Ctrl\u0007 chars\u0000 here", "abstract": "A lone \ud800 surrogate about ResNet-50."}),
        "[1, 2]",
        json.dumps({"id": "2301.00001", "title": "Dup A", "abstract": "First version."}),
        json.dumps({"id": "2301.00001", "title": "Dup A", "abstract": "Second, different version."}),
        json.dumps({"title": "Huge", "abstract": "word " * (MAX_ABSTRACT // 2)}),
    ]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    (folder / "b.csv").write_bytes(b'\xef\xbb\xbftitle,abstract\n"BOM CSV paper","Invalid \xff\xfe bytes inside."\n')
    (folder / "c.bin").write_bytes(b"\x00\x01\x02\x03binary")
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "page.html").write_text("<html><body><p>not papers</p></body></html>")
    return folder
