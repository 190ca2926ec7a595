"""Self-checks for the exercises of 02_matrix_derivatives."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks import numerical_gradient, relative_error
from helpers.data import make_data
from helpers.exercises import NotYetError, blank, passed

#: A correct gradient agrees with centred differences to ~1e-9 in float64; a wrong one is off by ~1e-1 or more.
TOL = 1e-6


def _problem(seed: int = 1) -> tuple[np.ndarray, ...]:
    """Return x (6, 5), y (6, 3), w1 (5, 4), b1 (4,), w2 (4, 3): distinct sizes, so a misplaced transpose shows."""
    x, y, w1, w2 = make_data(seed, N=6, D_in=5, H=4, D_out=3)
    b1 = np.random.default_rng(seed).standard_normal(4)
    return x, y, w1, b1, w2


def _loss(x: np.ndarray, y: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray) -> float:
    """Sum-of-squares loss of the two-layer ReLU network with a hidden bias b1."""
    return float(np.square(np.maximum(x.dot(w1) + b1, 0).dot(w2) - y).sum())


def _shape(exercise: str, what: str, answer: object, expected: tuple[int, ...], hint: str) -> None:
    """Raise NotYetError with `hint` unless `answer` is an array of shape `expected`."""
    actual = getattr(answer, "shape", None)
    if actual != expected:
        raise NotYetError(f"{exercise}: {what} has shape {actual}; expected {expected}. Hint: {hint}")


def _compare(exercise: str, answer: np.ndarray, expected: np.ndarray, hint: str) -> None:
    """Raise NotYetError with `hint` unless `answer` matches the finite-difference gradient `expected`."""
    err = relative_error(np.asarray(answer, dtype=np.float64), expected)
    if not err < TOL:
        raise NotYetError(f"{exercise}: not yet; relative error {err:.1e} against finite differences. Hint: {hint}")


def check_input_gradient(grad_x: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 1: grad_x(x, y, w1, w2) is dL/dx of the notebook's network."""
    x, y, w1, _, w2 = _problem()
    answer = grad_x(x.copy(), y.copy(), w1.copy(), w2.copy())
    if blank(answer, "Exercise 1"):
        return
    _shape(
        "Exercise 1",
        "your gradient",
        answer,
        x.shape,
        "a gradient has the shape of what it differentiates: x is (N, D_in). Which product of "
        "grad_h (N, H) and w1 (D_in, H) gives (N, D_in)?",
    )
    zero = np.zeros_like(w1[0])
    expected = numerical_gradient(lambda: _loss(x, y, w1, zero, w2), x)
    _compare(
        "Exercise 1",
        answer,
        expected,
        "x enters only through h = x.dot(w1), just as h_relu enters through y_pred = h_relu.dot(w2): "
        "grad_x = grad_h.dot(w1.T), with grad_h masked where h < 0.",
    )
    return passed("Exercise 1", "dL/dx = dL/dh · w1ᵀ: the same rule as for h_relu, one layer further back.")


def check_bias_gradient(grad_b1: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 2: grad_b1(x, y, w1, b1, w2) is dL/db1 for h = x.dot(w1) + b1."""
    x, y, w1, b1, w2 = _problem()
    answer = grad_b1(x.copy(), y.copy(), w1.copy(), b1.copy(), w2.copy())
    if blank(answer, "Exercise 2"):
        return
    _shape(
        "Exercise 2",
        "your gradient",
        answer,
        b1.shape,
        "b1 has shape (H,); it is added to every sample's row of h, so add up grad_h over the "
        "samples: grad_h.sum(axis=0).",
    )
    expected = numerical_gradient(lambda: _loss(x, y, w1, b1, w2), b1)
    _compare(
        "Exercise 2",
        answer,
        expected,
        "every sample uses the same b1, so the gradients of the samples add up (a sum, not a mean); "
        "and the ReLU mask must use h = x.dot(w1) + b1, bias included.",
    )
    return passed("Exercise 2", "A parameter shared by all samples gets the sum of their gradients.")


def check_leaky_relu_backward(backward: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 3: backward(grad_h_relu, h, slope) is dL/dh for h_relu = leaky_relu(h)."""
    rng = np.random.default_rng(2)
    h, upstream, slope = rng.standard_normal((6, 4)), rng.standard_normal((6, 4)), 0.1
    answer = backward(upstream.copy(), h.copy(), slope)
    if blank(answer, "Exercise 3"):
        return
    _shape("Exercise 3", "your grad_h", answer, h.shape, "grad_h has the shape of h; the ReLU acts entry by entry.")
    expected = numerical_gradient(lambda: float((upstream * np.where(h > 0, h, slope * h)).sum()), h)
    _compare(
        "Exercise 3",
        answer,
        expected,
        "where h > 0 the gradient passes unchanged; where h < 0 it is multiplied by `slope`, not set to 0.",
    )
    return passed("Exercise 3", "Leaky ReLU scales the gradient by `slope` where h < 0 instead of stopping it.")
