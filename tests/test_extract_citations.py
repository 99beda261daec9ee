from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.citations import find_citations


@pytest.mark.parametrize(
    "text,key,kind",
    [
        ("as in prior work (Alayrac et al., 2022).", "alayrac2022", "author-year"),
        ("distributional semantics (Harris, 1954) holds", "harris1954", "author-year"),
        ("following Sharma et al. 2018 we", "sharma2018", "author-year"),
        ("as Wang et al. (2022) showed", "wang2022", "author-year"),
        ("the LaLonde (1986) data", "lalonde1986", "author-year"),
        ("estimators of Wager and Athey 2018 are", "wager2018", "author-year"),
        ("data of Kang and McAuley, 2018 show", "kang2018", "author-year"),
        ("see arXiv:2106.01345v2 for details", "arxiv:2106.01345", "arxiv"),
        ("published as doi:10.1145/3292500.3330701.", "doi:10.1145/3292500.3330701", "doi"),
    ],
)
def test_citations_inline_shapes(text, key, kind):
    found = find_citations(text, [])
    assert [(c.key, c.kind) for c in found] == [(key, kind)]
    assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    "text",
    [
        "trained on ImageNet 2012 and COCO 2017",
        "In 2020, models improved",
        "the WMT 2014 English-German task",
        "https://doi.org/10.5281/zenodo.123 and https://arxiv.org/abs/2106.01345",
        "Since 2019 the field",
    ],
)
def test_citations_not_citations(text):
    urls = (
        [(text.find("https://doi"), text.find(" and")), (text.find("https://arxiv"), len(text))]
        if "https" in text
        else []
    )
    assert find_citations(text, urls) == []


def test_citations_several_in_one_parenthesis():
    found = find_citations("models (Devlin et al., 2019; Radford et al. 2021) work", [])
    assert [c.key for c in found] == ["devlin2019", "radford2021"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("title,abstract,expected", [
    ("A study of Smith and", "Jones (2019) show that it works.", [("abstract", 0, 12, "jones2019")]),
    ("Smith et", "al. (2020) show that it works.", []),
    ("Notes on arXiv:", "2106.01345 and more.", []),
])
def test_citations_never_join_the_title_to_the_abstract(extractor, title, abstract, expected):
    # One citation across the newline between them had its evidence in the title, ending past it.
    extraction = extractor.extract_one(title, abstract)
    found = [(m.evidence.field, m.evidence.start, m.evidence.end, m.name) for m in extraction.mentions
             if m.label == "Citation"]
    assert found == expected
