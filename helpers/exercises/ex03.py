"""Self-checks for the exercises of 03_tensors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from helpers.checks import relative_error
from helpers.data import make_data, to_torch
from helpers.exercises import NotYetError, blank, passed, require_shape


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
        raise NotYetError(
            f"Exercise 1: {what} returned {type(answer).__name__}; expected a torch tensor. "
            "Hint: use torch operations (torch.where, clamp, clone), not numpy ones."
        )
    require_shape("Exercise 1", what, answer, tuple(like.shape), "an entry-by-entry function keeps the shape.")
    if answer.dtype != like.dtype:
        raise NotYetError(
            f"Exercise 1: {what} returned {answer.dtype} for a {like.dtype} input; keep the input's dtype."
        )
    return answer


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
            raise NotYetError(
                "Exercise 1: your functions changed their inputs in place. Hint: like numpy's copy(), "
                "torch's clone() makes a copy to modify: grad_h = grad_out.clone()."
            )
        tol = 1e-6 if dtype == torch.float32 else 1e-12
        forward_err = relative_error(out, leaky_relu_numpy(h.double().numpy(), slope))
        if not forward_err < tol:
            raise NotYetError(
                f"Exercise 1: leaky_relu(h, slope={slope}) differs from the numpy version (relative error "
                f"{forward_err:.1e}). Hint: h where h > 0, slope * h elsewhere: torch.where(h > 0, h, slope * h)."
            )
        backward_err = relative_error(back, leaky_relu_backward_numpy(grad_out.double().numpy(), h.numpy(), slope))
        if not backward_err < tol:
            raise NotYetError(
                f"Exercise 1: leaky_relu_backward(grad_out, h, slope={slope}) differs from the numpy version "
                f"(relative error {backward_err:.1e}). Hint: the gradient passes unchanged where h > 0 and "
                "is multiplied by slope where h < 0."
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
    if answer == 12 + 5 + 42:
        raise NotYetError(
            f"Exercise 2: {answer} is how many numbers the tensors hold, not how many bytes. "
            "Hint: multiply each tensor's nelement() by its element_size() (bytes per number)."
        )
    if answer == (12 + 5 + 42) * 4 or answer == (12 + 5 + 42) * 8:
        raise NotYetError(
            f"Exercise 2: {answer} assumes every number takes the same size; float64 takes 8 bytes, "
            "float32 4, float16 2. Hint: ask each tensor with element_size()."
        )
    if answer != expected:
        raise NotYetError(
            f"Exercise 2: total_bytes gave {answer} for tensors of shapes (3, 4) float64, (5,) float32 and "
            f"(2, 3, 7) float16; expected {expected}. Hint: sum t.nelement() * t.element_size() over all tensors."
        )
    sizes = {dtype: total_bytes(to_torch(*make_data(0), dtype=dtype)) for dtype in (torch.float64, torch.float32)}
    return passed(
        "Exercise 2",
        f"x, y, w1 and w2 take {sizes[torch.float64]:,} bytes in float64 and {sizes[torch.float32]:,} in float32.",
    )
