"""Self-checks for the exercises of 04_autograd."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from helpers.checks import relative_error
from helpers.exercises import blank, not_yet, passed, require_shape


def _tensors(seed: int, *shapes: tuple[int, ...]) -> list[torch.Tensor]:
    """Return float64 CPU tensors of the given shapes, standard normal, drawn from `seed`."""
    rng = np.random.default_rng(seed)
    return [torch.tensor(rng.standard_normal(shape), dtype=torch.float64) for shape in shapes]


def check_sin_gradient(grad_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """04_autograd, exercise 1: grad_fn(x, w) is d/dw of torch.sin(x.mm(w)).sum(), computed by autograd."""
    x, w = _tensors(1, (5, 3), (3, 2))
    w.requires_grad_()
    first = grad_fn(x, w)
    if blank(first, "Exercise 1"):
        return
    if not isinstance(first, torch.Tensor):
        raise not_yet("Exercise 1", f"your function returned {type(first).__name__}.", "return a tensor: the gradient.")
    require_shape("Exercise 1", "your gradient", first, w.shape, "a gradient has the shape of what it differentiates.")
    first = first.detach().clone()
    expected = x.t().mm(torch.cos(x.mm(w.detach())))
    err = relative_error(first, expected)
    if not err < 1e-12:
        raise not_yet(
            "Exercise 1",
            f"relative error {err:.1e} against the analytic gradient x^T cos(x w).",
            [
                "let autograd do the calculus: compute f from a w that requires grad, run the backward pass "
                "on f, and read the gradient autograd stored.",
                "f is torch.sin(x.mm(w)).sum(), a tensor with one number; its .backward() fills the .grad "
                "of every leaf that requires grad.",
                "return w.grad after f.backward(), where w is a leaf with requires_grad.",
            ],
        )
    second = grad_fn(x, w).detach()
    if not relative_error(second, expected) < 1e-12:
        ratio = (second * first).sum() / (first * first).sum()
        raise not_yet(
            "Exercise 1",
            f"the first call is right, but a second call on the same w returned {ratio.item():.1f} times the gradient.",
            [
                "backward() adds to .grad: the second call added its gradient to what the first left there.",
                "compute on a fresh leaf in every call, or clear w.grad before calling backward().",
                "w.detach().clone().requires_grad_() makes a fresh leaf with the same numbers and no .grad.",
            ],
        )
    return passed("Exercise 1", "autograd gives x^T cos(x w), the gradient you would derive by hand.")


def _reference_step(x, y, weights, learning_rate):
    """One step of the three-layer network by torch.autograd.grad, on plain tensors; return new weights."""
    ws = [w.detach().clone().requires_grad_() for w in weights]
    y_pred = x.mm(ws[0]).clamp(min=0).mm(ws[1]).clamp(min=0).mm(ws[2])
    loss = (y_pred - y).pow(2).sum()
    grads = torch.autograd.grad(loss, ws)
    return [(w - learning_rate * g).detach() for w, g in zip(ws, grads, strict=True)], loss.item()


def check_three_layer_step(train_step: Callable[..., object], steps: int = 3, learning_rate: float = 1e-3) -> None:
    """04_autograd, exercise 2: train_step(x, y, w1, w2, w3, learning_rate) does one training step in place."""
    x, y, w1, w2, w3 = _tensors(2, (8, 5), (8, 3), (5, 4), (4, 4), (4, 3))
    expected = [w1.clone(), w2.clone(), w3.clone()]
    for w in (w1, w2, w3):
        w.requires_grad_()
    for step in range(steps):
        try:
            loss = train_step(x, y, w1, w2, w3, learning_rate)
        except RuntimeError as err:
            if "leaf" not in str(err):
                raise
            raise not_yet(
                "Exercise 2",
                f"your step raised torch's error: {str(err).splitlines()[0]}",
                [
                    "autograd records every operation on a tensor that requires grad, the update included; "
                    "the update must not be recorded.",
                    "do the update inside `with torch.no_grad():`.",
                ],
            ) from err
        if step == 0 and blank(loss, "Exercise 2"):
            return
        expected, expected_loss = _reference_step(x, y, expected, learning_rate)
        try:
            loss_err = abs(float(loss) - expected_loss) / expected_loss
        except (TypeError, ValueError) as err:
            raise not_yet(
                "Exercise 2", f"your step returned {type(loss).__name__}.", "return the loss as a Python number."
            ) from err
        if not loss_err < 1e-12:
            raise not_yet(
                "Exercise 2",
                f"at step {step} you returned the loss {float(loss):.6e}; expected {expected_loss:.6e}.",
                [
                    "return the loss at the weights the step starts from, computed before the update.",
                    "the loss is the sum of squared differences between relu(relu(x w1) w2) w3 and y; "
                    ".item() turns it into a number.",
                ],
            )
        for name, w, e in zip(("w1", "w2", "w3"), (w1, w2, w3), expected, strict=True):
            if not relative_error(w, e) < 1e-12:
                raise not_yet(
                    "Exercise 2",
                    f"after step {step} {name} is not what one gradient-descent step gives.",
                    [
                        "every weight moves by -learning_rate times its gradient, in place: the caller's tensor "
                        "must change.",
                        f"`{name} = {name} - ...` only gives a local name to a new tensor; an in-place update "
                        f"(`-=`) changes the caller's {name}.",
                        "check the forward pass too: relu(relu(x w1) w2) w3, each relu written as clamp(min=0).",
                    ],
                )
        for name, w in zip(("w1", "w2", "w3"), (w1, w2, w3), strict=True):
            if w.grad is not None and bool(w.grad.any()):
                raise not_yet(
                    "Exercise 2",
                    f"after step {step} {name}.grad is not zero, so the next backward() adds to it.",
                    [
                        "backward() accumulates into .grad: each gradient must be cleared after its update.",
                        f"{name}.grad.zero_() (or {name}.grad = None) after the update.",
                    ],
                )
    return passed("Exercise 2", "each weight is updated without being recorded, and its gradient starts at zero.")
