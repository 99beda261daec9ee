"""Readers for the open scholarly graphs: OpenAlex works and Semantic Scholar papers/citations."""

from __future__ import annotations

from kg.build import build
from kg.sources.reader import ReadReport, iter_papers
from kg.sources.records import openalex_abstract
from tests.conftest import INPUTS


def test_openalex_abstract_is_rebuilt_from_the_inverted_index():
    assert openalex_abstract({"world": [1], "Hello": [0], "again": [3], "hello": [2]}) == "Hello world hello again"
    assert openalex_abstract(None) == ""


def test_openalex_works_are_read_with_ids_and_references():
    report = ReadReport()
    papers = list(iter_papers([INPUTS / "openalex_works.jsonl"], report))
    assert [p.openalex_id for p in papers] == ["W1001", "W1002"]
    first, second = papers
    assert first.title == "GraphX: Message Passing for Molecules"
    assert first.abstract.startswith("We propose GraphX, a message passing network")
    assert first.doi == "10.5555/graphx.2020" and first.date == "2020-05-01"
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert second.references == ("openalex:W1001", "openalex:W9999")
    assert [r.reason for r in report.rejected] == ["record has no abstract"]


def test_semantic_scholar_papers_and_citations():
    report = ReadReport()
    papers = list(iter_papers([INPUTS / "s2_papers.jsonl", INPUTS / "s2_citations.jsonl"], report))
    assert [(p.s2_id, p.arxiv_id) for p in papers] == [("501", "2106.01345"), ("502", None)]
    assert papers[1].doi == "10.1000/xyz.1" and papers[1].authors == ("Sam Smith",)
    assert [(link.citing, link.cited) for link in report.links] == [("s2:502", "s2:501"), ("s2:502", "s2:999")]
    assert len(report.rejected) == 1 and "corpus ids" in report.rejected[0].reason


def test_scholarly_citations_between_corpus_papers_become_cites():
    result = build([INPUTS / "openalex_works.jsonl", INPUTS / "s2_papers.jsonl", INPUTS / "s2_citations.jsonl"])
    cites = {(s, t) for s, t, k in result.graph.edges(keys=True) if k == "CITES"}
    assert ("paper:openalex:W1002", "paper:doi:10.5555/graphx.2020") in cites  # referenced_works (W1001 has a DOI)
    assert ("paper:doi:10.1000/xyz.1", "paper:arxiv:2106.01345") in cites  # S2 citations record
    # W9999 and corpus id 999 are not in the corpus: no edge, no invented node.
    assert all(t in result.graph for _, t in cites)


def test_list_fields_of_another_type_are_empty_not_fatal(tmp_path):
    # "for a in record.get(...) or []" raised TypeError for a number, stopping the build.
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id": "https://openalex.org/W7", "title": "OA", "abstract": "a.", "referenced_works": 1, "authorships": 2.5}\n'
        '{"corpusid": 8, "title": "S2", "abstract": "b.", "s2fieldsofstudy": 3}\n'
        '{"id": "https://openalex.org/W9", "title": "OA2", "abstract": "c.", "referenced_works": "W1"}\n'
    )
    papers = list(iter_papers([path], ReadReport()))
    assert [(p.title, p.references, p.authors, p.categories) for p in papers] == [
        ("OA", (), (), ()), ("S2", (), (), ()), ("OA2", (), (), ())]
