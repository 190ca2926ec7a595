"""Self-checks for the exercises of 06_nn."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch

from helpers.checks import relative_error
from helpers.exercises import blank, not_yet, passed

#: Layer widths of the series' network, and of the same network with one more hidden layer of H units.
WIDTHS = [1000, 100, 10]
DEEPER_WIDTHS = [1000, 100, 100, 10]


def _mlp(widths: Sequence[int]) -> torch.nn.Sequential:
    """Return Linear, ReLU, Linear, ..., Linear through `widths`, without touching torch's global RNG."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        layers: list[torch.nn.Module] = []
        for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            layers += [torch.nn.ReLU()] if i else []
            layers.append(torch.nn.Linear(fan_in, fan_out))
        return torch.nn.Sequential(*layers)


def _count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def check_count_params(count_params: Callable[[list[int]], int]) -> None:
    """06_nn, exercise 1: count_params(widths) is the parameter count of Linear layers through `widths`."""
    answer = count_params(list(WIDTHS))
    if blank(answer, "Exercise 1"):
        return
    for widths in (WIDTHS, [5, 4, 3, 2], [7, 1], DEEPER_WIDTHS):
        expected = _count(_mlp(widths))
        got = count_params(list(widths))
        if got != expected:
            pairs = list(zip(widths[:-1], widths[1:], strict=True))
            problem = f"For widths {widths} you gave {got}, not {expected}"
            if got == sum(a * b for a, b in pairs):
                raise not_yet(
                    "Exercise 1",
                    f"{problem}: the number of weights alone.",
                    [
                        "A Linear layer holds more than its weight matrix: it also adds a bias to each output.",
                        "The bias has one number per output of the layer, fan_out numbers.",
                    ],
                )
            if got == sum(a * b + a for a, b in pairs):
                raise not_yet(
                    "Exercise 1",
                    f"{problem}: you counted one bias per input of each layer.",
                    [
                        "The bias is added to the layer's outputs, after the product with the weight.",
                        "So a layer's bias has fan_out numbers, not fan_in.",
                    ],
                )
            raise not_yet(
                "Exercise 1",
                f"{problem}.",
                [
                    "Count layer by layer: every pair of consecutive widths is one Linear(fan_in, fan_out), "
                    "which holds a weight and a bias.",
                    "Its weight has shape (fan_out, fan_in) and its bias fan_out numbers.",
                    "zip(widths[:-1], widths[1:]) gives the (fan_in, fan_out) pairs; add up each layer's count.",
                ],
            )
    return passed("Exercise 1", "Each layer holds fan_in * fan_out weights plus fan_out biases.")


def check_deeper_model(deeper: torch.nn.Module, n_params: int) -> None:
    """06_nn, exercise 2: `deeper` is Linear, ReLU, Linear, ReLU, Linear (1000, 100, 100, 10); n_params its size."""
    if blank(deeper, "Exercise 2") or blank(n_params, "Exercise 2"):
        return
    if not isinstance(deeper, torch.nn.Sequential):
        raise not_yet(
            "Exercise 2",
            f"deeper is a {type(deeper).__name__}, not a torch.nn.Sequential.",
            "Build it as this notebook built its model: torch.nn.Sequential(...) with the layers in order.",
        )
    kinds = [type(layer).__name__ for layer in deeper]
    expected_kinds = ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    if kinds != expected_kinds:
        if kinds.count("ReLU") < 2:
            hints = [
                "Two Linear layers with nothing between them make a single linear map: "
                "each hidden layer needs its nonlinearity.",
                "Put a torch.nn.ReLU() after each hidden Linear layer, and none after the last one.",
            ]
        else:
            hints = ["A ReLU goes between every two Linear layers, and none after the last one."]
        raise not_yet("Exercise 2", f"The layers are {kinds}; expected {expected_kinds}.", hints)
    sizes = [(layer.in_features, layer.out_features) for layer in deeper if isinstance(layer, torch.nn.Linear)]
    expected_sizes = list(zip(DEEPER_WIDTHS[:-1], DEEPER_WIDTHS[1:], strict=True))
    if sizes != expected_sizes:
        raise not_yet(
            "Exercise 2",
            f"The Linear layers map (fan_in, fan_out) {sizes}; expected {expected_sizes}.",
            [
                "Each layer's fan_in is the previous layer's fan_out, and the new hidden layer keeps the width H.",
                "The new layer goes from H to H: D_in -> H, H -> H, H -> D_out.",
            ],
        )
    y_pred = copy.deepcopy(deeper).cpu().float()(torch.zeros(2, DEEPER_WIDTHS[0]))
    if tuple(y_pred.shape) != (2, DEEPER_WIDTHS[-1]):
        raise not_yet(
            "Exercise 2",
            f"The output has shape {tuple(y_pred.shape)}; expected (2, 10).",
            "The last layer must output D_out = 10 numbers per sample.",
        )
    expected = _count(deeper)
    if n_params != expected:
        raise not_yet(
            "Exercise 2",
            f"The model is right, but n_params is {n_params}; the model holds {expected} numbers.",
            [
                "Let the model count for you: parameters() yields every tensor it trains.",
                "Add up param.numel() over deeper.parameters().",
            ],
        )
    return passed("Exercise 2", f"The extra H -> H layer adds {expected - _count(_mlp(WIDTHS))} parameters.")


def check_sgd_step(sgd_step: Callable[[torch.nn.Module, float], object]) -> None:
    """06_nn, exercise 3: sgd_step(model, learning_rate) updates every parameter in place and zeroes the gradients."""
    model = _mlp([5, 4, 3])
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1)
        x, y = torch.randn(8, 5), torch.randn(8, 3)
    torch.nn.MSELoss(reduction="sum")(model(x), y).backward()
    before = [p.detach().clone() for p in model.parameters()]
    grads = [p.grad.clone() for p in model.parameters()]
    learning_rate = 1e-2
    try:
        answer = sgd_step(model, learning_rate)
    except RuntimeError as err:
        if "in-place" in str(err):
            raise not_yet(
                "Exercise 3",
                f"Autograd refused the in-place update of a parameter: {err}",
                [
                    "A parameter requires grad, so autograd would record the update as part of the graph; "
                    "it refuses to change such a tensor in place. The update is not part of the model.",
                    "Do the update inside `with torch.no_grad():`.",
                ],
            ) from None
        raise
    if answer is Ellipsis:
        blank(answer, "Exercise 3")
        return
    after = [p.detach() for p in model.parameters()]
    left = [p.grad for p in model.parameters()]
    if all(torch.equal(a, b) for a, b in zip(after, before, strict=True)):
        raise not_yet(
            "Exercise 3",
            "No parameter changed.",
            [
                "The step must change each parameter tensor itself, in place: `param = param - ...` only gives "
                "the loop's name a new tensor, which the model never sees.",
                "Use an in-place operation on each parameter: param -= ...",
            ],
        )
    expected = [b - learning_rate * g for b, g in zip(before, grads, strict=True)]
    errors = [relative_error(a, e) for a, e in zip(after, expected, strict=True)]
    if not max(errors) < 1e-5:
        wrong_sign = [b + learning_rate * g for b, g in zip(before, grads, strict=True)]
        if all(relative_error(a, w) < 1e-5 for a, w in zip(after, wrong_sign, strict=True)):
            raise not_yet(
                "Exercise 3",
                "The parameters moved up the gradient, by + learning_rate * grad.",
                [
                    "The gradient points to where the loss grows fastest; descent goes the other way.",
                    "Subtract learning_rate * param.grad.",
                ],
            )
        raise not_yet(
            "Exercise 3",
            f"The parameters are not param - learning_rate * param.grad (relative error {max(errors):.1e}).",
            [
                "Every parameter moves one step against its own gradient, scaled by the learning rate.",
                "Loop over model.parameters() and change each one in place by the step.",
            ],
        )
    if any(g is not None and bool(g.any()) for g in left):
        raise not_yet(
            "Exercise 3",
            "The update is right, but the gradients are still there, so the next backward() would add to them.",
            [
                "backward() adds to .grad; the old gradients must be cleared before the next step.",
                "Call model.zero_grad() after the update.",
            ],
        )
    return passed("Exercise 3", "This is exactly what torch.optim.SGD's step() and zero_grad() do (notebook 07).")
