"""Find input files, recognise their format by content, and stream Paper records out of them."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kg.errors import InputError
from kg.sources.hf_listing import iter_listing, looks_like_listing
from kg.sources.records import link_from_record, paper_from_record, record_kind
from kg.types import Paper, PaperLink, Rejected

_SNIFF_BYTES = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_LINE = re.compile(r"[^\r\n]*")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ReadReport:
    """What reading saw: files read, records rejected (with file:line), files skipped."""

    files_read: list[str] = field(default_factory=list)
    files_skipped: list[Rejected] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    records: int = 0
    links: list[PaperLink] = field(default_factory=list)  # citations stated by the source
    warnings: list[Rejected] = field(default_factory=list)  # records kept, but changed or in conflict
    strict: bool = False  # the first bad record is an error (InputError) instead of a report
    bytes_done: int = 0  # input bytes of the files finished (compressed size for .gz), for progress
    _position: Callable[[], int] | None = field(default=None, repr=False)  # bytes into the current file

    def bytes_read(self) -> int:
        """Input bytes consumed so far: what progress and ETA are measured in."""
        return self.bytes_done + (self._position() if self._position is not None else 0)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and every file under directories named, in a stable order; hidden ones skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files.extend(sorted(found, key=lambda p: p.relative_to(path).as_posix()))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


def _open_binary(path: Path) -> io.BufferedReader | gzip.GzipFile:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")
    return open(path, "rb")


def _text_stream(binary: io.BufferedReader | gzip.GzipFile) -> io.TextIOWrapper:
    # utf-8-sig drops a BOM; bad bytes become U+FFFD rather than losing the whole file.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")


def _first_line(text: str) -> str:
    """The text up to its first line end ("\\n", "\\r\\n" or "\\r"): where the text stream ends a line."""
    return _LINE.match(text).group(0)  # type: ignore[union-attr]


def sniff_format(head: str, name: str) -> str | None:
    """The reader for a file, from its first bytes (and only then its name)."""
    stripped = head.lstrip()
    if not stripped:
        return None
    if stripped[0] in "[{":
        # A first line that is JSON on its own starts JSON lines (a line may hold an array of
        # records); one that is not starts a document spread over lines.
        first_line = _first_line(stripped).strip()
        try:
            json.loads(first_line)
            return "jsonl"
        except json.JSONDecodeError:
            return "json"
        except _JSON_TOO_BIG:
            return "jsonl"  # the line is JSON with a value Python will not build: one bad record
    if looks_like_listing(head):
        return "hf-listing"
    first = _first_line(stripped).lower()
    for delimiter, fmt in (("\t", "tsv"), (",", "csv"), (";", "csv")):
        columns = {c.strip().strip('"').strip() for c in first.split(delimiter)}
        if {"title", "abstract"} <= columns:
            return fmt
    lower = name.lower().removesuffix(".gz")
    if lower.endswith((".txt", ".md")):
        return "hf-listing"
    return None


def _iter_jsonl(stream: IO[str], path: str) -> Iterator[Paper | PaperLink | Rejected]:
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        origin = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, *_JSON_TOO_BIG) as exc:
            yield Rejected(origin, _json_problem(exc))
            continue
        records = _unwrap(record)
        for n, item in enumerate(records, start=1):
            yield _record(item, origin if len(records) == 1 else f"{origin} record {n}")


# What json.loads raises besides JSONDecodeError: RecursionError for nesting deeper than Python's
# recursion limit, ValueError for an integer longer than Python converts (4300 digits).
_JSON_TOO_BIG = (RecursionError, ValueError)


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON: {exc.msg} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    return "JSON number too long to read"


def _record(item: object, origin: str) -> Paper | PaperLink | Rejected:
    kind = record_kind(item)
    if kind == "s2-citation":
        return link_from_record(item, origin)  # type: ignore[arg-type]
    return paper_from_record(item, origin, kind)


def _unwrap(data: object) -> list:
    """The records in a JSON value: a list, a wrapper such as {"results": [...]}, or one record."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "title" not in data:
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if lists:
            return lists[0]
    return [data]


def _iter_json_document(stream: IO[str], path: str) -> Iterator[Paper | PaperLink | Rejected]:
    text = stream.read()
    try:
        records = _records_at(text)
    except json.JSONDecodeError as exc:
        if _holds_a_json_object_line(text):
            # JSON lines whose first line is broken (sniffing saw a document): read line by line,
            # so that one bad line does not lose the records of the others.
            yield from _iter_jsonl(io.StringIO(text, newline=""), path)
        else:
            yield Rejected(f"{path}:{_line_at(text, exc.pos)}", _json_problem(exc))
        return
    except _JSON_TOO_BIG as exc:
        yield Rejected(f"{path}:1", _json_problem(exc))
        return
    line, counted_to = 1, 0
    for index, (record, offset) in enumerate(records, start=1):
        line += _count_line_ends(text, counted_to, offset)
        counted_to = offset
        yield _record(record, f"{path}:{line}" if len(records) == 1 else f"{path}:{line} record {index}")


def _holds_a_json_object_line(text: str) -> bool:
    """Is some line of the text a JSON object on its own (as in JSON lines, never in a document
    that fails to parse as a whole unless it is JSON lines)?"""
    for line in io.StringIO(text, newline=""):
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                if isinstance(json.loads(stripped), dict):
                    return True
            except (json.JSONDecodeError, *_JSON_TOO_BIG):
                continue
    return False


# One JSON document read value by value, to know where each record starts: what json.loads
# accepts, the records _unwrap would find, each with its offset in the text.
_JSON_VALUE = json.JSONDecoder().raw_decode
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_LINE_END = re.compile(r"\r\n?|\n")


def _skip_space(text: str, pos: int) -> int:
    return _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]


def _expect(text: str, pos: int, token: str, what: str) -> int:
    if not text.startswith(token, pos):
        raise json.JSONDecodeError(f"Expecting {what}", text, pos)
    return _skip_space(text, pos + 1)


def _array_items(text: str, pos: int) -> tuple[list[tuple[object, int]], int]:
    """The items of the array at text[pos] ("[") with their offsets, and the offset after it."""
    items: list[tuple[object, int]] = []
    pos = _skip_space(text, pos + 1)
    while not text.startswith("]", pos):
        if items:
            pos = _expect(text, pos, ",", "',' delimiter")
        value, end = _JSON_VALUE(text, pos)
        items.append((value, pos))
        pos = _skip_space(text, end)
    return items, pos + 1


def _records_at(text: str) -> list[tuple[object, int]]:
    pos = _skip_space(text, 0)
    if text.startswith("[", pos):
        records, end = _array_items(text, pos)
    elif text.startswith("{", pos):
        # A wrapper such as {"results": [...]}: its members one by one, arrays item by item.
        members: dict[str, tuple[object, list[tuple[object, int]] | None]] = {}
        start, pos = pos, _skip_space(text, pos + 1)
        while not text.startswith("}", pos):
            if members:
                pos = _expect(text, pos, ",", "',' delimiter")
            if not text.startswith('"', pos):
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
            key, pos = _JSON_VALUE(text, pos)
            pos = _expect(text, _skip_space(text, pos), ":", "':' delimiter")
            items = None
            if text.startswith("[", pos):
                items, pos = _array_items(text, pos)
                value: object = [item for item, _ in items]
            else:
                value, pos = _JSON_VALUE(text, pos)
            members[key] = (value, items)  # a repeated key keeps its first place and last value, as in json
            pos = _skip_space(text, pos)
        end = pos + 1
        data = {key: value for key, (value, _) in members.items()}
        lists = [items for _, items in members.values() if items and isinstance(items[0][0], dict)]
        records = lists[0] if "title" not in data and lists else [(data, start)]
    else:
        value, end = _JSON_VALUE(text, pos)
        records = [(value, pos)]
    if _skip_space(text, end) < len(text):
        raise json.JSONDecodeError("Extra data", text, _skip_space(text, end))
    return records


def _count_line_ends(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _LINE_END.finditer(text, start, end))


def _line_at(text: str, pos: int) -> int:
    """The line holding text[pos], as the stream counts lines; the end of the text is on its last line."""
    return 1 + _count_line_ends(text, 0, min(pos, len(text.rstrip())))


def _iter_table(stream: IO[str], path: str, delimiter: str) -> Iterator[Paper | Rejected]:
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    line_before = reader.line_num
    for row in reader:
        origin = f"{path}:{line_before + 1}"
        line_before = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejected(origin, f"row has {len(row)} fields, header has {len(header)}")
            continue
        yield paper_from_record(dict(zip(header, row, strict=True)), origin, "csv")


def iter_file(path: Path, report: ReadReport) -> Iterator[Paper | PaperLink | Rejected]:
    """Every record of one file; a file that is not an input at all is noted and skipped."""
    shown = str(path)
    try:
        with _open_binary(path) as binary:
            # The position in the file as stored (compressed for .gz): progress in input bytes.
            report._position = getattr(binary, "fileobj", binary).tell
            head_bytes = binary.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(binary, "peek") else b""
            if b"\x00" in head_bytes:
                report.files_skipped.append(Rejected(f"{shown}:1", "binary file, not read"))
                return
            stream = _text_stream(binary)
            head = stream.read(_SNIFF_BYTES)
            start = head.lstrip()
            if len(head) == _SNIFF_BYTES and start[:1] in ("[", "{") and _first_line(start) == start:
                head += stream.readline()  # JSON lines or one document: told by the whole first line
            fmt = sniff_format(head, path.name)
            if fmt is None:
                reason = "empty file" if not head.strip() else "not a recognised input format"
                report.files_skipped.append(Rejected(f"{shown}:1", reason))
                return
            report.files_read.append(shown)
            stream.seek(0)  # read from the start again, lines split the same way throughout
            if fmt == "jsonl":
                yield from _iter_jsonl(stream, shown)
            elif fmt == "json":
                yield from _iter_json_document(stream, shown)
            elif fmt in ("csv", "tsv"):
                yield from _iter_table(stream, shown, "\t" if fmt == "tsv" else _csv_delimiter(head))
            else:
                yield from iter_listing(stream, shown)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        report.files_skipped.append(Rejected(f"{shown}:1", f"cannot read: {exc}"))
    finally:
        report._position = None
        report.bytes_done += _size(path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _csv_delimiter(head: str) -> str:
    first = _first_line(head)
    return ";" if first.count(";") > first.count(",") else ","


def iter_papers(paths: Iterable[Path], report: ReadReport) -> Iterator[Paper]:
    """Stream the Papers of every input; rejects go to `report`, never stop the stream."""
    for path in expand_paths(paths):
        for item in iter_file(path, report):
            paper = account(item, report)
            if paper is not None:
                yield paper


def account(item: Paper | PaperLink | Rejected, report: ReadReport) -> Paper | None:
    """Note one item a reader yielded in `report` (rejects, stated citations, cleaning warnings);
    the paper, if it is one. With `report.strict` a reject is an InputError."""
    if isinstance(item, Rejected):
        if report.strict:
            raise InputError(f"{item.origin}: {item.reason} (--strict)")
        report.rejected.append(item)
        return None
    if isinstance(item, PaperLink):
        report.links.append(item)
        return None
    report.records += 1
    report.warnings.extend(Rejected(item.origin, note) for note in item.warnings)
    return item
