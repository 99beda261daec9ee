"""Extraction shard by shard: each input file becomes one compact, resumable output in a work dir.

``extract_shard(shard, work_dir)`` reads one input file with kg's readers, extracts every paper
the file has not already shown (a paper seen twice in one file is extracted once), and writes
what the resolve step needs — papers, their extractions, rejects, stated citations — to one
gzip'd stream of pickled batches, atomically. The output's name is keyed by the shard's path,
size and modification time and by the extractor's fingerprint (kg's version and a hash of the
code and resources that shape Paper and Extraction records), so a re-run skips shards already
done: an interrupted build resumes where it stopped, and a changed input or a new kg redoes only
what it must.

``extract_shards`` runs the shards locally (a process pool over shards, or one shard at a time
over the extraction pool of kg.extract.parallel when there are fewer shards than workers) or on
a dask.distributed cluster, one task per shard writing into a work dir every worker can reach
and returning only a small ShardSummary. ``replay`` reads the outputs back in shard order as if
the inputs were read again, for kg.build (in-memory graph) and kg.stream (streaming CSV).

The outputs are pickles: the work dir is trusted like the code that reads it.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg import __version__
from kg.errors import InputError, KGError
from kg.extract import Extraction, Extractor
from kg.extract.parallel import extract_parallel
from kg.resolve.papers import PaperIndex
from kg.sinks.atomic import atomic_write
from kg.sources.reader import ReadReport, account, iter_file
from kg.types import Paper, PaperLink, Rejected

FORMAT = "kg-shard"
FORMAT_VERSION = 1
SUFFIX = ".kgshard.gz"
CONNECT_TIMEOUT = "20s"  # to reach a dask scheduler
_BATCH = 256  # records per pickled batch: small enough to stream, large enough to compress well
# Code and data whose change makes earlier shard outputs stale (relative to the kg package): what
# shapes Paper and Extraction records. A change to the output layout itself bumps FORMAT_VERSION.
_FINGERPRINTED = ("extract", "sources", "resources", "types.py")


class ShardError(KGError):
    """A shard output in the work dir cannot be read (damaged, or not written by kg)."""

    code = 2


@dataclass(frozen=True)
class ShardSummary:
    """What a task sends back: small, whatever the shard's size."""

    shard: str
    output: str
    cached: bool  # the output was already there (a re-run, or another driver did it)
    papers: int = 0  # papers extracted (0 when cached)
    seconds: float = 0.0


@cache
def extractor_fingerprint() -> str:
    """A hash of kg's version and of every file that shapes what a shard output holds."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{FORMAT} {FORMAT_VERSION} kg {__version__}\n".encode())
    for name in _FINGERPRINTED:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def shard_output(shard: Path, work_dir: Path) -> Path:
    """Where a shard's output lives: named by the shard's identity, so a stale one is never reused."""
    stat = shard.stat()
    identity = f"{shard.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{extractor_fingerprint()}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:20]
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in shard.name)[:80]
    return work_dir / f"{stem}-{digest}{SUFFIX}"


def _with_extractions(shard: Path, report: ReadReport, extractor: Extractor,
                      workers: int) -> Iterator[tuple[Paper | PaperLink | Rejected, Extraction | None]]:
    """Every item of the shard in order, each paper the shard shows for the first time with its extraction."""
    pending: deque[tuple[Paper | PaperLink | Rejected, bool]] = deque()
    seen: set[str] = set()

    def texts() -> Iterator[tuple[str, str]]:
        for item in iter_file(shard, report):
            # First in this shard exactly when kg.resolve.papers.PaperIndex would call it new here:
            # its index maps every identity any record of a paper had.
            new = False
            if isinstance(item, Paper):
                identities = PaperIndex.identities(item)
                new = seen.isdisjoint(identities)
                seen.update(identities)
            pending.append((item, new))
            if new:
                yield item.title, item.abstract  # type: ignore[union-attr]

    for extraction in extract_parallel(texts(), workers, extractor):
        while True:
            item, new = pending.popleft()
            yield item, extraction if new else None
            if new:
                break
    while pending:
        yield pending.popleft()[0], None


def extract_shard(shard: Path, work_dir: Path, extractor: Extractor | None = None, workers: int = 1) -> ShardSummary:
    """Extract one input file into the work dir (skipped when its output is already there)."""
    output = shard_output(shard, work_dir)
    if output.exists():
        return ShardSummary(str(shard), str(output), cached=True)
    started = time.perf_counter()
    extractor = extractor or Extractor()
    report = ReadReport()
    papers = 0
    with atomic_write(output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as out:
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)  # records pickle as constructor calls

        def dump(obj: object) -> None:
            pickler.dump(obj)
            pickler.clear_memo()  # each batch stands alone: memory stays per batch

        dump({"format": FORMAT, "version": FORMAT_VERSION, "shard": str(shard), "fingerprint": extractor_fingerprint()})
        batch: list[tuple[Paper | PaperLink | Rejected, Extraction | None]] = []
        for item, extraction in _with_extractions(shard, report, extractor, workers):
            papers += extraction is not None
            batch.append((item, extraction))
            if len(batch) >= _BATCH:
                dump(batch)
                batch = []
        if batch:
            dump(batch)
        # The reader notes files read and skipped in the report, not as items: they close the stream.
        dump({"end": True, "files_read": report.files_read, "files_skipped": report.files_skipped})
    return ShardSummary(str(shard), str(output), cached=False, papers=papers, seconds=time.perf_counter() - started)


def read_shard(output: Path) -> Iterator[list[tuple[Paper | PaperLink | Rejected, Extraction | None]] | dict]:
    """The batches of a shard output, then its closing record; a damaged output is one ShardError."""
    try:
        with gzip.open(output, "rb") as stream:
            header = pickle.load(stream)
            if not isinstance(header, dict) or header.get("format") != FORMAT or \
                    header.get("version") != FORMAT_VERSION:
                raise ShardError(f"{output}: not a kg shard output of this version (delete it to redo the shard)")
            while True:
                part = pickle.load(stream)
                yield part
                if isinstance(part, dict):
                    return
    except ShardError:
        raise
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError) as exc:
        raise ShardError(f"{output}: damaged shard output ({type(exc).__name__}: {exc}); "
                         "delete it and re-run to redo that shard") from exc


def replay(outputs: Iterable[Path], report: ReadReport) -> Iterator[tuple[Paper, Extraction | None]]:
    """The papers of every shard output in order, each with the extraction made in its shard (None
    for a repeat within the shard), noting rejects, citations and files in `report` exactly as
    reading the inputs again would."""
    for output in outputs:
        for part in read_shard(output):
            if isinstance(part, dict):
                report.files_read.extend(part["files_read"])
                report.files_skipped.extend(part["files_skipped"])
                continue
            for item, extraction in part:
                paper = account(item, report)
                if paper is not None:
                    yield paper, extraction


# One extractor per process (forked pool workers inherit the parent's) and per thread (dask
# workers may run tasks on several threads; a spaCy pipeline is not shared across threads).
_extractors = threading.local()
_pool_extractor: Extractor | None = None


def _local_extractor() -> Extractor:
    extractor = getattr(_extractors, "extractor", None) or _pool_extractor
    if extractor is None:
        extractor = _extractors.extractor = Extractor()
    return extractor


def shard_task(shard: str, work_dir: str) -> ShardSummary:
    """One shard, as a pool or dask task: plain strings in, a small summary out."""
    return extract_shard(Path(shard), Path(work_dir), _local_extractor())


def extract_shards(shards: list[Path], work_dir: Path, workers: int = 1, scheduler: str | None = None,
                   on_done: Callable[[ShardSummary], None] | None = None) -> list[ShardSummary]:
    """Extract every shard not done yet; summaries in shard order.

    `scheduler`: None runs here on `workers` processes; "local" starts a dask LocalCluster of
    `workers` processes; "tcp://HOST:PORT" uses a running dask.distributed scheduler.
    """
    work_dir = work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    done: dict[int, ShardSummary] = {}
    todo: list[int] = []
    for n, shard in enumerate(shards):
        output = shard_output(shard, work_dir)
        if output.exists():
            done[n] = ShardSummary(str(shard), str(output), cached=True)
            if on_done:
                on_done(done[n])
        else:
            todo.append(n)
    if todo and scheduler is not None:
        for n, summary in zip(todo, _on_dask([shards[n] for n in todo], work_dir, workers, scheduler, on_done),
                              strict=True):
            done[n] = summary
    elif len(todo) >= workers >= 2:
        done.update(_on_pool(shards, todo, work_dir, workers, on_done))
    elif todo:
        extractor = Extractor()
        for n in todo:  # fewer shards than workers: the workers share each shard's papers instead
            done[n] = extract_shard(shards[n], work_dir, extractor, workers)
            if on_done:
                on_done(done[n])
    return [done[n] for n in range(len(shards))]


def _on_pool(shards: list[Path], todo: list[int], work_dir: Path, workers: int,
             on_done: Callable[[ShardSummary], None] | None) -> dict[int, ShardSummary]:
    import multiprocessing

    global _pool_extractor
    if "fork" not in multiprocessing.get_all_start_methods():
        extractor = Extractor()
        return {n: extract_shard(shards[n], work_dir, extractor) for n in todo}
    _pool_extractor = Extractor()  # built once, inherited by the forked workers
    results: dict[int, ShardSummary] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(shard_task, str(shards[n]), str(work_dir)): n for n in todo}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    if future.exception() is not None:
                        for other in pending:
                            other.cancel()
                        raise future.exception()  # type: ignore[misc]
                    results[futures[future]] = future.result()
                    if on_done:
                        on_done(results[futures[future]])
    finally:
        _pool_extractor = None
    return results


def _on_dask(shards: list[Path], work_dir: Path, workers: int, scheduler: str,
             on_done: Callable[[ShardSummary], None] | None) -> list[ShardSummary]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError("--scheduler needs dask.distributed: install kg with its cluster extra "
                         "(pip install '.[cluster]' in a kg checkout)") from exc
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
    try:
        return run_on_client(client, shards, work_dir, on_done)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_on_client(client, shards: list[Path], work_dir: Path,
                  on_done: Callable[[ShardSummary], None] | None = None) -> list[ShardSummary]:
    """One dask task per shard on an existing `distributed.Client` (the Python entry point for a
    cluster you manage yourself); tasks write into `work_dir`, which every worker must reach."""
    from distributed import as_completed

    futures = client.map(shard_task, [str(s.resolve()) for s in shards], work_dir=str(work_dir.resolve()),
                         pure=False)
    position = {future.key: n for n, future in enumerate(futures)}
    results: list[ShardSummary | None] = [None] * len(futures)
    for future in as_completed(futures):
        summary = future.result()  # a task's error is raised here, as itself
        results[position[future.key]] = summary
        if on_done:
            on_done(summary)
    return results  # type: ignore[return-value]
