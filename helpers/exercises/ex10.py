"""Self-checks for the exercises of 10_performance."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode
from torch.utils.flop_counter import FlopCounterMode

from helpers.exercises import NotYetError, blank, passed

#: Sizes with different prime factors, so that different formulas give different counts.
FLOP_SIZES = [(7, 11, 5, 3), (2, 3, 13, 17), (64, 1000, 100, 10)]


def three_layer_flops(N: int, D_in: int, H: int, D_out: int) -> int:
    """FLOPs that torch's FlopCounterMode counts for one forward and backward pass of the three-layer network."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(N, D_in, generator=generator)
    y = torch.randn(N, D_out, generator=generator)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = torch.nn.Sequential(
            torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out)
        )
    with FlopCounterMode(display=False) as counter:
        torch.nn.functional.mse_loss(model(x), y, reduction="sum").backward()
    return counter.get_total_flops()


def check_three_layer_flops(flops_fn: Callable[[int, int, int, int], int]) -> None:
    """10_performance, exercise 1: flops_fn(N, D_in, H, D_out) counts the products of a three-layer training step."""
    if blank(flops_fn(*FLOP_SIZES[0]), "Exercise 1"):
        return
    for sizes in FLOP_SIZES:
        N, D_in, H, D_out = sizes
        answer, truth = flops_fn(*sizes), three_layer_flops(*sizes)
        if answer == truth:
            continue
        forward = 2 * N * (D_in * H + H * H + H * D_out)
        if answer == forward:
            hint = "that is the forward pass only; the backward pass has products too."
        elif answer == truth + 2 * N * D_in * H:
            hint = "you counted the gradient of x, grad_h1 @ w1.T; x is data, nobody asks for its gradient."
        elif answer == 2 * forward:
            hint = (
                "besides each weight's gradient, the backward pass needs the gradient of the second and the third "
                "layer's inputs (one product each)."
            )
        elif 2 * answer == truth:
            hint = "an (m, k) times (k, n) product is m*n*k multiplications and as many additions: 2*m*n*k FLOPs."
        else:
            hint = "list the products: 3 in the forward pass, 3 for the weights' gradients, 2 for the hidden inputs."
        raise NotYetError(
            f"Exercise 1: not yet; for (N, D_in, H, D_out) = {sizes} you counted {answer:,} FLOPs, "
            f"torch's FlopCounterMode counts {truth:,}. Hint: {hint}"
        )
    return passed("Exercise 1", "Training costs about three forward passes: one forward, two backward.")


def check_intensity(intensity_fn: Callable[[int, int, int, int], float]) -> None:
    """10_performance, exercise 2: intensity_fn(m, k, n, itemsize) is FLOPs per byte of an (m, k) @ (k, n) product."""
    if blank(intensity_fn(2, 3, 4, 8), "Exercise 2"):
        return
    for m, k, n, itemsize in [(1024, 1024, 1024, 8), (64, 1000, 100, 8), (3, 5, 7, 4), (1000, 1, 1000, 4)]:
        flops, numbers = 2 * m * k * n, m * k + k * n + m * n
        answer, truth = float(intensity_fn(m, k, n, itemsize)), flops / (itemsize * numbers)
        if math.isclose(answer, truth, rel_tol=1e-9):
            continue
        if math.isclose(2 * answer, truth, rel_tol=1e-9):
            hint = "an (m, k) times (k, n) product is m*n*k multiplications and as many additions: 2*m*n*k FLOPs."
        elif math.isclose(answer, flops / (itemsize * (m * k + k * n)), rel_tol=1e-9):
            hint = "the (m, n) result must be written to memory too."
        elif math.isclose(answer, flops / numbers, rel_tol=1e-9):
            hint = "that is FLOPs per number; each number takes itemsize bytes."
        else:
            hint = "divide the FLOPs, 2*m*k*n, by the bytes of the three matrices, itemsize * (m*k + k*n + m*n)."
        raise NotYetError(
            f"Exercise 2: not yet; for (m, k, n, itemsize) = {(m, k, n, itemsize)} you computed {answer:.4g} "
            f"FLOPs per byte, expected {truth:.4g}. Hint: {hint}"
        )
    square = intensity_fn(1024, 1024, 1024, 8)
    return passed(
        "Exercise 2",
        f"A 1024 x 1024 float64 product does {square:.0f} FLOPs per byte it moves; the update w1 -= lr * grad_w1 does "
        "2 FLOPs per 24 bytes, a thousand times fewer, so memory, not arithmetic, sets its speed.",
    )


class _Calls(TorchFunctionMode):
    """Record the name of every torch function and tensor method called while active."""

    #: Reading an attribute such as param.grad, and entering torch.no_grad(), compute nothing.
    IGNORED = frozenset({"__get__", "__set__", "_set_grad_enabled"})

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", str(func))
        if name not in self.IGNORED:
            self.names.append(name)
        return func(*args, **(kwargs or {}))


def check_fused_sgd_update(update_fn: Callable[[list[torch.Tensor], float], object]) -> None:
    """10_performance, exercise 3: update_fn(parameters, lr) does param -= lr * param.grad, one operation each."""
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2)).double()
        x = torch.randn(4, 5, dtype=torch.float64)
    model(x).pow(2).sum().backward()
    params = list(model.parameters())
    learning_rate = 0.25
    before = [p.detach().clone() for p in params]
    grads = [p.grad.clone() for p in params]
    addresses = [p.data_ptr() for p in params]
    try:
        with _Calls() as calls:
            result = update_fn(params, learning_rate)
    except RuntimeError as err:
        if "in-place" not in str(err):
            raise
        raise NotYetError(
            "Exercise 3: not yet; torch refuses to change a parameter in place while recording operations for "
            "autograd. Do the update inside `with torch.no_grad():`, as notebook 06 did."
        ) from err
    if blank(Ellipsis if result is Ellipsis else True, "Exercise 3"):
        return
    if any(p.data_ptr() != a for p, a in zip(params, addresses, strict=True)) or all(
        torch.equal(p, b) for p, b in zip(params, before, strict=True)
    ):
        raise NotYetError(
            "Exercise 3: not yet; the parameters must change in place: call a method ending in _ on each of them."
        )
    for p, b, g in zip(params, before, grads, strict=True):
        if not torch.allclose(p.detach(), b - learning_rate * g, rtol=1e-12, atol=0):
            raise NotYetError(
                "Exercise 3: not yet; each parameter should become param - learning_rate * param.grad. "
                "Check the sign and the factor."
            )
    if len(calls.names) != len(params) or not all(name.endswith("_") for name in calls.names):
        raise NotYetError(
            f"Exercise 3: not yet; the values are right, but for {len(params)} parameters your update called "
            f"{len(calls.names)} torch operations ({', '.join(calls.names)}). `learning_rate * param.grad` makes a "
            "temporary tensor and a second pass over memory; sub_ and add_ take the factor as alpha=."
        )
    return passed(
        "Exercise 3",
        "One pass per parameter and no temporary: torch.optim.SGD updates with param.add_(grad, alpha=-lr).",
    )
