"""Self-checks for the exercises of 03_tensors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from helpers.checks import relative_error
from helpers.data import make_data, to_torch
from helpers.exercises import blank, not_yet, passed, require_shape


def leaky_relu_numpy(h: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """The numpy leaky ReLU that exercise 1 of 03_tensors asks to translate: h where h > 0, else slope * h."""
    return np.where(h > 0, h, slope * h)


def leaky_relu_backward_numpy(grad_out: np.ndarray, h: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Its backward pass: the gradient with respect to h, given the gradient of the output."""
    grad_h = grad_out.copy()
    grad_h[h < 0] *= slope
    return grad_h


def _expect_tensor(answer: object, what: str, like: torch.Tensor) -> torch.Tensor:
    """Raise NotYetError unless `answer` is a tensor with the shape and dtype of `like`."""
    if not isinstance(answer, torch.Tensor):
        raise not_yet(
            "Exercise 1",
            f"{what} returned {type(answer).__name__}; expected a torch tensor.",
            [
                "the numbers should stay in torch: use torch operations on the tensors, not numpy functions.",
                "every numpy function the numpy version uses has a torch twin; the table at the top lists them.",
            ],
        )
    require_shape("Exercise 1", what, answer, tuple(like.shape), "an entry-by-entry function keeps the shape.")
    if answer.dtype != like.dtype:
        raise not_yet(
            "Exercise 1",
            f"{what} returned {answer.dtype} for a {like.dtype} input; expected {like.dtype}.",
            [
                "the result should keep the input's dtype: a new tensor made from scratch gets torch's default.",
                "build the result from the input tensors themselves, so that it inherits their dtype.",
            ],
        )
    return answer


def _differs(what: str, answer: torch.Tensor, expected: np.ndarray, h: torch.Tensor, tol: float) -> str | None:
    """Return a sentence saying where `answer` differs from `expected` (by the sign of h), or None if it matches."""
    err = relative_error(answer, expected)
    if err < tol:
        return None
    wrong = np.abs(answer.double().numpy() - expected) > tol * np.abs(expected).max()
    positive = h.numpy() > 0
    return (
        f"{what} differs from the numpy version: relative error {err:.1e}; {wrong.sum()} of {wrong.size} entries "
        f"differ ({wrong[positive].sum()} of {positive.sum()} where h > 0, "
        f"{wrong[~positive].sum()} of {(~positive).sum()} where h < 0)."
    )


def check_leaky_relu(
    leaky_relu: Callable[..., torch.Tensor],
    leaky_relu_backward: Callable[..., torch.Tensor],
) -> None:
    """03_tensors, exercise 1: torch translations of leaky_relu_numpy and leaky_relu_backward_numpy."""
    rng = np.random.default_rng(3)
    h_np, grad_np = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    for dtype, slope in ((torch.float64, 0.01), (torch.float64, 0.2), (torch.float32, 0.2)):
        h, grad_out = (torch.tensor(a, dtype=dtype) for a in (h_np, grad_np))
        h_before, grad_before = h.clone(), grad_out.clone()
        out = leaky_relu(h, slope) if slope != 0.01 else leaky_relu(h)
        back = leaky_relu_backward(grad_out, h, slope) if slope != 0.01 else leaky_relu_backward(grad_out, h)
        if blank(out, "Exercise 1") or blank(back, "Exercise 1"):
            return
        out = _expect_tensor(out, "leaky_relu", h)
        back = _expect_tensor(back, "leaky_relu_backward", h)
        if not (torch.equal(h, h_before) and torch.equal(grad_out, grad_before)):
            changed = "grad_out" if not torch.equal(grad_out, grad_before) else "h"
            raise not_yet(
                "Exercise 1",
                f"after your functions ran, the caller's {changed} holds other numbers: they changed it in place.",
                [
                    "changing a tensor you were given changes the caller's tensor too: `=` gives a second name, "
                    "not a copy.",
                    "make a copy of the tensor first and change only the copy; numpy's copy() has a torch twin.",
                    "grad_h = grad_out.clone() gives a copy that you can change safely.",
                ],
            )
        tol = 1e-6 if dtype == torch.float32 else 1e-12
        problem = _differs(f"leaky_relu(h, slope={slope})", out, leaky_relu_numpy(h.double().numpy(), slope), h, tol)
        if problem:
            raise not_yet(
                "Exercise 1",
                problem,
                [
                    "the leaky ReLU keeps h where h > 0 and scales it by slope where h < 0: which region is wrong?",
                    "choose entry by entry between two tensors of h's shape, h and slope times h; "
                    "numpy's np.where has a torch twin.",
                    "use the `slope` argument rather than a fixed number, and the condition h > 0.",
                ],
            )
        expected = leaky_relu_backward_numpy(grad_out.double().numpy(), h.numpy(), slope)
        problem = _differs(f"leaky_relu_backward(grad_out, h, slope={slope})", back, expected, h, tol)
        if problem:
            raise not_yet(
                "Exercise 1",
                problem,
                [
                    "the gradient passes unchanged where h > 0 and is multiplied by slope where h < 0 "
                    "(the slope of the leaky ReLU there).",
                    "start from a copy of grad_out and change only the entries where h < 0.",
                    "boolean indexing works on tensors as on arrays: grad_h[h < 0] selects the entries to scale.",
                ],
            )
    return passed("Exercise 1", "numpy and torch code differ in names, not in structure.")


def check_total_bytes(total_bytes: Callable[[Sequence[torch.Tensor]], int]) -> None:
    """03_tensors, exercise 2: total_bytes(tensors) is the number of bytes the tensors' numbers occupy."""
    examples = [
        torch.zeros(3, 4, dtype=torch.float64),
        torch.zeros(5, dtype=torch.float32),
        torch.zeros(2, 3, 7, dtype=torch.float16),
    ]
    answer = total_bytes(examples)
    if blank(answer, "Exercise 2"):
        return
    expected = 12 * 8 + 5 * 4 + 42 * 2
    tried = "tensors of shapes (3, 4) float64, (5,) float32 and (2, 3, 7) float16"
    if answer == 12 + 5 + 42:
        raise not_yet(
            "Exercise 2",
            f"total_bytes gave {answer} for {tried}: that is how many numbers they hold, not how many bytes.",
            [
                "each number takes several bytes, and how many depends on the tensor's dtype.",
                "a tensor can tell you how many bytes one of its numbers takes: element_size().",
                "for each tensor, multiply its count of numbers by its bytes per number, then add up.",
            ],
        )
    if answer in ((12 + 5 + 42) * 4, (12 + 5 + 42) * 8):
        raise not_yet(
            "Exercise 2",
            f"total_bytes gave {answer} for {tried}: every number counted as {answer // 59} bytes.",
            [
                "the bytes per number depend on the dtype: float64 takes 8, float32 4, float16 2.",
                "ask each tensor for its own bytes per number, element_size(), instead of assuming one size.",
            ],
        )
    if answer != expected:
        raise not_yet(
            "Exercise 2",
            f"total_bytes gave {answer} for {tried}; expected {expected}.",
            [
                "count all the numbers of each tensor, along every dimension, and the bytes per number of its dtype.",
                "nelement() counts all the numbers of a tensor; len() counts only along its first dimension.",
                "add up, over the tensors, the count of numbers times element_size().",
            ],
        )
    sizes = {dtype: total_bytes(to_torch(*make_data(0), dtype=dtype)) for dtype in (torch.float64, torch.float32)}
    return passed(
        "Exercise 2",
        f"x, y, w1 and w2 take {sizes[torch.float64]:,} bytes in float64 and {sizes[torch.float32]:,} in float32.",
    )
