"""Shard by shard: per-shard extraction into a work dir (resumable), the graph built from shard
outputs, the streaming CSV writer, and the dask path; each equal, byte for byte, to the
in-memory build of the same input."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build import build, extract_inputs
from kg.cli import app
from kg.sinks.graphml import write_graphml
from kg.sinks.neo4j_csv import write_admin_csv
from kg.stream import stream_csv
from tests.conftest import INPUTS, ROOT, SEEDS

runner = CliRunner()

# Two papers in two shards are one (a conflict on the abstract, a DOI filled in); citations name
# a corpus paper by arXiv id and by author and year; BarNet builds on a paper it also cites.
CRAFTED = {
    "a.jsonl": [
        {"id": "2101.00001", "title": "FooNet: A New Model for Image Classification",
         "abstract": "We propose FooNet, a new model for image classification. FooNet reaches 81.2% top-1 accuracy "
                     "on ImageNet. Code is at https://github.com/foo/foonet.",
         "authors": ["Ann Smith", "Bo Li"], "date": "2021-01-05"},
        {"title": "Better Images with FooNet",
         "abstract": "We build on FooNet (arXiv:2101.00001) and evaluate on ImageNet, where FooNet reaches 83.0% "
                     "top-1 accuracy. Smith et al. (2021) introduced the backbone.", "date": "2022-03-01"},
        "{broken",
    ],
    "b.jsonl": [
        {"id": "2101.00001", "doi": "10.1000/foonet", "title": "FooNet: A New Model for Image Classification",
         "abstract": "Another version of the abstract.", "date": "2021-01-05"},
        {"title": "BarNet: Faster Segmentation",
         "abstract": "We introduce BarNet, a segmentation model. Compared with FooNet (Smith et al., 2021), BarNet "
                     "improves mIoU on ADE20K to 48.1%.", "date": "2023-02-02", "authors": ["Cy Jones"]},
    ],
}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    """The scholarly fixtures plus the crafted shards: every kind of cross-paper link."""
    folder = tmp_path_factory.mktemp("crafted")
    for path in INPUTS.iterdir():
        shutil.copy(path, folder / path.name)
    for name, rows in CRAFTED.items():
        lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _graphml(graph) -> str:
    buffer = io.StringIO()
    write_graphml(graph, buffer)
    return buffer.getvalue()


def _same_csv(expected: Path, actual: Path) -> None:
    names = sorted(p.name for p in expected.iterdir())
    assert names == sorted(p.name for p in actual.iterdir())
    for name in names:
        left, right = (expected / name).read_bytes(), (actual / name).read_bytes()
        if name == "IMPORT.txt":  # names its own directory
            left, right = left.replace(str(expected).encode(), b"DIR"), right.replace(str(actual).encode(), b"DIR")
        assert left == right, f"{name} differs"


def test_shards_graph_equals_the_in_memory_build(seed_build, tmp_path):
    result = build([SEEDS], workers=2, work_dir=tmp_path / "work")
    assert len(result.shards) == 5 and not any(s.cached for s in result.shards)
    assert _graphml(result.graph) == _graphml(seed_build.graph)
    again = build([SEEDS], workers=2, work_dir=tmp_path / "work")
    assert all(s.cached for s in again.shards)
    assert _graphml(again.graph) == _graphml(seed_build.graph)


def test_shards_crafted_graph_and_report_equal_the_in_memory_build(crafted, tmp_path):
    expected = build([crafted])
    links = {(s, k, t) for s, t, k in expected.graph.edges(keys=True) if t.startswith("paper:")}
    assert ("paper:barnet-faster-segmentation", "BUILDS_ON", "paper:arxiv:2101.00001") in links
    assert ("paper:barnet-faster-segmentation", "CITES", "paper:arxiv:2101.00001") in links
    result = build([crafted], work_dir=tmp_path / "work")
    assert _graphml(result.graph) == _graphml(expected.graph)
    for kind in ("rejected", "files_skipped", "warnings", "files_read"):
        assert getattr(result.report, kind) == getattr(expected.report, kind)


@pytest.mark.parametrize("corpus", ["seeds", "crafted"])
def test_stream_csv_equals_export_of_the_in_memory_graph(corpus, seed_build, crafted, tmp_path):
    inputs = SEEDS if corpus == "seeds" else crafted
    expected = seed_build if corpus == "seeds" else build([inputs])
    write_admin_csv(expected.graph, tmp_path / "export")
    summaries = extract_inputs([inputs], tmp_path / "work", workers=2)
    streamed = stream_csv([Path(s.output) for s in summaries], tmp_path / "stream")
    _same_csv(tmp_path / "export", tmp_path / "stream")
    assert streamed.papers == len(expected.papers)
    assert streamed.report.warnings == expected.report.warnings
    assert not [p for p in (tmp_path / "stream").iterdir() if p.name.startswith(".")]  # no parts or spill left


def test_cli_build_csv_streams_and_reports_bad_records_by_file_and_line(crafted, tmp_path):
    out = tmp_path / "out" / "neo4j-import"
    result = runner.invoke(app, ["build", str(crafted), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{crafted / 'a.jsonl'}:3: malformed JSON" in result.output
    assert "Traceback" not in result.output
    assert (out / "IMPORT.txt").is_file() and (out / "nodes_Paper.csv").is_file()
    assert (tmp_path / "out" / "neo4j-import.work").is_dir()  # the default work dir, beside the output
    rejects = (tmp_path / "out" / "neo4j-import.rejects.jsonl").read_text()
    assert "a.jsonl:3" in rejects
    strict = runner.invoke(app, ["build", str(crafted), "--format", "csv", "-o", str(tmp_path / "s"), "--strict"])
    assert strict.exit_code == 2 and "(--strict)" in strict.output
    assert not (tmp_path / "s" / "IMPORT.txt").exists()


def test_a_changed_shard_is_extracted_again_and_the_others_are_not(crafted, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(crafted, folder)
    first = extract_inputs([folder], tmp_path / "work")
    with (folder / "b.jsonl").open("a") as handle:
        handle.write(json.dumps({"title": "A New Paper", "abstract": "We propose QuxNet."}) + "\n")
    second = extract_inputs([folder], tmp_path / "work")
    redone = [Path(s.shard).name for s in second if not s.cached]
    assert redone == ["b.jsonl"]
    assert {s.output for s in first} != {s.output for s in second}


def test_a_damaged_shard_output_is_a_one_line_error(crafted, tmp_path):
    work = tmp_path / "work"
    summaries = extract_inputs([crafted], work)
    damaged = Path(summaries[0].output)
    damaged.write_bytes(gzip.compress(b"not a pickle"))
    result = runner.invoke(app, ["build", str(crafted), "--format", "csv", "-o", str(tmp_path / "csv"),
                                 "--work-dir", str(work)])
    assert result.exit_code == 2, result.output
    assert str(damaged) in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def _generated_shards(folder: Path, shards: int, per_shard: int) -> None:
    from bench.generate import generate

    folder.mkdir(parents=True)
    records = list(generate(shards * per_shard, seed=11))
    for n in range(shards):
        with gzip.open(folder / f"part-{n:03d}.jsonl.gz", "wt", encoding="utf-8") as handle:
            for record in records[n * per_shard:(n + 1) * per_shard]:
                handle.write(json.dumps(record) + "\n")


def test_a_killed_build_resumes_and_gives_the_same_output(tmp_path):
    inputs = tmp_path / "shards"
    _generated_shards(inputs, shards=6, per_shard=150)
    work, out = tmp_path / "work", tmp_path / "csv"
    command = [sys.executable, "-m", "kg", "build", str(inputs), "--format", "csv", "-o", str(out),
               "--work-dir", str(work), "--workers", "1"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(work.glob("*.kgshard.gz")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # mid-run: some shards done, one half-written
    process.wait()
    done_before = len(list(work.glob("*.kgshard.gz")))
    assert 1 <= done_before < 6
    assert not (out / "IMPORT.txt").exists()

    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{6 - done_before} extracted, {done_before} already done" in resumed.stdout
    write_admin_csv(build([inputs]).graph, tmp_path / "expected")
    _same_csv(tmp_path / "expected", out)


distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def dask_scheduler():
    """A LocalCluster with one in-process worker (threads): a real scheduler address, started fast."""
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


def test_dask_scheduler_build_equals_the_local_build(crafted, dask_scheduler, tmp_path):
    expected = build([crafted])
    write_admin_csv(expected.graph, tmp_path / "expected")
    started = time.perf_counter()
    result = runner.invoke(app, ["build", str(crafted), "--format", "csv", "-o", str(tmp_path / "csv"),
                                 "--scheduler", dask_scheduler])
    assert result.exit_code == 0, result.output
    _same_csv(tmp_path / "expected", tmp_path / "csv")
    graph = build([crafted], scheduler=dask_scheduler, work_dir=tmp_path / "csv.work")
    assert all(s.cached for s in graph.shards)  # the dask tasks wrote them
    assert _graphml(graph.graph) == _graphml(expected.graph)
    assert time.perf_counter() - started < 120


def test_dask_python_entry_point_runs_one_task_per_shard(crafted, dask_scheduler, tmp_path):
    from kg.build import corpus_graph, corpus_of_shards
    from kg.shards import run_on_client
    from kg.sources.reader import expand_paths

    shards = expand_paths([crafted])
    with distributed.Client(dask_scheduler) as client:
        summaries = run_on_client(client, shards, tmp_path / "work")
    assert [s.shard for s in summaries] == [str(p.resolve()) for p in shards]
    graph = corpus_graph(corpus_of_shards([Path(s.output) for s in summaries]))
    assert _graphml(graph) == _graphml(build([crafted]).graph)


def test_an_unreachable_scheduler_is_a_one_line_error(crafted, tmp_path, monkeypatch):
    import kg.shards

    monkeypatch.setattr(kg.shards, "CONNECT_TIMEOUT", "1s")
    result = runner.invoke(app, ["build", str(crafted), "--format", "csv", "-o", str(tmp_path / "csv"),
                                 "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in result.output
    assert len(result.output.strip().splitlines()) == 1
