"""The `kg` command line: a thin skin over the kg package.

Each command parses options, calls the library, and prints. Errors from the library are
KGError subclasses; only here do they become one line on stderr and an exit code.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kg import __version__
from kg.errors import InputError, KGError, OutputError
from kg.ui import JsonOption, QuietOption, Reporter, VerboseOption, err, out

app = typer.Typer(
    name="kg",
    help="Build a knowledge graph of methods, datasets, metrics, code and citations from paper abstracts.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
_state = {"debug": False}

DEFAULT_OUTPUT = Path("out/graph.graphml")
DEFAULT_CSV_OUTPUT = Path("out/neo4j-import")
_MAX_REPORTED = 20  # report lines on stderr; the rejects file has them all
DEFAULT_INPUT = Path("seeds")


def _fail(exc: BaseException) -> None:
    if _state["debug"]:
        raise exc
    if isinstance(exc, KGError):
        err.print(f"kg: error: {_one_line(exc.message)}", markup=False, highlight=False)
        raise typer.Exit(exc.code)
    err.print(
        f"kg: internal error: {type(exc).__name__}: {_one_line(str(exc))} (run with --debug for the traceback)",
        markup=False,
        highlight=False,
    )
    raise typer.Exit(70)


def _one_line(message: str) -> str:
    return " ".join(message.split())


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
    # The driver logs every retry and dropped connection to stderr; kg reports the outcome in one line.
    logging.getLogger("neo4j").setLevel(logging.DEBUG if debug else logging.CRITICAL)


_FORMATS = ("graphml", "json", "csv")


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
        typer.Option("--output", "-o", help="Graph file to write (the suffix picks the format: .graphml or .json), "
                     "or the directory of CSV files with --format csv (default there: out/neo4j-import)."),
    ] = DEFAULT_OUTPUT,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="graphml, json, or csv: neo4j-admin import files written while "
                     "streaming, never holding the corpus in memory (default: from the output's suffix)."),
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1,
                                                help="Extraction processes (default: the cores available).")] = None,
    work_dir: Annotated[
        Path | None,
        typer.Option("--work-dir", help="Extract every input file as a shard into this directory; a re-run skips "
                     "shards already done (default with --format csv or --scheduler: <output>.work beside the "
                     "output)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Extract the shards on dask.distributed: tcp://HOST:PORT of a running "
                     "scheduler (the work dir must be on a filesystem every worker reaches), or 'local' for a "
                     "LocalCluster of --workers processes. Needs the kg\\[cluster] extra."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad record (exit code 2) instead of "
                                         "skipping and reporting it.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    as_json: JsonOption = False,
) -> None:
    """Read papers, extract entities with evidence, and write the graph.

    Bad records are skipped, each reported as file:line and reason on stderr and in
    <output>.rejects.jsonl beside the output; the records around them are kept.

    Large corpora: a directory of shards (.jsonl.gz files) with --format csv is extracted shard by
    shard into the work dir (resumable) and written as neo4j-admin CSV without holding the corpus
    in memory; load it with scripts/neo4j import DIR or the command in DIR/IMPORT.txt.

    Example: [bold]kg build seeds/ -o out/graph.graphml[/bold]

    Example: [bold]kg build shards/ --format csv -o out/neo4j-import --work-dir out/work --workers 8[/bold]
    """
    from kg.build import build as run_build
    from kg.build import extract_inputs
    from kg.extract.parallel import default_workers
    from kg.sinks import WRITERS, write_graph
    from kg.sinks.rejects import rejects_path, write_rejects

    ui = Reporter(quiet, verbose, as_json)
    started = time.perf_counter()
    try:
        if fmt is None and output.suffix.lower() not in WRITERS:
            raise OutputError(f"{output}: unknown output format {output.suffix!r} (use {', '.join(WRITERS)}, "
                              "or --format csv for a directory of neo4j-admin CSV files)")
        fmt = fmt or output.suffix.lower().lstrip(".")
        if fmt not in _FORMATS:
            raise OutputError(f"unknown format {fmt!r} (use {', '.join(_FORMATS)})")
        if fmt != "csv" and output.suffix.lower() != f".{fmt}":
            raise OutputError(f"{output}: a {fmt} graph file must end in .{fmt}")
        if fmt == "csv" and output == DEFAULT_OUTPUT:
            output = DEFAULT_CSV_OUTPUT
        inputs = paths or [DEFAULT_INPUT]
        workers = workers or default_workers()
        if fmt == "csv" or scheduler is not None:
            work_dir = work_dir or output.with_name(f"{output.stem}.work")
        if fmt == "csv":
            from kg.stream import stream_csv

            summaries = extract_inputs(inputs, work_dir, workers, scheduler, ui)
            with ui.step("writing neo4j-admin CSV"):
                streamed = stream_csv([Path(s.output) for s in summaries], output, strict=strict)
            report, papers = streamed.report, streamed.papers
            labels, rels = streamed.nodes, streamed.relationships
        else:
            result = run_build(inputs, workers=workers, strict=strict, work_dir=work_dir, scheduler=scheduler,
                               feedback=ui)
            summaries = result.shards
            with ui.step(f"writing {output}"):
                write_graph(result.graph, output)
            report, papers = result.report, len(result.papers)
            labels = Counter(str(d["labels"]).lstrip(":") for _, d in result.graph.nodes(data=True))
            rels = Counter(k for _, _, k in result.graph.edges(keys=True))
        rejects = write_rejects(report, rejects_path(output))
    except (KGError, OSError, ValueError) as exc:
        _fail(exc)
        return
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        _fail(exc)
        return

    seconds = time.perf_counter() - started
    shown = [("skipped", r) for r in report.files_skipped + report.rejected] + [("warning", r) for r in report.warnings]
    limit = len(shown) if verbose else _MAX_REPORTED
    for kind, item in shown[:limit]:
        ui.note(f"kg: {kind} {item.origin}: {item.reason}")
    if len(shown) > limit:
        ui.note(f"kg: ... and {len(shown) - limit} more in {rejects} (all of them: --verbose)")
    cached = sum(s.cached for s in summaries)
    where = f"{output}/ (neo4j-admin CSV; import: scripts/neo4j import {output})" if fmt == "csv" else str(output)

    def render() -> None:
        if summaries:
            out.print(f"Shards: {len(summaries) - cached} extracted, {cached} already done (outputs in {work_dir}).")
        out.print(
            f"Read {report.records} paper records from {len(report.files_read)} files "
            f"({len(report.rejected)} skipped, {len(report.files_skipped)} files not read, {len(report.warnings)} "
            f"warnings); {papers} distinct papers."
        )
        out.print(_counts_table(labels, rels))
        out.print(f"Wrote {where} ({sum(labels.values())} nodes, {sum(rels.values())} relationships) "
                  f"in {seconds:.2f} s ({papers / max(seconds, 1e-9):,.0f} papers/s).")

    ui.summary({
        "output": str(output), "format": fmt, "rejects": str(rejects), "seconds": round(seconds, 3),
        "records": report.records, "papers": papers, "files_read": len(report.files_read),
        "files_skipped": len(report.files_skipped), "rejected": len(report.rejected),
        "warnings": len(report.warnings), "nodes": dict(sorted(labels.items())),
        "relationships": dict(sorted(rels.items())),
        "shards": {"extracted": len(summaries) - cached, "already_done": cached} if summaries else None,
    }, render)


def _counts_table(labels: Counter[str], rels: Counter[str]) -> Table:
    """Nodes per label beside relationships per type."""
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
    return table


@app.command("eval")
def eval_command(
    gold: Annotated[
        Path,
        typer.Argument(help="A gold .jsonl file, or a directory of them (format: tests/fixtures/gold/GUIDELINES.md)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[
        int, typer.Option("--errors", help="Also list up to N false positives and false negatives per category.")
    ] = 0,
    calibrate: Annotated[
        Path | None,
        typer.Option(
            "--calibrate",
            help="Write each rule's measured precision "
            "to this JSON file (kg/resources/calibration.json is what "
            "kg reads for edge confidences).",
        ),
    ] = None,
) -> None:
    """Score extraction against a hand-annotated gold file: precision, recall, F1 per category.

    Categories: proposed, methods, datasets, metrics, tasks, repos, links, results, citations.
    Names match case-insensitively, ignoring hyphens, spaces and dots, and any alias of an item
    counts. Scores are shown for all records and per origin (seeds, external).

    Example: [bold]kg eval tests/fixtures/gold/ --errors 10[/bold]
    """
    import json

    from kg.evaluate import CATEGORIES, evaluate, load_gold

    try:
        report = evaluate(load_gold(gold))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if calibrate is not None:
        from kg.sinks.atomic import atomic_write

        with atomic_write(calibrate) as handle:
            json.dump(report.calibration(), handle, indent=1, sort_keys=True)
            handle.write("\n")
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
        return
    for split, scores in report.scores.items():
        table = Table(
            title=f"{split} ({report.records if split == 'all' else ''} records)".replace(" ( records)", ""),
            header_style="bold",
            title_justify="left",
        )
        for column in ("category", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(column, justify="left" if column == "category" else "right")
        for category in CATEGORIES:
            sc = scores[category]
            table.add_row(
                category, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(sc.tp), str(sc.fp), str(sc.fn)
            )
        out.print(table)
    if errors:
        for category in CATEGORIES:
            sc = report.scores["all"][category]
            out.print(
                f"[bold]{category}[/bold] false positives: " + "; ".join(sc.false_positives[:errors]),
                markup=True,
                highlight=False,
            )
            out.print(
                f"[bold]{category}[/bold] false negatives: " + "; ".join(sc.false_negatives[:errors]),
                markup=True,
                highlight=False,
            )


_STYLES = {
    "Method": "bold cyan",
    "Dataset": "bold green",
    "Metric": "bold magenta",
    "Task": "bold yellow",
    "Repository": "bold blue",
    "Link": "blue",
    "Citation": "italic",
    "Result": "bold red",
}


@app.command()
def extract(
    text_or_file: Annotated[
        str,
        typer.Argument(
            help="An abstract as text, or a file: an input kg can read "
            "(every paper in it) or plain text (one abstract)."
        ),
    ],
    title: Annotated[str, typer.Option("--title", "-t", help="The paper's title, when TEXT is an abstract.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many papers from a file.")] = 5,
) -> None:
    """Show what kg finds in an abstract: spans highlighted, with the rule and confidence of each.

    Example: [bold]kg extract "We propose FooNet, a new model. It reaches 83.3% top-1 accuracy on ImageNet."[/bold]
    """
    import json

    from rich.text import Text

    from kg.extract import Extractor
    from kg.resolve.typing import CorpusVotes, resolve_paper
    from kg.sources.reader import ReadReport, iter_papers

    path = Path(text_or_file)
    try:
        pairs: list[tuple[str, str]] = []
        if len(text_or_file) < 4096 and path.is_file():
            report = ReadReport()
            papers = [p for _, p in zip(range(limit), iter_papers([path], report), strict=False)]
            pairs = [(p.title, p.abstract) for p in papers]
            if not pairs:
                pairs = [(title, path.read_text(encoding="utf-8", errors="replace").strip())]
        else:
            pairs = [(title, text_or_file)]
        extractions = list(Extractor().extract_texts(pairs))
        corpus = CorpusVotes.of(extractions)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    dump = []
    for (paper_title, abstract), extraction in zip(pairs, extractions, strict=True):
        mentions, results = resolve_paper(extraction, corpus)
        rows = [(m.label, m.relation, m.name, m.aliases, m.evidence) for m in mentions]
        rows += [("Result", "REPORTS", f"{r.value:g}", (), r.evidence) for r in results]
        if as_json:
            dump.append(
                {
                    "title": paper_title,
                    "findings": [
                        {
                            "label": lab,
                            "relation": rel,
                            "name": name,
                            "aliases": list(al),
                            "field": ev.field,
                            "start": ev.start,
                            "end": ev.end,
                            "text": (paper_title if ev.field == "title" else abstract)[ev.start : ev.end],
                            "rule": ev.rule,
                            "confidence": ev.confidence,
                        }
                        for lab, rel, name, al, ev in rows
                    ],
                    "results": [
                        {
                            "value": r.value,
                            "raw": r.raw,
                            "metric": r.metric.name if r.metric else None,
                            "dataset": r.dataset.name if r.dataset else None,
                            "method": r.method.name if r.method else None,
                        }
                        for r in results
                    ],
                }
            )
            continue
        for field_name, field_text in (("title", paper_title), ("abstract", abstract)):
            if not field_text:
                continue
            shown = Text(field_text)
            for lab, _, _, _, ev in rows:
                if ev.field == field_name:
                    shown.stylize(_STYLES.get(lab, "bold"), ev.start, ev.end)
            out.print(shown)
        table = Table(header_style="bold", box=None)
        for column in ("label", "relation", "name", "where", "rule", "conf."):
            table.add_column(column, overflow="fold")
        for lab, rel, name, aliases, ev in sorted(rows, key=lambda r: (r[4].field != "title", r[4].start)):
            shown_name = name + (f" ({', '.join(aliases)})" if aliases else "")
            table.add_row(
                Text(lab, style=_STYLES.get(lab, "")),
                rel,
                shown_name,
                f"{ev.field}[{ev.start}:{ev.end}]",
                ev.rule,
                f"{ev.confidence:.2f}",
            )
        out.print(table)
        for r in results:
            about = ", ".join(
                f"{k}={v.name}"
                for k, v in (("metric", r.metric), ("dataset", r.dataset), ("method", r.method))
                if v is not None
            )
            out.print(
                f"result {r.raw!r} -> {r.value:g}" + (f" ({about})" if about else ""), highlight=False, markup=False
            )
    if as_json:
        out.print_json(json.dumps(dump if len(dump) != 1 else dump[0]))


UriOption = Annotated[str, typer.Option("--uri", envvar="NEO4J_URI", help="Bolt URI of the server.")]
UserOption = Annotated[
    str | None, typer.Option("--user", envvar="NEO4J_USER", help="User name (none for a server with auth off).")
]
PasswordOption = Annotated[str | None, typer.Option("--password", envvar="NEO4J_PASSWORD", help="Password.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", envvar="NEO4J_DATABASE", help="Database name (default: the server's default)."),
]


def _graph_or_build(paths: list[Path], ui: Reporter | None = None):
    """A graph file is read; anything else is built from inputs first."""
    from kg.sinks import READERS, read_graph

    if len(paths) == 1 and paths[0].suffix.lower() in READERS and paths[0].is_file():
        return read_graph(paths[0])
    from kg.build import build as run_build

    ui = ui or Reporter()
    result = run_build(paths, feedback=ui)
    for rejected in result.report.files_skipped + result.report.rejected:
        ui.note(f"kg: skipped {rejected.origin}: {rejected.reason}")
    return result.graph


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="A graph file (.graphml, .json) or inputs to build first.")],
    uri: UriOption = "bolt://localhost:7687",
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per UNWIND transaction.")] = 5000,
    wipe: Annotated[bool, typer.Option("--wipe", help="Delete kg's nodes (every schema label) first.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load a graph into Neo4j: constraints, then nodes and relationships in batched MERGEs.

    Loading twice changes nothing; a second corpus merges into the entities already there.
    Connection settings come from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.

    Example: [bold]kg load out/graph.graphml --uri bolt://localhost:7687 --user neo4j --password secret[/bold]
    """
    from kg.sinks.neo4j import Connection, Loader, open_driver

    ui = Reporter(quiet, verbose, as_json)
    try:
        graph = _graph_or_build(paths, ui)
        conn = Connection(uri, user, password, database)
        driver = open_driver(conn)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    try:
        with driver, ui.bar("loading", graph.number_of_nodes() + graph.number_of_edges(), "rows") as update:
            summary = Loader(driver, database, batch_size=batch_size).load(
                graph, wipe=wipe, progress=lambda done, total: update(done))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return

    def render() -> None:
        if wipe:
            out.print(f"Deleted {summary.nodes_deleted} existing kg nodes in {summary.wipe_seconds:.2f} s.")
        out.print(
            f"Loaded into {conn.where}: {summary.nodes} nodes ({summary.nodes_created} created, "
            f"{summary.nodes - summary.nodes_created} merged) and {summary.relationships} relationships "
            f"({summary.relationships_created} created, {summary.relationships - summary.relationships_created} "
            f"merged) in {summary.seconds:.2f} s ({summary.rows_per_second:,.0f} rows/s).",
            highlight=False,
        )
        if verbose:
            out.print(_counts_table(Counter(summary.by_label), Counter(summary.by_type)))

    ui.summary({
        "uri": conn.uri, "database": conn.database, "seconds": round(summary.seconds, 3),
        "rows_per_second": round(summary.rows_per_second), "nodes": summary.nodes,
        "nodes_created": summary.nodes_created, "relationships": summary.relationships,
        "relationships_created": summary.relationships_created, "nodes_deleted": summary.nodes_deleted,
        "merged_existing": summary.merged_existing, "by_label": summary.by_label, "by_type": summary.by_type,
    }, render)


@app.command()
def export(
    graph_file: Annotated[Path, typer.Argument(help="A graph file (.graphml, .json) or an input to build first.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="cypher: a script for cypher-shell; csv: files for neo4j-admin database import."
        ),
    ] = "cypher",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (cypher) or directory (csv). Default: out/graph.cypher or out/neo4j-import/.",
        ),
    ] = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Export a graph for the other ways into Neo4j: a cypher-shell script, or neo4j-admin CSV.

    The CSV files are the bulk path (scripts/neo4j import DIR, or the command in DIR/IMPORT.txt).
    For a corpus too large to build in memory, kg build --format csv writes the same files while
    streaming.

    Example: [bold]kg export out/graph.graphml --format csv -o out/neo4j-import/[/bold]
    """
    from kg.sinks.cypher import write_cypher_script
    from kg.sinks.neo4j_csv import write_admin_csv

    ui = Reporter(quiet, as_json=as_json)
    try:
        if fmt not in ("cypher", "csv"):
            raise InputError(f"unknown export format {fmt!r} (use cypher or csv)")
        graph = _graph_or_build([graph_file], ui)
        target = output or Path("out/graph.cypher" if fmt == "cypher" else "out/neo4j-import")
        with ui.step(f"writing {target}"):
            if fmt == "cypher":
                written = write_cypher_script(graph, target)
                message = f"Wrote {target}: {written} statements. Load it with: cypher-shell -f {target}"
            else:
                written = len(write_admin_csv(graph, target))
                message = f"Wrote {written} CSV files to {target}/; the import command is in {target}/IMPORT.txt"
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    ui.summary({"output": str(target), "format": fmt, "statements" if fmt == "cypher" else "files": written},
               lambda: out.print(message, highlight=False))


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A cookbook query (see --list).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the cookbook: one query per line, name first.")] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter, key=value (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    uri: UriOption = "bolt://localhost:7687",
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Run a named query of the Cypher cookbook against Neo4j.

    Example: [bold]kg query results-for-dataset --param dataset=ImageNet --format json[/bold]
    """
    import json

    from kg.query import bind, cookbook, run_query
    from kg.sinks.neo4j import Connection, open_driver

    queries = cookbook()
    if list_ or name is None:
        for q in queries.values():
            defaults = ", ".join(f"{k}={v}" for k, v in q.defaults.items())
            # Plain text, tab-separated (rich would expand the tab): name first, for scripts.
            typer.echo(f"{q.name}\t{q.description}" + (f" [{defaults}]" if defaults else ""))
        return
    try:
        if name not in queries:
            raise InputError(f"no cookbook query {name!r} (kg query --list shows them)")
        if fmt not in ("table", "json"):
            raise InputError(f"unknown format {fmt!r} (use table or json)")
        given = {}
        for pair in param or []:
            key, sep, value = pair.partition("=")
            if not sep:
                raise InputError(f"--param takes key=value, got {pair!r}")
            given[key.strip()] = value
        params = bind(queries[name], given)
        driver = open_driver(Connection(uri, user, password, database))
        with driver:
            keys, rows = run_query(driver, queries[name], params, database)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if fmt == "json":
        out.print_json(json.dumps(rows, default=str))
        return
    table = Table(header_style="bold")
    for key in keys:
        table.add_column(key, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(k)) for k in keys))
    out.print(table)
    out.print(f"{len(rows)} rows", highlight=False)


@app.command()
def stats(
    graph_file: Annotated[Path, typer.Argument(help="A graph file (.graphml, .json) or inputs to build first.")],
    top: Annotated[int, typer.Option("--top", help="How many top entities and papers to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """What a graph holds: counts, top entities per label, most built-on papers, merge statistics.

    Example: [bold]kg stats out/graph.graphml --top 5[/bold]
    """
    import json

    from kg.stats import graph_stats

    try:
        result = graph_stats(_graph_or_build([graph_file]), top)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    counts = Table(title="Graph", header_style="bold", title_justify="left")
    counts.add_column("nodes")
    counts.add_column("count", justify="right")
    counts.add_column("relationships")
    counts.add_column("count", justify="right")
    node_rows, rel_rows = list(result.nodes.items()), list(result.relationships.items())
    for i in range(max(len(node_rows), len(rel_rows))):
        n = node_rows[i] if i < len(node_rows) else ("", "")
        r = rel_rows[i] if i < len(rel_rows) else ("", "")
        counts.add_row(n[0], str(n[1]), r[0], str(r[1]))
    out.print(counts)
    merges = Table(title="Merging: mentions -> nodes", header_style="bold", title_justify="left")
    for column in ("label", "mentions", "surface forms", "nodes", "duplicate names", "duplicate rate"):
        merges.add_column(column, justify="left" if column == "label" else "right")
    for label, m in result.merges.items():
        merges.add_row(label, str(m["mentions"]), str(m["surface_forms"]), str(m["nodes"]),
                       str(m["duplicate_names"]), f"{m['duplicate_rate']:.2%}")
    out.print(merges)
    for label, entries in result.top_entities.items():
        out.print(f"[bold]Top {label}[/bold]: " + ", ".join(f"{n} ({c})" for n, c in entries), highlight=False)
    out.print("[bold]Most built-on papers[/bold]:")
    for title, count in result.most_built_on:
        out.print(f"  {count:4d}  {title}", highlight=False, markup=False)
    out.print("[bold]Paper-to-paper links[/bold]: " + ", ".join(f"{k} {v}" for k, v in result.paper_links.items()),
              highlight=False)


@app.command()
def explain(
    name: Annotated[str, typer.Argument(help="A name or alias of a method, dataset, metric or task.")],
    graph_file: Annotated[Path, typer.Option("--graph", "-g", help="The graph to look in.")] = DEFAULT_OUTPUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the node a name resolves to, its aliases, and the evidence that merged them.

    Example: [bold]kg explain "Contrastive Language-Image Pre-training" --graph out/graph.graphml[/bold]
    """
    import json

    from kg.sinks import read_graph
    from kg.stats import explain as explain_name

    try:
        found = explain_name(read_graph(graph_file), name)
        if not found:
            raise InputError(f"no method, dataset, metric or task named {name!r} in {graph_file}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if as_json:
        out.print_json(json.dumps(found))
        return
    for node in found:
        out.print(f"[bold]{node['key']}[/bold] ({node['label']}) name={node['name']!r}, "
                  f"{node['paper_count']} papers", highlight=False)
        out.print("  aliases: " + (", ".join(node["aliases"]) or "none"), highlight=False, markup=False)
        if node["proposed_by"]:
            out.print("  proposed by: " + ", ".join(node["proposed_by"]), highlight=False, markup=False)
        for line in node["merged"]:
            out.print(f"  merged: {line}", highlight=False, markup=False)
        for ev in node["evidence"][:5]:
            out.print(f"  {ev['relation']} <- {ev['paper']} [{ev['rule']}]: {ev['sentence']}", highlight=False,
                      markup=False)


@app.command()
def view(
    graph_file: Annotated[Path, typer.Argument(help="A graph file (.graphml, .json) or an input to build first.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("out/graph.html"),
    around: Annotated[
        str | None,
        typer.Option("--around", "-a", help="Draw only the neighbourhood of this node: a method, dataset, metric "
                     "or task name or alias (as kg explain resolves it), a paper title, or a node key."),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, help="How many links out from --around.")] = 1,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=1, help="Keep at most this many nodes, the most connected; the page "
                          "says what it left out.")
    ] = 3000,
) -> None:
    """Write a self-contained HTML page to explore the graph offline: colours per label, search, evidence on click.

    The page loads nothing from the network; open it in any browser.

    Example: [bold]kg view out/graph.graphml --around CLIP -o out/clip.html[/bold]
    """
    from kg.view import write_view

    try:
        summary = write_view(_graph_or_build([graph_file]), output, around=around, depth=depth,
                             max_nodes=max_nodes, source_name=graph_file.name)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    left_out = sum(summary.selection.left_out.values())
    note = f"; left out {left_out} less connected nodes (--max-nodes)" if left_out else ""
    out.print(f"Wrote {output} ({summary.nodes} nodes, {summary.edges} relationships{note}). Open it in a browser.",
              highlight=False, markup=False)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def run() -> None:  # pragma: no cover - console entry for `python -m kg`
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    run()  # typer's app exits with the command's code
