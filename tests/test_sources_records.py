from __future__ import annotations

import gzip
import json
import shutil

import pytest

from kg.errors import InputError
from kg.resolve.papers import PaperIndex
from kg.sources.reader import ReadReport, expand_paths, iter_papers, sniff_format
from tests.conftest import INPUTS, SEEDS


def read(path):
    report = ReadReport()
    return list(iter_papers([path], report)), report


def test_sources_arxiv_snapshot_is_read_unchanged():
    papers, report = read(INPUTS / "arxiv-metadata-oai-snapshot.json")
    assert report.rejected == []
    assert [p.arxiv_id for p in papers] == ["0704.0001", "1706.03762", "hep-th/9901001"]
    first = papers[0]
    # Hard line wraps of the dump are collapsed; the first version's date is the paper's date.
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.abstract.startswith("A fully differential calculation") and "\n" not in first.abstract
    assert first.date == "2007-04-02"
    assert first.doi == "10.1103/physrevd.76.013009"
    assert first.authors[0] == "C. Balázs" and first.author_count == 4
    assert papers[1].categories == ("cs.CL", "cs.LG")
    assert all(p.source == "arxiv" for p in papers)


def test_sources_jsonl_rejects_bad_lines_and_keeps_the_rest():
    papers, report = read(INPUTS / "papers.jsonl")
    assert [p.title for p in papers] == [
        "Learning Transferable Visual Models From Natural Language Supervision",
        "A DOI Paper",
    ]
    assert papers[0].arxiv_id == "2103.00020" and papers[0].date == "2021-02-26"
    assert papers[1].doi == "10.5555/example.1"
    origins = {r.origin.rsplit("/", 1)[-1]: r.reason for r in report.rejected}
    assert origins["papers.jsonl:2"] == "record has no abstract"
    assert origins["papers.jsonl:3"].startswith("malformed JSON")


def test_sources_json_array_and_wrapper(tmp_path):
    array = tmp_path / "a.json"
    array.write_text('[{"title": "T1", "abstract": "A1 text."}, {"title": "T2", "abstract": "A2 text."}, 5]')
    papers, report = read(array)
    assert [p.title for p in papers] == ["T1", "T2"]
    assert report.rejected[0].origin.endswith("a.json:1 record 3")
    wrapper = tmp_path / "w.json"
    wrapper.write_text('{"results": [{"title": "T3", "abstract": "A3 text."}]}')
    assert [p.title for p in read(wrapper)[0]] == ["T3"]


def test_sources_gzip_is_recognised_by_content(tmp_path):
    target = tmp_path / "shard-000.gz"
    with open(INPUTS / "papers.jsonl", "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    papers, _ = read(target)
    assert len(papers) == 2


@pytest.mark.parametrize("name,title", [("papers.csv", "A CSV Paper"), ("papers.tsv", "A TSV Paper")])
def test_sources_csv_and_tsv(name, title):
    papers, report = read(INPUTS / name)
    assert report.rejected == []
    assert title in [p.title for p in papers]


def test_sources_csv_keeps_quoted_commas_and_line_numbers():
    papers, _ = read(INPUTS / "papers.csv")
    assert papers[0].arxiv_id == "1706.03762" and papers[0].source_id == "1706.03762"
    assert papers[1].abstract.startswith("A line with a comma, inside quotes.")
    assert papers[1].origin.endswith("papers.csv:3")


def test_sources_directory_is_recursive_and_stably_ordered(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.jsonl").write_text('{"title": "Z", "abstract": "z."}\n')
    (tmp_path / "a.jsonl").write_text('{"title": "A", "abstract": "a."}\n')
    (tmp_path / ".hidden.jsonl").write_text('{"title": "H", "abstract": "h."}\n')
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02binary")
    papers, report = read(tmp_path)
    assert [p.title for p in papers] == ["A", "Z"]
    assert [r.reason for r in report.files_skipped] == ["binary file, not read"]


def test_sources_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        expand_paths([tmp_path / "nope"])


@pytest.mark.parametrize(
    "head,name,expected",
    [
        ('{"title": "x"}\n', "data.txt", "jsonl"),
        ('[\n {"title": "x"}]', "data", "json"),
        ('[{"title": "x"}]\n[{"title": "y"}]\n', "data", "jsonl"),  # was "json": one document, rejected whole
        ('{\n  "title": "x"\n}', "one.json", "json"),
        ("title,abstract\n", "x.dat", "csv"),
        ("id\ttitle\tabstract\n", "x", "tsv"),
        ("Get trending papers in your email inbox!\n", "page", "hf-listing"),
        ("random words\n", "notes.bin", None),
    ],
)
def test_sources_format_is_sniffed_from_content(head, name, expected):
    assert sniff_format(head, name) == expected


def test_sources_same_paper_twice_is_one_with_merged_metadata():
    papers, _ = read(SEEDS)
    index = PaperIndex()
    for p in papers:
        index.add(p)
    assert len(index) == 464
    # A paper listed on two pages keeps both origins.
    assert max(len(m.origins) for m in index.merged) >= 2


def test_sources_merge_by_id_then_title(tmp_path):
    index = PaperIndex()
    snapshot, _ = read(INPUTS / "arxiv-metadata-oai-snapshot.json")
    table, _ = read(INPUTS / "papers.csv")
    for p in snapshot + table:
        index.add(p)
    vaswani = [m for m in index.merged if m.paper.arxiv_id == "1706.03762"]
    assert len(vaswani) == 1
    assert vaswani[0].key == "paper:arxiv:1706.03762"
    assert vaswani[0].sources == ["arxiv", "csv"]


def test_sources_lines_end_at_carriage_returns_from_the_first_byte(tmp_path):
    # The first 64K were split at "\n" only, the rest also at "\r": a stray "\r" in a CSV row raised
    # csv.Error ("new-line character seen in unquoted field") and "\r"-ended JSON lines were one line.
    table = tmp_path / "t.csv"
    table.write_bytes(b'title,abstract\nTitle A,x\ry\nTitle B,"An abstract."\n')
    papers, report = read(table)
    assert [(p.title, p.origin.rsplit(":", 1)[1]) for p in papers] == [("Title A", "2"), ("Title B", "4")]
    assert [(r.origin.rsplit(":", 1)[1], r.reason) for r in report.rejected] == [("3", "row has 1 fields, header has 2")]
    lines = tmp_path / "l.jsonl"
    lines.write_bytes(b'{"title": "One", "abstract": "a."}\r{"title": "Two", "abstract": "b."}\r')
    papers, report = read(lines)
    assert [(p.title, p.origin.rsplit(":", 1)[1]) for p in papers] == [("One", "1"), ("Two", "2")]


def test_sources_corrupt_gzip_is_skipped_not_fatal(tmp_path):
    # A damaged deflate stream raised zlib.error (not an OSError) out of iter_papers.
    good = tmp_path / "a.jsonl"
    good.write_text('{"title": "Kept", "abstract": "Still read."}\n')
    (tmp_path / "b.gz").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xfc\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    papers, report = read(tmp_path)
    assert [p.title for p in papers] == ["Kept"]
    assert [r.origin.rsplit("/", 1)[-1] for r in report.files_skipped] == ["b.gz:1"]
    assert report.files_skipped[0].reason.startswith("cannot read: Error -3 while decompressing")


DEEP = '{"title": "Deep", "abstract": ' + "[" * 100_000 + "]" * 100_000 + "}"
LONG_NUMBER = '{"title": "Long", "abstract": "n", "year": ' + "9" * 5_000 + "}"


@pytest.mark.parametrize("name,lines,bad_line,reason", [
    ("a.jsonl", [LONG_NUMBER, '{"title": "Kept", "abstract": "a."}'], 1, "JSON number too long to read"),
    ("b.jsonl", ['{"title": "Kept", "abstract": "a."}', DEEP], 2, "JSON nested too deeply to read"),
    ("c.json", ["[" * 100_000 + "]" * 100_000], 1, "JSON nested too deeply to read"),
])
def test_sources_json_python_cannot_hold_is_rejected_not_fatal(tmp_path, name, lines, bad_line, reason):
    # json.loads raises RecursionError and ValueError (4300-digit limit), not JSONDecodeError, for
    # these: they escaped the reader and stopped the build with an internal error.
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    papers, report = read(path)
    assert [p.title for p in papers] == (["Kept"] if name.endswith("jsonl") else [])
    assert [(r.origin, r.reason) for r in report.rejected] == [(f"{path}:{bad_line}", reason)]


def test_sources_json_document_records_name_the_line_they_start_on(tmp_path):
    # Records of a JSON document were named "path:record N", no line at all.
    records = [{"title": "T1", "abstract": "A1."}, {"title": "", "abstract": "no title"}, {"title": "T3"}]
    array = tmp_path / "a.json"
    array.write_text(json.dumps(records, indent=1))  # items start on lines 2, 6 and 10
    papers, report = read(array)
    assert [p.origin for p in papers] == [f"{array}:2 record 1"]
    assert [r.origin for r in report.rejected] == [f"{array}:6 record 2", f"{array}:10 record 3"]
    wrapper = tmp_path / "w.json"
    wrapper.write_text('{"meta": {"results": [1]},\r\n "results": [\r\n  {"title": "T", "abstract": "A."}]}')
    assert [p.origin for p in read(wrapper)[0]] == [f"{wrapper}:3"]
    cut = tmp_path / "cut.json"
    cut.write_text("[\n" + json.dumps(records[0]) + ",\n")
    assert [r.origin for r in read(cut)[1].rejected] == [f"{cut}:2"]  # the end of the text: its last line


def test_sources_json_lines_holding_arrays_of_records_are_read_line_by_line(tmp_path):
    # A first line starting with "[" made the file one JSON document: "Extra data" at line 2, no papers.
    path = tmp_path / "batches.jsonl"
    path.write_text('[{"title": "A", "abstract": "a."}, {"title": "B", "abstract": "b."}]\n'
                    '[{"title": "C", "abstract": "c."}]\n')
    papers, report = read(path)
    assert [(p.title, p.origin.rsplit("/", 1)[-1]) for p in papers] == [
        ("A", "batches.jsonl:1 record 1"), ("B", "batches.jsonl:1 record 2"), ("C", "batches.jsonl:2")]
    assert report.rejected == []


def test_sources_json_lines_with_a_first_line_longer_than_the_sniffed_head(tmp_path):
    # Only the first 64K characters were sniffed: a longer first line did not parse there, so the
    # file was taken for one JSON document and rejected whole ("Extra data" at line 2).
    path = tmp_path / "long.jsonl"
    long = {"title": "Long", "abstract": "word " * 20_000, "referenced_works": ["https://openalex.org/W1"] * 2_000}
    path.write_text(json.dumps(long) + "\n" + json.dumps({"title": "Short", "abstract": "a."}) + "\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Long", "Short"]
    assert report.rejected == []


def test_sources_json_lines_with_a_broken_first_line_lose_only_that_line(tmp_path):
    # The broken first line made sniffing take the file for one JSON document, rejected whole.
    path = tmp_path / "broken-first.jsonl"
    path.write_text('{"title": "A", "abstract": \n'
                    '{"title": "B", "abstract": "b."}\n\n'
                    '{"title": "C", "abstract": "c."}\r\n')
    papers, report = read(path)
    assert [(p.title, p.origin) for p in papers] == [("B", f"{path}:2"), ("C", f"{path}:4")]
    assert [r.origin for r in report.rejected] == [f"{path}:1"]
    assert "malformed JSON" in report.rejected[0].reason


def test_sources_a_broken_json_document_is_still_one_rejection(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {\n    "title": "A",\n    "abstract": "a."\n  },\n  {\n    "title": "B"\n')
    papers, report = read(path)
    assert papers == [] and [r.origin for r in report.rejected] == [f"{path}:7"]  # where the text ends


@pytest.mark.parametrize(("title", "reason"), [(["A", "B"], "title is a list, not text"),
                                               ({"text": "A"}, "title is an object, not text"),
                                               (True, "title is a boolean, not text")])
def test_sources_a_title_that_is_not_text_is_rejected_not_stringified(tmp_path, title, reason):
    path = tmp_path / "typed.jsonl"
    path.write_text(json.dumps({"title": title, "abstract": "a."}) + "\n"
                    + json.dumps({"title": 1984, "abstract": "A number is a title."}) + "\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["1984"]
    assert [(r.origin, r.reason) for r in report.rejected] == [(f"{path}:1", reason)]
