"""GraphML in the conventions of Neo4j's APOC export, readable by networkx, igraph, Gephi, yEd.

- node id = the node's key; ``labels`` = ":Method" (as an XML attribute and as data);
- edge ``label`` = the relationship type (XML attribute and data);
- one declared type per attribute name, taken from schemas/graph.json, never guessed;
- lists as JSON strings; no None values; only XML 1.0 characters;
- node ids that would differ only in characters XML cannot carry are an OutputError, not
  one merged node;
- doubles smaller than the smallest normal double are written as 0 (igraph cannot read them);
- nodes also carry a display ``label`` (Gephi's caption) and, when their label has no ``name``
  property, a display ``name`` (Cytoscape's).

``write_graphml`` streams the file (atomically); ``read_graphml`` reads one back into the same
MultiDiGraph shape the builder makes, lists decoded.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import IO

import networkx as nx

from kg.errors import OutputError
from kg.graph.validate import node_label
from kg.schema import Schema, load_schema
from kg.sinks.atomic import atomic_write

_GRAPHML_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean", "string[]": "string"}
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Display attributes added for viewers; not schema properties.
_DISPLAY = {"labels": "string", "label": "string", "name": "string"}
_DISPLAY_LABEL_MAX = 80


def xml_text(value: str) -> str:
    """`value` escaped for XML text and attributes, with characters XML 1.0 forbids removed.

    Tab, newline and carriage return are written as character references: a parser turns them
    into spaces inside attributes, and a raw carriage return into a newline in text.
    """
    value = _INVALID_XML.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return value


def _encode(value: object, typ: str) -> str:
    if typ == "string[]":
        return xml_text(json.dumps(list(value), ensure_ascii=False))  # type: ignore[call-overload]
    if typ == "bool":
        return "true" if value else "false"
    if typ == "float":
        number = float(value)  # type: ignore[arg-type]
        if 0 < abs(number) < sys.float_info.min:
            number = math.copysign(0.0, number)  # igraph rejects subnormal doubles as out of range
        return repr(number)
    return xml_text(str(value))


def display_label(schema: Schema, label: str, data: dict[str, object]) -> str:
    text = str(data.get(schema.nodes[label].get("display", "key"), data.get("key", "")))
    return text if len(text) <= _DISPLAY_LABEL_MAX else text[: _DISPLAY_LABEL_MAX - 1] + "…"


def _node_types(schema: Schema) -> dict[str, str]:
    return {**_DISPLAY, **{k: v for k, v in schema.all_property_types("node").items() if k not in _DISPLAY}}


def write_graphml(graph: nx.MultiDiGraph, path_or_file: Path | str | IO[str], schema: Schema | None = None) -> None:
    """Write `graph` as GraphML to a path (atomically) or an open text file."""
    schema = schema or load_schema()
    if isinstance(path_or_file, (str, Path)):
        with atomic_write(Path(path_or_file)) as handle:
            _write(graph, handle, schema)
    else:
        _write(graph, path_or_file, schema)


def _check_ids_stay_distinct(graph: nx.MultiDiGraph) -> None:
    """Two node ids that differ only in characters XML cannot carry would become one node."""
    stripped: dict[str, str] = {}
    for node in graph:
        text = str(node)
        kept = _INVALID_XML.sub("", text)
        if kept == text:
            continue
        other = stripped.get(kept, kept if kept in graph else None)
        if other is not None:
            raise OutputError(
                f"nodes {other!r} and {text!r} would have the same GraphML id: XML cannot carry the characters "
                "that tell them apart"
            )
        stripped[kept] = text


def _write(graph: nx.MultiDiGraph, out: IO[str], schema: Schema) -> None:
    _check_ids_stay_distinct(graph)
    node_types = _node_types(schema)
    edge_types = {"label": "string", **schema.all_property_types("edge")}
    used_node = {name for _, data in graph.nodes(data=True) for name in data} | set(_DISPLAY)
    used_edge = {name for _, _, data in graph.edges(data=True) for name in data} | {"label"}

    write = out.write
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for name in sorted(used_node):
        write(f'<key id="v_{name}" for="node" attr.name="{name}" attr.type="{_GRAPHML_TYPES[node_types[name]]}"/>\n')
    for name in sorted(used_edge):
        write(f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{_GRAPHML_TYPES[edge_types[name]]}"/>\n')
    write('<graph id="kg" edgedefault="directed">\n')
    for node, data in graph.nodes(data=True):
        label = node_label(data)
        labels = xml_text(str(data["labels"]))
        write(f'<node id="{xml_text(str(node))}" labels="{labels}">')
        write(f'<data key="v_labels">{labels}</data>')
        write(f'<data key="v_label">{xml_text(display_label(schema, label, data))}</data>')
        if "name" not in data and "name" not in schema.node_properties(label):  # else read back as a property
            write(f'<data key="v_name">{xml_text(display_label(schema, label, data))}</data>')
        for name, value in data.items():
            if name == "labels" or value is None:
                continue
            write(f'<data key="v_{name}">{_encode(value, node_types[name])}</data>')
        write("</node>\n")
    for n, (source, target, rel, data) in enumerate(graph.edges(keys=True, data=True)):
        rel_text = xml_text(str(rel))
        write(f'<edge id="e{n}" source="{xml_text(str(source))}" target="{xml_text(str(target))}" label="{rel_text}">')
        write(f'<data key="e_label">{rel_text}</data>')
        for name, value in data.items():
            if name == "label" or value is None:
                continue
            write(f'<data key="e_{name}">{_encode(value, edge_types[name])}</data>')
        write("</edge>\n")
    write("</graph>\n</graphml>\n")


def read_graphml(path_or_file: Path | str | IO[bytes], schema: Schema | None = None) -> nx.MultiDiGraph:
    """Read a kg GraphML file back: edges keyed by type, lists decoded, display attributes dropped."""
    schema = schema or load_schema()
    raw = nx.read_graphml(path_or_file, force_multigraph=True)
    node_types = schema.all_property_types("node")
    edge_types = schema.all_property_types("edge")
    graph = nx.MultiDiGraph()
    # Display attributes (a Paper's `name`, every node's `label`) are not properties: dropped.
    for node, data in raw.nodes(data=True):
        props = {"labels": data["labels"]}
        allowed = schema.node_properties(node_label(data))
        for name, value in data.items():
            if name in allowed:
                props[name] = json.loads(value) if node_types[name] == "string[]" else value
        graph.add_node(node, **props)
    for source, target, data in raw.edges(data=True):
        rel = data["label"]
        props = {"label": rel}
        for name, value in data.items():
            if name in edge_types:
                props[name] = json.loads(value) if edge_types[name] == "string[]" else value
        graph.add_edge(source, target, key=rel, **props)
    return graph
