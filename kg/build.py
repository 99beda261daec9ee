"""The main job as a Python API: inputs in, one validated graph out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.extract import Extraction, Extractor
from kg.graph import build_graph, validate_graph
from kg.resolve.papers import MergedPaper, PaperIndex
from kg.resolve.typing import CorpusVotes, resolve_paper
from kg.sources.reader import ReadReport, iter_papers


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    report: ReadReport
    papers: list[MergedPaper]
    seconds: float


def build(paths: Iterable[Path], on_paper: Callable[[], None] | None = None) -> BuildResult:
    """Read every input, merge duplicate papers, extract once per paper, build and validate.

    `on_paper` is called once per record read (for progress display).
    """
    started = time.perf_counter()
    report = ReadReport()
    index = PaperIndex()
    new_entries: list[MergedPaper] = []

    def texts() -> Iterator[tuple[str, str]]:
        for paper in iter_papers(paths, report):
            if on_paper is not None:
                on_paper()
            entry, is_new = index.add(paper)
            if is_new:
                new_entries.append(entry)
                yield paper.title, paper.abstract

    extractions: list[Extraction] = list(Extractor().extract_texts(texts()))
    # Types are decided once every paper has voted (a name typed in one paper informs the rest).
    corpus = CorpusVotes.of(extractions)
    facts = [
        (entry, *resolve_paper(extraction, corpus)) for entry, extraction in zip(new_entries, extractions, strict=True)
    ]
    graph = build_graph(facts)
    validate_graph(graph)
    return BuildResult(graph, report, index.merged, time.perf_counter() - started)
