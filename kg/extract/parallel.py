"""Extraction over several processes: workers get batches of (title, abstract) pairs and send
back plain Extraction records (small tuples), never spaCy Docs.

Workers are forked from a parent that has already built its Extractor, so none of them pays
for loading the gazetteers again; results come back in input order, and the input is read only
a few batches ahead of them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from kg.extract import BATCH, Extraction, Extractor

_worker: Extractor | None = None
# Below this many papers a pool costs more than it saves.
MIN_PARALLEL = 2 * BATCH
# Batches sent ahead per worker: enough that none waits for work, few enough that memory holds
# only IN_FLIGHT * workers * BATCH papers however large the input.
IN_FLIGHT = 2


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _extract_batch(batch: list[tuple[str, str]]) -> list[Extraction]:
    assert _worker is not None
    return list(_worker.extract_texts(batch))


def _batches(items: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def extract_parallel(items: Iterable[tuple[str, str]], workers: int, extractor: Extractor | None = None,
                     ) -> Iterator[Extraction]:
    """Extractions for `items`, in order, using `workers` processes (1: in this process)."""
    global _worker
    extractor = extractor or Extractor()
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from extractor.extract_texts(items)
        return
    iterator = iter(items)
    head = list(islice(iterator, MIN_PARALLEL))
    if len(head) < MIN_PARALLEL:
        yield from extractor.extract_texts(head)
        return
    _worker = extractor  # inherited by the forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        # A bounded window of batches in flight, not Pool.imap: imap's feeder thread reads the
        # whole input ahead of the workers, so one big file would sit in memory as it is read.
        stream = _batches(chain(head, iterator))
        in_flight = deque(pool.apply_async(_extract_batch, (batch,)) for batch in islice(stream, IN_FLIGHT * workers))
        while in_flight:
            extractions = in_flight.popleft().get()
            batch = next(stream, None)
            if batch is not None:
                in_flight.append(pool.apply_async(_extract_batch, (batch,)))
            yield from extractions
