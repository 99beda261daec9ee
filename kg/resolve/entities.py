"""One node per real thing: the canonical key of a named method, dataset, metric or task.

A key is ``<prefix>:<compact form>``, where the compact form drops case, accents, spaces,
hyphens, dots and other punctuation ("ResNet50" = "ResNet-50" = "resnet 50" -> ``resnet50``),
and a plural "s" after a capital or digit ("CNNs", "ViTs"). Then, in this order:

1. a name the gazetteer knows (as its name or an alias, "COCO" -> MS-COCO) takes the key of
   the gazetteer's canonical name;
2. an abbreviation takes its own key ("CLIP"), and every paper that writes only the long form
   ("Contrastive Language-Image Pre-training") links to that node too, because some paper in
   the corpus defined the pair;
3. one acronym with two long forms is two things: the long form most papers define keeps the
   short key, the others are keyed by their own long form. Two different long forms are never
   merged.

Versions and sizes stay apart (GPT-3 / GPT-4, ViT-B / ViT-L, ResNet-50 / ResNet-101): they are
different models with different results; a family link would be a separate relationship.
Every merge is recorded as evidence (surface form, reason, paper) for `kg explain`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.extract.gazetteer import load_entries, variants

_PLURAL = re.compile(r"(?<=[A-Z0-9])s$")


@lru_cache(maxsize=1 << 16)  # the same names come back paper after paper
def compact(name: str) -> str:
    """The identity of a name: lower-case letters and digits ("+" spelled out), accents folded,
    plural dropped."""
    name = _PLURAL.sub("", name.strip()).replace("+", "plus")  # "DimeNet++" is not DimeNet
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c)).casefold()


def long_key(long_form: str) -> str:
    """The identity of a long form: "Vision Transformers" and "Vision Transformer" are one."""
    return compact(long_form).removesuffix("s")


@cache
def gazetteer_index() -> dict[tuple[str, str], str]:
    """(label, compact surface) -> the gazetteer's canonical name."""
    index: dict[tuple[str, str], str] = {}
    for entry in load_entries():
        for surface in (entry.name, *entry.aliases):
            for variant in variants(surface):
                index.setdefault((entry.label, compact(variant)), entry.name)
    return index


@dataclass(frozen=True)
class Resolved:
    key: str  # the compact identity (without the label prefix)
    canonical: str | None  # the name the node shows: the gazetteer's, or a long form that tells it apart
    reason: str  # why this key: gazetteer, abbreviation, long form of, own name


class EntityResolver:
    """Keys for the whole corpus, from the abbreviation pairs every paper defines."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._long_forms: dict[str, Counter[str]] = defaultdict(Counter)
        self.long_surface: dict[str, str] = {}
        self._dominant: dict[str, str] | None = None
        self.add(pairs)

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        """More (short, long) definitions, as papers stream past; counted, never kept one by one."""
        for short, long in pairs:
            s, lg = compact(short), long_key(long)
            if s and lg and s != lg:
                self._long_forms[s][lg] += 1
                self.long_surface.setdefault(lg, long)
                self._dominant = None

    @property
    def dominant(self) -> dict[str, str]:
        """The dominant long form of each short form, which keeps the short key; the rest are their own."""
        if self._dominant is None:
            self._dominant = {s: max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
                              for s, counts in self._long_forms.items()}
            self._short_of_long = {lg: s for s, lg in self._dominant.items()}
        return self._dominant

    @property
    def short_of_long(self) -> dict[str, str]:
        self.dominant  # noqa: B018 - settles both maps
        return self._short_of_long

    def resolve(self, label: str, name: str, own_long_form: str | None = None) -> Resolved:
        """The key of `name` as a `label`; `own_long_form` is the paper's definition, if any."""
        key = compact(name)
        gazetteer = gazetteer_index()
        canonical = gazetteer.get((label, key))
        if own_long_form is not None:
            lg = long_key(own_long_form)
            known = gazetteer.get((label, lg)) or gazetteer.get((label, compact(own_long_form)))
            if known is not None:
                return Resolved(compact(known), known, "gazetteer long form")
            known_forms = _long_forms_of(label, canonical) if canonical is not None else frozenset()
            dominant = self.long_surface.get(self.dominant.get(key, ""), own_long_form)
            other_meaning = (known_forms and not any(_same_words(own_long_form, f) for f in known_forms)) or (
                not _same_words(own_long_form, dominant))
            if other_meaning:
                # One acronym, another long form: another thing, named and keyed by its long form.
                return Resolved(lg, own_long_form, "acronym with another meaning: keyed by its long form")
        if canonical is not None:
            return Resolved(compact(canonical), canonical, "gazetteer")
        if own_long_form is not None:
            return Resolved(key, None, "abbreviation")
        if key in self.short_of_long:
            return Resolved(self.short_of_long[key], None, "long form of an abbreviation")
        return Resolved(key, None, "own name")


@cache
def _long_forms_of(label: str, canonical: str) -> frozenset[str]:
    """The multi-word spellings the gazetteer gives for an entry (its long forms)."""
    for entry in load_entries():
        if entry.label == label and entry.name == canonical:
            return frozenset(a for a in (entry.name, *entry.aliases) if " " in a.strip())
    return frozenset()


def _same_words(a: str, b: str) -> bool:
    """Two long forms name one thing when most of their words agree (on their first five
    letters: "Compositional Image Retrieval" ~ "composed image retrieval"; "Visual Instruction
    Tuning" is not "Vision Transformer")."""
    wa = {w[:5] for w in re.split(r"[\s\-–]+", a.casefold()) if w}
    wb = {w[:5] for w in re.split(r"[\s\-–]+", b.casefold()) if w}
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5
