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
from kg.sources.clean import MAX_ABSTRACT, MAX_TITLE, clean
from kg.types import Paper, PaperLink, Rejected

_WS = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """Collapse the hard line wraps and runs of white space that dumps carry."""
    if value is None:
        return ""
    return _WS.sub(" ", str(value)).strip()


def _list(value: Any) -> list:
    """`value` if it is a list, else none: a field of the wrong type (a number, a string) holds no items."""
    return value if isinstance(value, list) else []


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


def openalex_abstract(index: Any) -> str:
    """OpenAlex ships abstracts as {word: [positions]}: put the words back in order."""
    if not isinstance(index, Mapping):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int):
                placed[position] = str(word)
    return " ".join(placed[i] for i in sorted(placed))


def _short_openalex(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).rstrip("/").rsplit("/", 1)[-1]
    return text if re.fullmatch(r"[WwAaSsIi]\d+", text) else None


def _from_openalex(record: Mapping[str, Any]) -> dict[str, Any]:
    """The generic fields of an OpenAlex work record."""
    authors = [a.get("author", {}).get("display_name") for a in _list(record.get("authorships"))
               if isinstance(a, Mapping) and isinstance(a.get("author"), Mapping)]
    ids = record.get("ids")
    ids = ids if isinstance(ids, Mapping) else {}
    topic = record.get("primary_topic")
    topic = topic if isinstance(topic, Mapping) else {}
    return {
        "title": record.get("title") or record.get("display_name"),
        "abstract": record.get("abstract") or openalex_abstract(record.get("abstract_inverted_index")),
        "id": record.get("id"),
        "doi": record.get("doi") or ids.get("doi"),
        "date": record.get("publication_date") or record.get("publication_year"),
        "authors": [a for a in authors if a],
        "url": record.get("id"),
        "categories": [topic["display_name"]] if topic.get("display_name") else [],
    }


def _from_s2(record: Mapping[str, Any]) -> dict[str, Any]:
    """The generic fields of a Semantic Scholar paper (Academic Graph dataset or API)."""
    ext = record.get("externalids") or record.get("externalIds") or {}
    ext = ext if isinstance(ext, Mapping) else {}
    fields = _list(record.get("s2fieldsofstudy") or record.get("fieldsOfStudy"))
    categories = [f.get("category") if isinstance(f, Mapping) else f for f in fields if f]
    return {
        "title": record.get("title"),
        "abstract": record.get("abstract"),
        "id": str(record.get("corpusid") or record.get("corpusId") or ext.get("CorpusId") or record.get("paperId")),
        "arxiv_id": ext.get("ArXiv"),
        "doi": ext.get("DOI"),
        "date": record.get("publicationdate") or record.get("publicationDate") or record.get("year"),
        "authors": record.get("authors") or [],
        "url": record.get("url"),
        "categories": sorted({str(c) for c in categories if c}),
    }


def record_kind(record: Any) -> str:
    """Which source a JSON record comes from: arxiv, openalex, s2, s2-citation or json."""
    if not isinstance(record, Mapping):
        return "json"
    if "citingcorpusid" in record and "citedcorpusid" in record:
        return "s2-citation"
    if "abstract_inverted_index" in record or str(record.get("id", "")).startswith("https://openalex.org/"):
        return "openalex"
    if "corpusid" in record or "externalids" in record or "paperId" in record:
        return "s2"
    if is_arxiv_snapshot_record(record):
        return "arxiv"
    return "json"


def link_from_record(record: Mapping[str, Any], origin: str) -> PaperLink | Rejected:
    citing, cited = record.get("citingcorpusid"), record.get("citedcorpusid")
    if citing in (None, "") or cited in (None, ""):
        return Rejected(origin, "citation record without both corpus ids")
    return PaperLink(f"s2:{citing}", f"s2:{cited}", origin)


def _is_text(value: Any) -> bool:
    """Missing, a string, or a number (a title "1984" may come as one); a list or an object is not."""
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _json_type(value: Any) -> str:
    return {list: "a list", dict: "an object", bool: "a boolean"}.get(type(value), type(value).__name__)


def paper_from_record(record: Any, origin: str, source: str) -> Paper | Rejected:
    """A Paper from a mapping with at least a title and an abstract, else a Rejected."""
    if not isinstance(record, Mapping):
        return Rejected(origin, f"expected an object with title and abstract, got {type(record).__name__}")
    references: tuple[str, ...] = ()
    openalex_id = s2_id = None
    if source == "openalex":
        openalex_id = _short_openalex(record.get("id"))
        references = tuple(f"openalex:{w}" for w in map(_short_openalex, _list(record.get("referenced_works"))) if w)
        record = _from_openalex(record)
    elif source == "s2":
        record = _from_s2(record)
        s2_id = record["id"] if record["id"] not in ("None", "") else None
    for name in ("title", "abstract"):
        if not _is_text(record.get(name)):
            return Rejected(origin, f"{name} is {_json_type(record.get(name))}, not text")
    title, title_notes = clean(str(record.get("title") or ""), MAX_TITLE)
    abstract, abstract_notes = clean(str(record.get("abstract") or ""), MAX_ABSTRACT)
    if not title:
        return Rejected(origin, "record has no title")
    if not abstract:
        return Rejected(origin, "record has no abstract")
    raw_id = clean_text(record.get("id")) or None
    url = clean_text(record.get("url")) or None
    arxiv_field = clean_text(record.get("arxiv_id"))
    arxiv = (ids.arxiv_id(raw_id) or ids.arxiv_id(url) or ids.arxiv_id(arxiv_field)
             or ids.arxiv_id(f"arXiv:{arxiv_field}"))
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
        openalex_id=openalex_id,
        s2_id=s2_id,
        references=references,
        warnings=tuple(dict.fromkeys(title_notes + abstract_notes)),
    )


def is_arxiv_snapshot_record(record: Any) -> bool:
    return isinstance(record, Mapping) and "versions" in record and "id" in record and "abstract" in record
