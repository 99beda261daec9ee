"""The same input gives the same graph: whatever the hash seed, whatever the number of workers."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from kg.build import build
from kg.sinks.graphml import write_graphml
from kg.sources.reader import ReadReport, iter_papers
from tests.conftest import ROOT, SEEDS


def test_determinism_graph_is_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"graph-{seed}.graphml"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(out), "--workers", "1"],
                       env=env, check=True, capture_output=True, cwd=ROOT, timeout=300)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_determinism_parallel_workers_give_the_same_graph(tmp_path):
    papers = list(iter_papers([SEEDS], ReadReport()))
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as handle:  # enough distinct papers for the pool to be used
        for copy in range(3):
            for p in papers:
                handle.write(json.dumps({"title": f"{p.title} (part {copy})", "abstract": p.abstract}) + "\n")
    graphs = []
    for workers in (1, 2):
        buffer = io.StringIO()
        write_graphml(build([corpus], workers=workers).graph, buffer)
        graphs.append(buffer.getvalue())
    assert graphs[0] == graphs[1]
