from __future__ import annotations

import pytest

from kg.extract.links import classify, find_urls, normalise_url

# Every URL shape found in the seed listings, as it stands in the text.
URL_SHAPES = [
    ("Code and models: https://github.com/joanrod/star-vector", "https://github.com/joanrod/star-vector"),
    ("released at https://github.com/Nomothings/CHARGE.git.", "https://github.com/Nomothings/CHARGE"),
    ("available athttps://github.com/dqshuai/MetaFormer.", "https://github.com/dqshuai/MetaFormer"),
    ("available at~https://github.com/Zplusdragon/PLIP", "https://github.com/Zplusdragon/PLIP"),
    ("(https://github.com/ibm-aur-nlp/PubLayNet)", "https://github.com/ibm-aur-nlp/PubLayNet"),
    (
        'at "https://github.com/twelvelabs-io/video-embeddings-evaluation-framework".',
        "https://github.com/twelvelabs-io/video-embeddings-evaluation-framework",
    ),
    (
        "at https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5.",
        "https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5",
    ),
    ("\\url{https://github.com/a/b}~", "https://github.com/a/b"),
    ("url{https://github.com/a/b}", "https://github.com/a/b"),
    (
        "https://ximinng.github.io/SVGFusionProject/{https://ximinng.github.io/SVGFusionProject/}",
        "https://ximinng.github.io/SVGFusionProject",
    ),
    (
        "Project page is available at https://zyf0619sjtu.github.io/dream-lip.",
        "https://zyf0619sjtu.github.io/dream-lip",
    ),
    ("see https://aka.ms/layoutlmv2.", "https://aka.ms/layoutlmv2"),
    ("at https://crfm.stanford.edu/helm/image2struct/v1.0.1/.", "https://crfm.stanford.edu/helm/image2struct/v1.0.1"),
    ("https://Example.COM/Path/", "https://example.com/Path"),
    ("code: github.com/owner/repo, data", "https://github.com/owner/repo"),
    ("Code (https://github.com/x/y_(z)) here", "https://github.com/x/y_(z)"),
    ("www.example.org/page;", "https://www.example.org/page"),
]


@pytest.mark.parametrize("text,expected", URL_SHAPES)
def test_links_normalise_seed_url_shapes(text, expected):
    found = find_urls(text)
    assert found, text
    assert found[0].url == expected
    # Offsets cover the URL as written, without the punctuation or wrapper around it.
    span = text[found[0].start : found[0].end]
    assert normalise_url(span) == expected
    assert not span.endswith((".", ",", ";", "}", "~", '"'))


@pytest.mark.parametrize(
    "url,repo_path,kind",
    [
        ("https://github.com/joanrod/star-vector", "github.com/joanrod/star-vector", "repository"),
        ("https://github.com/microsoft/Cream/tree/main/EfficientViT", "github.com/microsoft/Cream", "repository"),
        ("https://gitlab.com/group/sub/project/-/tree/main/src", "gitlab.com/group/sub/project", "repository"),
        ("https://bitbucket.org/team/tool/src/master", "bitbucket.org/team/tool", "repository"),
        (
            "https://huggingface.co/infgrad/jasper_en_vision_language_v1",
            "huggingface.co/infgrad/jasper_en_vision_language_v1",
            "repository",
        ),
        ("https://huggingface.co/datasets/org/data/viewer", "huggingface.co/datasets/org/data", "repository"),
        ("https://huggingface.co/spaces/org/demo", "huggingface.co/spaces/org/demo", "repository"),
        ("https://hf.co/org/model", "huggingface.co/org/model", "repository"),
        ("https://huggingface.co/papers/2401.00001", None, "huggingface"),
        ("https://github.com/openai", None, "other"),
        ("https://doi.org/10.1000/xyz", None, "doi"),
        ("https://arxiv.org/abs/2401.00001", None, "arxiv"),
        ("https://bit.ly/FPDMCode", None, "short-link"),
        ("https://vgbench.github.io", None, "project-page"),
        ("https://sites.google.com/view/lavca-llm", None, "project-page"),
        ("https://monai.io/research/swin-unetr", None, "other"),
    ],
)
def test_links_classify_repositories_and_link_kinds(url, repo_path, kind):
    target = classify(normalise_url(url))
    assert target.repo_path == repo_path
    assert target.kind == kind


def test_links_repository_key_is_lower_case_and_scheme_free():
    target = classify(normalise_url("https://GitHub.com/OpenAI/CLIP.git"))
    assert target.key_path == "github.com/openai/clip"
    assert target.url == "https://github.com/OpenAI/CLIP"


def test_links_ignores_hostless_fragments():
    assert find_urls("see http://localhost:8080 and https:// nothing") == []


@pytest.mark.parametrize("raw,expected", [
    ("https://a.com/x./", "https://a.com/x"),  # was "https://a.com/x.", which normalised again to ".../x"
    ("https://www.https://", "https://www.https"),
    ("https://github.com/a/b/.)/", "https://github.com/a/b"),
])
def test_links_normalised_url_is_a_fixed_point(raw, expected):
    assert normalise_url(raw) == expected
    assert normalise_url(expected) == expected


@pytest.mark.parametrize("text", ["See https://./ for more.", "at http://../x and", "www../a"])
def test_links_without_a_host_once_normalised_are_not_links(text):
    # "https://./" passed the raw host check ("." in "."), then normalised to "https://": key "link:".
    assert find_urls(text) == []
