"""Inline citations: author-year references, arXiv identifiers and DOIs.

"(Alayrac et al., 2022)", "(Devlin et al., 2019; Radford et al. 2021)", "Harris, 1954",
"Sharma et al. 2018", "Wang et al. (2022)", "LaLonde (1986)", "Wager and Athey 2018",
"arXiv:2106.01345", "doi:10.1145/3292500.3330701". A DOI or arXiv id inside a URL is a link,
not a citation (kg.extract.links has it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.resolve.keys import slug

_SURNAME = (
    r"(?:(?:van|von|de|der|den|da|di|le|la|du)\s+)*(?:Mc|Mac|O'|La|Le|De|Di|Van)?[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?"
)
_AUTHORS = rf"{_SURNAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_SURNAME})?"
_YEAR = r"(?:19|20)\d{2}[a-z]?"
# "Devlin et al., 2019", "Harris, 1954", "Sharma et al. 2018", "Wager and Athey 2018".
_AUTHOR_YEAR = re.compile(rf"(?<![\w-])(?P<authors>{_AUTHORS}),?\s+(?P<year>{_YEAR})(?!\d)")
# "Wang et al. (2022)", "LaLonde (1986)".
_NARRATIVE = re.compile(rf"(?<![\w-])(?P<authors>{_AUTHORS})\s+\((?P<year>{_YEAR})\)")
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_ARXIV = re.compile(r"(?<![\w/.])arXiv:\s?(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.I)
_DOI = re.compile(r"(?<![\w/.])(?:doi:\s?)?(?P<doi>10\.\d{4,9}/[^\s\"<>,;)]+)", re.I)
_WEAK_SURNAMES = {
    "In",
    "Since",
    "From",
    "Until",
    "Before",
    "After",
    "During",
    "By",
    "Of",
    "The",
    "And",
    "Or",
    "On",
    "At",
    "To",
    "For",
    "With",
    "Summer",
    "Winter",
    "Spring",
    "Fall",
    "Autumn",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Task",
    "Track",
    "Challenge",
    "Shared",
    "Edition",
    "Version",
    "Release",
    "Workshop",
    "Conference",
}


@dataclass(frozen=True, slots=True)
class FoundCitation:
    text: str
    start: int
    end: int
    key: str  # the part after "cite:": "alayrac2022", "arxiv:2106.01345", "doi:10.1145/..."
    kind: str  # author-year | arxiv | doi
    first_author: str | None = None
    year: int | None = None


def _first_surname(authors: str) -> str:
    return re.split(r"\s+(?:et\s+al\.?|and|&)\s*", authors)[0].strip()


def _is_surname(authors: str) -> bool:
    """The first author's name is not an ordinary capitalised word ("In 2020", "Since 2019")."""
    return _first_surname(authors).split()[-1] not in _WEAK_SURNAMES


def find_citations(text: str, url_spans: list[tuple[int, int]]) -> list[FoundCitation]:
    found: list[FoundCitation] = []

    def inside_url(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in url_spans)

    # Most abstracts cite nothing: the cheap year test spares the author patterns.
    patterns = (_NARRATIVE, _AUTHOR_YEAR) if _ANY_YEAR.search(text) else ()
    for pattern in patterns:
        for m in pattern.finditer(text):
            authors, year = m.group("authors"), m.group("year")
            comma_form = "," in text[m.end("authors") : m.start("year")]
            multi = bool(re.search(r"et\s+al|\band\b|&", authors))
            if not (multi or comma_form or pattern is _NARRATIVE) or not _is_surname(authors):
                continue
            if any(c.start <= m.start() < c.end for c in found):
                continue
            surname = _first_surname(authors)
            found.append(
                FoundCitation(
                    m.group(0),
                    m.start(),
                    m.end(),
                    f"{slug(surname).replace('-', '')}{year}",
                    "author-year",
                    surname,
                    int(year[:4]),
                )
            )
    lowered = text.lower()
    for m in _ARXIV.finditer(text) if "arxiv" in lowered else ():
        if not inside_url(m.start(), m.end()):
            ident = re.sub(r"v\d+$", "", m.group("id"))
            found.append(FoundCitation(m.group(0), m.start(), m.end(), f"arxiv:{ident}", "arxiv"))
    for m in _DOI.finditer(text) if "10." in text else ():
        if not inside_url(m.start(), m.end()):
            doi = m.group("doi").rstrip(".").lower()
            found.append(
                FoundCitation(
                    m.group(0).rstrip("."), m.start(), m.start() + len(m.group(0).rstrip(".")), f"doi:{doi}", "doi"
                )
            )
    return sorted(found, key=lambda c: c.start)
