"""Numerical checks: shapes, relative errors and centred finite differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def check_shape(name: str, array: object, expected: tuple[int, ...]) -> None:
    """Raise ValueError naming both shapes unless `array` has shape `expected` (01_numpy)."""
    actual = tuple(getattr(array, "shape", ()))
    if actual != tuple(expected):
        raise ValueError(f"{name} has shape {actual}; expected {tuple(expected)}")


def _as_numpy(a: object) -> np.ndarray:
    """Return a numpy float64 copy of a numpy array, a number or a torch tensor on any device."""
    if hasattr(a, "detach"):
        a = a.detach().cpu().double().numpy()
    return np.asarray(a, dtype=np.float64)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Return max|a - b| / max(max|a|, max|b|): 0 for equal arrays, ~1e-16 at float64 rounding (01_numpy).

    Accepts numpy arrays and torch tensors (on any device, with or without requires_grad).
    """
    a, b = _as_numpy(a), _as_numpy(b)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}; expected equal shapes")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError(f"arrays of shape {a.shape} contain NaN or infinite values")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def check_close(name: str, actual: np.ndarray, expected: np.ndarray, tol: float) -> None:
    """Print that `actual` matches `expected` to relative error below `tol`, or raise AssertionError (01_numpy).

    The exact error depends on the CPU's rounding, so only the bound is printed.
    """
    err = relative_error(actual, expected)
    if not err < tol:
        raise AssertionError(f"{name}: relative error {err:.1e} is above the tolerance {tol:.0e}")
    print(f"{name}: relative error below {tol:.0e}")


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Return dF/dx by centred differences (f(x+eps) - f(x-eps)) / 2eps, one entry at a time (01_numpy).

    `f` takes no arguments and reads `x`, which is changed in place and restored.
    In float64 with eps=1e-6 the result typically agrees with the exact gradient
    to a relative error of 1e-8 or better; around 1e-2 or more means a bug.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(f"x must be a float64 numpy array; got {type(x).__name__} {getattr(x, 'dtype', '')}")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
