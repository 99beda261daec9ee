"""The immutable records that travel between kg's stages.

sources -> Paper; extract -> Mention (with Evidence); graph -> networkx nodes and edges.
Every record is hashable and built from its input alone, so the same input always gives the
same graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Record:
    """Base of kg's frozen records: pickled as one constructor call with the fields in order.

    Records cross process boundaries by the million (extraction workers, shard outputs); the
    default pickling of a slots dataclass restores every field through Python-level code, which
    made moving them cost a large part of the extraction itself.
    """

    __slots__: tuple[str, ...] = ()  # each record's own, set by @dataclass(slots=True)

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Paper(Record):
    """One paper as read from a source, before it becomes a graph node.

    `title` and `abstract` are the texts every evidence offset points into.
    `origin` is "path:line" of the record it was read from.
    """

    title: str
    abstract: str
    origin: str
    source: str
    source_id: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD, or YYYY-MM / YYYY when that is all we know)
    date_text: str | None = None  # the date as written, when it could not be made ISO
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    upvotes: int | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    openalex_id: str | None = None  # "W2741809807"
    s2_id: str | None = None  # Semantic Scholar corpus id
    references: tuple[str, ...] = ()  # identities of cited works ("openalex:W..."), when the source lists them
    warnings: tuple[str, ...] = ()  # what cleaning the text changed that a user should hear about


@dataclass(frozen=True, slots=True)
class PaperLink(Record):
    """A citation a source states between two works, by their identities ("s2:123" -> "s2:456")."""

    citing: str
    cited: str
    origin: str


@dataclass(frozen=True, slots=True)
class Rejected(Record):
    """A record a reader could not use: where it was and why."""

    origin: str  # "path:line"
    reason: str


@dataclass(frozen=True, slots=True)
class Evidence(Record):
    """Where a fact was read: offsets into `field` ("title" or "abstract"), and the rule."""

    field: str
    start: int
    end: int
    sentence: str
    rule: str
    confidence: float
    sentence_start: int = 0  # offset of `sentence` in the same field, to place the fact inside it

    def scored(self, rule: str, confidence: float) -> Evidence:
        """The same place, credited to `rule` with `confidence` (faster than dataclasses.replace)."""
        return Evidence(self.field, self.start, self.end, self.sentence, rule, confidence, self.sentence_start)


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """One thing a paper names, with the role the paper gives it and its evidence.

    `label` is a node label of the schema (Method, Dataset, Repository, ...); `relation` the
    relationship type from the paper (PROPOSES, USES, HAS_CODE, ...). `name` is the surface
    form; `aliases` other forms of the same thing seen in this paper (e.g. an abbreviation's
    long form). `attrs` holds label-specific properties (a repository's owner, a link's kind).
    """

    label: str
    relation: str
    name: str
    evidence: Evidence
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, object], ...] = field(default=())

    def attr(self, key: str, default: object = None) -> object:
        for k, v in self.attrs:
            if k == key:
                return v
        return default
