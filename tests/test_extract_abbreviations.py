from __future__ import annotations

import pytest

from kg.extract.abbreviations import best_long_form, find_abbreviations


@pytest.mark.parametrize(
    "sentence,short,long",
    [
        # Schwartz & Hearst (2003), their classic examples.
        ("Heat shock transcription factor (HSF) binds DNA.", "HSF", "Heat shock transcription factor"),
        ("The gene encodes a protein kinase C (PKC) isoform.", "PKC", "protein kinase C"),
        ("We measured heart rate variability (HRV) in patients.", "HRV", "heart rate variability"),
        # Shapes from the field.
        (
            "We use Contrastive Language-Image Pre-training (CLIP) features.",
            "CLIP",
            "Contrastive Language-Image Pre-training",
        ),
        (
            "integrates Code Generation Large Language Models (CodeLLMs) and vision",
            "CodeLLMs",
            "Code Generation Large Language Models",
        ),
        (
            "we propose CHARt-based document question-answering GEneration (CHARGE), a framework",
            "CHARGE",
            "CHARt-based document question-answering GEneration",
        ),
        ("in-distribution (ID) and out-of-distribution (OOD) samples", "OOD", "out-of-distribution"),
        # Reverse order: short form first, long form in parentheses.
        (
            "Our approach uses CLIP (Contrastive Language-Image Pre-training) features.",
            "CLIP",
            "Contrastive Language-Image Pre-training",
        ),
        # A short form with a trailing remark after a semicolon.
        ("The Visual Genome (VG; Krishna et al.) dataset is large.", "VG", "Visual Genome"),
    ],
)
def test_abbreviations_classic_cases(sentence, short, long):
    pairs = {(a.short, a.long) for a in find_abbreviations(sentence)}
    assert (short, long) in pairs
    for a in find_abbreviations(sentence):
        assert sentence[a.short_start : a.short_end] == a.short
        assert sentence[a.long_start : a.long_end] == a.long


@pytest.mark.parametrize(
    "sentence",
    [
        "as shown before (Smith et al., 2019) the method works",
        "results improve (p < 0.05) in all settings",
        "we evaluate on three datasets (see Table 1)",
        "accuracy rises (from 70% to 80%)",
        "a model (2019) was used",
        "the first step (i.e., pre-training) matters",
    ],
)
def test_abbreviations_not_definitions(sentence):
    assert find_abbreviations(sentence) == []


def test_abbreviations_first_letter_must_start_a_word():
    # "ab" must not match inside "crab": the first character of the short form starts a word.
    assert best_long_form("AB", "crab") is None
    assert best_long_form("AB", "alpha beta") == 0
