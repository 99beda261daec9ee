"""The main job as a Python API: inputs in, one validated graph out."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import networkx as nx

from kg.collector import collector_paused
from kg.extract import Extraction
from kg.extract.parallel import extract_parallel
from kg.graph import build_graph, validate_graph
from kg.resolve.entities import EntityResolver
from kg.resolve.papers import MergedPaper, PaperIndex, paper_links
from kg.resolve.typing import CorpusVotes, resolve_paper
from kg.shards import ShardSummary, extract_shards, replay
from kg.sources.reader import ReadReport, expand_paths, iter_papers
from kg.types import PaperLink

DEFAULT_WORK_DIR = Path(".kg-work")
Progress = Callable[[int, int], None]  # (papers extracted, input bytes read up to the last of them)


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    report: ReadReport
    papers: list[MergedPaper]
    seconds: float
    shards: list[ShardSummary] = field(default_factory=list)  # when built through a work dir


@dataclass
class Corpus:
    """Everything read and extracted, before the graph: papers (merged) and one extraction each."""

    index: PaperIndex
    entries: list[MergedPaper]
    extractions: list[Extraction]
    report: ReadReport


def read_corpus(paths: Iterable[Path], on_progress: Progress | None = None, workers: int = 1,
                strict: bool = False) -> Corpus:
    """Read every input, merge duplicate papers, and extract once per paper (over `workers`
    processes).

    `on_progress(papers, input_bytes)` is called as extractions come back: papers extracted so
    far, and how far into the input (in bytes, see ReadReport.bytes_read) the last of them was.
    """
    report = ReadReport(strict=strict)
    index = PaperIndex()
    entries: list[MergedPaper] = []
    read_up_to: deque[int] = deque()  # input position of each paper sent to extraction, in order

    def texts() -> Iterator[tuple[str, str]]:
        for paper in iter_papers(paths, report):
            entry, is_new = index.add(paper)
            if is_new:
                entries.append(entry)
                if on_progress is not None:
                    read_up_to.append(report.bytes_read())
                yield paper.title, paper.abstract

    extractions: list[Extraction] = []
    for extraction in extract_parallel(texts(), workers):
        extractions.append(extraction)
        if on_progress is not None:
            on_progress(len(extractions), read_up_to.popleft())
    report.warnings.extend(conflict for entry in index.merged for conflict in entry.conflicts)
    return Corpus(index, entries, extractions, report)


def corpus_of_shards(outputs: Iterable[Path], strict: bool = False) -> Corpus:
    """The corpus read back from shard outputs (kg.shards), exactly as `read_corpus` reads the inputs."""
    report = ReadReport(strict=strict)
    index = PaperIndex()
    entries: list[MergedPaper] = []
    extractions: list[Extraction] = []
    for paper, extraction in replay(outputs, report):
        entry, is_new = index.add(paper)
        if is_new:
            # A paper new to the corpus is new to its shard too, so its shard extracted it.
            assert extraction is not None, f"{paper.origin}: no extraction in its shard output"
            entries.append(entry)
            extractions.append(extraction)
    report.warnings.extend(conflict for entry in index.merged for conflict in entry.conflicts)
    return Corpus(index, entries, extractions, report)


def corpus_graph(corpus: Corpus, only: set[str] | None = None) -> nx.MultiDiGraph:
    """The validated graph of a corpus, or of the papers keyed in `only` with the corpus's knowledge.

    Types and abbreviations are decided by the whole corpus: a name typed in one paper informs
    the rest, and an abbreviation any paper defines names the same thing in every paper.
    """
    votes = CorpusVotes.of(corpus.extractions)
    resolver = EntityResolver(pair for extraction in corpus.extractions for pair in extraction.abbreviations)
    facts = [(entry, *resolve_paper(extraction, votes))
             for entry, extraction in zip(corpus.entries, corpus.extractions, strict=True)
             if only is None or entry.key in only]
    links = [(a, b) for a, b in _paper_links(corpus.index, corpus.report.links)
             if only is None or (a in only and b in only)]
    graph = build_graph(facts, resolver=resolver, paper_links=links)
    validate_graph(graph)
    return graph


class Feedback(Protocol):
    """How the main job shows progress (kg.ui.Reporter draws bars; the default shows nothing)."""

    def bar(self, description: str, total: float | None, unit: str) -> AbstractContextManager[Callable[..., None]]:
        """A measurable step; yields update(completed, items=None)."""
        ...

    def step(self, description: str) -> AbstractContextManager[None]:
        """A step of unknown length."""
        ...


class Silent:
    """Feedback that shows nothing (the library's default)."""

    @contextmanager
    def bar(self, description: str, total: float | None, unit: str) -> Iterator[Callable[..., None]]:
        yield lambda *args, **kwargs: None

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        yield


def build(paths: Iterable[Path], workers: int = 1, strict: bool = False, work_dir: Path | None = None,
          scheduler: str | None = None, feedback: Feedback | None = None) -> BuildResult:
    """Read every input and build one validated graph (the main job).

    With `work_dir` (or a dask `scheduler`), every input file is a shard extracted on its own into
    the work dir (kg.shards) — resumable, and spread over processes or a cluster — and the graph
    is built from the shard outputs; the graph is the same either way.
    """
    feedback = feedback or Silent()
    started = time.perf_counter()
    summaries: list[ShardSummary] = []
    with collector_paused():
        if work_dir is None and scheduler is None:
            files = expand_paths(paths)
            with feedback.bar("extracting", sum(f.stat().st_size for f in files), "papers") as update:
                corpus = read_corpus(files, lambda papers, read: update(read, papers), workers, strict)
        else:
            summaries = extract_inputs(paths, work_dir, workers, scheduler, feedback)
            with feedback.step("reading the shard outputs"):
                corpus = corpus_of_shards([Path(s.output) for s in summaries], strict)
        with feedback.step("resolving"):
            graph = corpus_graph(corpus)
    return BuildResult(graph, corpus.report, corpus.index.merged, time.perf_counter() - started, summaries)


def extract_inputs(paths: Iterable[Path], work_dir: Path | None, workers: int = 1, scheduler: str | None = None,
                   feedback: Feedback | None = None) -> list[ShardSummary]:
    """Every input file extracted as a shard into `work_dir` (default: .kg-work in the current directory)."""
    shards = expand_paths(paths)
    done = {"shards": 0, "papers": 0}
    with (feedback or Silent()).bar("extracting shards", len(shards), "papers") as update:

        def on_done(summary: ShardSummary) -> None:
            done["shards"] += 1
            done["papers"] += summary.papers
            update(done["shards"], done["papers"])

        return extract_shards(shards, work_dir or DEFAULT_WORK_DIR, workers, scheduler, on_done)


def _paper_links(index: PaperIndex, links: list[PaperLink]) -> list[tuple[str, str]]:
    """(citing, cited) paper keys for the citations sources state, between papers of the corpus."""
    pairs = paper_links(index.number, links, (entry.paper for entry in index.merged))
    return [(index.merged[a].key, index.merged[b].key) for a, b in pairs]
