"""Plumbing shared by the notebooks: data, device choice, loss logging, checks and plots.

Submodules used by one notebook each are imported from where they live:
`helpers.exercises.exNN` (self-checks of notebook NN), `helpers.reference` (the
series' programs condensed, for comparisons), `helpers.graphs` (09's autograd
graph drawing) and `helpers.figures` (the code behind img/).

Every public name below is imported here explicitly; nothing runs on import (no seeding,
no printing, no matplotlib settings) and torch/matplotlib are imported only when a
function that needs them is called.
"""

from helpers.checks import check_close, check_shape, numerical_gradient, relative_error
from helpers.data import SIZES, make_data, to_torch
from helpers.device import choose_device
from helpers.losses import DivergenceError, LossLog, explain_divergence
from helpers.plotting import plot_losses

__all__ = [
    "SIZES",
    "DivergenceError",
    "LossLog",
    "check_close",
    "check_shape",
    "choose_device",
    "explain_divergence",
    "make_data",
    "numerical_gradient",
    "plot_losses",
    "relative_error",
    "to_torch",
]
