from jipp.replication.domain.network import Edge, circular_layout, layout


def test_layout_is_deterministic_and_inside_the_canvas():
    nodes = list(range(12))
    edges = [Edge(i, (i + 1) % 12) for i in range(12)] + [Edge(0, 6, 3)]
    first = layout(nodes, edges, 800, 600, margin=30)
    assert first == layout(nodes, edges, 800, 600, margin=30)
    assert all(30 <= n.x <= 770 and 30 <= n.y <= 570 for n in first)
    assert [n.id for n in first] == nodes
    assert first[0].degree == 3


def test_layout_pulls_linked_nodes_closer_than_unlinked():
    nodes = ["a", "b", "c", "d"]
    placed = {n.id: n for n in layout(nodes, [Edge("a", "b"), Edge("c", "d")], 400, 400)}

    def dist(p, q):
        return ((placed[p].x - placed[q].x) ** 2 + (placed[p].y - placed[q].y) ** 2) ** 0.5

    assert dist("a", "b") < dist("a", "c")


def test_layout_handles_empty_single_and_unknown_edges():
    assert layout([], []) == []
    (only,) = layout(["x"], [Edge("x", "y")], 100, 100)
    assert (only.x, only.y, only.degree) == (50, 50, 0)


def test_circular_layout_starts_at_top():
    positions = circular_layout(["a", "b"], 100, 100, margin=10)
    assert positions["a"] == (50, 10)
