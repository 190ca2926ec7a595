"""Self-checks for the exercises of 09_control_flow."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import blank, diagnosis, not_yet, passed
from helpers.graphs import autograd_graph


def check_node_count(nodes_for_depth: Callable[[int], int], model: torch.nn.Module, x: torch.Tensor) -> None:
    """09_control_flow, exercise 1: nodes_for_depth(d) is the number of nodes in the graph of model(x, depth=d)."""
    if blank(nodes_for_depth(0), "Exercise 1"):
        return
    depths = range(6)
    answer = [nodes_for_depth(d) for d in depths]
    truth = [len(autograd_graph(model(x, depth=d)).labels) for d in depths]
    if answer == truth:
        return passed(
            "Exercise 1",
            "Each use of the shared layer adds three nodes (AddmmBackward0, TBackward0, ClampBackward1), "
            "but its two parameters add their AccumulateGrad nodes only once.",
        )
    problem = diagnosis(
        f"For depths 0-5 you predicted {answer}; the graphs have {truth}",
        [
            (
                answer == [n + 1 for n in truth],
                "one node too many at every depth. The graph of y_pred = model(x, depth) has no MseLossBackward0.",
            ),
            (
                answer[1:] == [n + 2 * (d - 1) for d, n in zip(depths[1:], truth[1:], strict=True)],
                "two nodes too many for every use after the first.",
            ),
            (answer[1:] == truth[1:], "right from depth 1 on, wrong at depth 0."),
        ],
    )
    raise not_yet(
        "Exercise 1",
        problem,
        [
            "Some nodes come with every use of middle_linear, others appear once however often the layer is "
            "used: a parameter is one leaf (AccumulateGrad) that receives one gradient per use.",
            "Each use adds AddmmBackward0, TBackward0 and ClampBackward1; middle_linear's weight and bias add "
            "their two leaves once, and only if the layer is used at all (depth > 0).",
            "Count the depth-0 graph in the counting cell above, minus the loss node; then add 3 per use, "
            "and 2 more when depth > 0.",
        ],
    )


def check_shared_branches(two_branch: type[torch.nn.Module]) -> None:
    """09_control_flow, exercise 2: two_branch(D_in, H) passes both inputs of forward(a, b) through one Linear."""
    if blank(two_branch if "forward" in vars(two_branch) else Ellipsis, "Exercise 2"):
        return
    D_in, H = 5, 3
    net = two_branch(D_in, H)
    count = sum(p.numel() for p in net.parameters())
    single = D_in * H + H
    if count != single:
        raise not_yet(
            "Exercise 2",
            f"TwoBranch({D_in}, {H}) has {count} parameters; one Linear({D_in}, {H}) has {single}.",
            [
                "Weight sharing is one layer object used twice, not two layers of the same shape.",
                "Create a single torch.nn.Linear(D_in, H) in __init__, in one attribute, and call that same "
                "attribute on a and on b in forward.",
            ],
        )
    generator = torch.Generator().manual_seed(0)
    dtype = next(net.parameters()).dtype
    a, b = (torch.randn(4, D_in, generator=generator, dtype=dtype) for _ in range(2))
    out = net(a, b)
    if blank(out, "Exercise 2"):
        return
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (4,):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise not_yet(
            "Exercise 2",
            f"forward(a, b) with 4 rows each returned {shape}; expected a tensor of shape (4,), one distance per row.",
            "Sum the squared differences over the features only: .sum(dim=1).",
        )
    graph = autograd_graph(out.sum(), dict(net.named_parameters()))
    uses = {name: graph.uses(name) if name in graph.labels else 0 for name, _ in net.named_parameters()}
    if any(n != 2 for n in uses.values()):
        raise not_yet(
            "Exercise 2",
            f"Each parameter should receive two gradients, one per branch; the output's graph gives {uses}.",
            [
                "Both inputs must pass through the shared layer: one layer, two calls.",
                "In forward, compute the features of a and of b with the same layer and the ReLU, then the "
                "squared distance between the two.",
            ],
        )
    return passed("Exercise 2", "One layer, two uses: its parameters are counted once and receive two gradients.")
