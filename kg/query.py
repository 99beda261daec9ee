"""The Cypher cookbook (schemas/cookbook/*.cypher): named, parameterised, read-only queries.

Each file starts with comment lines: ``// name:``, ``// description:``, ``// params: k=v, ...``
(defaults, which also fix each parameter's type) and ``// expect: rows|any`` (whether the
query returns rows on the seed graph; the tests hold it to that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import neo4j

from kg.errors import InputError
from kg.schema import SCHEMA_PATH

COOKBOOK = SCHEMA_PATH.parent / "cookbook"
_HEADER = re.compile(r"^//\s*(name|description|params|expect):\s*(.*)$")


@dataclass(frozen=True)
class CookbookQuery:
    name: str
    description: str
    defaults: dict[str, object]
    expect_rows: bool
    cypher: str


def parse_value(text: str) -> object:
    """A parameter value from text: int, float, true/false, else the string itself."""
    text = text.strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?", text):
        return float(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def parse_query(path: Path) -> CookbookQuery:
    header: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADER.match(line)
        if m and not body:
            header[m.group(1)] = m.group(2).strip()
        else:
            body.append(line)
    defaults = {}
    for pair in filter(None, (p.strip() for p in header.get("params", "").split(","))):
        key, _, value = pair.partition("=")
        defaults[key.strip()] = parse_value(value)
    return CookbookQuery(
        header.get("name", path.stem),
        header.get("description", ""),
        defaults,
        header.get("expect", "rows") == "rows",
        "\n".join(body).strip(),
    )


def cookbook(directory: Path = COOKBOOK) -> dict[str, CookbookQuery]:
    queries = (parse_query(p) for p in sorted(directory.glob("*.cypher")))
    return {q.name: q for q in queries}


def bind(query: CookbookQuery, given: dict[str, str]) -> dict[str, object]:
    """The query's parameters: defaults, overridden by `given` and converted to the default's type."""
    unknown = set(given) - set(query.defaults)
    if unknown:
        raise InputError(
            f"query {query.name!r} has no parameter {sorted(unknown)[0]!r} "
            f"(it takes: {', '.join(query.defaults) or 'none'})"
        )
    params = dict(query.defaults)
    for key, raw in given.items():
        default = query.defaults[key]
        value = parse_value(raw)
        if isinstance(default, str):
            value = raw
        elif isinstance(default, float) and isinstance(value, int):
            value = float(value)
        elif type(value) is not type(default):
            raise InputError(f"parameter {key!r} of {query.name!r} takes a {type(default).__name__}, got {raw!r}")
        params[key] = value
    return params


def run_query(
    driver: neo4j.Driver, query: CookbookQuery, params: dict[str, object], database: str | None = None
) -> tuple[list[str], list[dict[str, object]]]:
    records, _, keys = driver.execute_query(
        query.cypher, parameters_=params, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return list(keys), [dict(r) for r in records]
