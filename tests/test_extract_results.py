from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.results import find_results
from kg.resolve.typing import CorpusVotes, resolve_paper


def values(sentence):
    return [r.value for r in find_results(sentence, 0, [])]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Our model achieves 83.3% top-1 accuracy on ImageNet.", [83.3]),
        ("Layout detection improves on PubLayNet (95.7% -> 96.2%).", [96.2]),
        ("We obtain CLIP-T: 0.4563 and better image quality.", [0.4563]),
        ("Our method improves FID from 12.3 to 9.8.", [9.8]),
        ("Human raters gave a score of 3.48 out of 5.", [3.48]),
        ("It reduces the error to 1.2e-3, a 2.3x speed-up over the baseline.", [0.0012, 2.3]),
        ("The method outperforms the baseline by 2.6 points.", [2.6]),
        ("Accuracy drops to −4.5 on the hardest split.", [-4.5]),
    ],
)
def test_results_shapes(sentence, expected):
    assert values(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We collect 30M images and 4,738 question-answer pairs to improve performance.",
        "A 7B model trained for 3 epochs on 2024 data improves results.",
        "Our method needs only 10% of the labeled data to achieve better accuracy.",
        "We evaluate on 4 tasks and report top-1 and top-5 results.",
        "In 2023 we improved the system.",
        # Beyond a double: float() gave inf, which broke the Cypher export and strict JSON.
        "The model outperforms the baseline with a score of 1e310.",
        "It improves accuracy to " + "9" * 400 + ".5%.",
    ],
)
def test_results_counts_sizes_years_and_settings_are_not_results(sentence):
    assert values(sentence) == []


def test_results_are_tied_to_metric_dataset_and_own_method():
    extractor = Extractor()
    title = "KoalaNet: Efficient Image Models"
    abstract = "We present KoalaNet. Our model achieves 83.3% top-1 accuracy on ImageNet, outperforming ResNet-50."
    extraction = extractor.extract_one(title, abstract)
    _, results = resolve_paper(extraction, CorpusVotes.of([extraction]))
    (result,) = results
    assert (result.value, result.raw) == (83.3, "83.3%")
    assert result.metric.name == "top-1 accuracy"
    assert result.dataset.name == "ImageNet"
    assert result.method.name == "KoalaNet"  # "our model", not the baseline it beats
