"""Self-checks for the exercises of 04_autograd."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from helpers.checks import relative_error
from helpers.exercises import NotYetError, blank, passed, require_shape


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
        raise NotYetError(f"Exercise 1: return a tensor (the gradient); got {type(first).__name__}")
    require_shape("Exercise 1", "your gradient", first, w.shape, "w.grad has the shape of w.")
    first = first.detach().clone()
    expected = x.t().mm(torch.cos(x.mm(w.detach())))
    err = relative_error(first, expected)
    if not err < 1e-12:
        raise NotYetError(
            f"Exercise 1: not yet; relative error {err:.1e} against the analytic gradient x^T cos(x w). "
            "Hint: make w a leaf that requires grad, compute torch.sin(x.mm(w)).sum(), call .backward() "
            "on it, and return w.grad."
        )
    second = grad_fn(x, w).detach()
    if not relative_error(second, expected) < 1e-12:
        ratio = (second * first).sum() / (first * first).sum()
        raise NotYetError(
            f"Exercise 1: the first call is right, but a second call on the same w returned {ratio.item():.1f} "
            "times the gradient: the gradients accumulated in w.grad. Hint: work on a fresh leaf, "
            "w = w.detach().clone().requires_grad_(), or zero w.grad before calling .backward()."
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
            raise NotYetError(
                f"Exercise 2: {str(err).splitlines()[0]} Hint: do the update inside `with torch.no_grad():`."
            ) from err
        if step == 0 and blank(loss, "Exercise 2"):
            return
        expected, expected_loss = _reference_step(x, y, expected, learning_rate)
        try:
            loss_err = abs(float(loss) - expected_loss) / expected_loss
        except (TypeError, ValueError) as err:
            raise NotYetError(f"Exercise 2: return the loss as a number; got {type(loss).__name__}") from err
        if not loss_err < 1e-12:
            raise NotYetError(
                f"Exercise 2: at step {step} you returned the loss {float(loss):.6e}; expected {expected_loss:.6e}. "
                "Hint: return loss.item() of the sum of squares, computed before the update."
            )
        for name, w, e in zip(("w1", "w2", "w3"), (w1, w2, w3), expected, strict=True):
            if not relative_error(w, e) < 1e-12:
                raise NotYetError(
                    f"Exercise 2: after step {step} {name} is not what one gradient-descent step gives. "
                    f"Hint: update it in place, {name} -= learning_rate * {name}.grad, inside torch.no_grad(); "
                    "the forward pass is relu(relu(x w1) w2) w3."
                )
        for name, w in zip(("w1", "w2", "w3"), (w1, w2, w3), strict=True):
            if w.grad is not None and bool(w.grad.any()):
                raise NotYetError(
                    f"Exercise 2: after step {step} {name}.grad is not zero, so the next backward adds to it. "
                    f"Hint: {name}.grad.zero_() (or {name}.grad = None) after the update."
                )
    return passed("Exercise 2", "each weight is updated without being recorded, and its gradient starts at zero.")
