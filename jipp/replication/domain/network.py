"""Layout of the "who replicated from whom" graph, computed on the server so the page needs no script.

Pure Python and NumPy: no Django, no randomness that changes between runs. ``layout`` starts from
the nodes on a circle (in the given order) and runs a fixed number of Fruchterman-Reingold steps,
so the same graph always gets the same picture. Coordinates fit in ``width`` × ``height`` with a margin.
"""

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Edge:
    source: Hashable
    target: Hashable
    weight: int = 1


@dataclass(frozen=True, slots=True)
class PlacedNode:
    id: Hashable
    x: float
    y: float
    degree: int


def circular_layout(node_ids: Sequence[Hashable], width: float, height: float, margin: float = 20) -> dict:
    """Place nodes evenly on an ellipse, first one at the top, clockwise. Returns {id: (x, y)}."""
    n = len(node_ids)
    cx, cy = width / 2, height / 2
    rx, ry = max(width / 2 - margin, 0), max(height / 2 - margin, 0)
    if n == 1:
        return {node_ids[0]: (cx, cy)}
    return {
        node: (cx + rx * math.sin(2 * math.pi * i / n), cy - ry * math.cos(2 * math.pi * i / n))
        for i, node in enumerate(node_ids)
    }


def layout(
    node_ids: Sequence[Hashable],
    edges: Sequence[Edge],
    width: float = 800,
    height: float = 600,
    *,
    iterations: int = 80,
    margin: float = 30,
    gravity: float = 8.0,
) -> list[PlacedNode]:
    """Force-directed layout (Fruchterman-Reingold), deterministic.

    Input: distinct node ids (order matters: it fixes the starting circle), edges between them
    (edges naming unknown nodes are ignored), the drawing size, the number of steps. Output: one
    PlacedNode per node, in input order, inside [margin, width-margin] × [margin, height-margin];
    ``degree`` counts the node's edges (weights ignored). An empty graph gives [].
    """
    n = len(node_ids)
    if n == 0:
        return []
    index = {node: i for i, node in enumerate(node_ids)}
    pairs = [(index[e.source], index[e.target]) for e in edges if e.source in index and e.target in index]
    degree = np.zeros(n, dtype=int)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    start = circular_layout(node_ids, width, height, margin)
    pos = np.array([start[node] for node in node_ids], dtype=float)
    if n > 1:
        area = (width - 2 * margin) * (height - 2 * margin)
        k = math.sqrt(max(area, 1.0) / n)
        temperature = width / 10
        src = np.array([a for a, _ in pairs], dtype=int)
        dst = np.array([b for _, b in pairs], dtype=int)
        for step in range(iterations):
            delta = pos[:, None, :] - pos[None, :, :]
            distance = np.sqrt((delta**2).sum(axis=2))
            np.fill_diagonal(distance, 1.0)
            distance = np.maximum(distance, 0.01)
            repulse = (k * k / distance**2)[:, :, None] * delta
            np.einsum("iij->ij", repulse)[:] = 0
            force = repulse.sum(axis=1)
            if len(pairs):
                d = pos[src] - pos[dst]
                dist = np.maximum(np.sqrt((d**2).sum(axis=1)), 0.01)
                pull = (dist / k)[:, None] * d
                np.add.at(force, src, -pull)
                np.add.at(force, dst, pull)
            # Gravity towards the centre keeps separate components together.
            force += (np.array([width / 2, height / 2]) - pos) * (gravity * k / max(width, height))
            length = np.maximum(np.sqrt((force**2).sum(axis=1)), 0.01)
            step_size = temperature * (1 - step / iterations)
            pos += force / length[:, None] * np.minimum(length, step_size)[:, None]
        # Fit the drawing to the canvas (scaling, not clipping, so nodes do not pile up on the edges).
        low, high = pos.min(axis=0), pos.max(axis=0)
        span = np.where(high - low > 1e-9, high - low, 1.0)
        inner = np.array([width - 2 * margin, height - 2 * margin])
        pos = margin + (pos - low) / span * inner
        pos = np.where(high - low > 1e-9, pos, np.array([width / 2, height / 2]))
    return [
        PlacedNode(node, round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1), int(degree[i]))
        for i, node in enumerate(node_ids)
    ]
