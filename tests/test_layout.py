"""kg.layout: deterministic positions where leaves do not overlap and components stay apart."""

from __future__ import annotations

import itertools
import math
import random

from kg.layout import layout


def _star(hub: str, leaves: int) -> list[tuple[str, str]]:
    return [(hub, f"{hub}-leaf{n}") for n in range(leaves)]


def _nodes(links: list[tuple[str, str]]) -> list[str]:
    return sorted({n for link in links for n in link})


def test_layout_is_the_same_whatever_the_order_of_the_links():
    links = _star("a", 30) + _star("b", 5) + [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")]
    nodes = _nodes(links)
    shuffled = links * 2  # duplicates too
    random.Random(4).shuffle(shuffled)
    assert layout(nodes, links) == layout(nodes, shuffled)
    assert layout(nodes, links, seed=2) != layout(nodes, links)


def test_layout_leaves_sit_around_their_hub_without_overlapping():
    links = _star("hub", 80)
    nodes = _nodes(links)
    radius = {n: 20.0 if n == "hub" else 6.0 for n in nodes}
    pos = layout(nodes, links, radius)
    for a, b in itertools.combinations(nodes, 2):
        assert math.dist(pos[a], pos[b]) >= radius[a] + radius[b], (a, b)


def test_layout_components_do_not_overlap():
    links = _star("a", 40) + [("a", "a2"), ("a2", "a3"), ("a3", "a")] + _star("b", 12) + [("c", "d")]
    nodes = _nodes(links) + ["lonely"]
    pos = layout(nodes, links)

    def box(members: list[str]) -> tuple[float, float, float, float]:
        xs, ys = [pos[n][0] for n in members], [pos[n][1] for n in members]
        return min(xs) - 5, min(ys) - 5, max(xs) + 5, max(ys) + 5

    components = [[n for n in nodes if n.startswith("a")], [n for n in nodes if n.startswith("b")], ["c", "d"],
                  ["lonely"]]
    for one, other in itertools.combinations([box(c) for c in components], 2):
        apart = one[2] < other[0] or other[2] < one[0] or one[3] < other[1] or other[3] < one[1]
        assert apart, (one, other)
