"""Self-checks for the exercises of 02_matrix_derivatives."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.checks import numerical_gradient, relative_error
from helpers.data import make_data
from helpers.exercises import blank, constant_factor, not_yet, passed, require_shape

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


def _compare(
    exercise: str,
    answer: object,
    expected: np.ndarray,
    hints: Sequence[str],
    where: dict[str, np.ndarray] | None = None,
) -> None:
    """Raise not_yet with `hints` unless `answer` matches the finite-difference gradient `expected`.

    The problem names the relative error, how many entries differ (in each region of `where`, if
    given, e.g. {"h < 0": h < 0}) and the constant factor if the answer is a multiple of `expected`.
    """
    answer = np.asarray(answer, dtype=np.float64)
    err = relative_error(answer, expected)
    if err < TOL:
        return
    scale = max(np.abs(answer).max(), np.abs(expected).max())
    wrong = np.abs(answer - expected) > TOL * scale
    problem = f"Relative error {err:.1e} against finite differences; {wrong.sum()} of {answer.size} entries differ"
    if where:
        problem += " (" + ", ".join(f"{wrong[m].sum()} of {m.sum()} where {k}" for k, m in where.items()) + ")"
    c = constant_factor(answer, expected, TOL)
    if c is not None:
        problem += f": every entry is {c:.3g} times the right one"
    raise not_yet(exercise, problem + ".", hints)


def check_input_gradient(grad_x: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 1: grad_x(x, y, w1, w2) is dL/dx of the notebook's network."""
    x, y, w1, _, w2 = _problem()
    answer = grad_x(x.copy(), y.copy(), w1.copy(), w2.copy())
    if blank(answer, "Exercise 1"):
        return
    require_shape(
        "Exercise 1",
        "Your gradient",
        answer,
        x.shape,
        [
            "a gradient has the shape of what it differentiates: x is (N, D_in).",
            "grad_h is (N, H) and w1 is (D_in, H): which product of the two, and which transpose, gives (N, D_in)?",
        ],
    )
    zero = np.zeros_like(w1[0])
    expected = numerical_gradient(lambda: _loss(x, y, w1, zero, w2), x)
    _compare(
        "Exercise 1",
        answer,
        expected,
        [
            "x enters the loss only through h = x.dot(w1), just as h_relu enters through "
            "y_pred = h_relu.dot(w2). Follow the notebook's derivation of dL/dh_relu one layer further down.",
            "compute grad_h as 01's backward pass does, then take the product of grad_h with w1 that the "
            "shape rule allows, the way grad_h_relu comes from grad_y_pred and w2.",
            "check grad_h before the product: the factor 2 of the loss, and the ReLU mask, zero where h < 0.",
        ],
    )
    return passed("Exercise 1", "dL/dx = dL/dh · w1ᵀ: the same rule as for h_relu, one layer further back.")


def check_bias_gradient(grad_b1: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 2: grad_b1(x, y, w1, b1, w2) is dL/db1 for h = x.dot(w1) + b1."""
    x, y, w1, b1, w2 = _problem()
    answer = grad_b1(x.copy(), y.copy(), w1.copy(), b1.copy(), w2.copy())
    if blank(answer, "Exercise 2"):
        return
    require_shape(
        "Exercise 2",
        "Your gradient",
        answer,
        b1.shape,
        [
            "b1 has shape (H,): one number per hidden unit, added to every sample's row of h. "
            "What does a parameter that every sample uses receive from the samples?",
            "turn grad_h, (N, H), into (H,) by combining the samples: along which axis do they lie?",
        ],
    )
    expected = numerical_gradient(lambda: _loss(x, y, w1, b1, w2), b1)
    _compare(
        "Exercise 2",
        answer,
        expected,
        [
            "every sample uses the same b1, as every sample uses the same w2: how did the samples' "
            "gradients combine for w2?",
            "the loss is a sum over the samples, so their gradients add: a sum over the samples' axis, not a mean.",
            "the ReLU mask must come from h = x.dot(w1) + b1, bias included.",
        ],
    )
    return passed("Exercise 2", "A parameter shared by all samples gets the sum of their gradients.")


def check_leaky_relu_backward(backward: Callable[..., np.ndarray]) -> None:
    """02_matrix_derivatives, exercise 3: backward(grad_h_relu, h, slope) is dL/dh for h_relu = leaky_relu(h)."""
    rng = np.random.default_rng(2)
    h, upstream, slope = rng.standard_normal((6, 4)), rng.standard_normal((6, 4)), 0.1
    answer = backward(upstream.copy(), h.copy(), slope)
    if blank(answer, "Exercise 3"):
        return
    require_shape(
        "Exercise 3",
        "Your grad_h",
        answer,
        h.shape,
        ["grad_h has the shape of h: the leaky ReLU acts entry by entry."],
    )
    expected = numerical_gradient(lambda: float((upstream * np.where(h > 0, h, slope * h)).sum()), h)
    _compare(
        "Exercise 3",
        answer,
        expected,
        [
            "an entry-by-entry function multiplies each entry's gradient by its slope at that entry. "
            "What is the leaky ReLU's slope where h > 0, and where h < 0?",
            "where h > 0 the gradient passes unchanged; where h < 0 it is multiplied by `slope`, not set to 0.",
            "start from a copy of grad_h_relu (leave the input unchanged) and rescale only the entries where h < 0.",
        ],
        where={"h > 0": h > 0, "h < 0": h < 0},
    )
    return passed("Exercise 3", "Leaky ReLU scales the gradient by `slope` where h < 0 instead of stopping it.")
