"""Paper-to-paper links: BUILDS_ON from proposals, CITES resolved to corpus papers."""

from __future__ import annotations

import json

from kg.build import build


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_builds_on_links_users_to_the_earliest_proposer(tmp_path):
    corpus = _write(tmp_path / "papers.jsonl", [
        {"id": "2001.00001", "date": "2020-01-10", "title": "FooBench: A Benchmark for Foo",
         "abstract": "We introduce FooBench, a new benchmark for foo detection."},
        {"id": "1901.00002", "date": "2019-01-05", "title": "Early Foo",
         "abstract": "We introduce the FooBench benchmark, a new dataset of foo."},
        {"id": "2101.00003", "date": "2021-03-01", "title": "Detecting Foo Better",
         "abstract": "Our detector reaches 91.0% accuracy on the FooBench benchmark."},
    ])
    graph = build([corpus]).graph
    builds_on = {(s, t): d["via"] for s, t, k, d in graph.edges(keys=True, data=True) if k == "BUILDS_ON"}
    # The earliest dated claimant is the origin; the conflict is recorded on the entity.
    assert builds_on == {("paper:arxiv:2101.00003", "paper:arxiv:1901.00002"): ["FooBench"]}
    assert graph.nodes["dataset:foobench"]["proposed_by"] == ["paper:arxiv:1901.00002", "paper:arxiv:2001.00001"]
    assert not any(s == t for s, t in builds_on)


def test_cites_resolved_to_corpus_papers_by_id_and_author_year(tmp_path):
    corpus = _write(tmp_path / "papers.jsonl", [
        {"id": "2106.01345", "date": "2021-06-02", "authors": ["Lili Chen", "Kevin Lu"],
         "title": "Decision Transformer", "abstract": "We introduce Decision Transformer for offline RL."},
        {"id": "2201.00001", "date": "2022-01-01", "title": "Follow-up Work",
         "abstract": "Unlike Decision Transformer (arXiv:2106.01345) and the work of Chen et al. (2021), "
                     "we also compare with IQL (Kostrikov et al., 2022)."},
    ])
    graph = build([corpus]).graph
    cites = {t for s, t, k in graph.edges(keys=True) if k == "CITES" and s == "paper:arxiv:2201.00001"}
    assert "paper:arxiv:2106.01345" in cites
    assert "cite:kostrikov2022" in cites  # not in the corpus: stays a Citation node
    assert graph.nodes["cite:kostrikov2022"]["labels"] == ":Citation"
    assert "cite:arxiv:2106.01345" not in graph and "cite:chen2021" not in graph


def test_entities_merge_across_papers_with_paper_count_and_evidence(tmp_path):
    corpus = _write(tmp_path / "papers.jsonl", [
        {"title": "A", "abstract": "We build on Contrastive Language-Image Pre-training (CLIP) features."},
        {"title": "B", "abstract": "Our encoder is initialised from CLIP and fine-tuned."},
        {"title": "C", "abstract": "We compare against Contrastive Language-Image Pretraining baselines."},
    ])
    graph = build([corpus]).graph
    clip = graph.nodes["method:clip"]
    assert clip["paper_count"] == 3
    assert "Contrastive Language-Image Pretraining" in clip["aliases"]
    assert not [n for n in graph if n.startswith("method:contrastive")]
