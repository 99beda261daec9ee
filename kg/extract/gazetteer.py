"""Well-known names (kg/resources/gazetteer/*.jsonl) matched with spaCy's PhraseMatcher.

Entries match case-insensitively (on LOWER) unless marked ``case_sensitive`` (on ORTH), so
"Adam" the optimiser is found but "adam" is not. Spelling variants are generated for hyphens
("ResNet-50" also matches "ResNet50" and "ResNet 50"). A PhraseMatcher is a trie over token
sequences: thousands of names cost about as much as a few.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

FILES = {"methods.jsonl": "Method", "datasets.jsonl": "Dataset", "metrics.jsonl": "Metric", "tasks.jsonl": "Task"}


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    label: str
    aliases: tuple[str, ...]
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class GazetteerHit:
    start: int  # character offsets in the doc
    end: int
    entries: tuple[Entry, ...]  # more than one when a surface form names things of two types


@cache
def load_entries() -> tuple[Entry, ...]:
    root = resources.files("kg").joinpath("resources/gazetteer")
    entries = []
    for file, label in FILES.items():
        node = root.joinpath(file)
        if not node.is_file():
            continue
        for line in node.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                entries.append(
                    Entry(raw["name"], label, tuple(raw.get("aliases", ())), bool(raw.get("case_sensitive")))
                )
    return tuple(entries)


def variants(surface: str) -> set[str]:
    """The spellings papers use for a hyphenated name: "ResNet-50" -> "ResNet50", "ResNet 50".

    Joining is only done next to a digit: joined letters can make an ordinary word
    ("MultiPL-E" -> "multiple").
    """
    out = {surface}
    if "-" in surface:
        out.add(surface.replace("-", " "))
        if re.search(r"\d-|-\d", surface):
            out.add(re.sub(r"(?<=\d)-|-(?=\d)", "", surface))
    return out


class GazetteerMatcher:
    """Finds gazetteer names in a Doc; the longest match wins where matches overlap."""

    def __init__(self, nlp: Language, entries: tuple[Entry, ...] | None = None):
        self.entries = entries if entries is not None else load_entries()
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._by_key: dict[int, list[Entry]] = {}
        lower_patterns: dict[str, set[str]] = {}
        exact_patterns: dict[str, set[str]] = {}
        for index, entry in enumerate(self.entries):
            key = f"kg_gaz_{index}"
            target = exact_patterns if entry.case_sensitive else lower_patterns
            target[key] = set().union(*(variants(s) for s in (entry.name, *entry.aliases)))
            self._by_key[nlp.vocab.strings.add(key)] = [entry]
        for matcher, patterns in ((self._lower, lower_patterns), (self._exact, exact_patterns)):
            for key, texts in patterns.items():
                matcher.add(key, [nlp.make_doc(t) for t in sorted(texts)])

    def __call__(self, doc: Doc) -> list[GazetteerHit]:
        by_span: dict[tuple[int, int], list[Entry]] = {}
        for matcher in (self._lower, self._exact):
            for match_id, start, end in matcher(doc):
                by_span.setdefault((start, end), []).extend(self._by_key[match_id])
        spans = filter_spans([doc[s:e] for s, e in by_span])
        hits = []
        for span in sorted(spans, key=lambda s: s.start):
            entries = tuple(dict.fromkeys(by_span[(span.start, span.end)]))
            hits.append(GazetteerHit(span.start_char, span.end_char, entries))
        return hits
