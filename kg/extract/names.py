"""What a name looks like: word splitting, name shapes, name phrases, generic terms.

Pure functions shared by the rule components. A *distinctive* word carries its name-ness in its
shape (StarVector, CLIP, mPLUG, GPT-4, W2PGNN); a *capitalised* word (Visual, Genome) is a name
only in company or in a naming context.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

# Words keep internal hyphens, dots, slashes, plus and ampersands: "SVG-Bench", "ViT-B/16",
# "mPLUG-DocOwl", "Vision&Language", "1.5", "C++".
WORD = re.compile(r"[\w](?:[\w+]|[-./&](?=\w))*\+*|[^\w\s]")

# Capitalised function words that begin sentences or titles and never start a name.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "we",
        "our",
        "this",
        "these",
        "those",
        "that",
        "it",
        "its",
        "in",
        "on",
        "of",
        "for",
        "to",
        "with",
        "by",
        "from",
        "and",
        "or",
        "but",
        "as",
        "at",
        "is",
        "are",
        "be",
        "been",
        "via",
        "using",
        "based",
        "towards",
        "toward",
        "when",
        "what",
        "how",
        "why",
        "which",
        "while",
        "where",
        "can",
        "do",
        "does",
        "not",
        "no",
        "all",
        "any",
        "each",
        "every",
        "both",
        "more",
        "most",
        "less",
        "than",
        "then",
        "there",
        "here",
        "into",
        "onto",
        "over",
        "under",
        "new",
        "novel",
        "first",
        "second",
        "third",
        "finally",
        "however",
        "moreover",
        "furthermore",
        "specifically",
        "additionally",
        "experiments",
        "experimental",
        "results",
        "extensive",
        "existing",
        "recent",
        "previous",
        "prior",
        "current",
        "unlike",
        "despite",
        "although",
        "though",
        "since",
        "because",
        "thus",
        "therefore",
        "hence",
        "given",
        "let",
        "also",
        "only",
        "even",
        "such",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ]
)


class Word(NamedTuple):
    """A word and its offsets (a tuple: hundreds are made per abstract, and tuples are cheap)."""

    text: str
    start: int
    end: int


_new_tuple = tuple.__new__


def words(text: str, offset: int = 0) -> list[Word]:
    return [Word(m.group(0), m.start() + offset, m.end() + offset) for m in WORD.finditer(text)]


def sentence_words(text: str, sentences: list[tuple[int, int]]) -> list[list[Word]]:
    """The words of each sentence (sentences are sorted and disjoint). Each sentence is split on its
    own, so a word the sentencizer cut ("accuracy.Our": no space after a full stop) is cut there
    too and no word reaches past its sentence's end."""
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a third faster on this hot path.
    return [[_new_tuple(Word, (m.group(), *m.span())) for m in WORD.finditer(text, start, end)]
            for start, end in sentences]


# Sizes, dimensions and versions on their own: 3D, 2D-guided, 40K, 7B, 375M, V1, 4x.
_MEASURE = re.compile(r"^(?:\d+(?:\.\d+)?[A-Za-z]{1,2}|[vV]\d+(?:\.\d+)?)(?:-[a-z]+)*$")


@lru_cache(maxsize=1 << 16)  # word shapes repeat across abstracts; pure function of the text
def is_distinctive(word: str) -> bool:
    """A word whose shape alone says "name": inner capitals, all caps, or letters with digits."""
    if len(word) < 2 or not any(c.isalpha() for c in word) or _MEASURE.match(word):
        return False
    inner_upper = any(c.isupper() for c in word[1:])
    has_digit = any(c.isdigit() for c in word)
    if inner_upper:
        return True
    return has_digit and (word[0].isupper() or any(c.isupper() for c in word))


@lru_cache(maxsize=1 << 16)  # word shapes repeat across abstracts; pure function of the text
def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in FUNCTION_WORDS


@lru_cache(maxsize=1 << 16)  # word shapes repeat across abstracts; pure function of the text
def is_version(word: str) -> bool:
    """A trailing version or size that belongs to the name before it: 2, 1.5, v2, XL, 7B."""
    return bool(
        re.fullmatch(r"v?\d+(?:\.\d+)*[a-zA-Z]?|[0-9.]+[BMK]|XL|XXL|Large|Base|Small|Tiny|Pro|Plus|Max|Mini", word)
    )


_OTHER, _DISTINCTIVE, _CAPITALISED, _VERSION = range(4)


@lru_cache(maxsize=1 << 16)  # word shapes repeat across abstracts; pure function of the text
def _name_word_kind(word: str) -> int:
    """What a word can be inside a name phrase (name_phrase's only question about it)."""
    if is_distinctive(word):
        return _DISTINCTIVE
    if is_capitalised(word) and word.isalpha():
        return _CAPITALISED
    return _VERSION if is_version(word) else _OTHER


def can_start_name(word: str) -> bool:
    """Can a name phrase start at this word? (False for most words: callers skip them cheaply.)"""
    return _name_word_kind(word) in (_DISTINCTIVE, _CAPITALISED)


def name_phrase(tokens: list[Word], i: int, max_words: int = 6) -> int:
    """Index one past the end of the name phrase starting at tokens[i], or i if none starts there.

    A phrase is capitalised or distinctive words, possibly with a trailing version ("mPLUG-DocOwl
    1.5"). It must hold a distinctive word, or two or more capitalised words ("Visual Genome").
    """
    j = i
    distinctive = 0
    capitalised = 0
    while j < len(tokens) and j - i < max_words:
        kind = _name_word_kind(tokens[j].text)
        if kind == _DISTINCTIVE:
            distinctive += 1
        elif kind == _CAPITALISED or (j > i and kind == _VERSION):
            capitalised += 1
        else:
            break
        j += 1
    if distinctive == 0 and capitalised < 2:
        return i
    return j


@cache
def generic_terms() -> frozenset[str]:
    """Class names and paradigms that are never named entities (kg/resources/gazetteer/generic.txt)."""
    try:
        text = resources.files("kg").joinpath("resources/gazetteer/generic.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_generic(name: str) -> bool:
    low = name.lower().strip()
    if low in generic_terms() or (low in FUNCTION_WORDS and not name.isupper()):
        return True
    # Plurals of generic terms: "LLMs", "CNNs", "ViTs" stay generic only where the singular is.
    return low.endswith("s") and low[:-1] in generic_terms()
