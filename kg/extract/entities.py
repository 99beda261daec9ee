"""Named methods, datasets, metrics and tasks: find the names, then type them from their context.

A name is found by the gazetteer (well-known names, typed by their file) or by its shape
(distinctive words such as "ChunkQ", "GPT-4o", "SVG-Stack"; capitalised phrases such as "Visual
Genome"; defined abbreviations). Its type comes from cue words around each mention, never from
having seen it before:

- right after it: "X dataset/benchmark/corpus", "X model/encoder/backbone", "X score", "X task";
- before it: "trained/evaluated on X", "outperforms X", "based on X", "compared with X",
  "in terms of X", "datasets such as X";
- an abbreviation's long form: "Long-Range Arena (LRA)" says nothing, "... Benchmark (XB)" does;
- a number beside it: "83.3% top-1 accuracy", "CLIP-T: 0.4563" make a metric.

Each mention gets the votes of its cues; a name with no local vote is left for corpus-level
voting (kg.resolve.typing), which pools the votes of every paper.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from kg.extract.abbreviations import Abbreviation
from kg.extract.gazetteer import GazetteerHit
from kg.extract.names import (
    FUNCTION_WORDS,
    Word,
    can_start_name,
    is_distinctive,
    is_generic,
    name_phrase,
    sentence_words,
    words,
)

LABELS = ("Method", "Dataset", "Metric", "Task")

_SUFFIX_CUES = {
    "Dataset": r"(?:data ?sets?|benchmarks?|corpus|corpora|test[- ]sets?|validation sets?|splits?|leaderboards?|"
    r"suites?|collections?|databases?|archives?|challenges?|environments?|tasks suite)",
    "Method": r"(?:models?|architectures?|backbones?|encoders?|decoders?|networks?|baselines?|frameworks?|"
    r"algorithms?|methods?|optimi[sz]ers?|loss(?:es)?|tokeni[sz]ers?|embeddings?|variants?|checkpoints?|"
    r"agents?|policies|policy|detectors?|pipelines?|systems?|family|series|weights|features|layers?)",
    "Metric": r"(?:scores?|metrics?|measures?|values?)",
    "Task": r"(?:tasks?|problems?)",
}
_RIGHT = {label: re.compile(rf"^\s*(?:\w+[- ])?{pattern}\b", re.I) for label, pattern in _SUFFIX_CUES.items()}
_RIGHT_TIGHT = {label: re.compile(rf"^[\s-]*{pattern}\b", re.I) for label, pattern in _SUFFIX_CUES.items()}
# Matches whenever some pattern of _RIGHT or _RIGHT_TIGHT does: one test rules most mentions out.
_ANY_RIGHT = re.compile(rf"^[\s-]*(?:\w+[- ])?(?:{'|'.join(_SUFFIX_CUES.values())})\b", re.I)
_METHOD_SUFFIX = re.compile(r"^-(?:based|like|style|guided|driven|initiali[sz]ed|pretrained|pre-trained)\b", re.I)

_LEFT = [
    (
        "Dataset",
        re.compile(
            r"\b(?:(?:pre-?)?train(?:ed|ing)?|fine-?tun(?:ed|ing)|evaluat(?:ed|ing|e|es|ion)|experiments?|results?|"
            r"performance|accuracy|tested|test|benchmark(?:ed|ing)?|sota|state[- ]of[- ]the[- ]art|"
            r"achiev\w*(?: \S+){0,4}|"
            r"improv\w+(?: \S+){0,4}|\d[\d.]*\s*%?(?: \S+){0,3})\s+(?:on|across|over|using|from|with)\s+"
            r"(?:the\s+)?(?:(?:challenging|popular|standard|public|large-scale|widely[- ]used|\w+)\s+)?$",
            re.I,
        ),
    ),
    (
        "Dataset",
        re.compile(
            r"\b(?:data ?sets?|benchmarks?|corpora|corpus|suites?)\s*(?:,\s*)?"
            r"(?:such as|including|like|namely|e\.g\.,?|"
            r"i\.e\.,?|:|\()?\s*(?:the\s+)?$",
            re.I,
        ),
    ),
    ("Dataset", re.compile(r"\b(?:on|across|over)\s+(?:the\s+)?(?:\S+\s+){0,3}?(?:data ?sets?|benchmarks?)\s+$", re.I)),
    (
        "Method",
        re.compile(
            r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|compared (?:to|with|against)|comparable to|than|"
            r"versus|vs\.?|"
            r"based on|built (?:up)?on|on top of|extends?|extending|using|uses|use|employ\w*|leverag\w*|adopt\w*|"
            r"fine-?tun\w*|initiali[sz]ed (?:from|with)|distill\w*|such as|including|like|baselines?|models?|"
            r"methods?|architectures?|backbones?|encoders?|e\.g\.,?)\s+(?:the\s+)?(?:(?:strong|popular|recent|original|"
            r"pre-?trained|state-of-the-art|existing|prior)\s+)*(?:(?:baselines?|models?|methods?)\s+)?$",
            re.I,
        ),
    ),
    (
        "Metric",
        re.compile(
            r"\b(?:in terms of|measured (?:by|with|in)|metrics? (?:such as|including|like)|metrics?,?|"
            r"(?:higher|lower|better|best|improv\w+|average|mean|increas\w+|reduc\w+|decreas\w+)\s+(?:the\s+)?)\s*$",
            re.I,
        ),
    ),
    ("Task", re.compile(r"\b(?:tasks?|task of|problem of)\s+(?:such as|including|like|of|:)?\s*$", re.I)),
]
_NUMBER_BEFORE = re.compile(r"\d(?:[\d.,]*\d)?\s*(?:\\?%|points?|pp)?\s*$")
_NUMBER_AFTER = re.compile(r"^\s*(?:of|:|=|score of|reaches|is|was|@\d+\s*(?:of|:))?\s*[-+]?\d")
# A method's verbs: "X achieves", "X outperforms" make X a method (or a system) not a dataset.
_SUBJECT_VERB = re.compile(
    r"^\s*(?:\w+\s+)?(?:achiev\w*|outperform\w*|surpass\w*|obtain\w*|reach\w*|yield\w*|"
    r"generat\w+|learns?|predicts?|uses|leverag\w+|combines|trains|scores)\b",
    re.I,
)
# Words of a long form that say what the abbreviation names.
_LONG_FORM_HEADS = {
    "Dataset": {
        "dataset",
        "benchmark",
        "corpus",
        "bench",
        "database",
        "challenge",
        "set",
        "collection",
        "suite",
        "arena",
        "survey",
        "surveys",
        "census",
        "archive",
        "registry",
        "repository",
        "release",
        "cohort",
        "atlas",
        "bank",
    },
    "Metric": {"score", "metric", "error", "rate", "distance", "index", "accuracy", "precision", "ratio", "divergence"},
    "Task": {"task"},
    "Method": {
        "network",
        "model",
        "transformer",
        "encoder",
        "decoder",
        "learning",
        "framework",
        "algorithm",
        "method",
        "machine",
        "module",
        "attention",
        "optimization",
        "optimizer",
        "regression",
        "net",
        "architecture",
        "policy",
        "agent",
        "system",
        "gan",
        "autoencoder",
        "pretraining",
        "pre-training",
        "tuning",
        "adaptation",
        "distillation",
        "sampling",
        "search",
        "estimation",
        "alignment",
        "loss",
    },
}
_STRIP_TAIL = re.compile(
    r"(?:'s|’s|-(?:based|like|style|guided|driven|initiali[sz]ed|only|free|specific|"
    r"pretrained|pre-trained|aware|level|scale|wise))+$",
    re.I,
)
_WINDOW = 60


@dataclass(frozen=True, slots=True)
class EntityMention:
    name: str
    start: int  # doc offsets
    end: int
    votes: tuple[tuple[str, float], ...]  # (label, weight) from the cues around this mention
    rule: str  # "gazetteer" or "shape"
    canonical: str | None = None  # the gazetteer name, when the gazetteer knows it
    long_form: str | None = None


if TYPE_CHECKING:

    class Votes(dict[str, float]):
        """Summed cue weight per label. At run time this is collections.Counter (a missing label
        reads as 0, update() adds), whose stub in typeshed holds int counts only."""

        def most_common(self, n: int | None = None) -> list[tuple[str, float]]: ...

else:
    Votes = Counter


def cue_votes(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> Votes:
    """Votes for each label from the words around text[start:end], inside its sentence."""
    votes = Votes()
    left = text[max(sentence_start, start - _WINDOW) : start]
    right = text[end : min(sentence_end, end + _WINDOW)]
    if _ANY_RIGHT.match(right):
        for label, pattern in _RIGHT_TIGHT.items():
            if pattern.match(right):
                votes[label] += 2.0
        for label, pattern in _RIGHT.items():
            if label not in votes and pattern.match(right):
                votes[label] += 0.5
    if _METHOD_SUFFIX.match(right):
        votes["Method"] += 1.5
    for label, pattern in _LEFT:
        if pattern.search(left):
            votes[label] += 1.0
            break
    if _NUMBER_BEFORE.search(left) or _NUMBER_AFTER.match(right):
        votes["Metric"] += 0.75
    if _SUBJECT_VERB.match(right):
        votes["Method"] += 0.75
    return votes


def long_form_label(long_form: str) -> str | None:
    last = re.split(r"[\s-]+", long_form.strip().lower())[-1].rstrip("s") if long_form.strip() else ""
    for label, heads in _LONG_FORM_HEADS.items():
        if last in heads or last + "s" in heads:
            return label
    return None


def _clean(name: str) -> str:
    return _STRIP_TAIL.sub("", name).strip(" -")


def find_entities(
    text: str,
    sentences: list[tuple[int, int]],
    title_end: int,
    gazetteer: list[GazetteerHit],
    abbrevs: list[Abbreviation],
    tokens_by_sentence: list[list[Word]] | None = None,
) -> list[EntityMention]:
    """Every mention of a named method, dataset, metric or task, with the votes of its cues.

    `tokens_by_sentence` (from names.sentence_words) saves splitting the text again."""
    if tokens_by_sentence is None:
        tokens_by_sentence = sentence_words(text, sentences)
    found: list[EntityMention] = []
    taken: list[tuple[int, int]] = []
    long_forms = {a.short: a.long for a in abbrevs}
    long_form_at = {a.short: (a.long_start, a.long_end) for a in abbrevs}
    long_spans = [(a.long_start, a.long_end) for a in abbrevs]
    label: str | None  # a gazetteer entry's label; an abbreviation's long form may give none

    def sentence_of(pos: int) -> tuple[int, int]:
        for s, e in sentences:
            if s <= pos < e:
                return s, e
        return 0, len(text)

    for hit in gazetteer:
        s, e = sentence_of(hit.start)
        start, end = _whole_word(text, hit.start, hit.end)
        votes = cue_votes(text, start, end, s, e)
        labels = sorted({entry.label for entry in hit.entries})  # sorted: no hash-order decisions
        for label in labels:
            votes[label] += 3.0 / len(labels)  # the gazetteer's word, shared when it knows two types
        entry = hit.entries[0]
        if len(labels) > 1:
            best = max(labels, key=lambda lab: (votes[lab], lab))
            entry = next(en for en in hit.entries if en.label == best)
        surface = text[start:end]
        # "BERT-wwm-ext", "DP-FedAvg", "GemNet-OC": a variant of a known name is its own thing.
        canonical = entry.name if (start, end) == (hit.start, hit.end) else None
        found.append(
            EntityMention(surface, start, end, tuple(votes.items()), "gazetteer", canonical, long_forms.get(surface))
        )
        taken.append((start, end))

    for (s_start, s_end), tokens in zip(sentences, tokens_by_sentence, strict=True):
        resume = 0  # where the last phrase ended: phrases do not overlap
        for i in [k for k, token in enumerate(tokens) if can_start_name(token.text)]:
            if i < resume:
                continue
            j = name_phrase(tokens, i)
            if j == i:
                continue
            start, end = tokens[i].start, tokens[j - 1].end
            resume = j
            if any(a < end and start < b for a, b in taken):
                continue
            # Inside the long form of an abbreviation: the short form stands for it.
            if any(a <= start and end <= b for a, b in long_spans):
                continue
            raw = text[start:end]
            name = _clean(raw)
            if not name or is_generic(name) or len(name) < 2 or name.isdigit():
                continue
            end = start + len(name) if raw.startswith(name) else end
            votes = cue_votes(text, start, start + len(raw), s_start, s_end)
            if name in long_forms:
                long_form = long_forms[name]
                if label := long_form_label(long_form):
                    votes[label] += 2.0
                # "trained on the Sloan Digital Sky Survey (SDSS)": the long form's cues are the name's.
                votes.update(cue_votes(text, *long_form_at[name], s_start, s_end))
                if long_form == long_form.lower():
                    # "differential privacy (DP)": a term of the field, not a named method or dataset.
                    votes.pop("Method", None)
                    votes.pop("Dataset", None)
                    if not votes:
                        continue
            if start < title_end and not (votes and any(is_distinctive(w.text) for w in words(raw))):
                continue  # titles capitalise every word: there only a distinctive word makes a name
            found.append(EntityMention(name, start, end, tuple(votes.items()), "shape", None, long_forms.get(name)))
        found.extend(_head_phrases(text, tokens, s_start, s_end, taken))
    found.sort(key=lambda m: m.start)
    return _share_list_votes(text, found)


_TASK_HEADS = frozenset(
    """generation classification detection segmentation retrieval recognition estimation answering captioning
    translation summarization summarisation prediction forecasting localization localisation tracking
    parsing completion synthesis editing grounding extraction matching reconstruction registration
    inpainting super-resolution denoising navigation manipulation planning recommendation diagnosis tagging
    labeling labelling clustering refinement search spotting verification identification simplification
    transcription diarization separation enhancement imputation""".split()
)
_METRIC_HEADS = frozenset(
    """score rate accuracy error precision recall similarity fraction complexity throughput ratio distance
    latency""".split()
)
_NOT_MODIFIER = frozenset(
    """its their our his her this that these those which who whose whether such many much more most less least
    other another each every any some all both few several various different same new novel existing recent
    previous prior current better best higher lower improved strong weak good poor large small average mean
    overall final absolute relative total high low significant state-of-the-art sota next correct downstream
    original arbitrary complex simple effective efficient robust reliable accurate""".split()
)
_TASK_CONTEXT = re.compile(
    r"\b(?:for|on|in|of|to|tasks?|such as|including|like|address\w*|tackl\w*|solv\w*|"
    r"perform\w*|improv\w*|advanc\w*|applied to)\s*(?:the\s+)?(?:tasks?\s+of\s+)?$",
    re.I,
)


@lru_cache(maxsize=1 << 16)  # words repeat across abstracts; pure function of the text
def _head_kind(word: str) -> tuple[bool, bool] | None:
    """(is a task head, is a metric head), or None when the word heads neither."""
    low = word.lower()
    is_task, is_metric = low in _TASK_HEADS, low in _METRIC_HEADS
    return (is_task, is_metric) if is_task or is_metric else None


def _head_phrases(
    text: str, tokens: list[Word], s_start: int, s_end: int, taken: list[tuple[int, int]]
) -> list[EntityMention]:
    """Lower-case names of tasks and metrics: "image captioning", "attack success rate".

    A task phrase is up to three modifiers and a task head noun in a task context ("for X",
    "tasks such as X", "X tasks"); a metric phrase ends in a metric head noun and stands next
    to a number ("attack success rate of 9.8%").
    """
    out = []
    for n in [k for k, token in enumerate(tokens) if _head_kind(token.text)]:
        tok = tokens[n]
        is_task, is_metric = cast("tuple[bool, bool]", _head_kind(tok.text))  # n was picked for having a kind
        first = n
        while first > 0 and n - first < 3:
            prev = tokens[first - 1].text
            low = prev.lower()
            if (
                not re.fullmatch(r"[a-z0-9][a-z0-9-]*|[A-Z0-9]+(?:-[a-z0-9]+)*", prev)
                or prev.isdigit()
                or low in FUNCTION_WORDS
                or low in _NOT_MODIFIER
                or low.endswith("ly")
                or low in _TASK_HEADS
                or low in _METRIC_HEADS
            ):
                break
            first -= 1
        if first == n:
            continue
        start, end = tokens[first].start, tok.end
        if any(a < end and start < b for a, b in taken):
            continue
        left = text[max(s_start, start - _WINDOW) : start]
        right = text[end : min(s_end, end + _WINDOW)]
        votes = Votes()
        if is_task and (_TASK_CONTEXT.search(left) or _RIGHT_TIGHT["Task"].match(right)):
            votes["Task"] += 1.0
        if is_metric and (_NUMBER_BEFORE.search(left) or _NUMBER_AFTER.match(right)):
            votes["Metric"] += 1.0
        if votes:
            out.append(EntityMention(text[start:end], start, end, tuple(votes.items()), "head-phrase"))
            taken.append((start, end))
    return out


_WORD_TAIL = re.compile(r"(?:-[A-Za-z0-9+]+)+|\++")
_WORD_HEAD = re.compile(r"(?:[A-Za-z0-9+]+-)+$")


def _whole_word(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a match to the whole hyphenated word it sits in, but not over "-based"-like tails."""
    tail = _WORD_TAIL.match(text, end)
    if tail:
        grown = text[start : tail.end()]
        end = start + len(_STRIP_TAIL.sub("", grown))
    head = _WORD_HEAD.search(text, max(0, start - 30), start)
    if head and (head.start() == 0 or not text[head.start() - 1].isalnum()):
        start = head.start()
    return start, end


_LIST_GLUE = re.compile(r"^\s*(?:,|;|/|,?\s*and|,?\s*or|,?\s*as well as|\(|\))\s*(?:the\s+)?$", re.I)


def _share_list_votes(text: str, found: list[EntityMention]) -> list[EntityMention]:
    """Names in one list ("such as H2GCN, GPR-GNN and FAGCN") are of one kind: each member takes
    the strongest vote any member has for each label."""
    runs: list[list[int]] = []
    for i, m in enumerate(found):
        if runs and _LIST_GLUE.match(text[found[runs[-1][-1]].end : m.start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = list(found)
    for run in runs:
        if len(run) < 2:
            continue
        strongest = Votes()
        for i in run:
            for label, weight in found[i].votes:
                strongest[label] = max(strongest[label], weight)
        for i in run:
            own = Votes(dict(found[i].votes))
            for label, weight in strongest.items():
                own[label] = max(own[label], weight)
            out[i] = EntityMention(
                found[i].name,
                found[i].start,
                found[i].end,
                tuple(own.items()),
                found[i].rule,
                found[i].canonical,
                found[i].long_form,
            )
    return out
