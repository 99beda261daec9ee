"""Property-based tests (hypothesis) on hostile input: writers, extractor, abbreviations, links, readers.

- Writers: any schema-valid graph filled with hostile values (any code point, XML and CSV and
  Cypher metacharacters, very long text, extreme numbers) reads back from GraphML (lxml,
  networkx, igraph), JSON, neo4j-admin CSV and the Cypher script with the same nodes, edges and
  values; the only losses are the ones each format documents.
- Extractor: for any title and abstract it never raises; every evidence lies inside its field,
  its sentence inside the field, the span inside the sentence; every result is a finite number.
- Abbreviation finder: on definition-dense text both forms' offsets slice them out, apart.
- Link normaliser: normalised URLs are fixed points and keys are never empty.
- Readers: mutated but plausible records in every input format never make a reader raise; papers
  have a title and an abstract and counts a 64-bit integer holds; every origin names
  ``path:line`` with a line the file has, and no JSON line holding a record goes unreported.

Failing examples found here are pinned as plain regression tests beside the code they concern
(tests/test_sinks_graphml.py, test_sources_records.py, test_extract_*.py, ...).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import sys
import zlib
from pathlib import Path

import igraph
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kg.errors import InputError, OutputError
from kg.extract import Extraction, Extractor
from kg.extract.abbreviations import find_abbreviations
from kg.extract.links import classify, find_urls, normalise_url
from kg.graph import validate_graph
from kg.schema import load_schema
from kg.sinks.cypher import (
    literal,
    merge_nodes_query,
    merge_relationships_query,
    node_rows,
    relationship_rows,
    script_statements,
    write_cypher_script,
)
from kg.sinks.graphml import read_graphml, write_graphml
from kg.sinks.jsonfile import read_json, write_json
from kg.sinks.neo4j_csv import ARRAY_DELIMITER, write_admin_csv
from kg.sources.reader import ReadReport, iter_papers
from kg.types import Evidence, Paper

SCHEMA = load_schema()


def examples(count: int) -> settings:
    """`count` examples, no deadline: writing and parsing files varies with the shared machine."""
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------

# Pieces that break naive escaping in one format or another.
TRICKY = [
    '"', "'", "&", "<", ">", "]]>", "</graphml>", "<![CDATA[", "&amp;", "&#0;", "\\", '\\"', "\\u0041", "\\n",
    "\n", "\r", "\r\n", "\t", "`", "$rows", "{", "}", "[", "]", ",", ";", ":", " ", "  ", ARRAY_DELIMITER,
    "\x00", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\uffff", "\U0001f9ea", "é", "中文",
    "*/", "//", "null", "true", "1e999", "-0",
]
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))  # every code point a str can encode as UTF-8


def hostile_texts(characters: st.SearchStrategy[str] = ANY_CHARACTER) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(characters, max_size=30),
        st.lists(st.one_of(st.sampled_from(TRICKY), st.text(characters, max_size=4)), max_size=8).map("".join),
        # Very long: a tricky piece repeated (tens of thousands of characters).
        st.tuples(st.sampled_from(TRICKY + ["word "]), st.integers(2_000, 20_000)).map(lambda t: t[0] * t[1]),
    )


def values_of_type(text: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[object]]:
    return {
        "string": text,
        "int": st.integers(-(2**63), 2**63 - 1),  # Neo4j's (and GraphML long's) range
        "float": st.floats(allow_nan=False, allow_infinity=False),  # finite: the Cypher script refuses NaN and inf
        "bool": st.booleans(),
        "string[]": st.lists(text, max_size=4),
    }


def _properties(types: dict[str, str], text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, object]]:
    """Any subset of the schema's properties, each with a hostile value of its declared type."""
    values = values_of_type(text)
    return st.fixed_dictionaries({}, optional={name: values[typ] for name, typ in types.items()})


@st.composite
def kg_nodes(draw: st.DrawFn, text: st.SearchStrategy[str]) -> tuple[str, dict[str, object]]:
    label = draw(st.sampled_from(["Paper", "Paper", *SCHEMA.labels]))  # Papers start most edges
    key = f"{SCHEMA.key_prefix(label)}:{draw(text)}"
    props = draw(_properties({k: v for k, v in SCHEMA.node_properties(label).items() if k != "key"}, text))
    return key, {"labels": f":{label}", "key": key, **props}


class ShownGraph(nx.MultiDiGraph):
    """A MultiDiGraph that shows its nodes and edges when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        nodes = _shorten(dict(self.nodes(data=True)))
        return f"graph(nodes={nodes!r}, edges={_shorten(list(self.edges(keys=True, data=True)))!r})"


def _shorten(value: object) -> object:
    """Long strings cut for reports (the repeated ones run to tens of thousands of characters)."""
    if isinstance(value, str) and len(value) > 80:
        return f"{value[:40]}...({len(value)} characters)"
    if isinstance(value, (list, tuple)):
        return type(value)(_shorten(v) for v in value)
    if isinstance(value, dict):
        return {_shorten(k): _shorten(v) for k, v in value.items()}
    return value


@st.composite
def kg_graphs(draw: st.DrawFn, text: st.SearchStrategy[str] | None = None) -> nx.MultiDiGraph:
    """A MultiDiGraph in kg's shape that validate_graph accepts, filled with hostile values."""
    text = hostile_texts() if text is None else text
    graph = ShownGraph()
    for key, data in draw(st.lists(kg_nodes(text), max_size=6, unique_by=lambda node: node[0])):
        graph.add_node(key, **data)
    labels = {node: data["labels"].lstrip(":") for node, data in graph.nodes(data=True)}
    allowed = [
        (source, target, rel)
        for source in graph
        for target in graph
        for rel, spec in SCHEMA.relationships.items()
        if labels[source] in spec["from"] and labels[target] in spec["to"]
    ]
    if allowed:
        for source, target, rel in draw(st.lists(st.sampled_from(allowed), max_size=8, unique=True)):
            graph.add_edge(source, target, key=rel, label=rel, **draw(_properties(SCHEMA.edge_properties(rel), text)))
    validate_graph(graph)
    return graph


# ---------------------------------------------------------------------------------------------
# What each format is documented to keep
# ---------------------------------------------------------------------------------------------

# XML 1.0's Char production; the GraphML writer removes every character outside it.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_kept(text: str) -> str:
    return _NOT_XML_CHAR.sub("", text)


def graphml_expected(value: object, typ: str) -> object:
    """`value` as GraphML gives it back: text without what XML cannot carry; lists travel as JSON,
    whose escapes (\\u0000) carry control characters through."""
    if typ == "string":
        return xml_kept(str(value))
    if typ == "string[]":
        return ["".join(c for c in item if c < " " or not _NOT_XML_CHAR.match(c)) for item in value]
    if typ == "float":
        number = float(value)
        return 0.0 if abs(number) < sys.float_info.min else number  # subnormals are written as 0 for igraph
    return value


def graphml_expected_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph kg's read_graphml should return."""
    node_types = SCHEMA.all_property_types("node")
    edge_types = SCHEMA.all_property_types("edge")
    expected = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        props = {name: graphml_expected(value, node_types[name]) for name, value in data.items() if name != "labels"}
        expected.add_node(xml_kept(node), labels=data["labels"], **props)
    for source, target, rel, data in graph.edges(keys=True, data=True):
        props = {name: graphml_expected(value, edge_types[name]) for name, value in data.items() if name != "label"}
        expected.add_edge(xml_kept(source), xml_kept(target), key=rel, label=rel, **props)
    return expected


def same_graph(actual: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert list(actual.nodes) == list(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert actual.nodes[node] == data, node
    assert sorted(actual.edges(keys=True)) == sorted(expected.edges(keys=True))
    for source, target, rel, data in expected.edges(keys=True, data=True):
        assert actual.edges[source, target, rel] == data, (source, target, rel)


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


@examples(40)
@given(graph=kg_graphs())
def test_graphml_parses_in_lxml_networkx_and_igraph_with_every_value(graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "g.graphml"
    if len({xml_kept(node) for node in graph}) < graph.number_of_nodes():
        with pytest.raises(OutputError, match="same GraphML id"):  # one id for two nodes: refused
            write_graphml(graph, path)
        return
    write_graphml(graph, path)
    expected = graphml_expected_graph(graph)

    etree.parse(str(path))  # strict XML 1.0: any bad character or escape raises here
    raw = nx.read_graphml(path, force_multigraph=True)
    assert raw.number_of_nodes() == graph.number_of_nodes()
    assert raw.number_of_edges() == graph.number_of_edges()
    same_graph(read_graphml(path), expected)  # kg's reader: lists decoded, display attributes dropped

    back = igraph.Graph.Read_GraphML(str(path))
    assert back.vcount() == graph.number_of_nodes() and back.ecount() == graph.number_of_edges()
    # igraph's parser (libxml2 without entity substitution) reports "&" in an attribute as "&#38;".
    assert back.vs["id"] == [node.replace("&", "&#38;") for node in expected.nodes]
    node_types = SCHEMA.all_property_types("node")
    for vertex, (_, data) in zip(back.vs, graph.nodes(data=True), strict=True):
        for name, value in data.items():
            typ = node_types.get(name, "string")
            want = graphml_expected(value, typ)
            got = json.loads(vertex[name]) if typ == "string[]" else vertex[name]
            assert got == (float(want) if typ == "int" else want), name  # igraph keeps numbers as doubles
    edges_by_ends = {(back.vs[e.source]["key"], back.vs[e.target]["key"], e["label"]): e for e in back.es}
    edge_types = SCHEMA.all_property_types("edge")
    for source, target, rel, data in graph.edges(keys=True, data=True):
        edge = edges_by_ends[xml_kept(source), xml_kept(target), rel]
        for name, value in data.items():
            typ = edge_types.get(name, "string")
            want = graphml_expected(value, typ)
            got = json.loads(edge[name]) if typ == "string[]" else edge[name]
            assert got == (float(want) if typ == "int" else want), name


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@examples(60)
@given(graph=kg_graphs(hostile_texts(st.characters())))  # lone surrogates too: JSON can spell them
def test_json_round_trips_every_value_and_refuses_lone_surrogates(graph):
    buffer = io.StringIO()
    write_json(graph, buffer)
    text = buffer.getvalue()
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))  # strict JSON
    if LONE_SURROGATE.search(text):
        # No output can write one, so a graph file holding one must not reach the writers.
        with pytest.raises(InputError, match="lone surrogate"):
            read_json(io.StringIO(text))
        return
    same_graph(read_json(io.StringIO(text)), graph)


def admin_value(cell: str, admin_type: str) -> object:
    """A non-empty cell as `neo4j-admin database import` reads it, with the options IMPORT.txt gives
    (--array-delimiter=U+001F; quotes doubled inside quoted fields; a backslash is no escape)."""
    if admin_type == "string[]":
        return cell.split(ARRAY_DELIMITER)
    if admin_type == "long":
        return int(cell)
    if admin_type == "double":
        return float(cell)
    if admin_type == "boolean":
        return cell.lower() == "true"
    return cell


def admin_expected(props: dict[str, object], types: dict[str, str]) -> dict[str, object]:
    """What neo4j-admin stores for `props`: an empty cell is no property, so an empty string and an
    empty list are absent; list items lose the array delimiter (the writer documents a space)."""
    out: dict[str, object] = {}
    for name, value in props.items():
        if types[name] == "string[]":
            items = [str(item).replace(ARRAY_DELIMITER, " ") for item in value]  # type: ignore[union-attr]
            value = items if ARRAY_DELIMITER.join(items) else None
        elif types[name] == "float":
            value = float(value)  # type: ignore[arg-type]
        if value not in (None, ""):
            out[name] = value
    return out


def read_admin_csv(path: Path) -> list[tuple[dict[str, str], dict[str, object]]]:
    """Each row of a neo4j-admin CSV file: its id, label and type cells ("key:ID", ":LABEL",
    ":START_ID", ...) as text, and its properties ("name:type") as neo4j-admin reads them."""
    csv.field_size_limit(2**31 - 1)  # neo4j-admin reads fields of any length (up to its buffer)
    with open(path, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    out = []
    for row in rows:
        fields: dict[str, str] = {}
        props: dict[str, object] = {}
        for column, cell in zip(header, row, strict=True):
            name, _, admin_type = column.partition(":")
            if not name or admin_type == "ID":
                fields[column] = cell
            elif cell:
                props[name] = admin_value(cell, admin_type)
        out.append((fields, props))
    return out


@examples(40)
@given(graph=kg_graphs())
def test_neo4j_admin_csv_reads_back_every_value(graph, tmp_path_factory):
    directory = tmp_path_factory.mktemp("csv")
    write_admin_csv(graph, directory)

    nodes: dict[str, tuple[str, dict[str, object]]] = {}
    for path in sorted(directory.glob("nodes_*.csv")):
        for fields, props in read_admin_csv(path):
            assert fields["key:ID"] not in nodes
            nodes[fields["key:ID"]] = (fields[":LABEL"], props)
    assert nodes == {
        node: (label, admin_expected({k: v for k, v in data.items() if k not in ("labels", "key")},
                                     SCHEMA.node_properties(label)))
        for node, data in graph.nodes(data=True)
        for label in [data["labels"].lstrip(":")]
    }

    edges: dict[tuple[str, str, str], dict[str, object]] = {}
    for path in sorted(directory.glob("rels_*.csv")):
        for fields, props in read_admin_csv(path):
            edges[fields[":START_ID"], fields[":END_ID"], fields[":TYPE"]] = props
    assert edges == {
        (source, target, rel): admin_expected({k: v for k, v in data.items() if k != "label"},
                                              SCHEMA.edge_properties(rel))
        for source, target, rel, data in graph.edges(keys=True, data=True)
    }


# A Cypher literal reader for the test, after Neo4j's Cypher lexer: strings in either quote with
# the escapes \\ \' \" \b \f \n \r \t \uXXXX (nothing else), numbers (an exponent may carry a
# sign), booleans, null, lists, and maps with plain or `quoted` keys.
_CYPHER_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_CYPHER_NUMBER = re.compile(r"-?(?:\d+\.\d+|\d+)(?:[eE][-+]?\d+)?")
_CYPHER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class CypherLiteral:
    def __init__(self, text: str, pos: int):
        self.text = text
        self.pos = pos

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def _expect(self, token: str) -> None:
        assert self.text.startswith(token, self.pos), (token, self.text[self.pos : self.pos + 40])
        self.pos += len(token)

    def value(self) -> object:
        self._skip_spaces()
        char = self.text[self.pos]
        if char in "\"'":
            return self._string(char)
        if char == "[":
            return self._list()
        if char == "{":
            return self._map()
        for word, meaning in (("null", None), ("true", True), ("false", False)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return meaning
        number = _CYPHER_NUMBER.match(self.text, self.pos)
        assert number, self.text[self.pos : self.pos + 40]
        self.pos = number.end()
        raw = number.group(0)
        return int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)

    def _string(self, quote: str) -> str:
        self.pos += 1
        out = []
        while True:
            char = self.text[self.pos]
            if char == quote:
                self.pos += 1
                return "".join(out)
            if char == "\\":
                code = self.text[self.pos + 1]
                if code == "u":
                    digits = self.text[self.pos + 2 : self.pos + 6]
                    assert re.fullmatch("[0-9a-fA-F]{4}", digits), f"invalid escape \\u{digits}"
                    out.append(chr(int(digits, 16)))
                    self.pos += 6
                    continue
                assert code in _CYPHER_ESCAPES, f"invalid escape \\{code}"
                out.append(_CYPHER_ESCAPES[code])
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1

    def _list(self) -> list[object]:
        self._expect("[")
        items: list[object] = []
        self._skip_spaces()
        while not self.text.startswith("]", self.pos):
            if items:
                self._expect(",")
            items.append(self.value())
            self._skip_spaces()
        self.pos += 1
        return items

    def _map(self) -> dict[str, object]:
        self._expect("{")
        items: dict[str, object] = {}
        self._skip_spaces()
        while not self.text.startswith("}", self.pos):
            if items:
                self._expect(",")
                self._skip_spaces()
            key = self._key()
            items[key] = self.value_after_colon()
            self._skip_spaces()
        self.pos += 1
        return items

    def _key(self) -> str:
        if self.text[self.pos] != "`":
            name = _CYPHER_NAME.match(self.text, self.pos)
            assert name, self.text[self.pos : self.pos + 40]
            self.pos = name.end()
            return name.group(0)
        end = self.pos + 1
        while True:
            end = self.text.index("`", end)
            if self.text.startswith("``", end):
                end += 2
                continue
            key = self.text[self.pos + 1 : end].replace("``", "`")
            self.pos = end + 1
            return key

    def value_after_colon(self) -> object:
        self._skip_spaces()
        self._expect(":")
        return self.value()


def parse_unwind(statement: str) -> tuple[object, str]:
    """The rows literal of an ``UNWIND <literal> AS row ...`` statement and the text after it."""
    assert statement.startswith("UNWIND ")
    reader = CypherLiteral(statement, len("UNWIND "))
    rows = reader.value()
    return rows, statement[reader.pos :]


def test_cypher_literal_reader_reads_what_it_should():
    assert parse_unwind('UNWIND [{`key`: "a\\"b", n: -1.5e-07}, [true, null, \'x\\n\']] AS row') == (
        [{"key": 'a"b', "n": -1.5e-07}, [True, None, "x\n"]],
        " AS row",
    )
    for broken in ('UNWIND ["a"b"] AS row', 'UNWIND ["a\\/"] AS row', 'UNWIND ["\\u12"] AS row'):
        with pytest.raises(AssertionError):  # a quote left unescaped, an escape Cypher does not know
            parse_unwind(broken)


@examples(40)
@given(graph=kg_graphs(), batch_size=st.integers(1, 4))
def test_cypher_script_is_one_line_per_statement_and_literals_read_back(graph, batch_size, tmp_path_factory):
    path = tmp_path_factory.mktemp("cypher") / "graph.cypher"
    count = write_cypher_script(graph, path, SCHEMA)
    lines = path.read_text(encoding="utf-8").split("\n")  # read with universal newlines: "\r" ends a line too
    statements = [line for line in lines[:-1] if not line.startswith("//")]
    assert lines[-1] == ""
    assert len(statements) == count and all(line.endswith(";") for line in statements)

    templates: dict[str, tuple[str, object]] = {}
    for label in node_rows(graph):
        templates[merge_nodes_query(SCHEMA, label).removeprefix("UNWIND $rows")] = ("nodes", label)
    for group in relationship_rows(graph):
        templates[merge_relationships_query(SCHEMA, *group).removeprefix("UNWIND $rows")] = ("edges", group)

    rows_read: dict[tuple[str, object], list[object]] = {}
    for statement in script_statements(graph, SCHEMA, batch_size=batch_size):
        assert "\n" not in statement and "\r" not in statement
        if not statement.startswith("UNWIND "):
            continue  # the constraints: no values in them
        rows, rest = parse_unwind(statement)
        assert rest in templates, rest  # the literal ended exactly where the written one did
        assert isinstance(rows, list) and 1 <= len(rows) <= batch_size
        rows_read.setdefault(templates[rest], []).extend(rows)

    labels = {node: data["labels"].lstrip(":") for node, data in graph.nodes(data=True)}
    expected: dict[tuple[str, object], list[object]] = {}
    for node, data in graph.nodes(data=True):
        props = {k: v for k, v in data.items() if k != "labels"}
        expected.setdefault(("nodes", labels[node]), []).append({"key": node, "props": props})
    for source, target, rel, data in graph.edges(keys=True, data=True):
        props = {k: v for k, v in data.items() if k != "label"}
        group = (rel, labels[source], labels[target])
        expected.setdefault(("edges", group), []).append({"src": source, "dst": target, "props": props})
    assert rows_read == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_cypher_literal_refuses_values_cypher_cannot_write(value):
    with pytest.raises(ValueError):
        literal(value)


# ---------------------------------------------------------------------------------------------
# Extractor
# ---------------------------------------------------------------------------------------------

# Pieces the rules react to, mixed in any order: proposals and abbreviations, URLs, numbers and
# units, citations, LaTeX left-overs, brackets, other scripts, odd white space.
PROSE = [
    "We propose FooNet (FN)", "FooNet (FN)", "(FN)", "FN", "Contrastive Language-Image Pre-training (CLIP)",
    "CLIP (Contrastive Language-Image Pre-training)", "called", "named", "our method", "a new dataset", "we introduce",
    "outperforms", "achieves", "accuracy", "BLEU", "F1 of", "on ImageNet", "ResNet-50", "BERT", "GPT-4", "Transformer",
    "https://github.com/owner/repo", "github.com/a/b.git", "http://x.io/a_(b)", "https://hf.co/datasets/o/n).",
    "www.", "https://", "http://localhost", "doi.org/10.1000/xyz", "arXiv:2101.00001v2", "\\url{https://a.io/x}",
    "Our model achieves 83.3% top-1 accuracy on ImageNet.", "It improves BLEU by 2.6 points", "a score of",
    "83.3%", "95.7% -> 96.2%", "from 12.3 to 9.8", "1e999", "9" * 400 + ".5%", "0." + "0" * 330 + "1%", "-3.5",
    "%", "\\%", "10\\%", "$\\sim$", "$x^2$", "\\textbf{X}", "{", "}", "(", ")", "((", "))", "[", "]", "[12]",
    "Smith et al. (2020)", "(Smith and Jones, 2019)", "Smith and", "Jones (2019)", "Wager and Athey 2018", "et",
    "al.", "arXiv:", "2106.01345", "doi:", "10.1145/3292500.3330701", "et al.", "e.g.", "i.e.", "Fig. 3", ".", ",",
    ";", ":", "-",
    "中文模型", "Модель", "نموذج", "🧪", "\u200b", "\u00a0", "\n", "\t", "  ", " ", "",
]
# Reported numbers need a cue and a number in one sentence: a mix dense in both.
NUMBERS = [
    "achieves", "accuracy of", "a score of", "improves", "outperforms", "FID", "from", "to", "->", "by", "top-1",
    "83.3%", "9.8", "0.4563", "1e310", "1e-320", "1,234.5", "−4.5", "-3.5", "10\\%", "2.6 points", "2.3x", "(", ")",
    "0." + "0" * 330 + "1", "9" * 400 + ".5", ".", ",", ":", "=",
]
prose = st.lists(st.one_of(st.sampled_from(PROSE), st.text(max_size=6)), max_size=25).map(" ".join)
numbers_prose = st.lists(st.sampled_from(NUMBERS), max_size=15).map(" ".join)
any_text = st.one_of(st.text(max_size=300), prose, numbers_prose)


@st.composite
def split_texts(draw: st.DrawFn) -> tuple[str, str]:
    """One text cut anywhere into title and abstract: rules must not join them across the cut."""
    text = draw(any_text)
    cut = draw(st.integers(0, len(text)))
    return text[:cut], text[cut:]


titles_and_abstracts = st.one_of(st.tuples(any_text, any_text), split_texts())


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()  # slow to build: once for the module


def _evidences(extraction: Extraction) -> list[Evidence]:
    return (
        [m.evidence for m in extraction.mentions]
        + [c.evidence for c in extraction.candidates]
        + [r.evidence for r in extraction.results]
    )


@pytest.fixture(scope="module")
def spacy_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


WHITE_SPACE = ["\n", "\n\n", "\r\n", " \n ", "\t", "\u2028", "\u00a0", "\x0b", "  "]


@examples(200)
@given(text=st.lists(st.one_of(any_text, st.sampled_from(WHITE_SPACE)), max_size=6).map("".join))
def test_kg_tokenizer_gives_spacy_blank_english_tokens(extractor, spacy_tokenizer, text):
    """kg drops the tokenizer's newline special case for speed (pipeline.drop_newline_special_case)."""
    ours = [(t.text, t.whitespace_, t.norm_, t.is_space) for t in extractor.nlp.make_doc(text)]
    assert ours == [(t.text, t.whitespace_, t.norm_, t.is_space) for t in spacy_tokenizer(text)]


@examples(200)
@given(texts=titles_and_abstracts)
def test_extractor_never_raises_and_every_evidence_is_inside_its_sentence_and_field(extractor, texts):
    title, abstract = texts
    extraction = extractor.extract_one(title, abstract)
    fields = {"title": title, "abstract": abstract}
    for evidence in _evidences(extraction):
        text = fields[evidence.field]
        sentence_end = evidence.sentence_start + len(evidence.sentence)
        assert 0 <= evidence.sentence_start <= sentence_end <= len(text), evidence
        assert text[evidence.sentence_start : sentence_end] == evidence.sentence, evidence
        assert evidence.sentence_start <= evidence.start < evidence.end <= sentence_end, evidence
    for result in extraction.results:
        assert math.isfinite(result.value), result  # a graph value every output (Cypher too) can write


# ---------------------------------------------------------------------------------------------
# Abbreviation finder
# ---------------------------------------------------------------------------------------------

ABBREVIATION_PIECES = [
    "Contrastive", "Language-Image", "Pre-training", "CLIP", "(CLIP)", "(CLIP;", "Radford et al.)", "FooNet", "(FN)",
    "Fast", "Network", "FN", "F-N", "fn", "the", "our", "a", "(", ")", "((", "))", "(", ",", ", ", ";", ".", ". ",
    "e.g.", "(i.e.", "(e.g. CLIP)", "(A)", "(ABC)", "A", "B", "C", "ABC", "αβγ", "(αβγ)", "Ärger", "Über", "(ÄÜ)",
    "x" * 250, "(" + "y" * 201 + ")", "1", "(2)", "3D", "(3D)", "\n", "\t", " ", "  ",
]
NAME_WORDS = ["Contrastive", "Language-Image", "Pre-training", "Fast", "Network", "graph", "Über", "of", "the", "3D"]


@st.composite
def abbreviation_definitions(draw: st.DrawFn) -> str:
    """"Long Form (LF)" or "LF (Long Form)", the short form spelt from the words' initials or not."""
    words = draw(st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=5))
    initials = "".join(word[0] for word in words).upper()
    short = draw(st.one_of(st.just(initials), st.text(max_size=6), st.sampled_from(["CLIP", "e.g.", "A", "FN-2"])))
    long = " ".join(words)
    return f"{long} ({short})" if draw(st.booleans()) else f"{short} ({long})"


abbreviation_pieces = st.one_of(st.sampled_from(ABBREVIATION_PIECES), st.text(max_size=3), abbreviation_definitions())
abbreviation_text = st.lists(abbreviation_pieces, max_size=12).map(
    lambda pieces: "".join(piece if piece in "()" else f" {piece}" for piece in pieces))


@examples(300)
@given(text=abbreviation_text)
def test_abbreviation_finder_offsets_slice_both_forms_which_never_overlap(text):
    for found in find_abbreviations(text):
        assert text[found.short_start : found.short_end] == found.short, found
        assert text[found.long_start : found.long_end] == found.long, found
        assert found.short and found.long.strip() == found.long and len(found.long) > len(found.short), found
        assert found.long_end <= found.short_start or found.short_end <= found.long_start, found


# ---------------------------------------------------------------------------------------------
# Link normaliser
# ---------------------------------------------------------------------------------------------

URL_PIECES = [
    "https://", "http://", "HTTP://", "ftp://", "www.", "github.com/", "GitHub.com/", "hf.co/", "huggingface.co/",
    "gitlab.com/", "doi.org/", "arxiv.org/abs/", "bit.ly/", "x.github.io/", "a", "B", "1", ".", "/", ".git", "/-/",
    "?", "#", "&", "=", "(", ")", "{", "}", "[", "]", ":", ";", "~", "'", '"', "-", "_", "%20", "datasets/",
    "spaces/", "orgs/", "papers/", " ", "\\url{", "中",
]
url_text = st.lists(st.one_of(st.sampled_from(URL_PIECES), st.text(max_size=3)), max_size=12).map("".join)


@examples(300)
@given(text=st.one_of(url_text, st.text(max_size=60)))
def test_link_normaliser_gives_fixed_points_and_keys_without_white_space(text):
    for found in find_urls(text):
        assert 0 <= found.start < found.end <= len(text)
        assert normalise_url(found.url) == found.url  # canonical: one key per link
        target = classify(found.url)
        assert target.key_path and not any(c.isspace() for c in target.key_path), target
    assert normalise_url(normalise_url(text)) == normalise_url(text)
    classify(normalise_url(text))  # any text at all: never raises


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------

TITLES = ["Attention Is All You Need", "StarVector: Generating SVG Code", "GraphX", "A", "Ünïcödé 中文 title"]
ABSTRACTS = [
    "We propose FooNet (FN), which reaches 83.3% accuracy on ImageNet. Code: https://github.com/a/b.",
    "A fully differential calculation\\n  in perturbative QCD is presented.",
    "Short.",
]
text_values = st.one_of(st.sampled_from(TITLES + ABSTRACTS), st.text(max_size=40))
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
huge_text = st.sampled_from(["word ", "x", "é", "\\\\", "<b>", "&amp;"]).map(lambda piece: piece * 30_000)


def field(plausible: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A record field: mostly plausible, sometimes of a wrong type, null, nested or huge."""
    return st.one_of(plausible, plausible, json_values, huge_text)


def records(fields: dict[str, st.SearchStrategy[object]]) -> st.SearchStrategy[dict[str, object]]:
    """Records with a title and an abstract (when the shape has them) and any subset of the other
    `fields`, every value possibly mutated."""
    core = {name: field(fields[name]) for name in ("title", "abstract") if name in fields}
    return st.fixed_dictionaries(core, optional={name: field(v) for name, v in fields.items() if name not in core})


dates = st.sampled_from(["2021-06-02", "2024", "2024-03", "Mon, 2 Apr 2007 19:18:42 GMT", "Mar 25, 2024", "soon", ""])
GENERIC = {
    "title": text_values, "abstract": text_values, "id": st.sampled_from(["1706.03762", "arXiv:2312.11556v2", "x"]),
    "authors": st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3)), "date": dates,
    "url": st.sampled_from(["https://arxiv.org/abs/2101.00001", "https://doi.org/10.1/x", "nope"]),
    "doi": st.sampled_from(["10.1103/PhysRevD.76.013009", "doi:10.1/x", "https://doi.org/10.5555/A.1"]),
    "categories": st.one_of(st.text(max_size=20), st.lists(st.text(max_size=8), max_size=3)),
    "arxiv_id": st.sampled_from(["2101.00001", "hep-th/9901001", "v2"]),
}
ARXIV = {
    "id": st.sampled_from(["0704.0001", "hep-th/9901001", "2312.11556"]), "title": text_values, "abstract": text_values,
    "authors": st.text(max_size=40), "doi": GENERIC["doi"], "categories": st.sampled_from(["hep-ph", "cs.CL cs.LG"]),
    "versions": st.lists(st.fixed_dictionaries({"version": st.just("v1"), "created": dates}), max_size=2),
    "authors_parsed": st.lists(st.lists(st.text(max_size=8), max_size=3), max_size=3), "update_date": dates,
}
OPENALEX = {
    "id": st.sampled_from(["https://openalex.org/W1001", "https://openalex.org/", "W2"]), "title": text_values,
    "display_name": text_values, "doi": GENERIC["doi"], "publication_date": dates,
    "publication_year": st.integers(1900, 2100),
    "abstract_inverted_index": st.dictionaries(st.text(max_size=8), st.lists(st.integers(-5, 40), max_size=3)),
    "authorships": st.lists(st.fixed_dictionaries({"author": st.fixed_dictionaries({"display_name": text_values})})),
    "referenced_works": st.lists(st.sampled_from(["https://openalex.org/W1001", "W9", "x"]), max_size=3),
    "ids": st.fixed_dictionaries({"doi": GENERIC["doi"]}),
    "primary_topic": st.fixed_dictionaries({"display_name": text_values}),
}
S2 = {
    "corpusid": st.integers(0, 10**9), "title": text_values, "abstract": text_values,
    "externalids": st.fixed_dictionaries({}, optional={"ArXiv": GENERIC["arxiv_id"], "DOI": GENERIC["doi"]}),
    "url": GENERIC["url"], "authors": st.lists(st.fixed_dictionaries({"name": text_values}), max_size=3),
    "year": st.integers(1900, 2100), "publicationdate": dates,
    "s2fieldsofstudy": st.lists(st.fixed_dictionaries({"category": text_values}), max_size=2),
}
S2_API = {
    "paperId": st.text(max_size=8), "corpusId": st.integers(0, 10**9), "title": text_values, "abstract": text_values,
    "externalIds": S2["externalids"], "fieldsOfStudy": st.lists(text_values, max_size=2), "year": S2["year"],
    "publicationDate": dates,
}
S2_CITATION = {"citingcorpusid": st.integers(0, 10**9), "citedcorpusid": st.integers(0, 10**9)}
any_record = st.one_of(*(records(fields) for fields in (GENERIC, ARXIV, OPENALEX, S2, S2_API, S2_CITATION)))

# Lines no JSON reader should choke on: broken, empty, nested past the recursion limit, numbers
# past Python's digit limit, other JSON values.
RAW_LINES = [
    "{broken", '{"title": "x", "abstract": ', "", "   ", "null", "[1, 2]", '"text"', "[]", "{}", "\\ufeff{}",
    "[" * 100_000 + "]" * 100_000, '{"title": ' + "[" * 5_000 + "]" * 5_000 + ', "abstract": "a"}',
    '{"title": "Big", "abstract": "n", "year": ' + "9" * 5_000 + "}", '{"title": 1e999, "abstract": -1e999}',
    '{"title": "T", "abstract": "A", "id": NaN}', "\x00\x01", '{"title": "a\\ud800", "abstract": "b\\udfff"}',
]
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(any_record.map(json.dumps), st.sampled_from(RAW_LINES)), max_size=8))
    return draw(line_ends).join(lines).encode("utf-8", "surrogatepass")


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(any_record, max_size=6))
    shape = draw(st.sampled_from(["array", "wrapper", "one"]))
    data: object = items if shape == "array" else {"results": items} if shape == "wrapper" else (items or [{}])[0]
    text = json.dumps(data, indent=draw(st.sampled_from([None, 1, 2])))
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]  # cut short: malformed
    return text.encode("utf-8")


@st.composite
def table_files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    columns = ["title", "abstract", *draw(st.lists(st.sampled_from(["id", "date", "doi", "authors", "url", "x"]),
                                                   max_size=3, unique=True))]
    columns = draw(st.permutations(columns))
    cell = st.one_of(text_values, huge_text, st.sampled_from(['"', '""', "a\nb", "a\rb", delimiter, "\\", " "]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(line_ends))
    writer.writerow(columns)
    for row in draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=6)):
        writer.writerow(row)
    lines = out.getvalue().split("\n")
    # Rows as people break them: a lone quote, a stray carriage return, fields missing or extra.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        broken = draw(st.sampled_from(['"', "\r", "x\ry", delimiter, delimiter * 3, "", '"unclosed']))
        if draw(st.booleans()):
            lines.insert(at + 1, broken)
        else:
            lines[at] += broken
    return "\n".join(lines).encode("utf-8")


LISTING_LINES = [
    "new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community", "Mar 11",
    "·", "  • 8 authors", "• 1 author", "Mar 25, 2024", "Mar 25, 2024 3", "Sep 30 2", "Feb 31, 2024 7",
    "SubscribeStarVector: Generating SVG", "Short title", "A Title: With a Colon",
    "This abstract is long enough to be prose. It has two sentences and talks about a model that does things well.",
    "word " * 50, "", "   ", "\t",
    "  • " + "9" * 30 + " authors", "Mar 25, 2024 " + "9" * 30,  # counts no 64-bit integer holds
    "  • " + "9" * 5_000 + " authors", "Mar 25, 2024 " + "9" * 5_000,  # and past Python's digit limit
]


@st.composite
def listing_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(st.sampled_from(LISTING_LINES), st.text(max_size=30)), max_size=14))
    return draw(line_ends).join(lines).encode("utf-8", "surrogatepass")


@st.composite
def gzip_files(draw: st.DrawFn) -> bytes:
    data = gzip.compress(draw(st.one_of(jsonl_files(), json_documents(), table_files())), mtime=0)
    damage = draw(st.sampled_from(["none", "cut", "flip"]))
    if damage == "cut":
        return data[: draw(st.integers(2, len(data)))]
    if damage == "flip":  # one byte of the compressed data (past the 10-byte header) inverted
        at = draw(st.integers(10, len(data) - 9))
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data


INPUT_FILES = {
    "papers.jsonl": jsonl_files(), "papers.json": json_documents(), "papers.csv": table_files(),
    "page.txt": listing_files(), "shard.gz": gzip_files(),
}
named_input_files = st.sampled_from(sorted(INPUT_FILES)).flatmap(lambda name: st.tuples(st.just(name), INPUT_FILES[name]))


def assert_every_record_line_is_accounted_for(content: bytes, report: ReadReport, papers: list[Paper]) -> None:
    """In JSON lines, no line holding a record is dropped unreported: each gives a paper, a link or
    a rejection naming it. (A file whose first line is not JSON on its own is read as one JSON
    document first; its fall-back to JSON lines is tested in test_sources_records.)"""
    lines = io.StringIO(content.decode("utf-8", "replace"), newline="").readlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    try:
        if not isinstance(json.loads(first), (dict, list)):
            return  # not JSON lines of records: the file is reported as not an input
    except (ValueError, RecursionError):
        return
    named = {int(origin.rsplit(":", 1)[1].split()[0]) for origin in
             [p.origin for p in papers] + [link.origin for link in report.links] + [r.origin for r in report.rejected]}
    holding_records = {n for n, line in enumerate(lines, start=1) if line.strip() not in ("", "[]")}
    assert holding_records <= named, sorted(holding_records - named)


def reader_lines(raw: bytes) -> int:
    """How many lines the readers can see in a file: decompressed (as far as the data allows),
    decoded, split at \\n, \\r\\n or \\r."""
    if raw[:2] == b"\x1f\x8b":
        inflate, readable = zlib.decompressobj(16 + zlib.MAX_WBITS), b""
        for start in range(0, len(raw), 16):
            try:
                readable += inflate.decompress(raw[start : start + 16])
            except zlib.error:
                break
        raw = readable
    return len(io.StringIO(raw.decode("utf-8", "replace"), newline="").readlines())


@examples(60)
@given(name_and_content=named_input_files)
def test_readers_never_raise_and_every_origin_names_a_line_of_the_file(name_and_content, tmp_path_factory):
    name, content = name_and_content
    path = tmp_path_factory.mktemp("read") / name
    path.write_bytes(content)
    report = ReadReport()
    papers = list(iter_papers([path], report))

    for paper in papers:
        assert paper.title.strip() and paper.abstract.strip(), paper
        for number in (paper.author_count, paper.upvotes):
            assert number is None or 0 <= number < 2**63, paper  # a Neo4j (64-bit) integer
    lines = max(1, reader_lines(content))
    if name == "papers.jsonl":
        assert_every_record_line_is_accounted_for(content, report, papers)
    found = [p.origin for p in papers] + [link.origin for link in report.links]
    found += [r.origin for r in report.rejected + report.files_skipped + report.warnings]
    for origin in found:
        where = re.fullmatch(re.escape(str(path)) + r":(\d+)(?: record \d+)?", origin)
        assert where, origin
        assert 1 <= int(where.group(1)) <= lines, (origin, lines)
