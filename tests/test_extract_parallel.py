from __future__ import annotations

from kg.extract import BATCH, Extractor
from kg.extract.parallel import IN_FLIGHT, extract_parallel


def test_parallel_extraction_reads_its_input_only_a_few_batches_ahead():
    """Memory must not grow with the input: at any time, at most the batches in flight (and the
    one sent in place of the batch being handed back) have been read beyond what came back."""
    read = 0
    total = 20 * BATCH

    def papers():
        nonlocal read
        for n in range(total):
            read += 1
            yield f"Paper {n}", f"We propose Net{n}, which reaches 9{n % 10}.1% accuracy on ImageNet."

    extractor = Extractor()
    ahead = 0
    results = []
    for returned, extraction in enumerate(extract_parallel(papers(), 2, extractor), start=1):
        ahead = max(ahead, read - returned)
        results.append(extraction)
    assert ahead <= (IN_FLIGHT * 2 + 1) * BATCH < total
    assert read == total == len(results)
    assert results[7] == extractor.extract_one("Paper 7", "We propose Net7, which reaches 97.1% accuracy on ImageNet.")
