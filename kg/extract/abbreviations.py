"""Abbreviation definitions with the Schwartz & Hearst (2003) algorithm.

"Contrastive Language-Image Pre-training (CLIP)" and the reverse "CLIP (Contrastive
Language-Image Pre-training)" both give the pair (CLIP, Contrastive Language-Image
Pre-training), with character offsets. Pure functions; kg.extract.pipeline wires them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,200})\)")
_WORD = re.compile(r"\S+")
_LEADING_JUNK = re.compile(r"^(?:the|a|an|our|this|these|its|their)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Abbreviation:
    short: str
    short_start: int
    short_end: int
    long: str
    long_start: int
    long_end: int


def is_short_form(text: str) -> bool:
    """A plausible abbreviation: 2-10 chars (a few more for CamelCase), a letter, alnum start."""
    if not 2 <= len(text) <= 15 or " " in text.strip() and len(text.split()) > 2:
        return False
    if not text[0].isalnum() or not any(c.isalpha() for c in text):
        return False
    if len(text) > 10 and not any(c.isupper() for c in text[1:]):
        return False
    # "i.e.", "e.g.", "et al." and lower-case words are not abbreviations.
    return text.lower() not in {"ie", "eg", "i.e.", "e.g.", "et al.", "etc", "etc."} and (
        any(c.isupper() for c in text) or any(c.isdigit() for c in text)
    )


def best_long_form(short: str, candidate: str) -> int | None:
    """Start index in `candidate` of the shortest suffix that spells `short` (S&H's core loop).

    Walk both strings from the end: every alnum character of the short form must appear, in
    order, in the long form, and the first one must begin a word.
    """
    s = len(short) - 1
    index = len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while index >= 0 and (
            candidate[index].lower() != char or (s == 0 and index > 0 and candidate[index - 1].isalnum())
        ):
            index -= 1
        if index < 0:
            return None
        index -= 1
        s -= 1
    return candidate.rfind(" ", 0, index + 1) + 1


def _long_form(short: str, text: str, window_end: int) -> tuple[int, int] | None:
    """Offsets of the long form for `short`, looked for in the words ending at `window_end`."""
    max_words = min(len(short) + 5, len(short) * 2)
    words = list(_WORD.finditer(text, 0, window_end))[-max_words:]
    if not words:
        return None
    start0 = words[0].start()
    candidate = text[start0:window_end].rstrip()
    # Clauses end a long form: do not reach back across ";" or ", " before its words.
    cut = max(candidate.rfind(";"), candidate.rfind(". "))
    if cut >= 0:
        start0 += cut + 1
        candidate = text[start0:window_end].rstrip()
    rel = best_long_form(short, candidate)
    if rel is None:
        return None
    start = start0 + rel
    end = start0 + len(candidate)
    long = text[start:end]
    junk = _LEADING_JUNK.match(long)
    if junk:
        start += junk.end()
        long = text[start:end]
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return None
    if long.count(",") >= 2:
        return None  # a list, not a name ("MS-COCO, Flickr30K, MSR-VTT and VQA")
    if len(long.split()) > max_words:
        return None
    return start, end


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All abbreviation definitions in `text` (a sentence, or any span of prose)."""
    found = []
    for m in _PAREN.finditer(text):
        inside = m.group(1).strip()
        inside_start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
        # "(CLIP; Radford et al.)" or "(CLIP, for short)": the short form is the first part.
        first = re.split(r"[;,]\s", inside, maxsplit=1)[0].strip()
        if is_short_form(first):
            span = _long_form(first, text, m.start())
            if span:
                found.append(
                    Abbreviation(
                        first, inside_start, inside_start + len(first), text[span[0] : span[1]], span[0], span[1]
                    )
                )
            continue
        # Reverse order: "CLIP (Contrastive Language-Image Pre-training)".
        before = re.search(r"(\S+)\s*$", text[: m.start()])
        # A list in parentheses ("(MS-COCO, Flickr30K, ...)") defines nothing.
        if before and is_short_form(before.group(1)) and len(inside.split()) >= 2 and not re.search(r"[,;]", inside):
            short = before.group(1)
            rel = best_long_form(short, inside)
            if rel == 0 and len(inside.split()) <= min(len(short) + 5, len(short) * 2):
                found.append(
                    Abbreviation(
                        short, before.start(1), before.end(1), inside, inside_start, inside_start + len(inside)
                    )
                )
    return found
