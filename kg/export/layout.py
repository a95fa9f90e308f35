"""Node positions for the HTML viewer, computed once in Python.

Each connected component is laid out on its own and the components are
packed in rows, largest first; isolated entities fill a grid, grouped by
class. The browser then draws without running physics, which keeps a
5,000-node graph responsive (vis-network's own physics needs minutes there).

- A component of up to :data:`SMALL_COMPONENT` nodes uses networkx's
  Fruchterman-Reingold (exact, O(n²) per step).
- A larger one uses pivot MDS (Brandes & Pich 2006: classical MDS on the
  graph distances to 50 pivots, O(pivots·(n+m))) for the global shape, then
  Fruchterman-Reingold steps whose repulsion only counts nodes in neighbouring
  grid cells (the grid variant of the original paper, O(n+m) per step).

Everything is seeded: the same graph gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Layout", "SMALL_COMPONENT", "layout"]

#: largest component laid out with networkx's exact spring layout
SMALL_COMPONENT = 200
#: room per node, in screen pixels at zoom 1 (a label is up to ~150 px wide)
CELL_W, CELL_H = 180.0, 100.0
GAP = 60.0
SEED = 7
PIVOTS = 50
GRID_STEPS = 50
GRID_CAP = 32  # neighbours per grid cell that push a node (bounds the cost of crowded cells)


@dataclass
class Layout:
    positions: dict[str, tuple[float, float]]


def _spread(n: int) -> float:
    """Diameter that gives ``n`` nodes about one cell of room each."""
    return 2 * math.sqrt(n * CELL_W * CELL_H / math.pi)


def _pivot_mds(g: Any, n: int, rng: "np.random.Generator") -> "np.ndarray":
    import networkx as nx
    import numpy as np

    k = min(PIVOTS, n)
    dist = np.empty((n, k))
    nearest = np.full(n, np.inf)
    pivot = max(range(n), key=lambda v: (g.degree(v), -v))
    for j in range(k):  # max-min pivots: each next pivot is the node farthest from those chosen
        lengths = nx.single_source_shortest_path_length(g, pivot)
        col = np.fromiter((lengths.get(i, n) for i in range(n)), float, n)
        dist[:, j] = col
        nearest = np.minimum(nearest, col)
        pivot = int(np.argmax(nearest))
    c = dist**2
    c = -0.5 * (c - c.mean(axis=0) - c.mean(axis=1)[:, None] + c.mean())
    u, sv, _ = np.linalg.svd(c, full_matrices=False)
    pos = u[:, :2] * sv[:2]
    if pos.shape[1] < 2:
        pos = np.hstack([pos, np.zeros((n, 2 - pos.shape[1]))])
    span = float(np.ptp(pos, axis=0).max()) or 1.0
    k_len = math.sqrt(CELL_W * CELL_H)
    return pos * (_spread(n) / span) + rng.uniform(-k_len, k_len, size=(n, 2))


def _grid_fruchterman_reingold(pos: "np.ndarray", ei: "np.ndarray", ej: "np.ndarray") -> "np.ndarray":
    import numpy as np

    n = len(pos)
    k = math.sqrt(CELL_W * CELL_H)  # ideal edge length
    k2, cell = k * k, 2 * k
    temp = float(np.ptp(pos, axis=0).max()) / 10
    cool = (temp - k / 5) / GRID_STEPS
    offsets = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    for _ in range(GRID_STEPS):
        disp = np.zeros((n, 2))
        c = np.floor(pos / cell).astype(np.int64)
        key = c[:, 0] * 2_000_003 + c[:, 1]
        order = np.argsort(key, kind="stable")
        ukeys, starts, counts = np.unique(key[order], return_index=True, return_counts=True)
        for dx, dy in offsets:
            nkey = (c[:, 0] + dx) * 2_000_003 + (c[:, 1] + dy)
            loc = np.minimum(np.searchsorted(ukeys, nkey), len(ukeys) - 1)
            found = ukeys[loc] == nkey
            first = np.where(found, starts[loc], 0)
            count = np.where(found, counts[loc], 0)
            for t in range(min(int(count.max()), GRID_CAP)):
                i = np.nonzero(count > t)[0]
                j = order[first[i] + t]
                i, j = i[i != j], j[i != j]
                delta = pos[i] - pos[j]
                d2 = np.einsum("ij,ij->i", delta, delta)
                near = d2 < cell * cell
                i, delta, f = i[near], delta[near], k2 / np.maximum(d2[near], 1e-2)
                disp[:, 0] += np.bincount(i, weights=delta[:, 0] * f, minlength=n)
                disp[:, 1] += np.bincount(i, weights=delta[:, 1] * f, minlength=n)
        delta = pos[ei] - pos[ej]
        f = np.sqrt(np.einsum("ij,ij->i", delta, delta)) / k
        fx, fy = delta[:, 0] * f, delta[:, 1] * f
        disp[:, 0] += np.bincount(ej, weights=fx, minlength=n) - np.bincount(ei, weights=fx, minlength=n)
        disp[:, 1] += np.bincount(ej, weights=fy, minlength=n) - np.bincount(ei, weights=fy, minlength=n)
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-9)
        pos = pos + disp * (np.minimum(length, temp) / length)[:, None]
        temp = max(temp - cool, k / 5)
    return pos


def _component_layout(nodes: list[str], edges: list[tuple[str, str]]) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Positions of one component around (0, 0), and its width and height."""
    import networkx as nx
    import numpy as np

    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}, CELL_W, CELL_H
    if n == 2:
        return {nodes[0]: (-CELL_W / 2, 0.0), nodes[1]: (CELL_W / 2, 0.0)}, 2 * CELL_W, CELL_H
    index = {v: i for i, v in enumerate(nodes)}
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from((index[u], index[v]) for u, v in edges)
    if n <= SMALL_COMPONENT:
        raw = nx.spring_layout(g, seed=SEED, iterations=100, method="force")
        arr = np.array([raw[i] for i in range(n)], dtype=float)
    else:
        rng = np.random.default_rng(SEED)
        e = np.array(sorted(g.edges()), dtype=np.int64).reshape(-1, 2)
        arr = _grid_fruchterman_reingold(_pivot_mds(g, n, rng), e[:, 0], e[:, 1])
    lo, hi = arr.min(axis=0), arr.max(axis=0)
    span = float((hi - lo).max()) or 1.0
    scale = 1.0
    if n <= SMALL_COMPONENT:
        # room for every node, and edges about as long as in the large-graph layout
        e = np.array(list(g.edges()), dtype=np.int64).reshape(-1, 2)
        median = float(np.median(np.linalg.norm(arr[e[:, 0]] - arr[e[:, 1]], axis=1))) if len(e) else 0.0
        scale = max(_spread(n) / span, math.sqrt(CELL_W * CELL_H) / median if median > 0 else 0.0)
    centre = (hi + lo) / 2
    pos = {nodes[i]: (float((arr[i, 0] - centre[0]) * scale), float((arr[i, 1] - centre[1]) * scale)) for i in range(n)}
    return pos, float((hi - lo)[0]) * scale + CELL_W, float((hi - lo)[1]) * scale + CELL_H


def layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]], *, order: dict[str, tuple] | None = None) -> Layout:
    """Positions for ``nodes`` joined by ``edges`` (directions ignored).

    ``order`` sorts the isolated nodes (e.g. by class, then name) so that the
    grid groups them; the default is the order of ``nodes``.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((u, v) for u, v in edges if u != v)
    index = {n: i for i, n in enumerate(nodes)}
    components = sorted((sorted(c, key=index.__getitem__) for c in nx.connected_components(g)), key=lambda c: (-len(c), index[c[0]]))
    boxes = []  # (positions, width, height)
    singles = []
    for comp in components:
        if len(comp) == 1:
            singles.append(comp[0])
        else:
            boxes.append(_component_layout(comp, list(g.subgraph(comp).edges())))
    area = sum(w * h for _, w, h in boxes) + len(singles) * CELL_W * CELL_H
    row_width = max([math.sqrt(area) * 1.3] + [w for _, w, _ in boxes]) if (boxes or singles) else 0.0

    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, w, h in boxes:  # shelf packing, largest first
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        for node, (px, py) in pos.items():
            positions[node] = (round(x + w / 2 + px, 1), round(y + h / 2 + py, 1))
        x += w + GAP
        row_height = max(row_height, h)
    if singles:
        if order is not None:
            singles.sort(key=lambda n: order[n])
        y = y + row_height + (GAP if boxes else 0.0)
        per_row = max(1, int(row_width // CELL_W))
        for i, node in enumerate(singles):
            r, c = divmod(i, per_row)
            positions[node] = (round(c * CELL_W + CELL_W / 2, 1), round(y + r * CELL_H + CELL_H / 2, 1))
    return Layout(positions)
