"""Self-checks for the exercises of 01_numpy."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import numpy as np

from helpers.checks import numerical_gradient, relative_error
from helpers.exercises import blank, constant_factor, not_yet, passed, require_shape
from helpers.reference import train_numpy


def check_mean_loss_gradient(grad_fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """01_numpy, exercise 1: grad_fn(y_pred, y) is the gradient of np.mean((y_pred - y) ** 2)."""
    rng = np.random.default_rng(1)
    y_pred, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    answer = grad_fn(y_pred.copy(), y.copy())
    if blank(answer, "Exercise 1"):
        return
    require_shape("Exercise 1", "Your gradient", answer, y_pred.shape, "a gradient has the shape of y_pred.")
    answer = np.asarray(answer, dtype=np.float64)
    expected = numerical_gradient(lambda: np.mean((y_pred - y) ** 2), y_pred)
    err = relative_error(answer, expected)
    if not err < 1e-6:
        c = constant_factor(answer, expected, tol=1e-6)
        problem = f"Your gradient differs from finite differences by a relative error of {err:.1e}"
        problem += f": it is {c:.3g} times the right one in every entry." if c else "."
        raise not_yet(
            "Exercise 1",
            problem,
            [
                "the mean is the sum divided by a constant, the number of entries it averages. "
                "What does dividing a function by a constant do to its derivative?",
                "start from the gradient of the sum, 2 * (y_pred - y), and divide it by the number of "
                "entries the mean runs over.",
                "the mean runs over every entry of y, not over its rows: count them all (y is (4, 3) here).",
            ],
        )
    return passed("Exercise 1", "The mean only rescales the gradient by 1 / y.size.")


@functools.cache
def _diverges(lr: float, steps: int, seed: int) -> bool:
    """True if the numpy loop of 01_numpy diverges within `steps` steps; cached, as a learner re-runs the check."""
    return len(train_numpy(seed, steps, lr)) < steps


def diverging_rates(rates: Iterable[float], steps: int = 500, seed: int = 0) -> set[float]:
    """Return the learning rates for which the numpy loop of 01_numpy diverges within `steps` steps."""
    return {lr for lr in rates if _diverges(float(lr), steps, seed)}


def check_diverging_rates(answer: set[float] | None, candidates: Iterable[float]) -> None:
    """01_numpy, exercise 2: `answer` is the set of `candidates` whose training diverges."""
    if blank(answer, "Exercise 2"):
        return
    candidates = list(candidates)
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise not_yet(
            "Exercise 2",
            f"`diverging` is a {type(answer).__name__}; expected a set of learning rates.",
            "write the rates in braces, for example {1e-7}, or start from set() and .add(lr) in the loop.",
        )
    answer = set(answer)
    if not answer <= set(candidates):
        raise not_yet(
            "Exercise 2",
            f"{sorted(answer - set(candidates))} are not among the candidates {candidates}.",
            "name only learning rates from `candidates`: the ones whose run stops early.",
        )
    truth = diverging_rates(candidates)
    if answer != truth:
        wrong, missing = len(answer - truth), len(truth - answer)
        found = [f"{wrong} of them {'trains' if wrong == 1 else 'train'} without diverging"] if wrong else []
        found += [f"{missing} diverging {'rate is' if missing == 1 else 'rates are'} missing"] if missing else []
        raise not_yet(
            "Exercise 2",
            f"You named {sorted(answer)}: {' and '.join(found)}.",
            [
                "a rate diverges when each step overshoots, so the loss grows until it is inf or nan "
                "before step 500. Predict first: how does a rate compare with 1e-6, which trains well?",
                "run the training loop once per rate inside `with explain_divergence():` and keep the rates "
                "whose LossLog holds fewer than 500 losses.",
                "draw fresh arrays with make_data(seed) for every rate: the loop changes w1 and w2 in place, "
                "so otherwise each run starts where the previous one ended.",
            ],
        )
    return passed("Exercise 2", f"{sorted(truth)} overshoot: each step makes the loss larger, not smaller.")
