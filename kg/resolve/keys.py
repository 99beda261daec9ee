"""Canonical, deterministic keys. A key depends only on the thing it names, never on order."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 100
_NAME_GLUE = re.compile(r"[\s\-._/]+")


def fold(text: str) -> str:
    """Lower-case ASCII form: accents dropped, Unicode compatibility forms unified."""
    if text.isascii():
        return text.lower()  # nothing to fold: the common case, done in C
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    """`fold` with every run of other characters turned into one hyphen; long slugs get a hash."""
    value = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if len(value) > _MAX_SLUG:
        digest = hashlib.sha1(value.encode()).hexdigest()[:10]
        value = f"{value[:_MAX_SLUG].rstrip('-')}-{digest}"
    return value or hashlib.sha1(text.encode()).hexdigest()[:10]


def title_key(title: str) -> str:
    """What two spellings of one title have in common (case, punctuation, accents ignored)."""
    return slug(title)


@lru_cache(maxsize=1 << 18)  # names repeat across a corpus; a pure function of its text
def name_key(text: str) -> str:
    """What spellings of one name share: case, spaces, hyphens, dots, slashes, underscores ignored."""
    return _NAME_GLUE.sub("", text.casefold())
