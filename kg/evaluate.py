"""Score extraction against a hand-annotated gold file (see tests/fixtures/gold/GUIDELINES.md).

Each gold record holds a title, an abstract and, per category, the items a careful reader
would list. An item is a name, or a list of names for one thing (a long form and its
abbreviation). kg extracts from the same texts, runs the same corpus-level resolution that
`kg build` runs over them, and each predicted item is matched one-to-one to a gold item:
names compare case-insensitively, ignoring hyphens, spaces, dots and underscores; results
compare by value; citations by their letters and digits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.resolve.keys import name_key as norm_name

CATEGORIES = ("proposed", "methods", "datasets", "metrics", "tasks", "repos", "links", "results", "citations")
LABEL_CATEGORY = {"Method": "methods", "Dataset": "datasets", "Metric": "metrics", "Task": "tasks"}


def norm_citation(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold().replace("et al", "etal"))


def norm_url(text: str) -> str:
    text = text.casefold().split("://", 1)[-1].removeprefix("www.")
    return text.rstrip("/.,)")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)
    hits: list[bool] = field(default_factory=list)  # per predicted item, in order: matched a gold item?

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class GoldRecord:
    id: str
    origin: str
    title: str
    abstract: str
    items: dict[str, list]


def load_gold(path: Path) -> list[GoldRecord]:
    """Records from a gold .jsonl file, or from every .jsonl file in a directory (sorted)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputError(f"{path}: no gold .jsonl file found")
    records = []
    for file in files:
        for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                records.append(
                    GoldRecord(
                        raw["id"],
                        raw.get("origin", "unknown"),
                        raw["title"],
                        raw["abstract"],
                        {c: raw.get(c, []) for c in CATEGORIES},
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{file}:{lineno}: not a gold record ({exc})") from exc
    return records


def _alternatives(item: object, normalise) -> set[str]:
    names = item if isinstance(item, list) else [item]
    return {normalise(str(n)) for n in names if str(n).strip()}


def match(gold: Iterable[object], predicted: Iterable[set[str]], shown: list[str], normalise) -> Score:
    """One-to-one matching of predicted items (sets of names) to gold items (name or list of names)."""
    gold_sets = [(_alternatives(g, normalise), g) for g in gold]
    score = Score()
    unmatched = list(range(len(gold_sets)))
    for pred, label in zip(predicted, shown, strict=True):
        hit = next((i for i in unmatched if gold_sets[i][0] & pred), None)
        score.hits.append(hit is not None)
        if hit is None:
            score.fp += 1
            score.false_positives.append(label)
        else:
            unmatched.remove(hit)
            score.tp += 1
    score.fn = len(unmatched)
    score.false_negatives = [str(gold_sets[i][1]) for i in unmatched]
    return score


def match_values(gold: list[dict], predicted: list[float]) -> Score:
    score = Score()
    remaining = [float(g["value"]) for g in gold]
    for value in predicted:
        hit = next((i for i, g in enumerate(remaining) if abs(g - value) <= 1e-6 * max(1.0, abs(g))), None)
        score.hits.append(hit is not None)
        if hit is None:
            score.fp += 1
            score.false_positives.append(repr(value))
        else:
            remaining.pop(hit)
            score.tp += 1
    score.fn = len(remaining)
    score.false_negatives = [repr(v) for v in remaining]
    return score


Predicted = dict[str, tuple[list[set[str]], list[str], list[str]]]


def predicted_items(mentions) -> Predicted:
    """Per category: one set of names per distinct predicted thing, a label to show for it, and
    the rule that found it (the first mention's)."""
    out: Predicted = {c: ([], [], []) for c in CATEGORIES}
    seen: dict[str, set[str]] = {c: set() for c in CATEGORIES}
    rule = ""

    def add(category: str, identity: str, names: set[str], shown: str) -> None:
        if identity in seen[category]:
            return
        seen[category].add(identity)
        out[category][0].append(names)
        out[category][1].append(shown)
        out[category][2].append(rule)

    for m in mentions:
        rule = m.evidence.rule
        names = {m.name, *m.aliases}
        if m.label in LABEL_CATEGORY:
            norm = {norm_name(n) for n in names}
            add(LABEL_CATEGORY[m.label], f"{m.label}:{norm_name(m.name)}", norm, m.name)
            if m.relation == "PROPOSES":
                add("proposed", norm_name(m.name), norm, m.name)
        elif m.label == "Repository":
            add("repos", m.name, {norm_url(m.name)}, m.name)
        elif m.label == "Link":
            add("links", m.name, {norm_url(m.name)}, m.name)
        elif m.label == "Citation":
            text = str(m.attr("text", m.name))
            add("citations", m.name, {norm_citation(text)}, text)
    return out


@dataclass
class EvalReport:
    scores: dict[str, dict[str, Score]]  # split ("all", "seeds", "external") -> category -> score
    records: int
    rules: dict[str, list[int]] = field(default_factory=dict)  # rule -> [matched, predicted]

    def calibration(self) -> dict[str, float]:
        """Precision of each rule, smoothed ((matched + 1) / (predicted + 2)): its confidence."""
        return {rule: round((tp + 1) / (n + 2), 3) for rule, (tp, n) in sorted(self.rules.items())}

    def as_dict(self) -> dict:
        return {
            "records": self.records,
            "splits": {split: {c: s.as_dict() for c, s in cats.items()} for split, cats in self.scores.items()},
            "rules": {rule: {"matched": tp, "predicted": n} for rule, (tp, n) in sorted(self.rules.items())},
        }


def evaluate(records: list[GoldRecord]) -> EvalReport:
    """Extract from every gold text, resolve as `kg build` does, and score each category."""
    from kg.extract import Extractor
    from kg.resolve.typing import CorpusVotes, resolve_paper

    extractions = list(Extractor().extract_texts((r.title, r.abstract) for r in records))
    corpus = CorpusVotes.of(extractions)
    splits = ["all", *sorted({r.origin for r in records})]
    scores = {split: {c: Score() for c in CATEGORIES} for split in splits}
    rules: dict[str, list[int]] = {}
    for record, extraction in zip(records, extractions, strict=True):
        mentions, results = resolve_paper(extraction, corpus)
        predicted = predicted_items(mentions)
        for category in CATEGORIES:
            if category == "results":
                score = match_values(record.items["results"], [r.value for r in results])
                used = [r.evidence.rule for r in results]
            else:
                normalise = {"repos": norm_url, "links": norm_url, "citations": norm_citation}.get(category, norm_name)
                sets, shown, used = predicted[category]
                score = match(record.items[category], sets, shown, normalise)
            for rule_name, hit in zip(used, score.hits, strict=True):
                # A proposal rule is judged on the proposed list; in a type list only typing paths count.
                if category in ("proposed", "repos", "links", "results", "citations") or "/" in rule_name:
                    counts = rules.setdefault(rule_name, [0, 0])
                    counts[0] += hit
                    counts[1] += 1
            score.false_positives = [f"{record.id}: {x}" for x in score.false_positives]
            score.false_negatives = [f"{record.id}: {x}" for x in score.false_negatives]
            for split in ("all", record.origin):
                scores[split][category].add(score)
    return EvalReport(scores, len(records), rules)
