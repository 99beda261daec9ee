"""Reported numbers: "achieves 83.3% top-1 accuracy on ImageNet", "PubLayNet (95.7% -> 96.2%)",
"CLIP-T: 0.4563", "improves FID from 12.3 to 9.8", "a score of 3.48 out of 5".

A number is a result when its sentence reports an outcome (a result verb, a metric beside it,
or an improvement phrase) and it is not a count, a size, a year, a setting or part of a name.
For "from A to B" and "A -> B" the result is B.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?<![\w.\-/])(?P<sign>[-+−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+−]?\d+)?)"
    r"(?P<unit>\s?(?:\\?%|percent\b|pp\b|points?\b|p\.p\.|×|x\b|times\b|dB\b|meV\b|ms\b|fps\b|FPS\b|s\b))?",
)
_RESULT_CUE = re.compile(
    r"\b(?:achiev\w*|attain\w*|obtain\w*|reach\w*|scor\w*|yield\w*|report\w*|record\w*|set\w* (?:a )?new|"
    r"outperform\w*|surpass\w*|improv\w*|boost\w*|gain\w*|increas\w*|reduc\w*|decreas\w*|lower\w*|rais\w*|"
    r"accuracy|precision|recall|error|f1|auc|bleu|rouge|cider|fid|psnr|ssim|map|miou|wer|cer|speed-?up|faster|"
    r"better|higher|lower|state-of-the-art|sota|win rate|performance|results?|success rate|top-1|top-5)\b",
    re.I,
)
# What a number counts when it is not a result.
_COUNT_AFTER = re.compile(
    r"^\s*(?:[A-Za-z]+\s+)?(?:images?|pairs?|samples?|examples?|instances?|tokens?|words?|sentences?|documents?|"
    r"papers?|abstracts?|videos?|clips?|hours?|minutes?|days?|years?|epochs?|steps?|iterations?|layers?|heads?|"
    r"parameters?|params|gpus?|tpus?|classes|categories|languages?|datasets?|benchmarks?|tasks?|domains?|"
    r"questions?|answers?|users?|subjects?|patients?|participants?|annotators?|objects?|scenes?|frames?|shots?|"
    r"trajectories|episodes?|nodes?|edges?|graphs?|molecules?|proteins?|genes?|cells?|atoms?|species|sites?|"
    r"countries|hospitals?|queries|items?|attributes?|relationships?|regions?|times? (?:more|less|fewer)|"
    r"(?:[kKmMbB]|million|billion|thousand|k)\b|[kKmMbBtT]\b|x\s*\d)",
    re.I,
)
_SIZE_SUFFIX = re.compile(r"^(?:[kKmMbBtT]|bn|GB|MB|TB|B)\b")
_BEFORE_SETTING = re.compile(
    r"(?:\bout of|\b(?:top|pass|recall|hits|ndcg|r|p|map|ap|k|n|@)[-@]?|\$|=|#|\bv|\bversion|\bstage|"
    r"\bstep|\blayer|\bsection|\bfigure|\btable|\bequation|\bphase|\btask|\bchapter)\s*$",
    re.I,
)
_FRACTION_OF_DATA = re.compile(
    r"^\s*(?:\\?%)?\s*(?:of|less|fewer|more)\s+(?:the\s+)?(?:\w+\s+){0,2}"
    r"(?:data|labels?|annotations?|samples|examples|parameters|compute|training)",
    re.I,
)
_FROM_TO = re.compile(r"\bfrom\s*$", re.I)
_ARROW_AFTER = re.compile(r"^\s*(?:\\?%)?\s*(?:->|→|=>|to)\s*[-+]?\d", re.I)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_DIGIT = re.compile(r"\d")
_DIMENSION_AFTER = re.compile(r"^\s*[x×]\s*\d")
_DIMENSION_BEFORE = re.compile(r"\d\s*[x×]\s*$")


@dataclass(frozen=True, slots=True)
class FoundNumber:
    value: float
    raw: str
    unit: str | None
    start: int
    end: int


def _unit(raw_unit: str | None) -> str | None:
    if not raw_unit:
        return None
    u = raw_unit.strip().lstrip("\\")
    return {"percent": "%", "points": "points", "point": "points", "p.p.": "pp", "×": "x", "times": "x"}.get(u, u)


def find_results(sentence: str, offset: int, taken: list[tuple[int, int]]) -> list[FoundNumber]:
    """Result numbers in one sentence; `taken` are doc spans (names, URLs, citations) to skip."""
    if not _DIGIT.search(sentence) or not _RESULT_CUE.search(sentence):
        return []
    out = []
    for m in _NUMBER.finditer(sentence):
        start, end = m.start() + offset, m.end() + offset
        if any(a <= start < b for a, b in taken):
            continue
        num, unit = m.group("num"), _unit(m.group("unit"))
        after = sentence[m.end() :]
        before = sentence[: m.start()]
        if _YEAR.match(num) and unit is None:
            continue
        if _SIZE_SUFFIX.match(after) or _COUNT_AFTER.match(after) or _BEFORE_SETTING.search(before[-12:]):
            continue
        if _DIMENSION_AFTER.match(sentence[m.end("num"):]) or _DIMENSION_BEFORE.search(before):
            continue  # "224 x 224", "512×512": a resolution, not a score
        if unit in ("%", "pp") and _FRACTION_OF_DATA.match(after):
            continue
        # Bare integers are counts far more often than scores ("4 tasks", "(1)"): keep only
        # those a metric or "score of" stands right beside.
        bare_integer = unit is None and "." not in num and "e" not in num.lower()
        beside_metric = re.search(r"(?:score|accuracy|of|:|=)\s*$", before[-15:], re.I) and not before.endswith("(")
        if bare_integer and not beside_metric:
            continue
        if _ARROW_AFTER.match(after) or (_FROM_TO.search(before) and re.match(r"^\s*(?:\\?%)?\s*to\b", after)):
            continue  # the "from" side of a change: the result is the number it goes to
        value = float(num.replace(",", "").replace("−", "-"))
        if math.isinf(value):
            continue  # "1e310", 400 digits: beyond a double, not a score (and no output can write inf)
        sign = m.group("sign")
        if sign in ("-", "−") and re.search(r"[\s(:]$|^$", before[-1:] or ""):
            value = -value
        out.append(FoundNumber(value, sentence[m.start() : m.end()].strip(), unit, start, end))
    return out
