"""The `kg` command line: a thin skin over the kg package.

Each command parses options, calls the library, and prints. Errors from the library are
KGError subclasses; only here do they become one line on stderr and an exit code.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kg import __version__
from kg.errors import KGError, OutputError

app = typer.Typer(
    name="kg",
    help="Build a knowledge graph of methods, datasets, metrics, code and citations from paper abstracts.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # one line per message, never wrapped
_state = {"debug": False}

DEFAULT_OUTPUT = Path("out/graph.graphml")
DEFAULT_INPUT = Path("seeds")


def _fail(exc: BaseException) -> None:
    if _state["debug"]:
        raise exc
    if isinstance(exc, KGError):
        err.print(f"kg: error: {exc.message}", markup=False, highlight=False)
        raise typer.Exit(exc.code)
    err.print(
        f"kg: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
        markup=False,
        highlight=False,
    )
    raise typer.Exit(70)


def _version(value: bool) -> None:
    if value:
        out.print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback when something fails.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """kg reads paper abstracts (Hugging Face Papers listings, arXiv metadata dumps, JSON Lines,
    CSV), extracts what they name with evidence, and writes one graph (GraphML or JSON).

    Example: [bold]kg build seeds/ -o out/graph.graphml[/bold]
    """
    _state["debug"] = debug


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Input files or directories (recursively). Formats are recognised by content: "
            "Hugging Face Papers listings, JSON Lines / JSON arrays (the arXiv metadata snapshot "
            "included), CSV/TSV with title and abstract columns; .gz is read too. Default: seeds/.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Graph file to write; the suffix picks the format: .graphml or .json."),
    ] = DEFAULT_OUTPUT,
) -> None:
    """Read papers, extract entities with evidence, and write the graph.

    Example: [bold]kg build seeds/ -o out/graph.graphml[/bold]
    """
    from kg.build import build as run_build
    from kg.sinks import WRITERS, write_graph

    try:
        if output.suffix.lower() not in WRITERS:
            raise OutputError(f"{output}: unknown output format {output.suffix!r} (use {', '.join(WRITERS)})")
        inputs = paths or [DEFAULT_INPUT]
        result = run_build(inputs)
        write_graph(result.graph, output)
    except (KGError, OSError, ValueError) as exc:
        _fail(exc)
        return
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        _fail(exc)
        return

    report = result.report
    for rejected in report.files_skipped + report.rejected:
        err.print(f"kg: skipped {rejected.origin}: {rejected.reason}", markup=False, highlight=False)
    graph = result.graph
    labels = Counter(str(d["labels"]).lstrip(":") for _, d in graph.nodes(data=True))
    rels = Counter(k for _, _, k in graph.edges(keys=True))
    out.print(
        f"Read {report.records} paper records from {len(report.files_read)} files "
        f"({len(report.rejected)} skipped); {len(result.papers)} distinct papers."
    )
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("nodes")
    table.add_column("count", justify="right")
    table.add_column("relationships")
    table.add_column("count", justify="right")
    node_rows = sorted(labels.items())
    rel_rows = sorted(rels.items())
    for i in range(max(len(node_rows), len(rel_rows))):
        n = node_rows[i] if i < len(node_rows) else ("", "")
        r = rel_rows[i] if i < len(rel_rows) else ("", "")
        table.add_row(n[0], str(n[1]), r[0], str(r[1]))
    out.print(table)
    out.print(
        f"Wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships) "
        f"in {result.seconds:.2f} s."
    )


def run() -> None:  # pragma: no cover - console entry for `python -m kg`
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
