import matplotlib
import numpy as np
import pytest

from helpers import plot_losses

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def test_returns_log_axes_with_one_line_per_curve():
    ax = plot_losses({"a": [10.0, 1.0, 0.1], "b": [5.0, 0.5, 0.05]}, title="t")
    assert ax.get_yscale() == "log" and len(ax.lines) == 2 and ax.get_title() == "t"
    assert ax.get_legend() is not None
    plt.close(ax.figure)


def test_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert plot_losses(np.array([3.0, 2.0]), ax=ax) is ax
    assert list(ax.lines[0].get_ydata()) == [3.0, 2.0]
    plt.close(fig)


@pytest.mark.parametrize("bad", [[1.0, np.nan], [1.0, 0.0], [], [[1.0, 2.0]]])
def test_rejects_values_a_log_axis_cannot_show(bad):
    with pytest.raises(ValueError, match="losses for 'loss'"):
        plot_losses(bad)
    plt.close("all")


def test_rejects_empty_mapping():
    with pytest.raises(ValueError, match="no loss curves"):
        plot_losses({})


def test_plotting_leaves_global_settings_alone():
    before = dict.copy(matplotlib.rcParams)
    plt.close(plot_losses([2.0, 1.0]).figure)
    assert dict.copy(matplotlib.rcParams) == before
