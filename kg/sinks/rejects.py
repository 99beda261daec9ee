"""The rejects file written beside a graph: every record skipped, file not read, or warning."""

from __future__ import annotations

import json
from pathlib import Path

from kg.sinks.atomic import atomic_write
from kg.sources.reader import ReadReport


def rejects_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.rejects.jsonl")


def write_rejects(report: ReadReport, path: Path) -> Path:
    """One JSON line per problem: {"kind", "origin", "reason"}; written (atomically) even when empty,
    so an old rejects file never outlives the build it described."""
    groups = (("rejected", report.rejected), ("file-skipped", report.files_skipped), ("warning", report.warnings))
    with atomic_write(path) as handle:
        for kind, items in groups:
            for item in items:
                handle.write(json.dumps({"kind": kind, "origin": item.origin, "reason": item.reason},
                                        ensure_ascii=False) + "\n")
    return path
