"""What a paper introduces: its named method, dataset, benchmark, metric or task.

Rules (each a pure function over the paper's text; offsets are into that text):
- title-prefix: "StarVector: Generating ..." names the paper's contribution;
- proposal-verb: "we propose/present/introduce/release X", "this paper introduces a framework X";
- naming: "called/named/dubbed/termed X" in the paper's own voice;
- novel-apposition: "X, a novel/new ...";
- our-noun: "our model, X" / "our framework X".
An abbreviation defined where the name stands gives the short form as name, long form as alias.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.extract.abbreviations import Abbreviation
from kg.extract.names import FUNCTION_WORDS, Word, is_distinctive, is_generic, name_phrase, sentence_words, words

TYPE_NOUNS = {
    "Dataset": {
        "dataset",
        "datasets",
        "data set",
        "corpus",
        "corpora",
        "benchmark",
        "benchmarks",
        "suite",
        "collection",
        "database",
        "testbed",
        "test set",
        "leaderboard",
        "bench",
    },
    "Metric": {"metric", "metrics", "measure", "score", "index", "criterion"},
    "Task": {"task", "tasks", "challenge", "problem"},
    "Method": {
        "framework",
        "method",
        "model",
        "models",
        "approach",
        "architecture",
        "algorithm",
        "system",
        "network",
        "module",
        "technique",
        "strategy",
        "pipeline",
        "paradigm",
        "loss",
        "mechanism",
        "tool",
        "toolkit",
        "agent",
        "encoder",
        "decoder",
        "library",
        "platform",
        "transformer",
        "recipe",
        "scheme",
        "objective",
        "procedure",
        "solver",
        "estimator",
        "policy",
        "backbone",
        "family",
        "series",
        "detector",
        "generator",
        "assistant",
        "simulator",
        "engine",
        "regularization",
        "regularizer",
        "layer",
        "operator",
        "block",
        "attention",
        "token",
        "tokens",
        "protocol",
        "variant",
    },
}
_NOUN_TO_LABEL = {noun: label for label, nouns in TYPE_NOUNS.items() for noun in nouns}

_PROPOSE_VERB = re.compile(
    r"\b(?:propose|proposes|proposed|present|presents|presented|introduce|introduces|introduced|"
    r"develop|develops|developed|design|designs|designed|build|builds|built|construct|constructs|"
    r"constructed|release|releases|released|create|creates|created|collect|collects|collected|"
    r"curate|curates|curated|contribute|contributes|devise|devises|devised|establish|establishes|"
    r"unveil|unveils|put forward|puts forward|offer|offers|describe|describes|described)\b",
    re.IGNORECASE,
)
# The paper's own voice must stand before the verb in the same sentence.
_OWN_VOICE = re.compile(
    r"\b(?:we|our|this (?:paper|work|study|article|report|letter)|here(?:in)?|in this (?:paper|work))\b",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:(?:called|named|dubbed|termed|coined|nicknamed|denoted|referred to)(?:\s+as)?|"
    r"(?:we|us)\s+(?:call|name|dub|term)(?:\s+(?:it|this|them|our \w+))?(?:\s+as)?)\s+",
    re.IGNORECASE,
)
_NOVEL_APPOSITION = re.compile(r"\s*,\s*(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:novel|new|first)\b", re.IGNORECASE)
_OUR_NOUN = re.compile(
    r"\bour\s+(?:(?:new|novel|proposed|final)\s+)?([a-z]+)\s*,?\s+(?:called\s+|named\s+|dubbed\s+|termed\s+)?",
    re.IGNORECASE,
)
_SKIPPABLE = {
    "a",
    "an",
    "the",
    "novel",
    "new",
    "simple",
    "first",
    "two",
    "three",
    "several",
    "effective",
    "efficient",
    "general",
    "unified",
    "large-scale",
    "comprehensive",
    "called",
    "named",
    "dubbed",
    "termed",
    "coined",
    "and",
    "our",
    "its",
}


@dataclass(frozen=True, slots=True)
class Proposal:
    name: str
    label: str
    start: int
    end: int
    rule: str
    confidence: float
    aliases: tuple[str, ...] = ()


def _label_from_noun(text: str) -> str | None:
    return _NOUN_TO_LABEL.get(text.lower())


def _label_near(tokens: list[Word], start: int, end: int, default: str) -> str:
    """Type from a type noun right after the name ("the X dataset") or in its apposition ("X, a
    large-scale benchmark ..."), else from the one before it ("a benchmark, X"), else default."""
    # Right after: "Visual Genome dataset" / "SVG-Stack, a large-scale dataset of ..."
    j = end
    if j < len(tokens) and (label := _label_from_noun(tokens[j].text)):
        return label
    if j < len(tokens) and tokens[j].text == ",":
        for tok in tokens[j + 1 : j + 8]:
            if tok.text in {",", ";", ".", "(", ")", "that", "which", "for", "to", "with"}:
                break
            if label := _label_from_noun(tok.text):
                return label
    for tok in reversed(tokens[max(0, start - 6) : start]):
        if tok.text in {".", ";"}:
            break
        if label := _label_from_noun(tok.text):
            return label
    return default


def _abbreviation_at(abbrevs: list[Abbreviation], start: int, limit: int) -> Abbreviation | None:
    """An abbreviation whose long form starts in [start, limit) or whose short form sits there."""
    for ab in abbrevs:
        if start <= ab.long_start < limit or start <= ab.short_start < limit and ab.short_start < ab.long_start:
            return ab
    return None


def _make(
    text: str,
    tokens: list[Word],
    i: int,
    j: int,
    rule: str,
    confidence: float,
    abbrevs: list[Abbreviation],
    default_label: str = "Method",
) -> Proposal | None:
    start, end = tokens[i].start, tokens[j - 1].end
    name = text[start:end]
    aliases: tuple[str, ...] = ()
    ab = next((a for a in abbrevs if a.long_start <= start < a.long_end or a.short_start == start), None)
    if ab is not None:
        name, start, end = ab.short, ab.short_start, ab.short_end
        aliases = (ab.long,)
    if is_generic(name) or name.lower() in FUNCTION_WORDS:
        return None
    label = _label_near(tokens, i, j, default_label)
    return Proposal(name, label, start, end, rule, confidence, aliases)


_PREPOSITIONS = {"of", "for", "to", "on", "in", "with", "from", "by", "via", "using", "into", "over", "across", "based"}
_NAMING_WORDS = {"called", "named", "dubbed", "termed", "coined", "as", ","}


def _object_of_verb(text: str, tokens: list[Word], k: int, abbrevs: list[Abbreviation]) -> tuple[int, int] | None:
    """Token span of the name a proposal verb at tokens[k] introduces, looking a few words on.

    "we propose X", "we introduce a new benchmark X", "we propose Long Form (LF)". Not "we
    propose to use X" (an action, not a contribution), and after the type noun only the name
    itself or a naming word may follow ("a dataset leveraging BLIP-2" names nothing).
    """
    if k + 1 < len(tokens) and tokens[k + 1].text.lower() == "to":
        return None
    skipped = 0
    after_noun = False
    i = k + 1
    while i < len(tokens) and skipped <= 8:
        tok = tokens[i].text
        if tok in {".", ";", ":"}:
            return None
        ab = _abbreviation_at(abbrevs, tokens[i].start, tokens[i].end)
        if ab is not None and ab.long_start == tokens[i].start:
            end_tok = next((m for m in range(i, len(tokens)) if tokens[m].end >= ab.long_end), i)
            return i, end_tok + 1
        j = name_phrase(tokens, i)
        if j > i:
            return i, j
        if tok.lower() in _PREPOSITIONS:
            return None  # "a modification of CLIP", "a framework for X": the name is not the object
        if after_noun and tok.lower() not in _NAMING_WORDS and tok != "(" and not _label_from_noun(tok):
            return None
        if tok in {",", "(", ")", "-"} or tok.lower() in _SKIPPABLE or _label_from_noun(tok) or tok.islower():
            after_noun = after_noun or bool(_label_from_noun(tok))
            i += 1
            skipped += 1
            continue
        return None
    return None


def find_proposals(
    text: str,
    sentences: list[tuple[int, int]],
    title_end: int,
    abbrevs: list[Abbreviation],
    known: Sequence[tuple[int, int]] = (),
    tokens_by_sentence: list[list[Word]] | None = None,
) -> list[Proposal]:
    """Every proposal in a paper; `text` is title + "\\n" + abstract, title in [0, title_end).

    `known` are spans of well-known names (gazetteer hits): a paper spelling one out does not
    propose it.
    """
    if tokens_by_sentence is None:
        tokens_by_sentence = sentence_words(text, sentences)
    found: list[Proposal] = []
    title_prop = _title_prefix(text, title_end, abbrevs)
    if title_prop:
        found.append(title_prop)
    for (s_start, s_end), tokens in zip(sentences, tokens_by_sentence, strict=True):
        sentence = text[s_start:s_end]
        if s_start < title_end:
            continue
        found.extend(_sentence_proposals(text, sentence, s_start, tokens, abbrevs, known))
    defined = [
        ab
        for ab in abbrevs
        if not any(a < ab.long_end and ab.long_start < b or a < ab.short_end and ab.short_start < b for a, b in known)
    ]
    found.extend(_defined_components(text, sentences, defined))
    if not found:
        found.extend(_salient_name(sentences, tokens_by_sentence, title_end, abbrevs, known))
    return _dedupe(found)


def _salient_name(
    sentences: list[tuple[int, int]],
    tokens_by_sentence: list[list[Word]],
    title_end: int,
    abbrevs: list[Abbreviation],
    known: Sequence[tuple[int, int]],
) -> list[Proposal]:
    """With no proposal cue at all, a new name the abstract keeps using (twice or more, one of
    them as a sentence's subject) is almost always the paper's own: "ChunkQ combines ...".
    """
    terms = {ab.short for ab in abbrevs if ab.long == ab.long.lower()}
    counts: dict[str, list[Word]] = {}
    subjects: set[str] = set()
    for (s_start, _), tokens in zip(sentences, tokens_by_sentence, strict=True):
        if s_start < title_end:
            continue
        for n, tok in enumerate(tokens):
            if not is_distinctive(tok.text) or is_generic(tok.text) or tok.text in terms:
                continue
            if any(a <= tok.start < b for a, b in known):
                continue
            counts.setdefault(tok.text, []).append(tok)
            if n == 0 or (n == 1 and tokens[0].text.lower() in {"the", "our"}):
                subjects.add(tok.text)
    ranked = sorted(
        ((len(v), -v[0].start, k) for k, v in counts.items() if len(v) >= 2 and k in subjects), reverse=True
    )
    if not ranked:
        return []
    name = ranked[0][2]
    first = counts[name][0]
    return [Proposal(name, "Method", first.start, first.end, "salient-name", 0.6)]


_COMPONENT_CUE = re.compile(
    r"\b(?:components?|modules?|consists? of|compris\w+|(?:we|our) (?:\w+ )?(?:propos\w+|"
    r"introduc\w+|design\w*|present\w*|incorporat\w+|attach\w*)|(?:is|are) (?:\w+ )?"
    r"(?:introduced|proposed|devised|designed|developed|presented))\b",
    re.I,
)


def _title_case(phrase: str) -> bool:
    content = [w for w in re.split(r"[\s-]+", phrase) if w and w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def _defined_components(text: str, sentences: list[tuple[int, int]], abbrevs: list[Abbreviation]) -> list[Proposal]:
    """A name the paper defines itself, "Camera-Guided Low-Rank Adaptation (CG-LoRA)", in a sentence
    about the parts of its own work: a named component of the contribution."""
    out = []
    for ab in abbrevs:
        if not _title_case(ab.long) or is_generic(ab.short) or is_generic(ab.long) or len(ab.long.split()) < 2:
            continue
        s_start, s_end = next(((s, e) for s, e in sentences if s <= ab.short_start < e), (0, len(text)))
        sentence = text[s_start:s_end]
        if _COMPONENT_CUE.search(sentence):
            label = _label_from_noun(ab.long.split()[-1]) or "Method"
            out.append(Proposal(ab.short, label, ab.short_start, ab.short_end, "defined-component", 0.7, (ab.long,)))
    return out


def _modifies_a_noun(tokens: list[Word], verb: int, span: tuple[int, int], known: Sequence[tuple[int, int]]) -> bool:
    """A well-known name after a described noun ("we develop an extremely tiny ViT backbone") is
    what the new thing is built from, not the new thing; "we present the Visual Genome dataset"
    (only an article between verb and name) still introduces it."""
    start, end = tokens[span[0]].start, tokens[span[1] - 1].end
    if not any(a < end and start < b for a, b in known):
        return False
    between = {t.text.lower() for t in tokens[verb + 1 : span[0]]}
    return bool(between - {"a", "an", "the"})


def _sentence_proposals(
    text: str, sentence: str, s_start: int, tokens: list[Word], abbrevs: list[Abbreviation],
    known: Sequence[tuple[int, int]] = (),
) -> list[Proposal]:
    out = []
    # The own-voice test first: it is cheaper and rules out most sentences.
    verb = _PROPOSE_VERB.search(sentence) if _OWN_VOICE.search(sentence) else None
    if verb and _OWN_VOICE.search(sentence[: verb.start()]):
        k = max((n for n, t in enumerate(tokens) if t.start < s_start + verb.end()), default=None)
        naming_follows = any(m.start() > verb.end() for m in _NAMING.finditer(sentence))
        if k is not None and not naming_follows:
            span = _object_of_verb(text, tokens, k, abbrevs)
            if span and _modifies_a_noun(tokens, k, span, known):
                span = None
            if span and (p := _make(text, tokens, span[0], span[1], "proposal-verb", 0.85, abbrevs)):
                out.append(p)
    j: int | None  # a phrase's end; the apposition search below may find none
    for m in _NAMING.finditer(sentence):
        i = next((n for n, t in enumerate(tokens) if t.start >= s_start + m.end()), None)
        if i is None:
            continue
        j = name_phrase(tokens, i)
        own = _OWN_VOICE.search(sentence[: m.end()]) or re.search(r"\b(?:novel|new)\b", sentence[: m.start()], re.I)
        if j > i and own and (p := _make(text, tokens, i, j, "naming", 0.8, abbrevs)):
            out.append(p)
    for m in _NOVEL_APPOSITION.finditer(sentence):
        # The name is the phrase that ends right at the comma: find where it starts.
        j = next((n for n, t in enumerate(tokens) if t.start >= s_start + m.start()), None)
        if j is None:
            continue
        i = next((i for i in range(max(0, j - 6), j) if name_phrase(tokens, i) == j), None)
        if i is not None and (p := _make(text, tokens, i, j, "novel-apposition", 0.8, abbrevs)):
            out.append(p)
    for m in _OUR_NOUN.finditer(sentence):
        if not _label_from_noun(m.group(1)):
            continue
        i = next((n for n, t in enumerate(tokens) if t.start >= s_start + m.end()), None)
        if i is None:
            continue
        j = name_phrase(tokens, i)
        if j > i and (
            p := _make(text, tokens, i, j, "our-noun", 0.8, abbrevs, _label_from_noun(m.group(1)) or "Method")
        ):
            out.append(p)
    return out


_GERUND_START = re.compile(r"^[A-Z][a-z]+ing\b")


def _title_prefix(text: str, title_end: int, abbrevs: list[Abbreviation]) -> Proposal | None:
    """ "StarVector: Generating ..." -> StarVector, when the prefix looks like a name."""
    title = text[:title_end]
    colon = title.find(":")
    if colon <= 0 or colon > 60:
        return None
    head = title[:colon]
    prefix = head.strip()
    start = len(head) - len(head.lstrip())  # past any white space the title begins with
    tokens = words(prefix)
    if not tokens or len(tokens) > 6 or _GERUND_START.match(prefix) or "?" in prefix:
        return None
    j = name_phrase(tokens, 0)
    if j != len(tokens):
        return None
    abstract = text[title_end:]
    single_distinctive = len(tokens) <= 3 and any(
        t.text[1:] != t.text[1:].lower() or any(c.isdigit() for c in t.text) for t in tokens
    )
    if not (single_distinctive or prefix.lower() in abstract.lower()):
        return None
    if is_generic(prefix):
        return None
    tail = words(title[colon + 1 :], colon + 1)
    label = "Method"
    for tok in tail[:8]:
        if found := _label_from_noun(tok.text):
            label = found
            break
    else:
        following = _word_after(abstract, prefix)
        if following and (found := _label_from_noun(following)):
            label = found
    confidence = 0.95 if prefix.lower() in abstract.lower() else 0.85
    return Proposal(prefix, label, start, start + len(prefix), "title-prefix", confidence)


_SPACE_WORD = re.compile(r"\s+(\w+)")


def _word_after(text: str, name: str) -> str | None:
    """The word after the first "name <word>" in text (str.find: a regex per title would be compiled anew)."""
    at = text.find(name)
    while at >= 0:
        if following := _SPACE_WORD.match(text, at + len(name)):
            return following.group(1)
        at = text.find(name, at + 1)
    return None


def _dedupe(found: list[Proposal]) -> list[Proposal]:
    """One proposal per name: the most confident evidence; aliases pooled."""
    best: dict[str, Proposal] = {}
    aliases: dict[str, set[str]] = {}
    for p in found:
        key = p.name.lower()
        aliases.setdefault(key, set()).update(p.aliases)
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    out = []
    for key, p in best.items():
        pooled = tuple(sorted(aliases[key] - {p.name}))
        out.append(Proposal(p.name, p.label, p.start, p.end, p.rule, p.confidence, pooled))
    return out
