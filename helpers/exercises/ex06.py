"""Self-checks for the exercises of 06_nn."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch

from helpers.checks import relative_error
from helpers.exercises import NotYetError, blank, passed

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
            weights_only = sum(a * b for a, b in zip(widths[:-1], widths[1:], strict=True))
            hint = (
                "you counted the weights only: every Linear also has a bias, one number per output"
                if got == weights_only
                else "a Linear(fan_in, fan_out) holds a weight of shape (fan_out, fan_in) and a bias of fan_out"
            )
            raise NotYetError(f"Exercise 1: not yet; for widths {widths} you gave {got}, not {expected}: {hint}.")
    return passed("Exercise 1", "Each layer holds fan_in * fan_out weights plus fan_out biases.")


def check_deeper_model(deeper: torch.nn.Module, n_params: int) -> None:
    """06_nn, exercise 2: `deeper` is Linear, ReLU, Linear, ReLU, Linear (1000, 100, 100, 10); n_params its size."""
    if blank(deeper, "Exercise 2") or blank(n_params, "Exercise 2"):
        return
    if not isinstance(deeper, torch.nn.Sequential):
        raise NotYetError(f"Exercise 2: build the model with torch.nn.Sequential; got {type(deeper).__name__}")
    kinds = [type(layer).__name__ for layer in deeper]
    expected_kinds = ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    if kinds != expected_kinds:
        raise NotYetError(f"Exercise 2: the layers are {kinds}; expected {expected_kinds}.")
    sizes = [(layer.in_features, layer.out_features) for layer in deeper if isinstance(layer, torch.nn.Linear)]
    expected_sizes = list(zip(DEEPER_WIDTHS[:-1], DEEPER_WIDTHS[1:], strict=True))
    if sizes != expected_sizes:
        raise NotYetError(
            f"Exercise 2: the Linear layers map {sizes}; expected {expected_sizes} "
            "(D_in -> H, H -> H, H -> D_out). Hint: the new layer goes from H to H."
        )
    y_pred = copy.deepcopy(deeper).cpu().float()(torch.zeros(2, DEEPER_WIDTHS[0]))
    if tuple(y_pred.shape) != (2, DEEPER_WIDTHS[-1]):
        raise NotYetError(f"Exercise 2: the output has shape {tuple(y_pred.shape)}; expected (2, 10)")
    expected = _count(deeper)
    if n_params != expected:
        raise NotYetError(
            f"Exercise 2: the model is right, but n_params is {n_params}; it holds {expected} numbers. "
            "Hint: n_params = sum(param.numel() for param in deeper.parameters())."
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
        sgd_step(model, learning_rate)
    except RuntimeError as err:
        if "in-place" in str(err):
            raise NotYetError(
                "Exercise 3: autograd refused the in-place update of a parameter. "
                "Hint: do the update inside `with torch.no_grad():`."
            ) from err
        raise
    after = [p.detach() for p in model.parameters()]
    left = [p.grad for p in model.parameters()]
    unchanged = all(torch.equal(a, b) for a, b in zip(after, before, strict=True))
    if unchanged and all(g is not None and torch.equal(g, h) for g, h in zip(left, grads, strict=True)):
        blank(Ellipsis, "Exercise 3")
        return
    expected = [b - learning_rate * g for b, g in zip(before, grads, strict=True)]
    errors = [relative_error(a, e) for a, e in zip(after, expected, strict=True)]
    if not max(errors) < 1e-5:
        wrong_sign = [b + learning_rate * g for b, g in zip(before, grads, strict=True)]
        hint = (
            "the parameters moved up the gradient: subtract learning_rate * param.grad"
            if all(relative_error(a, w) < 1e-5 for a, w in zip(after, wrong_sign, strict=True))
            else "loop over model.parameters() and do param -= learning_rate * param.grad for each"
        )
        raise NotYetError(f"Exercise 3: not yet; the parameters are not param - learning_rate * grad: {hint}.")
    if any(g is not None and bool(g.any()) for g in left):
        raise NotYetError(
            "Exercise 3: the update is right, but the gradients are still there, so the next backward() "
            "would add to them. Hint: call model.zero_grad() after the update."
        )
    return passed("Exercise 3", "This is exactly what torch.optim.SGD's step() and zero_grad() do (notebook 07).")
