"""Positions for drawing a graph: deterministic, numpy only (networkx's layouts need scipy past 500 nodes).

The graphs kg makes are hubs (papers, popular entities) with many leaves (an entity one paper
mentions, a paper's results). Leaves stay out of the force simulation and are set around their
hub on a sunflower spiral afterwards; in the simulation each hub is a disc big enough for its
leaves. That keeps the simulation small and the picture readable. Connected components are laid
out one by one and packed in rows, the largest first.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np

Node = TypeVar("Node", bound=Hashable)

EDGE_LENGTH = 60.0  # ideal length of a link between two hubs, in drawing units (node radii are in the same units)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_GAP = 6.0  # between a hub and its leaves, and between neighbouring leaves
_COMPONENT_GAP = 40.0
_PAIR_BUDGET = 150_000_000  # node pairs visited in all rounds of one simulation: about a second
_GRAVITY = 0.02  # a weak pull to the middle, so that sparse branches do not drift off


def layout(
    nodes: Sequence[Node],
    links: Iterable[tuple[Node, Node]],
    radius: Mapping[Node, float] | None = None,
    seed: int = 1,
) -> dict[Node, tuple[float, float]]:
    """Map each node to (x, y), rounded to 0.1. `radius` is how big each node is drawn (default 5).

    The same nodes, links, radii and seed give the same positions, whatever the order of the links.
    """
    index = {node: i for i, node in enumerate(nodes)}
    neighbours: list[set[int]] = [set() for _ in nodes]
    for a, b in links:
        i, j = index[a], index[b]
        if i != j:
            neighbours[i].add(j)
            neighbours[j].add(i)
    adjacency = [sorted(n) for n in neighbours]
    sizes = np.array([float(radius[n]) if radius else 5.0 for n in nodes])
    components = sorted(_components(adjacency), key=lambda c: (-len(c), c[0]))
    pieces = [
        _layout_component(members, adjacency, sizes, np.random.default_rng([seed, n]))
        for n, members in enumerate(components)
    ]
    positions = np.zeros((len(nodes), 2))
    for members, (local, _, _), centre in zip(components, pieces, _pack(pieces), strict=True):
        positions[members] = local + centre
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, positions, strict=True)}


def _components(adjacency: list[list[int]]) -> list[list[int]]:
    seen = [False] * len(adjacency)
    found = []
    for start in range(len(adjacency)):
        if seen[start]:
            continue
        seen[start] = True
        members, frontier = [start], [start]
        while frontier:
            reached = []
            for i in frontier:
                for j in adjacency[i]:
                    if not seen[j]:
                        seen[j] = True
                        reached.append(j)
            members += reached
            frontier = reached
        found.append(sorted(members))
    return found


def _layout_component(
    members: list[int], adjacency: list[list[int]], sizes: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, float, float]:
    """Positions of `members` (in their order) around (0, 0), and the width and height they take."""
    degree = {i: len(adjacency[i]) for i in members}
    # A leaf hangs off a node with other links; two nodes linked only to each other stay a pair.
    hub_of = {i: adjacency[i][0] for i in members if degree[i] == 1 and degree[adjacency[i][0]] > 1}
    core = [i for i in members if i not in hub_of]
    leaves: dict[int, list[int]] = {i: [] for i in core}
    for leaf, hub in hub_of.items():
        leaves[hub].append(leaf)
    spirals = {hub: _Spiral(sizes[hub], sizes[leaves[hub]]) for hub in core}
    room = np.array([spirals[hub].outer for hub in core])
    core_pos = _forces(core, adjacency, room, rng)
    where = dict(zip(core, core_pos, strict=True))
    for hub in core:
        for n, leaf in enumerate(leaves[hub]):
            where[leaf] = where[hub] + spirals[hub].at(n)
    pos = np.array([where[i] for i in members])
    reach = sizes[members][:, None]
    low, high = (pos - reach).min(axis=0), (pos + reach).max(axis=0)
    return pos - (low + high) / 2, float(high[0] - low[0]), float(high[1] - low[1])


class _Spiral:
    """Leaves around a hub on a sunflower (Vogel) spiral with a hole for the hub: equal area per leaf."""

    def __init__(self, hub_radius: float, leaf_radii: np.ndarray):
        biggest = float(leaf_radii.max()) if len(leaf_radii) else 0.0
        self.hole = hub_radius + biggest + _GAP
        # Vogel's spiral puts neighbours about 1.8 * scale apart: enough for two leaves and a gap.
        self.scale = (2 * biggest + _GAP) / 1.8
        self.outer = (math.sqrt(self.hole**2 + self.scale**2 * len(leaf_radii)) + biggest) if len(leaf_radii) \
            else hub_radius

    def at(self, n: int) -> np.ndarray:
        distance = math.sqrt(self.hole**2 + self.scale**2 * n)
        angle = n * _GOLDEN_ANGLE
        return np.array([distance * math.cos(angle), distance * math.sin(angle)])


def _forces(core: list[int], adjacency: list[list[int]], room: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman-Reingold on the hubs, with links lengthened and overlaps pushed apart by each hub's disc."""
    n = len(core)
    if n == 1:
        return np.zeros((1, 2))
    local = {node: k for k, node in enumerate(core)}
    edges = np.array([(local[i], local[j]) for i in core for j in adjacency[i] if j in local and i < j], dtype=int)
    edges = edges.reshape(-1, 2)
    edge_length = EDGE_LENGTH + room[edges[:, 0]] + room[edges[:, 1]]
    spread = math.sqrt(float(((EDGE_LENGTH + 2 * room) ** 2).sum()))  # about the side of a square they fill
    pos = rng.uniform(-spread / 2, spread / 2, size=(n, 2))
    # Each round costs n^2: big cores get fewer rounds (a budget of pairs), small ones settle quickly.
    rounds = 100 if n < 50 else max(40, min(300, _PAIR_BUDGET // (n * n)))
    step, last_step = spread / 8, EDGE_LENGTH / 50
    cooling = (last_step / step) ** (1 / rounds) if step > last_step else 1.0
    repulsion = _Repulsion(room)
    for _ in range(rounds):
        push = repulsion(pos)
        along = pos[edges[:, 0]] - pos[edges[:, 1]]
        length = np.maximum(np.sqrt((along**2).sum(axis=1)), 1e-3)
        pull = along * (length / edge_length)[:, None]
        np.add.at(push, edges[:, 0], -pull)
        np.add.at(push, edges[:, 1], pull)
        push -= _GRAVITY * (pos - pos.mean(axis=0)) * math.sqrt(n)
        size = np.maximum(np.sqrt((push**2).sum(axis=1)), 1e-9)
        pos += push * (np.minimum(size, step) / size)[:, None]
        step = max(step * cooling, last_step)
    return pos - pos.mean(axis=0)


class _Repulsion:
    """Per node, the sum of pushes from all others: EDGE_LENGTH^2 / distance, and overlapping discs apart.

    Worked in row blocks to bound memory; the blocks' overlap distances are kept between rounds
    while they fit in about 128 MB.
    """

    _BLOCK = 512
    _KEEP_CELLS = 16_000_000

    def __init__(self, room: np.ndarray):
        self.room = room
        self.kept: dict[int, np.ndarray] = {}
        self.keep = len(room) ** 2 <= self._KEEP_CELLS

    def _clearance(self, rows: slice) -> np.ndarray:
        cached = self.kept.get(rows.start)
        if cached is None:
            cached = (np.add.outer(self.room[rows], self.room) + _GAP).astype(np.float32)
            if self.keep:
                self.kept[rows.start] = cached
        return cached

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        # float32 halves the time; positions only need to be good to a fraction of a node.
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        push = np.empty_like(pos)
        for start in range(0, len(pos), self._BLOCK):
            rows = slice(start, start + self._BLOCK)
            dx = np.subtract.outer(x[rows], x)
            dy = np.subtract.outer(y[rows], y)
            dist_sq = dx * dx
            dist_sq += dy * dy
            np.maximum(dist_sq, np.float32(1e-2), out=dist_sq)
            dist = np.sqrt(dist_sq)
            # EDGE_LENGTH^2/d along the unit vector, plus the overlap of the two discs, if any.
            overlap = np.subtract(self._clearance(rows), dist)
            np.maximum(overlap, np.float32(0), out=overlap)
            overlap /= dist
            weight = np.divide(np.float32(EDGE_LENGTH**2), dist_sq, out=dist_sq)
            weight += overlap
            push[rows, 0] = np.einsum("ij,ij->i", dx, weight)
            push[rows, 1] = np.einsum("ij,ij->i", dy, weight)
        return push


def _pack(pieces: list[tuple[np.ndarray, float, float]]) -> list[np.ndarray]:
    """Centres for each piece in rows (largest first, as given).

    Rows are as wide as the first piece when it dominates (the small ones line up under it), else
    about as wide as the whole is tall.
    """
    if not pieces:
        return []
    areas = [(w + _COMPONENT_GAP) * (h + _COMPONENT_GAP) for _, w, h in pieces]
    first_width = pieces[0][1]
    row_width = first_width if areas[0] >= sum(areas) / 2 else max(first_width, math.sqrt(sum(areas)) * 1.3)
    centres = []
    x = y = row_height = 0.0
    for _, width, height in pieces:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + _COMPONENT_GAP, 0.0
        centres.append(np.array([x + width / 2, y + height / 2]))
        x += width + _COMPONENT_GAP
        row_height = max(row_height, height)
    return centres
