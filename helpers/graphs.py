"""Autograd graphs: walk a tensor's grad_fn chain back to the leaves, and draw it (09_control_flow)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class Graph:
    """Autograd graph: node 0 is the tensor's grad_fn; edge (i, j): node i passes a gradient to j (09_control_flow)."""

    labels: tuple[str, ...]
    edges: tuple[tuple[int, int], ...]

    def uses(self, label: str) -> int:
        """Return how many gradients the node labelled `label` receives: one per use of its tensor (09_control_flow)."""
        nodes = [i for i, name in enumerate(self.labels) if name == label]
        if len(nodes) != 1:
            raise ValueError(f"{len(nodes)} nodes are labelled {label!r}; expected exactly one among {self.labels}")
        return sum(1 for _, j in self.edges if j == nodes[0])


def autograd_graph(tensor: torch.Tensor, params: Mapping[str, torch.Tensor] | None = None) -> Graph:
    """Return the graph autograd recorded for `tensor`, leaves named after `params` (09_control_flow).

    Nodes are labelled with their class name (AddmmBackward0, ClampBackward1, ...). A leaf's
    AccumulateGrad node is labelled with its name in `params`, e.g. dict(model.named_parameters()),
    or "AccumulateGrad" if it has none. Nodes are numbered breadth-first from the tensor's grad_fn.
    """
    import torch

    if not isinstance(tensor, torch.Tensor):
        raise ValueError(f"expected a torch.Tensor; got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError(
            "the tensor has no grad_fn, so autograd recorded no graph for it: it is a leaf, or it was computed "
            "under torch.no_grad() or from tensors without requires_grad=True"
        )
    names = {}
    for name, p in (params or {}).items():
        if not isinstance(p, torch.Tensor):
            raise ValueError(f"params[{name!r}] is a {type(p).__name__}; expected a tensor, as in named_parameters()")
        names[id(p)] = name
    nodes, labels, edges, index = [], [], [], {}  # `nodes` keeps every node alive, so ids stay unique

    def visit(fn: object) -> int:
        if id(fn) not in index:
            index[id(fn)] = len(nodes)
            nodes.append(fn)
            leaf = getattr(fn, "variable", None)
            labels.append(names.get(id(leaf), "AccumulateGrad") if leaf is not None else type(fn).__name__)
        return index[id(fn)]

    visit(tensor.grad_fn)
    for i, fn in enumerate(nodes):  # `nodes` grows while we walk it: a breadth-first search
        for next_fn, _ in fn.next_functions:
            if next_fn is not None:  # None: an input that needs no gradient, such as x
                edges.append((i, visit(next_fn)))
    return Graph(tuple(labels), tuple(edges))


#: Horizontal distance between neighbouring nodes, in units of the vertical distance between rows.
GAP = 1.5


def _layout(graph: Graph) -> list[tuple[float, float]]:
    """Return (x, y) per node: y = -(longest path from node 0), x near the mean x of the node's parents."""
    n = len(graph.labels)
    children: list[list[int]] = [[] for _ in range(n)]
    parents: list[list[int]] = [[] for _ in range(n)]
    for i, j in graph.edges:
        children[i].append(j)
        parents[j].append(i)
    layer, waiting, order = [0] * n, [len(p) for p in parents], [0]
    for i in order:  # topological order: a node is placed after all its parents
        for j in children[i]:
            layer[j] = max(layer[j], layer[i] + 1)
            waiting[j] -= 1
            if waiting[j] == 0:
                order.append(j)
    below: list[set[int]] = [set() for _ in range(n)]
    for i in reversed(order):
        below[i] = set().union(*(below[j] | {j} for j in children[i]))
    x, right = [0.0] * n, 0.0
    for depth in range(1, max(layer) + 1):
        row = [j for j in order if layer[j] == depth]
        wanted = {j: sum(x[i] for i in parents[j]) / len(parents[j]) for j in row}
        main = sorted((j for j in row if len(parents[j]) == 1), key=lambda j: (wanted[j], j))
        for k, j in enumerate(main):  # neighbours at least GAP apart ...
            x[j] = wanted[j] if k == 0 else max(wanted[j], x[main[k - 1]] + GAP)
        if main:  # ... and the node with the most descendants (the main chain) right under its parent
            anchor = max(main, key=lambda j: (len(below[j]), -main.index(j)))
            shift = wanted[anchor] - x[anchor]
            for j in main:
                x[j] += shift
        right = max([right, *(x[j] for j in main)])
        for j in (j for j in row if len(parents[j]) > 1):  # a node used several times: a column of its own
            right = x[j] = right + GAP
    return [(x[i], -float(layer[i])) for i in range(n)]


def plot_graph(
    tensor: torch.Tensor,
    params: Mapping[str, torch.Tensor] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the autograd graph of `tensor` top-down, gradients flowing along the arrows (09_control_flow).

    Leaves (AccumulateGrad) are green; a node that receives several gradients, such as the
    weight of a layer used several times, is orange and says how many.
    """
    import matplotlib.pyplot as plt

    graph = autograd_graph(tensor, params)
    positions = _layout(graph)
    xs, ys = [x for x, _ in positions], [y for _, y in positions]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * (max(xs) - min(xs) + 1.6), 0.5 + 0.5 * (1 - min(ys))))
    texts = []
    for i, (label, x, y) in enumerate(zip(graph.labels, xs, ys, strict=True)):
        uses = sum(1 for _, j in graph.edges if j == i)
        leaf = all(a != i for a, _ in graph.edges)
        color = "#f6c58f" if uses > 1 else "#c8e6c9" if leaf else "#e3e8f0"
        text = f"{label}\n({uses} uses)" if uses > 1 else label
        box = {"boxstyle": "round,pad=0.3", "facecolor": color, "edgecolor": "0.5"}
        texts.append(ax.text(x, y, text, ha="center", va="center", fontsize=7, bbox=box))
    arrow = {"arrowstyle": "-|>", "color": "0.35", "shrinkA": 3, "shrinkB": 3}
    for i, j in graph.edges:  # from the bottom of node i's label to the top of node j's
        ax.annotate("", xy=(0.5, 1.0), xycoords=texts[j], xytext=(0.5, 0.0), textcoords=texts[i], arrowprops=arrow)
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.6, 0.6)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
