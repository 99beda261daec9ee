from __future__ import annotations

import pytest

from kg.sources.hf_listing import iter_listing
from kg.sources.reader import ReadReport, iter_papers
from kg.types import Rejected
from tests.conftest import SEEDS

# Entries per seed file, counted by hand from the listing pages (title/abstract pairs).
SEED_COUNTS = {
    "000_c9ab3a1a6b2439c3.txt": 198,
    "001_5804c205345570ad.txt": 80,
    "002_2645963ca10a2fae.txt": 52,
    "003_475d17545a47b548.txt": 110,
    "004_bb9585124912689a.txt": 104,
}


@pytest.mark.parametrize("name,count", sorted(SEED_COUNTS.items()))
def test_hf_listing_reads_every_entry_of_each_seed_file(name, count):
    report = ReadReport()
    papers = list(iter_papers([SEEDS / name], report))
    assert len(papers) == count
    assert report.rejected == []
    assert all(p.source == "hf-listing" and len(p.abstract) > len(p.title) for p in papers)


def test_hf_listing_seed_corpus_has_544_entries_and_464_papers():
    papers = list(iter_papers([SEEDS], ReadReport()))
    assert len(papers) == 544
    assert len({p.title.lower() for p in papers}) == 464


def test_hf_listing_compact_layout_strips_glued_subscribe():
    first = next(iter_papers([SEEDS / "000_c9ab3a1a6b2439c3.txt"], ReadReport()))
    assert first.title == "StarVector: Generating Scalable Vector Graphics Code from Images"
    assert first.origin.endswith("000_c9ab3a1a6b2439c3.txt:3")


SPACED = """new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 11

First Paper: A Title

This abstract is long enough to be prose. It has two sentences and talks about a model that does things well on many benchmarks.

  • 8 authors
·
Mar 25, 2024

Second Paper Title

Another abstract that is clearly prose. It describes a method and reports that it works better than the previous ones on tasks.

  • 3 authors
·
Sep 30 2

Third Paper Title

A third abstract with enough words to be recognised as prose rather than a title line. It ends here.

·
Nov 9, 2021 1
"""


def test_hf_listing_spaced_layout_reads_metadata():
    papers = [p for p in iter_listing(SPACED.splitlines(), "x.txt") if not isinstance(p, Rejected)]
    assert [p.title for p in papers] == ["First Paper: A Title", "Second Paper Title", "Third Paper Title"]
    first, second, third = papers
    assert (first.author_count, first.date, first.upvotes) == (8, "2024-03-25", None)
    # No year: the date stays as written; the trailing number is the upvote count.
    assert (second.author_count, second.date, second.date_text, second.upvotes) == (3, None, "Sep 30", 2)
    assert (third.author_count, third.date, third.upvotes) == (None, "2021-11-09", 1)
    assert first.origin == "x.txt:11"


def test_hf_listing_title_without_abstract_is_rejected_not_fatal():
    lines = ["Lonely Title", "Good Title", "A proper abstract that is long enough to be prose. " * 3]
    items = list(iter_listing(lines, "f.txt"))
    assert isinstance(items[0], Rejected) and items[0].origin == "f.txt:1"
    assert items[1].title == "Good Title"


def test_hf_listing_absurd_counts_are_dropped_not_fatal():
    # int() of 5,000 digits raised ValueError (Python's digit limit) out of the reader; 30 digits
    # gave a count no 64-bit integer (Neo4j's) holds.
    abstract = "A proper abstract that is long enough to be prose. " * 3
    for digits in ("9" * 30, "9" * 5_000):
        lines = ["Good Title", abstract, f"  • {digits} authors", f"Mar 25, 2024 {digits}"]
        (paper,) = iter_listing(lines, "f.txt")
        assert (paper.title, paper.author_count, paper.upvotes, paper.date) == ("Good Title", None, None, "2024-03-25")
    (paper,) = iter_listing(["T", abstract, "• 0008 authors", "Mar 25, 2024 000000000000000000000012"], "f.txt")
    assert (paper.author_count, paper.upvotes) == (8, 12)


@pytest.mark.parametrize("title,abstract,reason", [
    ("\x1b", "A proper abstract that is long enough to be prose. " * 3, "no text left in the title once cleaned"),
    ("<b></b>", "A proper abstract that is long enough to be prose. " * 3, "no text left in the title once cleaned"),
    ("Good Title", "<br>" * 60, "no text left in the abstract once cleaned"),
])
def test_hf_listing_entry_with_nothing_left_once_cleaned_is_rejected(title, abstract, reason):
    # Was a Paper with an empty title (or abstract): all such entries merged into one titleless node.
    assert list(iter_listing([title, abstract], "f.txt")) == [Rejected("f.txt:1", reason)]
