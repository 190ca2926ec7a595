"""Self-checks for the exercises of 09_control_flow."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import NotYetError, blank, passed
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
    if answer == [n + 1 for n in truth]:
        hint = "you counted one node too many: the graph of y_pred = model(x, depth) has no MseLossBackward0."
    elif answer[1:] == [n + 2 * (d - 1) for d, n in zip(depths[1:], truth[1:], strict=True)]:
        hint = "the shared layer's AccumulateGrad nodes appear once, however many times the layer is used."
    elif answer[1:] == truth[1:]:
        hint = "at depth 0 the middle layer is not used at all, so its parameters are not in the graph."
    else:
        hint = "draw plot_graph(model(x, depth=d)) for d = 0, 1, 2 and count the boxes."
    raise NotYetError(f"Exercise 1: not yet; for depths 0-5 you predicted {answer}, the graphs have {truth}. {hint}")


def check_shared_branches(two_branch: type[torch.nn.Module]) -> None:
    """09_control_flow, exercise 2: two_branch(D_in, H) passes both inputs of forward(a, b) through one Linear."""
    if blank(two_branch if "forward" in vars(two_branch) else Ellipsis, "Exercise 2"):
        return
    D_in, H = 5, 3
    net = two_branch(D_in, H)
    count = sum(p.numel() for p in net.parameters())
    single = D_in * H + H
    if count != single:
        raise NotYetError(
            f"Exercise 2: not yet; TwoBranch({D_in}, {H}) has {count} parameters, one Linear({D_in}, {H}) has "
            f"{single}. Create a single torch.nn.Linear in __init__ and call it in both branches."
        )
    generator = torch.Generator().manual_seed(0)
    dtype = next(net.parameters()).dtype
    a, b = (torch.randn(4, D_in, generator=generator, dtype=dtype) for _ in range(2))
    graph = autograd_graph(net(a, b).sum(), dict(net.named_parameters()))
    uses = {name: graph.uses(name) if name in graph.labels else 0 for name, _ in net.named_parameters()}
    if any(n != 2 for n in uses.values()):
        raise NotYetError(
            f"Exercise 2: not yet; each parameter should receive two gradients, one per branch, but the "
            f"output's graph gives {uses}. Apply the same layer to a and to b in forward."
        )
    return passed("Exercise 2", "One layer, two uses: its parameters are counted once and receive two gradients.")
