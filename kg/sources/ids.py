"""Recognise and normalise paper identifiers and dates found in input records."""

from __future__ import annotations

import re
from datetime import datetime

# New-style arXiv ids (2007+: YYMM.NNNNN) and old-style (hep-th/9901001), with optional version.
_ARXIV_NEW = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\w.])")
_ARXIV_OLD = re.compile(r"(?<![\w.-])([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?!\w)")
_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)

MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def arxiv_id(value: str | None) -> str | None:
    """The bare arXiv id in `value` ("arXiv:2312.11556v2", "https://arxiv.org/abs/2312.11556")."""
    if not value:
        return None
    value = value.strip()
    m = _ARXIV_NEW.search(value)
    if m and (value == m.group(0) or "arxiv" in value.lower()):
        return m.group(1)
    m = _ARXIV_OLD.search(value)
    if m and (value == m.group(0) or "arxiv" in value.lower()):
        return m.group(1)
    return None


def doi(value: str | None) -> str | None:
    """The DOI in `value`, lower-cased (DOIs are case-insensitive), without a URL prefix."""
    if not value:
        return None
    m = _DOI.search(value.strip())
    if not m:
        return None
    return m.group(1).rstrip(".,;)]").lower()


def iso_date(value: str | None) -> str | None:
    """An ISO date from the shapes sources use: 2024-03-25, 2024-03-25T.., 'Mon, 2 Apr 2007 ..'."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if m:
        return "-".join(g for g in m.groups() if g)
    for fmt in ("%a, %d %b %Y %H:%M:%S %Z", "%d %b %Y", "%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def year_of(date: str | None) -> int | None:
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    return None
