from __future__ import annotations

import json
import math
from collections import Counter

import igraph
import networkx as nx
import pytest
from lxml import etree

from kg.errors import OutputError
from kg.graph import validate_graph
from kg.sinks import read_graph, write_graph
from kg.sinks.graphml import write_graphml


def _labels(graph: nx.MultiDiGraph) -> Counter:
    return Counter(d["labels"] for _, d in graph.nodes(data=True))


def _rel_types(graph: nx.MultiDiGraph) -> Counter:
    return Counter(k for _, _, k in graph.edges(keys=True))


def test_graphml_seed_graph_read_by_networkx_with_same_counts_and_labels(seed_build, seed_graphml):
    graph = seed_build.graph
    back = nx.read_graphml(seed_graphml, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert Counter(d["labels"] for _, d in back.nodes(data=True)) == _labels(graph)
    assert Counter(d["label"] for _, _, d in back.edges(data=True)) == _rel_types(graph)
    # The node id is the key; Cytoscape's `name` and Gephi's `label` are on every node.
    for node, data in back.nodes(data=True):
        assert data["key"] == node and data["name"] and data["label"]


def test_graphml_seed_graph_read_by_igraph_with_same_counts_and_labels(seed_build, seed_graphml):
    graph = seed_build.graph
    back = igraph.Graph.Read_GraphML(str(seed_graphml))
    assert back.vcount() == graph.number_of_nodes()
    assert back.ecount() == graph.number_of_edges()
    assert Counter(back.vs["labels"]) == _labels(graph)
    assert Counter(back.es["label"]) == _rel_types(graph)
    # igraph keeps GraphML node ids in "id"; our keys survive because no property is called id.
    assert back.vs["id"] == back.vs["key"]
    paper = back.vs.find(key="paper:starvector-generating-scalable-vector-graphics-code-from-images")
    assert paper["labels"] == ":Paper"


def test_graphml_round_trip_equals_built_graph(seed_build, seed_graphml):
    back = read_graph(seed_graphml)
    graph = seed_build.graph
    validate_graph(back)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))


def test_graphml_one_type_per_attribute_and_apoc_conventions(seed_graphml):
    tree = etree.parse(str(seed_graphml))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = tree.findall("g:key", ns)
    names = Counter((k.get("for"), k.get("attr.name")) for k in keys)
    assert all(n == 1 for n in names.values())
    assert ("node", "id") not in names
    node = tree.find("g:graph/g:node", ns)
    assert node.get("labels") == ":Paper"
    edge = tree.find("g:graph/g:edge", ns)
    assert edge.get("label") in {"PROPOSES", "HAS_CODE", "LINKS_TO"}
    # Lists travel as JSON strings.
    origins = tree.find("g:graph/g:node/g:data[@key='v_origins']", ns)
    assert isinstance(json.loads(origins.text), list)


def test_graphml_hostile_characters_stay_readable(tmp_path):
    graph = nx.MultiDiGraph()
    nasty = 'Q&A <tags> "quotes" \x00\x07 ctrl \ud800 lone surrogate, emoji 🧪, \ufffe'
    graph.add_node(
        "paper:x", labels=":Paper", key="paper:x", title=nasty, abstract="a & b", authors=["Ö. Ünal", 'A "B"']
    )
    graph.add_node("method:m", labels=":Method", key="method:m", name="M<1>", aliases=[], paper_count=1)
    graph.add_edge(
        "paper:x",
        "method:m",
        key="PROPOSES",
        label="PROPOSES",
        field="title",
        start=0,
        end=1,
        sentence=nasty,
        rule="r",
        confidence=0.5,
        mentions=1,
    )
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    etree.parse(str(path))  # lxml is strict: raises on any invalid XML character
    back = nx.read_graphml(path)
    assert back.nodes["paper:x"]["title"].startswith('Q&A <tags> "quotes"  ctrl')
    assert "🧪" in back.nodes["paper:x"]["title"]
    assert igraph.Graph.Read_GraphML(str(path)).vcount() == 2


def test_json_round_trip_keeps_lists_and_keys(seed_build, tmp_path):
    path = tmp_path / "graph.json"
    write_graph(seed_build.graph, path)
    data = json.loads(path.read_text())
    assert {"nodes", "edges"} <= set(data)
    back = read_graph(path)
    assert dict(back.nodes(data=True)) == dict(seed_build.graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(seed_build.graph.edges(keys=True, data=True))


def test_atomic_write_keeps_previous_file_on_failure(tmp_path):
    from kg.sinks.atomic import atomic_write

    target = tmp_path / "graph.graphml"
    target.write_text("previous")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half a file")
        raise RuntimeError("interrupted")
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


def test_graphml_keeps_tabs_newlines_and_carriage_returns_in_ids_and_values(tmp_path):
    # A parser turns them into spaces inside attributes (the node id) and "\r" into "\n" in text.
    key = "paper:a\tb\nc\rd\r\ne"
    graph = nx.MultiDiGraph()
    graph.add_node(key, labels=":Paper", key=key, title="line\rbreak\r\nand\ttab", authors=["x\ry"])
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    assert dict(read_graph(path).nodes(data=True)) == dict(graph.nodes(data=True))
    assert igraph.Graph.Read_GraphML(str(path)).vs["id"] == [key]


def test_graphml_display_name_is_not_read_back_as_a_name_property(tmp_path):
    # A Method has a `name` property: a display name written for one without it came back as its name.
    graph = nx.MultiDiGraph()
    graph.add_node("method:m", labels=":Method", key="method:m")
    graph.add_node("paper:p", labels=":Paper", key="paper:p", title="T")
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    assert dict(read_graph(path).nodes(data=True)) == dict(graph.nodes(data=True))
    assert nx.read_graphml(path).nodes["paper:p"]["name"] == "T"  # Cytoscape's caption for a Paper


def test_graphml_subnormal_doubles_are_written_as_zero_so_igraph_reads_the_file(tmp_path):
    # igraph's parser reports "double overflow" for 5e-324 and refuses the whole file.
    graph = nx.MultiDiGraph()
    graph.add_node("result:r", labels=":Result", key="result:r", value=5e-324)
    graph.add_node("result:s", labels=":Result", key="result:s", value=-1e-310)
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    assert igraph.Graph.Read_GraphML(str(path)).vs["value"] == [0.0, 0.0]
    assert math.copysign(1, read_graph(path).nodes["result:s"]["value"]) == -1


def test_graphml_refuses_ids_that_only_characters_xml_cannot_carry_tell_apart(tmp_path):
    # Written as is, both nodes got the id "paper:x" and every reader merged them into one.
    graph = nx.MultiDiGraph()
    for key in ("paper:x", "paper:x\ufffe", "paper:\x00x"):
        graph.add_node(key, labels=":Paper", key=key)
    with pytest.raises(OutputError, match="same GraphML id"):
        write_graphml(graph, tmp_path / "g.graphml")
    assert not (tmp_path / "g.graphml").exists()
    graph.remove_node("paper:x")
    with pytest.raises(OutputError, match="same GraphML id"):
        write_graphml(graph, tmp_path / "g.graphml")
    graph.remove_node("paper:\x00x")
    write_graphml(graph, tmp_path / "g.graphml")
    assert list(nx.read_graphml(tmp_path / "g.graphml")) == ["paper:x"]
