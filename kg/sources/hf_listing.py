"""Reader for Hugging Face Papers listing pages saved as text.

Two layouts occur. Compact: title and abstract on consecutive lines. Spaced: title, blank,
abstract, blank, then optional metadata lines ("  • 8 authors", "·", "Mar 25, 2024 3", where a
trailing number is the upvote count). Page chrome ("Get trending papers...", "Subscribe",
"byAK and the research community", the page date) comes before the first title, and
"Subscribe" may be glued onto the first title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.sources.clean import MAX_ABSTRACT, MAX_TITLE, clean
from kg.sources.ids import MONTHS
from kg.types import Paper, Rejected

SOURCE = "hf-listing"

CHROME_LINES = {
    "new",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "trending papers",
}
_AUTHORS = re.compile(r"^\s*(?:[•·*-]\s*)?(\d+)\s+authors?\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*[·•]\s*$")
# "Mar 25, 2024", "Mar 25, 2024 3", "Sep 30 2", "May 13"
_DATE = re.compile(
    r"^\s*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})"
    r"(?:,\s*(\d{4}))?(?:\s+(\d+))?\s*$",
    re.IGNORECASE,
)
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")

MARKERS = ("get trending papers", "byak and the research community")


def looks_like_listing(head: str) -> bool:
    """True when the first part of a text file is a Hugging Face Papers listing."""
    low = head.lower()
    if any(marker in low for marker in MARKERS):
        return True
    return bool(re.search(r"^\s*•\s*\d+\s+authors?\s*$", head, re.MULTILINE))


@dataclass
class _Entry:
    title: str
    title_line: int
    abstract: str | None = None
    author_count: int | None = None
    upvotes: int | None = None
    date: str | None = None
    date_text: str | None = None


def _count(digits: str) -> int | None:
    """A count read from the page; None when it has more digits than a 64-bit integer holds (Neo4j
    and the other outputs store no more, and Python refuses to convert over 4300 digits)."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else None


def _parse_date(m: re.Match[str]) -> tuple[str | None, str, int | None]:
    month = MONTHS[m.group(1)[:3].lower()]
    day = int(m.group(2))
    year = m.group(3)
    upvotes = _count(m.group(4)) if m.group(4) else None
    text = f"{m.group(1)[:3].title()} {day}" + (f", {year}" if year else "")
    iso = f"{int(year):04d}-{month:02d}-{day:02d}" if year else None
    return iso, text, upvotes


def _is_abstract_like(line: str) -> bool:
    # An abstract is prose: long, or several sentences. A title is short and rarely ends in ".".
    return len(line) >= 200 or (len(line) >= 80 and line.count(". ") >= 1)


def iter_listing(lines: Iterable[str], path: str) -> Iterator[Paper | Rejected]:
    """Yield one Paper per title/abstract pair; metadata lines attach to the entry before them."""
    entry: _Entry | None = None
    seen_entry = False

    def finish(e: _Entry) -> Paper | Rejected:
        if not e.abstract:
            return Rejected(f"{path}:{e.title_line}", f"title without an abstract: {e.title[:60]!r}")
        title, title_notes = clean(e.title, MAX_TITLE)
        abstract, abstract_notes = clean(e.abstract, MAX_ABSTRACT)
        if not title or not abstract:
            empty = "abstract" if title else "title"
            return Rejected(f"{path}:{e.title_line}", f"no text left in the {empty} once cleaned")
        return Paper(
            title=title,
            abstract=abstract,
            warnings=tuple(dict.fromkeys(title_notes + abstract_notes)),
            origin=f"{path}:{e.title_line}",
            source=SOURCE,
            date=e.date,
            date_text=e.date_text if e.date is None else None,
            author_count=e.author_count,
            upvotes=e.upvotes,
        )

    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if not seen_entry:
            if line.lower() in CHROME_LINES or _DATE.match(line):
                continue
            line = _GLUED_SUBSCRIBE.sub("", line)
        if m := _AUTHORS.match(line):
            if entry is not None:
                entry.author_count = _count(m.group(1))
            continue
        if _SEPARATOR.match(line):
            continue
        if m := _DATE.match(line):
            if entry is not None:
                entry.date, entry.date_text, entry.upvotes = _parse_date(m)
            continue
        seen_entry = True
        if entry is not None and entry.abstract is None and _is_abstract_like(line):
            entry.abstract = line
            continue
        if entry is not None:
            yield finish(entry)
        entry = _Entry(title=line, title_line=lineno)
    if entry is not None:
        yield finish(entry)
