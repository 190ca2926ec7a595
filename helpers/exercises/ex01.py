"""Self-checks for the exercises of 01_numpy."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from helpers.checks import numerical_gradient, relative_error
from helpers.exercises import NotYetError, blank, passed, require_shape
from helpers.reference import train_numpy


def check_mean_loss_gradient(grad_fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """01_numpy, exercise 1: grad_fn(y_pred, y) is the gradient of np.mean((y_pred - y) ** 2)."""
    rng = np.random.default_rng(1)
    y_pred, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    answer = grad_fn(y_pred.copy(), y.copy())
    if blank(answer, "Exercise 1"):
        return
    require_shape("Exercise 1", "your gradient", answer, y_pred.shape, "a gradient has the shape of y_pred.")
    expected = numerical_gradient(lambda: np.mean((y_pred - y) ** 2), y_pred)
    err = relative_error(answer, expected)
    if not err < 1e-6:
        raise NotYetError(
            f"Exercise 1: not yet; relative error {err:.1e} against finite differences. "
            "Hint: the mean divides the sum by the number of entries, y.size."
        )
    return passed("Exercise 1", "The mean only rescales the gradient by 1 / y.size.")


def diverging_rates(rates: Iterable[float], steps: int = 500, seed: int = 0) -> set[float]:
    """Return the learning rates for which the numpy loop of 01_numpy diverges within `steps` steps."""
    return {lr for lr in rates if len(train_numpy(seed, steps, lr)) < steps}


def check_diverging_rates(answer: set[float] | None, candidates: Iterable[float]) -> None:
    """01_numpy, exercise 2: `answer` is the set of `candidates` whose training diverges."""
    if blank(answer, "Exercise 2"):
        return
    candidates = list(candidates)
    answer = set(answer)
    if not answer <= set(candidates):
        raise NotYetError(f"Exercise 2: {sorted(answer - set(candidates))} are not among the candidates {candidates}")
    truth = diverging_rates(candidates)
    if answer != truth:
        raise NotYetError(
            f"Exercise 2: not yet; you named {sorted(answer)}. Run the loop for each rate inside "
            "`with explain_divergence():` and collect the ones that stop early."
        )
    return passed("Exercise 2", f"{sorted(truth)} overshoot: each step makes the loss larger, not smaller.")
