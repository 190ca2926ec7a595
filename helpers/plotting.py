"""Plots: loss curves on a log axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_losses(
    curves: Sequence[float] | Mapping[str, Sequence[float]],
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Plot one loss curve, or several as {label: losses}, against the step on a log y axis (01_numpy)."""
    import matplotlib.pyplot as plt

    if not isinstance(curves, Mapping):
        curves = {"loss": curves}
    if not curves:
        raise ValueError("no loss curves to plot; expected at least one")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, losses in curves.items():
        values = np.asarray(losses, dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"losses for {label!r} have shape {values.shape}; expected a non-empty 1-d sequence")
        bad = np.flatnonzero(~np.isfinite(values) | (values <= 0))
        if bad.size:
            raise ValueError(
                f"losses for {label!r} contain {values[bad[0]]} at step {bad[0]}; a log axis needs "
                "finite positive values (did the run diverge? plot only the finite part)"
            )
        ax.plot(np.arange(values.size), values, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax
