"""One Paper node per real paper: records seen twice (across files or sources) are merged.

Identity is the arXiv id, the DOI, the OpenAlex or Semantic Scholar id, else the normalised
title; a record matching an earlier one on any of these joins it. The first record's text wins
(evidence offsets point into it); later records fill metadata it lacks. The node key is chosen
at the end, from the best id known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kg.resolve.keys import slug, title_key
from kg.types import Paper, PaperLink, Rejected

_FILLABLE = ("source_id", "arxiv_id", "doi", "openalex_id", "s2_id", "date", "date_text", "author_count", "upvotes",
             "url")


@dataclass(slots=True)
class MergedPaper:
    paper: Paper  # the first record, with metadata filled in from later ones
    index: int  # position of first appearance: stable order for everything downstream
    origins: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    conflicts: list[Rejected] = field(default_factory=list)  # later records that disagree with the first

    @property
    def key(self) -> str:
        p = self.paper
        if p.arxiv_id:
            return f"paper:arxiv:{p.arxiv_id}"
        if p.doi:
            return f"paper:doi:{p.doi}"
        if p.openalex_id:
            return f"paper:openalex:{p.openalex_id}"
        if p.s2_id:
            return f"paper:s2:{p.s2_id}"
        return f"paper:{slug(p.title)}"


class IdentityIndex:
    """Which paper each identity names: a record joins the paper its first known identity names,
    else it is a new paper (numbered 0, 1, ... in order of first appearance)."""

    def __init__(self, digests: bool = False) -> None:
        # With `digests`, identities are held as 128-bit hashes (a third of a title's string; a
        # collision is as likely as guessing a random 128-bit key): for corpora of millions.
        self._by_id: dict[str | int, int] = {}
        self._held: Callable[[str], str | int] = _digest if digests else str
        self.count = 0

    def assign(self, identities: list[str]) -> tuple[int, bool]:
        """(paper number, whether it is new) for a record known by `identities`, best first.

        Every identity a record brings is remembered for the paper it joins (an identity another
        paper already holds stays with that one); the merged paper's own identities are always
        among those, so they need no second registration.
        """
        held = [self._held(i) for i in identities]
        found = next((self._by_id[i] for i in held if i in self._by_id), None)
        number = self.count if found is None else found
        self.count += found is None
        for identity in held:
            self._by_id.setdefault(identity, number)
        return number, found is None

    def find(self, identity: str) -> int | None:
        return self._by_id.get(self._held(identity))


def _digest(identity: str) -> int:
    return int.from_bytes(hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16).digest())


class PaperIndex:
    """Collects papers as they stream in; `add` says whether the paper is new."""

    def __init__(self) -> None:
        self.merged: list[MergedPaper] = []
        self._ids = IdentityIndex()

    @staticmethod
    def identities(paper: Paper) -> list[str]:
        """What a paper is known by, best first. Records sharing any of these are one paper."""
        out = []
        if paper.arxiv_id:
            out.append(f"arxiv:{paper.arxiv_id}")
        if paper.doi:
            out.append(f"doi:{paper.doi}")
        if paper.openalex_id:
            out.append(f"openalex:{paper.openalex_id}")
        if paper.s2_id:
            out.append(f"s2:{paper.s2_id}")
        out.append(f"title:{title_key(paper.title)}")
        return out

    def find(self, identity: str) -> MergedPaper | None:
        """The paper known by an identity ("arxiv:2106.01345", "openalex:W123", "s2:42")."""
        index = self._ids.find(identity)
        return None if index is None else self.merged[index]

    def number(self, identity: str) -> int | None:
        """The number (entry index) of the paper known by an identity."""
        return self._ids.find(identity)

    def add(self, paper: Paper) -> tuple[MergedPaper, bool]:
        number, is_new = self._ids.assign(self.identities(paper))
        if is_new:
            entry = self.start(paper, number)
            self.merged.append(entry)
        else:
            entry = self.merged[number]
            self.merge_into(entry, paper)
        return entry, is_new

    @staticmethod
    def start(paper: Paper, index: int) -> MergedPaper:
        """The entry of a paper seen for the first time."""
        return MergedPaper(paper=paper, index=index, origins=[paper.origin], sources=[paper.source])

    @staticmethod
    def merge_into(entry: MergedPaper, paper: Paper) -> None:
        """A later record of the same paper: listed as an origin, fills metadata the entry lacks;
        a different title or abstract is a conflict (the first record is kept)."""
        entry.origins.append(paper.origin)
        if paper.source not in entry.sources:
            entry.sources.append(paper.source)
        first = entry.paper
        if title_key(first.title) != title_key(paper.title):
            entry.conflicts.append(Rejected(paper.origin, f"same id as {first.origin} but another title; first kept"))
        elif paper.abstract != first.abstract and len(paper.abstract) > 0:
            entry.conflicts.append(Rejected(paper.origin, f"abstract differs from {first.origin}; first kept"))
        updates: dict[str, Any] = {}  # Paper field -> value, each of its field's own type
        for name in _FILLABLE:
            if getattr(first, name) is None and getattr(paper, name) is not None:
                updates[name] = getattr(paper, name)
        if not first.authors and paper.authors:
            updates["authors"] = paper.authors
        if not first.categories and paper.categories:
            updates["categories"] = paper.categories
        if paper.references:
            updates["references"] = tuple(dict.fromkeys(first.references + paper.references))
        if updates:
            entry.paper = replace(first, **updates)

    def __len__(self) -> int:
        return len(self.merged)


def paper_links(number: Callable[[str], int | None], stated: Iterable[PaperLink],
                papers: Iterable[Paper]) -> list[tuple[int, int]]:
    """(citing, cited) paper numbers for the citations sources state between papers of the corpus:
    citation records (Semantic Scholar), then each paper's references (OpenAlex), in paper order.
    `number` finds a paper by identity; `papers` are the merged papers, in order."""
    pairs = [(link.citing, link.cited) for link in stated]
    pairs += [(f"openalex:{p.openalex_id}", ref) for p in papers if p.openalex_id for ref in p.references]
    out = []
    for citing, cited in pairs:
        a, b = number(citing), number(cited)
        if a is not None and b is not None and a != b:
            out.append((a, b))
    return out
