from __future__ import annotations

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
