"""Self-checks for the exercises of 10_performance."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode
from torch.utils.flop_counter import FlopCounterMode

from helpers.exercises import blank, not_yet, passed

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
        if not isinstance(answer, (int, float)):
            raise not_yet(
                "Exercise 1", f"flops_three_layers{sizes} returned a {type(answer).__name__}.", "return one number."
            )
        if answer == truth:
            continue
        forward = 2 * N * (D_in * H + H * H + H * D_out)
        problem = (
            f"For (N, D_in, H, D_out) = {sizes} you counted {answer:,} FLOPs; torch's FlopCounterMode counts {truth:,}"
        )
        if answer == forward:
            problem += ": exactly the forward pass."
            hints = [
                "training runs a backward pass too, and it has matrix products of its own.",
                "in the backward pass each layer computes its weight's gradient (one product) and, unless its input "
                "is x, the gradient of its input (another product).",
                "list them: 3 products in the forward pass, 3 for the weights' gradients, 2 for the inputs of the "
                "second and third layers.",
            ]
        elif answer == truth + 2 * N * D_in * H:
            problem += f": {2 * N * D_in * H:,} too many, the cost of one more product of the first layer's size."
            hints = [
                "autograd computes a gradient only where one is needed.",
                "x is data: nobody asks for its gradient, so the first layer's backward pass does one product, "
                "not two.",
                "drop the gradient of x, grad_h1 @ w1.T.",
            ]
        elif answer == 2 * forward:
            problem += ": exactly twice the forward pass."
            hints = [
                "the backward pass needs more than the weights' gradients.",
                "to reach the first layer, backprop passes the gradient back through the inputs of the later layers: "
                "one product for every layer whose input is not x.",
                "add the gradients of the second and the third layer's inputs (one product each).",
            ]
        elif 2 * answer == truth:
            problem += ": exactly half."
            hints = [
                "a multiplication and an addition are two floating-point operations.",
                "an (m, k) times (k, n) product is m*n*k multiplications and as many additions: 2*m*n*k FLOPs.",
            ]
        else:
            problem += "."
            hints = [
                "count the matrix products of one forward and one backward pass; each costs 2*m*n*k FLOPs.",
                "the forward pass has 3 products; the backward pass has one per weight, and one per layer whose "
                "input needs a gradient.",
                "3 products in the forward pass, 3 for the weights' gradients, 2 for the inputs of the second and "
                "third layers, none for x.",
            ]
        raise not_yet("Exercise 1", problem, hints)
    return passed("Exercise 1", "Training costs about three forward passes: one forward, two backward.")


def check_intensity(intensity_fn: Callable[[int, int, int, int], float]) -> None:
    """10_performance, exercise 2: intensity_fn(m, k, n, itemsize) is FLOPs per byte of an (m, k) @ (k, n) product."""
    if blank(intensity_fn(2, 3, 4, 8), "Exercise 2"):
        return
    for m, k, n, itemsize in [(1024, 1024, 1024, 8), (64, 1000, 100, 8), (3, 5, 7, 4), (1000, 1, 1000, 4)]:
        flops, numbers = 2 * m * k * n, m * k + k * n + m * n
        try:
            answer = float(intensity_fn(m, k, n, itemsize))
        except (TypeError, ValueError):
            raise not_yet(
                "Exercise 2",
                f"intensity({m}, {k}, {n}, {itemsize}) returned {type(intensity_fn(m, k, n, itemsize)).__name__}.",
                "return one number, a float: FLOPs divided by bytes.",
            ) from None
        truth = flops / (itemsize * numbers)
        if math.isclose(answer, truth, rel_tol=1e-9):
            continue
        problem = (
            f"For (m, k, n, itemsize) = {(m, k, n, itemsize)} you computed {answer:.4g} FLOPs per byte, "
            f"expected {truth:.4g}"
        )
        if math.isclose(2 * answer, truth, rel_tol=1e-9):
            problem += ": exactly half."
            hints = [
                "a multiplication and an addition are two floating-point operations.",
                "an (m, k) times (k, n) product is m*n*k multiplications and as many additions: 2*m*n*k FLOPs.",
            ]
        elif math.isclose(answer, flops / (itemsize * (m * k + k * n)), rel_tol=1e-9):
            problem += ": too many FLOPs per byte, so some bytes are missing."
            hints = [
                "the bytes moved include every matrix the product touches, not only the ones it reads.",
                "the (m, n) result must be written to memory too.",
            ]
        elif math.isclose(answer, flops / numbers, rel_tol=1e-9):
            problem += f": {itemsize} times too many."
            hints = [
                "FLOPs per byte, not per number.",
                "each number takes itemsize bytes.",
            ]
        else:
            problem += "."
            hints = [
                "intensity is work over traffic: the FLOPs of the product divided by the bytes of memory it must move.",
                "the FLOPs are 2*m*k*n; the bytes are those of both inputs and of the result, itemsize bytes a number.",
            ]
        raise not_yet("Exercise 2", problem, hints)
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
        raise not_yet(
            "Exercise 3",
            f"torch refused the update: {str(err).splitlines()[0]}",
            [
                "autograd records every operation on a parameter that requires a gradient; the update itself must "
                "not be recorded.",
                "do the update inside `with torch.no_grad():`, as notebook 06 did.",
            ],
        ) from None
    if blank(Ellipsis if result is Ellipsis else True, "Exercise 3"):
        return
    moved = [i for i, (p, a) in enumerate(zip(params, addresses, strict=True)) if p.data_ptr() != a]
    if moved or all(torch.equal(p, b) for p, b in zip(params, before, strict=True)):
        problem = (
            f"Parameters {moved} now live in new memory."
            if moved
            else f"None of the {len(params)} parameters changed: the update must change them, not make new tensors."
        )
        hints = [
            "the update must change each parameter's own memory, in place, so that the model sees the new values.",
            "torch's in-place methods end in an underscore, like sub_ and add_.",
        ]
        raise not_yet("Exercise 3", problem, hints)
    for i, (p, b, g) in enumerate(zip(params, before, grads, strict=True)):
        if not torch.allclose(p.detach(), b - learning_rate * g, rtol=1e-12, atol=0):
            uphill = torch.allclose(p.detach(), b + learning_rate * g, rtol=1e-12, atol=0)
            raise not_yet(
                "Exercise 3",
                f"Parameter {i} (shape {tuple(p.shape)}) has the wrong values"
                + (": it moved along its gradient, uphill." if uphill else "."),
                [
                    "gradient descent moves each parameter against its gradient, by learning_rate times it.",
                    "check the sign and the factor: the new value is param - learning_rate * param.grad.",
                ],
            )
    if len(calls.names) != len(params) or not all(name.endswith("_") for name in calls.names):
        raise not_yet(
            "Exercise 3",
            f"The values are right, but for {len(params)} parameters your update called {len(calls.names)} torch "
            f"operations ({', '.join(calls.names)}).",
            [
                "`learning_rate * param.grad` makes a temporary tensor and a second pass through memory: one "
                "operation per parameter must do the scaling and the subtraction together.",
                "in-place methods such as sub_ and add_ take a factor for their second argument: look up their "
                "keyword arguments.",
            ],
        )
    return passed(
        "Exercise 3",
        "One pass per parameter and no temporary: torch.optim.SGD updates with param.add_(grad, alpha=-lr).",
    )
