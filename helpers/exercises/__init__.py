"""Exercise self-checks, one module per notebook (ex01 for 01_numpy, ...).

A check prints one message and returns None, so an exercise cell shows only that message:
- the answer is still the `...` placeholder: "not attempted yet";
- the answer is right: "correct", with one sentence on what it shows;
- the answer is wrong (None included, the usual trace of a forgotten `return`): it raises
  NotYetError, which Jupyter shows as its message alone, without a traceback through this code.
Hints come in tiers: the first failure of an exercise gives the concept, each further failure a
more specific hint; the full answer is only ever in the notebook's folded Solution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.checks import _as_numpy, relative_error

#: How many times each exercise has failed in this kernel; picks the hint tier. Not touched on import.
_failures: dict[str, int] = {}


class NotYetError(AssertionError):
    """A wrong answer to an exercise; a notebook shows its message alone, without a traceback."""

    def _render_traceback_(self) -> list[str]:
        """Return the lines IPython shows instead of a traceback: the message (IPython's hook)."""
        return [str(self)]


def blank(answer: object, exercise: str) -> bool:
    """Print a reminder and return True if `answer` is the `...` placeholder; raise NotYetError if it is None."""
    if answer is Ellipsis:
        print(f"{exercise}: not attempted yet. Replace the `...` with your code and run the cell again.")
        return True
    if answer is None:
        raise NotYetError(
            f"{exercise}: your answer is None. A function without a `return` line returns None: "
            "did you compute the result but forget to return it?"
        )
    return False


def not_yet(exercise: str, problem: str, hints: str | Sequence[str]) -> NotYetError:
    """Return the error for a wrong answer: `problem`, then the next tier of `hints` for `exercise`."""
    hints = [hints] if isinstance(hints, str) else list(hints)
    tier = min(_failures.get(exercise, 0), len(hints) - 1)
    _failures[exercise] = _failures.get(exercise, 0) + 1
    if tier < len(hints) - 1:
        more = "Run the check again after your next try for a more specific hint."
    else:
        more = "The full answer is in the folded Solution above the cell."
    label = f"Hint {tier + 1} of {len(hints)}" if len(hints) > 1 else "Hint"
    return NotYetError(f"{exercise}: not yet. {problem}\n{label}: {hints[tier]}\n{more}")


def diagnosis(problem: str, recognised: Sequence[tuple[bool, str]]) -> str:
    """Return `problem` ended by ": " and the first recognised mistake's explanation, or by a full stop."""
    return problem + next((": " + why for seen, why in recognised if seen), ".")


def require_shape(
    exercise: str, what: str, answer: object, expected: tuple[int, ...], hint: str | Sequence[str]
) -> None:
    """Raise NotYetError with `hint` (one string or tiers) unless `answer` is an array or tensor of shape `expected`."""
    actual = getattr(answer, "shape", None)
    actual = None if actual is None else tuple(actual)
    if actual != tuple(expected):
        raise not_yet(exercise, f"{what} has shape {actual}; expected {tuple(expected)}.", hint)


def constant_factor(answer: object, expected: object, tol: float) -> float | None:
    """Return c if `answer` is c times `expected` in every entry (relative error below `tol`), else None."""
    a, e = _as_numpy(answer), _as_numpy(expected)
    c = float(np.sum(a * e) / np.sum(e * e))
    return c if relative_error(a, c * e) < tol else None


def passed(exercise: str, what: str) -> None:
    """Print that `exercise` is solved, with one sentence on what it shows."""
    print(f"{exercise}: correct. {what}")


def reset_hints() -> None:
    """Start every exercise's hints again from the first tier (tests; a fresh kernel does the same)."""
    _failures.clear()
