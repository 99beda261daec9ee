"""Turn one loose record (a JSON object or a CSV row) into a Paper.

Understands the generic shape (title, abstract, id, authors, date, url, doi, categories) and
the arXiv metadata snapshot's (id, authors_parsed, categories as one string, versions,
update_date), so `arxiv-metadata-oai-snapshot.json` is read unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kg.sources import ids
from kg.types import Paper, Rejected

_WS = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """Collapse the hard line wraps and runs of white space that dumps carry."""
    if value is None:
        return ""
    return _WS.sub(" ", str(value)).strip()


def _authors(record: Mapping[str, Any]) -> tuple[str, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for part in parsed:
            if isinstance(part, list) and part:
                last, first = str(part[0]).strip(), str(part[1]).strip() if len(part) > 1 else ""
                names.append(clean_text(f"{first} {last}"))
        if names:
            return tuple(n for n in names if n)
    raw = record.get("authors")
    if isinstance(raw, list):
        out = []
        for a in raw:
            if isinstance(a, Mapping):
                a = a.get("name") or a.get("display_name") or ""
            out.append(clean_text(a))
        return tuple(a for a in out if a)
    if isinstance(raw, str) and raw.strip():
        parts = re.split(r",\s*|\s+and\s+|;\s*", clean_text(raw))
        return tuple(p for p in parts if p)
    return ()


def _categories(record: Mapping[str, Any]) -> tuple[str, ...]:
    raw = record.get("categories")
    if isinstance(raw, str):
        return tuple(raw.split())
    if isinstance(raw, list):
        return tuple(str(c).strip() for c in raw if str(c).strip())
    return ()


def _date(record: Mapping[str, Any]) -> str | None:
    versions = record.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], Mapping):
        first = ids.iso_date(str(versions[0].get("created", "")))
        if first:
            return first
    for name in ("date", "published", "publication_date", "update_date", "year"):
        value = record.get(name)
        if value not in (None, ""):
            iso = ids.iso_date(str(value))
            if iso:
                return iso
    return None


def paper_from_record(record: Any, origin: str, source: str) -> Paper | Rejected:
    """A Paper from a mapping with at least a title and an abstract, else a Rejected."""
    if not isinstance(record, Mapping):
        return Rejected(origin, f"expected an object with title and abstract, got {type(record).__name__}")
    title = clean_text(record.get("title"))
    abstract = clean_text(record.get("abstract"))
    if not title:
        return Rejected(origin, "record has no title")
    if not abstract:
        return Rejected(origin, "record has no abstract")
    raw_id = clean_text(record.get("id")) or None
    url = clean_text(record.get("url")) or None
    arxiv = ids.arxiv_id(raw_id) or ids.arxiv_id(url) or ids.arxiv_id(clean_text(record.get("arxiv_id")))
    if arxiv is None and raw_id and source == "arxiv":
        arxiv = raw_id
    doi = ids.doi(clean_text(record.get("doi"))) or (ids.doi(url) if url and "doi" in url else None)
    if url is None and arxiv:
        url = f"https://arxiv.org/abs/{arxiv}"
    authors = _authors(record)
    return Paper(
        title=title,
        abstract=abstract,
        origin=origin,
        source=source,
        source_id=raw_id,
        arxiv_id=arxiv,
        doi=doi,
        date=_date(record),
        authors=authors,
        author_count=len(authors) or None,
        url=url,
        categories=_categories(record),
    )


def is_arxiv_snapshot_record(record: Any) -> bool:
    return isinstance(record, Mapping) and "versions" in record and "id" in record and "abstract" in record
