"""A graph as one self-contained HTML page to explore offline: `kg view`.

The page is kg's own small canvas renderer (kg/resources/view/) over positions computed here
(kg.layout), with the graph embedded as JSON. It loads nothing: no CDN, no fonts, no images;
its Content-Security-Policy allows only its own script (by hash) and in-line styles. Data is
never parsed as HTML: the JSON is escaped for a <script> element and the page inserts every
string with textContent.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.errors import InputError, OutputError
from kg.graph.validate import node_label
from kg.layout import layout
from kg.resolve.entities import compact
from kg.schema import load_schema
from kg.sinks.atomic import atomic_write
from kg.stats import find_entities

DEFAULT_MAX_NODES = 3000
HTML_SUFFIXES = (".html", ".htm")

# Fill, border and caption colour per label: the Neo4j Browser style of schemas/kg.grass.
LABEL_COLOURS: dict[str, tuple[str, str, str]] = {
    "Paper": ("#4C8EDA", "#2870c2", "#FFFFFF"),
    "Method": ("#F79767", "#f36924", "#FFFFFF"),
    "Dataset": ("#57C7E3", "#23b3d7", "#2A2C34"),
    "Metric": ("#C990C0", "#b261a5", "#FFFFFF"),
    "Task": ("#F16667", "#eb2728", "#FFFFFF"),
    "Repository": ("#8DCC93", "#5db665", "#2A2C34"),
    "Link": ("#ECB5C9", "#da7298", "#2A2C34"),
    "Result": ("#FFC454", "#d7a013", "#2A2C34"),
    "Citation": ("#DA7194", "#cc3c6c", "#FFFFFF"),
}
_OTHER_COLOURS = ("#A5ABB6", "#9AA1AC", "#FFFFFF")
# Edge attributes the page shows otherwise: the type, and the sentence with its span marked.
_EDGE_SHOWN_ELSEWHERE = ("label", "sentence", "start", "end")
_MARKER = re.compile(r"\{\{(\w+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class Selection:
    """The nodes to draw, and what was left out to stay under the node limit."""

    nodes: list[str]
    centres: list[str] = field(default_factory=list)
    depth: int = 0
    candidates: int = 0  # nodes within reach before the limit
    left_out: dict[str, int] = field(default_factory=dict)  # label -> nodes left out
    left_out_edges: int = 0


@dataclass
class ViewSummary:
    path: Path
    nodes: int
    edges: int
    selection: Selection


def find_nodes(graph: nx.MultiDiGraph, name_or_key: str) -> list[str]:
    """Nodes `name_or_key` means: a node key; else what `kg explain` resolves a name to; else paper titles."""
    if name_or_key in graph:
        return [name_or_key]
    found = find_entities(graph, name_or_key)
    if found:
        return found
    wanted = compact(name_or_key)
    return [
        n for n, d in graph.nodes(data=True) if node_label(d) == "Paper" and compact(str(d.get("title", ""))) == wanted
    ]


def select(
    graph: nx.MultiDiGraph, centres: list[str] | None = None, depth: int = 1, max_nodes: int = DEFAULT_MAX_NODES
) -> Selection:
    """The whole graph, or what lies within `depth` links of `centres` (either direction), cut to `max_nodes`.

    The cut keeps the centres, then the nearest nodes, and among those the most connected.
    """
    if centres:
        distance = {c: 0 for c in centres}
        frontier = list(centres)
        for step in range(1, depth + 1):
            reached = []
            for node in frontier:
                for other in sorted(set(graph.successors(node)) | set(graph.predecessors(node))):
                    if other not in distance:
                        distance[other] = step
                        reached.append(other)
            frontier = reached
    else:
        distance = dict.fromkeys(graph, 0)
    reach = graph.subgraph(distance)
    degree = dict(reach.degree())
    ranked = sorted(distance, key=lambda n: (distance[n], -degree[n], n))
    kept = sorted(ranked[:max_nodes])
    dropped = ranked[max_nodes:]
    kept_edges = graph.subgraph(kept).number_of_edges()
    return Selection(
        nodes=kept,
        centres=sorted(centres or []),
        depth=depth if centres else 0,
        candidates=len(ranked),
        left_out=dict(sorted(Counter(node_label(graph.nodes[n]) for n in dropped).items())),
        left_out_edges=reach.number_of_edges() - kept_edges,
    )


def _display_name(data: dict[str, object], label: str) -> str:
    schema = load_schema()
    prop = schema.nodes[label].get("display", "name") if label in schema.nodes else "name"
    return str(data.get(prop) or data.get("name") or data.get("key") or "")


def _evidence_parts(graph: nx.MultiDiGraph, source: str, data: dict[str, object]) -> list[str] | None:
    """The evidence sentence cut into [before, span, after] around the offsets, or None without evidence.

    Offsets count characters of the paper's title or abstract; the sentence is found there so the span
    can be placed inside it. Cutting here spares the page JavaScript's UTF-16 offsets.
    """
    sentence = data.get("sentence")
    if not isinstance(sentence, str) or not sentence:
        return None
    text = str(graph.nodes[source].get(str(data.get("field", "")), ""))
    start, end = int(data.get("start", -1)), int(data.get("end", -1))  # type: ignore[call-overload]
    at = text.find(sentence)
    while at != -1:
        if at <= start <= end <= at + len(sentence):
            a, b = start - at, end - at
            return [sentence[:a], sentence[a:b], sentence[b:]]
        at = text.find(sentence, at + 1)
    return [sentence, "", ""]  # the sentence is not where the offsets say: shown whole, nothing marked


def _worth_showing(prop: str, value: object, heading: str) -> bool:
    """Not the label or key (shown apart), not empty, and not the name or title the panel's heading shows."""
    if prop in ("labels", "key") or value is None or value == [] or value == "":
        return False
    return not (prop in ("name", "title") and value == heading)


def _jsonable(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def page_data(graph: nx.MultiDiGraph, selection: Selection, title: str) -> dict[str, object]:
    """Everything the page shows, as plain data: nodes with positions, edges with evidence, legend, notes."""
    keys = selection.nodes
    shown = graph.subgraph(keys)
    index = {key: i for i, key in enumerate(keys)}
    degree = dict(shown.degree())
    radius = {key: node_radius(degree[key]) for key in keys}
    positions = layout(keys, sorted((a, b) for a, b in shown.edges()), radius)
    labels = sorted({node_label(d) for _, d in shown.nodes(data=True)}, key=_label_order)
    label_index = {label: i for i, label in enumerate(labels)}
    label_counts = Counter(node_label(d) for _, d in shown.nodes(data=True))
    nodes = []
    for key in keys:
        data = graph.nodes[key]
        label = node_label(data)
        x, y = positions[key]
        name = _display_name(data, label)
        props = [[k, _jsonable(v)] for k, v in data.items() if _worth_showing(k, v, name)]
        nodes.append({
            "key": key, "label": label_index[label], "name": name,
            "aliases": [str(a) for a in data.get("aliases", [])], "x": x, "y": y,
            "r": radius[key], "degree": degree[key], "props": props,
        })
    edges = []
    for source, target, rel, data in sorted(shown.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        props = [[k, _jsonable(v)] for k, v in data.items() if k not in _EDGE_SHOWN_ELSEWHERE and v is not None]
        edges.append({"s": index[source], "t": index[target], "type": rel, "props": props,
                      "evidence": _evidence_parts(graph, source, data)})
    return {
        "title": title,
        "labels": [{"name": label, "fill": _colours(label)[0], "border": _colours(label)[1],
                    "text": _colours(label)[2], "count": label_counts[label]} for label in labels],
        "nodes": nodes,
        "edges": edges,
        "centres": [index[c] for c in selection.centres if c in index],
        "depth": selection.depth,
        "candidates": selection.candidates,
        "leftOut": selection.left_out,
        "leftOutEdges": selection.left_out_edges,
    }


def node_radius(degree: int) -> float:
    """Drawn size, in layout units: grows with the square root of the links, so hubs stand out but fit."""
    return round(4 + 2.2 * math.sqrt(degree), 1)


def _label_order(label: str) -> tuple[int, str]:
    order = list(LABEL_COLOURS)
    return (order.index(label) if label in order else len(order), label)


def _colours(label: str) -> tuple[str, str, str]:
    return LABEL_COLOURS.get(label, _OTHER_COLOURS)


def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no `</script>`, no `<!--`, no HTML entities, no JS line breaks."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _resource(name: str) -> str:
    return resources.files("kg").joinpath("resources/view", name).read_text(encoding="utf-8")


def render_html(data: dict[str, object]) -> str:
    """The page: template, style and script from kg/resources/view/, the data as JSON."""
    script = _resource("view.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    # Only this page's script runs (by hash), nothing is fetched; images only as data: URLs.
    policy = f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:"
    values = {
        "policy": html.escape(policy),
        "title": html.escape(str(data["title"])),
        "style": _resource("view.css"),
        "data": script_json(data),
        "script": script,
    }
    # Split first, then fill: a marker that happens to be in a value is never expanded.
    pieces = _MARKER.split(_resource("view.html"))
    pieces[1::2] = [values[name] for name in pieces[1::2]]
    return "".join(pieces)


def write_view(
    graph: nx.MultiDiGraph,
    path: Path,
    around: str | None = None,
    depth: int = 1,
    max_nodes: int = DEFAULT_MAX_NODES,
    source_name: str = "graph",
) -> ViewSummary:
    """Write the page for `graph` (or the neighbourhood of `around`) to `path`, atomically."""
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise OutputError(f"{path}: kg view writes HTML (use a .html file name)")
    centres = None
    if around is not None:
        centres = find_nodes(graph, around)
        if not centres:
            raise InputError(f"nothing named {around!r} in {source_name} (give a method, dataset, metric or "
                             "task name or alias, a paper title, or a node key)")
    selection = select(graph, centres, depth, max_nodes)
    title = f"{source_name}: around {around}" if around else source_name
    data = page_data(graph, selection, title)
    page = render_html(data)
    try:
        with atomic_write(path) as handle:
            handle.write(page)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return ViewSummary(path, len(data["nodes"]), len(data["edges"]), selection)  # type: ignore[arg-type]
