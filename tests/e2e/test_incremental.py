"""Loading corpus B into a database holding corpus A gives what one load of A+B gives."""

from __future__ import annotations

import json

import pytest

from kg.build import build, corpus_graph, read_corpus
from kg.sinks.neo4j import Loader
from tests.conftest import SEEDS

pytestmark = pytest.mark.neo4j


def snapshot(driver) -> tuple[set, set, dict]:
    """Node keys with labels, relationships as (source, type, target), and entity paper counts."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN n.key AS key, labels(n)[0] AS label, n.paper_count AS pc")
    rels, _, _ = driver.execute_query("MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b")
    return ({(r["label"], r["key"]) for r in nodes}, {(r["a"], r["t"], r["b"]) for r in rels},
            {r["key"]: r["pc"] for r in nodes if r["pc"] is not None})


def test_seed_halves_loaded_one_after_the_other_equal_one_load(empty_kg):
    corpus = read_corpus([SEEDS])
    first = {e.key for e in corpus.entries if any("/000_" in o or "/001_" in o for o in e.origins)}
    second = {e.key for e in corpus.entries} - first | {
        e.key for e in corpus.entries if any("/002_" in o or "/003_" in o or "/004_" in o for o in e.origins)}
    assert first and second and first & second  # papers listed on pages of both halves
    loader = Loader(empty_kg)
    loader.load(corpus_graph(corpus, only=first))
    loader.load(corpus_graph(corpus, only=second))
    incremental = snapshot(empty_kg)
    loader.load(corpus_graph(corpus), wipe=True)
    assert snapshot(empty_kg) == incremental


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_separate_builds_reconcile_keys_an_earlier_load_could_not_know(empty_kg, tmp_path):
    # Corpus A knows a paper only by its title and a method only by its long form;
    # corpus B knows the paper's arXiv id and defines the method's abbreviation.
    a = _write(tmp_path / "a.jsonl", [
        {"title": "Foo at Scale", "abstract": "We evaluate the Fast Object Operator model on ImageNet."},
        {"title": "Operators for Vision", "abstract": "We study operators. Results on ImageNet are strong."},
    ])
    b = _write(tmp_path / "b.jsonl", [
        {"id": "2301.00001", "title": "Operators for Vision", "abstract": "We study operators. Results on ImageNet are strong."},
        {"id": "2301.00002", "title": "FOO: A Fast Operator", "abstract": "We propose Fast Object Operator (FOO), a new model."},
    ])
    loader = Loader(empty_kg)
    loader.load(build([a]).graph)
    summary = loader.load(build([b]).graph)
    assert summary.merged_existing == 2  # the title-keyed paper and the long-form-keyed method
    incremental = snapshot(empty_kg)
    loader.load(build([a, b]).graph, wipe=True)
    single = snapshot(empty_kg)
    assert incremental == single
    assert ("Method", "method:foo") in single[0] and single[2]["method:foo"] == 2
    assert ("Paper", "paper:arxiv:2301.00001") in single[0]
    assert not any(key == "paper:operators-for-vision" for _, key in single[0])
