"""One Paper node per real paper: records seen twice (across files or sources) are merged.

Identity is the arXiv id, the DOI, the OpenAlex or Semantic Scholar id, else the normalised
title; a record matching an earlier one on any of these joins it. The first record's text wins
(evidence offsets point into it); later records fill metadata it lacks. The node key is chosen
at the end, from the best id known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.resolve.keys import slug, title_key
from kg.types import Paper, Rejected

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


class PaperIndex:
    """Collects papers as they stream in; `add` says whether the paper is new."""

    def __init__(self) -> None:
        self.merged: list[MergedPaper] = []
        self._by_id: dict[str, int] = {}

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
        index = self._by_id.get(identity)
        return None if index is None else self.merged[index]

    def add(self, paper: Paper) -> tuple[MergedPaper, bool]:
        identities = self.identities(paper)
        found = next((self._by_id[i] for i in identities if i in self._by_id), None)
        if found is None:
            entry = MergedPaper(paper=paper, index=len(self.merged), origins=[paper.origin], sources=[paper.source])
            self.merged.append(entry)
            is_new = True
        else:
            entry = self.merged[found]
            self._merge_into(entry, paper)
            is_new = False
        for identity in self.identities(entry.paper) + identities:
            self._by_id.setdefault(identity, entry.index)
        return entry, is_new

    @staticmethod
    def _merge_into(entry: MergedPaper, paper: Paper) -> None:
        entry.origins.append(paper.origin)
        if paper.source not in entry.sources:
            entry.sources.append(paper.source)
        first = entry.paper
        if title_key(first.title) != title_key(paper.title):
            entry.conflicts.append(Rejected(paper.origin, f"same id as {first.origin} but another title; first kept"))
        elif paper.abstract != first.abstract and len(paper.abstract) > 0:
            entry.conflicts.append(Rejected(paper.origin, f"abstract differs from {first.origin}; first kept"))
        updates: dict[str, object] = {}
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
