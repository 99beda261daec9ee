"""How kg talks to the person (or the program) running it: progress, summaries, verbosity.

Progress bars go to stderr and only to a terminal, so pipes, logs and CI stay clean; summaries go
to stdout as text, or as one JSON object with ``--json`` for scripts. ``--quiet`` leaves errors
only; ``--verbose`` adds every reported record and the time of each step.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

out = Console(soft_wrap=True)  # long lines stay whole (pipes, logs); the terminal wraps them
err = Console(stderr=True, soft_wrap=True)  # one line per message, never wrapped

QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only: no progress, no summary.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print every skipped record and warning, and each step's time.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object on stdout.")]


class _RateColumn(ProgressColumn):
    """Items per second, counted in the task's own unit (papers, rows, shards)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        items = task.fields.get("items", task.completed)
        if elapsed < 0.5 or not items:
            return Text("")
        return Text(f"{items / elapsed:,.0f} {task.fields.get('unit', '')}/s", style="progress.data.speed")


@dataclass
class Reporter:
    """One command's voice, set by its --quiet / --verbose / --json options."""

    quiet: bool = False
    verbose: bool = False
    as_json: bool = False

    @property
    def shows_progress(self) -> bool:
        return not (self.quiet or self.as_json) and err.is_terminal

    @property
    def shows_summary(self) -> bool:
        return not (self.quiet or self.as_json)

    def say(self, message: str) -> None:
        """A line of the human summary (stdout)."""
        if self.shows_summary:
            out.print(message, highlight=False, markup=False)

    def note(self, message: str) -> None:
        """A report line on stderr (skipped records, warnings): kept with --json, dropped by --quiet."""
        if not self.quiet:
            err.print(message, markup=False, highlight=False)

    def detail(self, message: str) -> None:
        """Only with --verbose (stderr)."""
        if self.verbose and not self.quiet:
            err.print(message, markup=False, highlight=False)

    def summary(self, data: dict[str, object], render: Callable[[], None]) -> None:
        """The command's result: JSON with --json, else `render()` unless --quiet."""
        if self.as_json:
            out.print_json(json.dumps(data, ensure_ascii=False, default=str))
        elif not self.quiet:
            render()

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """A step whose length is unknown (resolving, writing): a spinner with elapsed time."""
        started = time.perf_counter()
        with Progress(SpinnerColumn(), TextColumn(description), TimeElapsedColumn(), console=err,
                      transient=True, disable=not self.shows_progress) as bar:
            bar.add_task(description, total=None)
            yield
        self.detail(f"kg: {description}: {time.perf_counter() - started:.2f} s")

    @contextmanager
    def bar(self, description: str, total: float | None, unit: str) -> Iterator[Callable[..., None]]:
        """A progress bar with rate and ETA; yields update(completed, items=None): `completed` in the
        bar's measure (bytes, rows), `items` in `unit` for the rate when the two differ."""
        started = time.perf_counter()
        columns = [TextColumn(description), BarColumn(), TaskProgressColumn(), _RateColumn(),
                   TimeRemainingColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=True, disable=not self.shows_progress) as bar:
            task = bar.add_task(description, total=total, unit=unit)

            def update(completed: float, items: int | None = None) -> None:
                fields: dict[str, Any] = {"items": items} if items is not None else {}  # custom task fields
                bar.update(task, completed=completed, **fields)

            yield update
        self.detail(f"kg: {description}: {time.perf_counter() - started:.2f} s")
