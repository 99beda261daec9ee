from __future__ import annotations

import copy
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import SchemaError
from kg.graph import validate_graph
from kg.schema import Schema, load_schema


def _graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("paper:1", key="paper:1", labels=":Paper", title="A paper")
    graph.add_node("method:bert", key="method:bert", labels=":Method", name="BERT")
    graph.add_edge("paper:1", "method:bert", key="USES", label="USES")
    return graph


def test_a_graph_in_the_contract_passes():
    validate_graph(_graph())


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda g: g.nodes["paper:1"].update(labels=":Paperr"), "unknown label 'Paperr'"),
        (lambda g: g.nodes["paper:1"].update(key="paper:2"), "key must equal the node id"),
        (lambda g: g.add_node("x:1", key="x:1", labels=":Method", name="X"), "key must start with method:"),
        (lambda g: g.nodes["paper:1"].update(colour="red"), "property 'colour' is not in the schema for Paper"),
        (lambda g: g.nodes["paper:1"].update(title=3), "property 'title' should be string, got int"),
        (lambda g: g.add_edge("method:bert", "paper:1", key="USES", label="USES"), "is not in the schema"),
        (lambda g: g.edges["paper:1", "method:bert", "USES"].update(label="CITES"), "differs from type 'USES'"),
    ],
)
def test_what_the_contract_does_not_allow_is_named(spoil, message):
    graph = _graph()
    spoil(graph)
    with pytest.raises(SchemaError, match=message):
        validate_graph(graph)


def without_paper_property(name: str) -> Schema:
    schema = load_schema()
    nodes = copy.deepcopy(schema.nodes)
    del nodes["Paper"]["properties"][name]
    return Schema(nodes, schema.relationships, schema.evidence_properties)


def test_streamed_csv_rows_are_checked_against_the_schema(tmp_path):
    """kg.stream never holds a graph to validate: each row is checked as it is written."""
    from kg.build import extract_inputs
    from kg.stream import stream_csv
    from tests.conftest import SEEDS

    seeds = sorted(SEEDS.iterdir())[:1]
    outputs = [Path(summary.output) for summary in extract_inputs(seeds, tmp_path / "work")]
    with pytest.raises(SchemaError, match="property 'title' is not in the schema for Paper"):
        stream_csv(outputs, tmp_path / "csv", schema=without_paper_property("title"))
    assert not (tmp_path / "csv" / "IMPORT.txt").exists()
