"""Make text from the wild safe and plain before anything reads it.

Removes what no paper means to say (NUL and other control characters, lone surrogates, HTML
tags), turns markup into the text it stands for (HTML entities, light LaTeX: `\\textbf{x}`,
`$\\sim$`, `10\\%`), folds white space, and caps absurd lengths. Offsets of extracted facts
point into the cleaned text, which is what the graph stores.
"""

from __future__ import annotations

import html
import re

MAX_TITLE = 1_000
MAX_ABSTRACT = 20_000  # characters; the longest real abstracts are a few thousand

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_LATEX_WRAP = re.compile(
    r"\\(?:textbf|textit|emph|texttt|textrm|textsc|mathrm|mathbf|mathit|text|url|href)\{([^{}]*)\}"
)
_LATEX_SYMBOLS = {r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#", r"\$": "$", r"$\sim$": "~", r"\sim": "~",
                  r"$\times$": "×", r"\times": "×", r"$\pm$": "±", r"\pm": "±", r"$\rightarrow$": "→",
                  r"\rightarrow": "→", r"$\leq$": "≤", r"$\geq$": "≥", r"\ldots": "...", "``": '"', "''": '"'}
_LATEX_SYMBOL = re.compile("|".join(re.escape(k) for k in sorted(_LATEX_SYMBOLS, key=len, reverse=True)))
_MATH_DOLLARS = re.compile(r"\$([^$]{1,40})\$")
_WS = re.compile(r"\s+")


def clean(text: str, limit: int) -> tuple[str, list[str]]:
    """The plain form of `text`, and what was changed that a user should hear about."""
    notes: list[str] = []
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("", text)
        notes.append("lone surrogate characters removed")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
        notes.append("control characters removed")
    if "\ufffd" in text:
        notes.append("invalid UTF-8 replaced with U+FFFD")
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "\\" in text or "$" in text or "`" in text:
        text = _LATEX_WRAP.sub(r"\1", text)
        text = _LATEX_SYMBOL.sub(lambda m: _LATEX_SYMBOLS[m.group(0)], text)
        text = _MATH_DOLLARS.sub(r"\1", text)
    text = _WS.sub(" ", text).strip()
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
        notes.append(f"cut to {limit} characters")
    return text, notes
