"""Decide what each named thing is, pooling evidence across the corpus, and give it its role.

Within a paper, every mention of a name votes with its cues (kg.extract.entities). A name the
paper itself types clearly keeps that type; a name it leaves open takes the type the whole
corpus gives it (a name typed as a dataset by strong cues in one paper is a dataset in the
others); a name nobody types is dropped. Then each mention gets its relationship from the paper:
PROPOSES when the paper introduces it, else USES / EVALUATES_ON / MEASURES / ADDRESSES by type.
Results are tied to the metric, dataset and method their sentence names.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kg.extract import Candidate, Extraction, ResultFact
from kg.extract.entities import Votes
from kg.resolve.keys import name_key
from kg.types import Evidence, Mention

ROLE = {"Method": "USES", "Dataset": "EVALUATES_ON", "Metric": "MEASURES", "Task": "ADDRESSES"}
LOCAL_MIN = 1.0  # summed cue weight a paper must give a label to decide it alone
CORPUS_MIN = 1.5
CORPUS_SHARE = 0.6


@cache
def calibration() -> dict[str, float]:
    """Confidence per decision path, measured as precision on the dev gold (kg eval --calibrate)."""
    node = resources.files("kg").joinpath("resources/calibration.json")
    return json.loads(node.read_text(encoding="utf-8")) if node.is_file() else {}


@lru_cache(maxsize=4096)  # a handful of rule paths, asked once per fact
def confidence(path: str, default: float) -> float:
    return float(calibration().get(path, default))


def _key(candidate: Candidate) -> str:
    return name_key(candidate.canonical or candidate.name)


class CorpusVotes:
    """Type votes of every paper, pooled by normalised name."""

    def __init__(self) -> None:
        self.votes: dict[str, Votes] = defaultdict(Votes)

    def add(self, extraction: Extraction) -> None:
        for c in extraction.candidates:
            for label, weight in c.votes:
                self.votes[_key(c)][label] += weight
            if c.proposed:
                self.votes[_key(c)][c.proposed] += 2.0

    def label(self, name_key: str) -> str | None:
        votes = self.votes.get(name_key)
        if not votes:
            return None
        label, top = votes.most_common(1)[0]
        total = sum(votes.values())
        return label if top >= CORPUS_MIN and top / total >= CORPUS_SHARE else None

    @classmethod
    def of(cls, extractions: Iterable[Extraction]) -> CorpusVotes:
        corpus = cls()
        for e in extractions:
            corpus.add(e)
        return corpus


@dataclass(frozen=True, slots=True)
class ResolvedResult:
    value: float
    raw: str
    unit: str | None
    evidence: Evidence
    metric: Mention | None
    dataset: Mention | None
    method: Mention | None


def _decide(cands: list[Candidate], corpus: CorpusVotes) -> tuple[str, str] | None:
    """(label, decision path) for one name in one paper, or None to drop it."""
    proposed = next((c.proposed for c in cands if c.proposed), None)
    if proposed:
        return proposed, "proposed"
    local: dict[str, float] = {}
    label: str | None  # a cue's label, then the corpus's, which may be none
    for c in cands:
        for label, weight in c.votes:
            local[label] = local.get(label, 0.0) + weight
    if local:
        label, top = max(local.items(), key=lambda kv: kv[1])  # the first of equals, as most_common
        if top >= LOCAL_MIN:
            return label, "cues"
    label = corpus.label(_key(cands[0]))
    if label:
        return label, "corpus"
    return None


def resolve_paper(extraction: Extraction, corpus: CorpusVotes) -> tuple[list[Mention], list[ResolvedResult]]:
    """Final mentions (with labels and roles) and results for one paper."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in extraction.candidates:
        groups[_key(c)].append(c)
    mentions: list[Mention] = [
        Mention(m.label, m.relation, m.name, m.evidence.scored(m.evidence.rule, confidence(m.evidence.rule,
                m.evidence.confidence)), m.aliases, m.attrs)
        for m in extraction.mentions
    ]
    named: list[Mention] = []
    long_of = dict(extraction.abbreviations)
    for cands in groups.values():
        decision = _decide(cands, corpus)
        if decision is None:
            continue
        label, path = decision
        proposed = any(c.proposed for c in cands)
        relation = "PROPOSES" if proposed else ROLE[label]
        canonical = next((c.canonical for c in cands if c.canonical), None)
        name = canonical or Counter(c.name for c in cands).most_common(1)[0][0]
        aliases = tuple(sorted({a for c in cands for a in (c.name, *c.aliases)} - {name}))
        own_long = next((long_of[c.name] for c in cands if c.name in long_of), None)
        attrs = (("long_form", own_long),) if own_long else ()
        for c in cands:
            rule = c.evidence.rule if proposed and c.evidence.confidence else f"{c.evidence.rule}/{path}"
            conf = confidence(rule, c.evidence.confidence or 0.6)
            ev = c.evidence.scored(rule, conf)
            named.append(Mention(label, relation, name, ev, aliases=aliases, attrs=attrs))
    mentions.extend(named)
    result_confidence = confidence("result", 0.85)
    results = [ResultFact(r.value, r.raw, r.unit, r.evidence.scored(r.evidence.rule, result_confidence))
               for r in extraction.results]
    return mentions, [_link_result(r, named) for r in results]


_OWN_VOICE = re.compile(r"\b(?:our|we|ours|the proposed|this (?:model|method|approach))\b|^(?:it|this)\b", re.I)
# A method right after these is the one being beaten, not the one that scored.
_BASELINE_CUE = re.compile(
    r"(?:outperform\w*|surpass\w*|beat\w*|than|over|compared (?:to|with)|versus|vs\.?|"
    r"relative to|baselines?(?: such as| like| including)?)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)


def _link_result(result: ResultFact, named: list[Mention]) -> ResolvedResult:
    ev = result.evidence
    # Same field and same sentence start: the same sentence (ints compare faster than sentences).
    same = [m for m in named if m.evidence.sentence_start == ev.sentence_start and m.evidence.field == ev.field]

    def nearest(label: str, prefer_after: bool = False) -> Mention | None:
        options = [m for m in same if m.label == label]
        if not options:
            return None
        if prefer_after:
            after = [m for m in options if 0 <= m.evidence.start - ev.end <= 40]
            if after:
                return min(after, key=lambda m: m.evidence.start)
        return min(options, key=lambda m: abs(m.evidence.start - ev.start))

    def is_baseline(m: Mention) -> bool:
        left = ev.sentence[: max(0, m.evidence.start - ev.sentence_start)]
        return bool(_BASELINE_CUE.search(left))

    achievers = [m for m in same if m.label == "Method" and not is_baseline(m)]
    method = min(achievers, key=lambda m: abs(m.evidence.start - ev.start)) if achievers else None
    if method is None and _OWN_VOICE.search(ev.sentence):
        method = next((m for m in named if m.relation == "PROPOSES" and m.label == "Method"), None)
    return ResolvedResult(
        result.value, result.raw, result.unit, ev, nearest("Metric", prefer_after=True), nearest("Dataset"), method
    )
