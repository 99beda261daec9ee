"""One node per real thing, and two nodes for two things (issue 5's merge and no-merge cases)."""

from __future__ import annotations

import pytest

from kg.resolve.entities import EntityResolver, compact

PAIRS = [("CLIP", "Contrastive Language-Image Pre-training"), ("FOO", "Foo Object Operator"),
         ("FOO", "Foo Object Operator"), ("FOO", "Fast Optical Ops"), ("ViT", "Vision Transformers"),
         ("VIT", "Visual Instruction Tuning"), ("ViT", "Vision Transformer")]


@pytest.fixture(scope="module")
def resolver():
    return EntityResolver(PAIRS)


@pytest.mark.parametrize("label,a,b", [
    ("Method", "ResNet50", "ResNet-50"),
    ("Method", "resnet 50", "ResNet-50"),
    ("Dataset", "MSCOCO", "MS-COCO"),
    ("Dataset", "COCO", "MS-COCO"),  # the well-known alias
    ("Method", "ViTs", "ViT"),  # plural
    ("Method", "CNNs", "CNN"),
    ("Metric", "Fréchet Inception Distance", "FID"),  # accents, and the gazetteer's long form
    ("Method", "ＣＬＩＰ", "CLIP"),  # full-width Unicode
    ("Method", "Contrastive Language–Image Pre-training", "CLIP"),  # en dash
    ("Method", "Foo Object Operator", "FOO"),  # an abbreviation one paper defined, used bare elsewhere
])
def test_resolve_entities_merge(resolver, label, a, b):
    assert resolver.resolve(label, a).key == resolver.resolve(label, b).key


@pytest.mark.parametrize("label,a,b", [
    ("Method", "GPT-3", "GPT-4"),  # versions are different models
    ("Method", "ViT-B/16", "ViT-L/14"),  # sizes too
    ("Method", "ResNet-50", "ResNet-101"),
    ("Method", "BERT", "RoBERTa"),
    ("Dataset", "ImageNet-1k", "ImageNet-21k"),
    ("Method", "Llama 2", "Llama 3"),
])
def test_resolve_entities_keep_apart(resolver, label, a, b):
    assert resolver.resolve(label, a).key != resolver.resolve(label, b).key


def test_resolve_entities_one_acronym_two_meanings(resolver):
    dominant = resolver.resolve("Method", "FOO", "Foo Object Operator")
    other = resolver.resolve("Method", "FOO", "Fast Optical Ops")
    assert dominant.key == "foo"
    assert other.key == "fastopticalop" and other.canonical == "Fast Optical Ops"
    # The gazetteer's ViT is the vision transformer; "Visual Instruction Tuning (VIT)" is not it.
    assert resolver.resolve("Method", "ViTs", "Vision Transformers").key == "vit"
    assert resolver.resolve("Method", "VIT", "Visual Instruction Tuning").key == "visualinstructiontuning"


def test_resolve_entities_every_decision_has_a_reason(resolver):
    assert resolver.resolve("Dataset", "COCO").reason == "gazetteer"
    assert resolver.resolve("Method", "Foo Object Operator").reason == "long form of an abbreviation"
    assert resolver.resolve("Method", "ZorbNet").reason == "own name"


@pytest.mark.parametrize("text,expected", [("ResNet-50", "resnet50"), ("GPT-4o", "gpt4o"), ("LLMs", "llm"),
                                           ("VITS", "vits"), ("Café Net", "cafenet")])
def test_resolve_entities_compact_form(text, expected):
    assert compact(text) == expected
