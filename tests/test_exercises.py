"""Every exercise: the blank fails its self-check, the folded solution passes it, a wrong answer is rejected."""

import matplotlib
import numpy as np
import pytest

from helpers.exercises import check_diverging_rates, check_mean_loss_gradient, diverging_rates
from tests.notebook_tools import NOTEBOOKS, exercises, read, run, split_check

matplotlib.use("Agg")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_blank_fails_and_folded_solution_passes(path):
    nb = read(path)
    pairs = exercises(nb)
    assert len(pairs) >= 2, f"{path.name} has {len(pairs)} exercises; expected at least 2"
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "exercise" not in cell.metadata.get("tags", []):
            run(cell.source, namespace)
            continue
        solution = next(sol for src, sol in pairs if src == cell.source)
        blank, out = run(cell.source, namespace)
        assert blank is False and "not attempted" in out, (cell.source, out)
        _, check = split_check(cell.source)
        solved, out = run(solution + "\n" + check, namespace)
        assert solved is True and "correct" in out, (solution, out)


def test_mean_loss_gradient_rejects_the_sum_gradient():
    with pytest.raises(AssertionError, match="y.size"):
        check_mean_loss_gradient(lambda y_pred, y: 2.0 * (y_pred - y))


def test_mean_loss_gradient_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        check_mean_loss_gradient(lambda y_pred, y: (y_pred - y).sum(axis=0))


def test_diverging_rates_knows_the_boundary():
    assert diverging_rates([1e-6, 1e-5]) == {1e-5}


def test_diverging_rates_check_rejects_wrong_sets():
    candidates = [1e-7, 1e-6, 2e-6, 5e-6, 1e-5]
    with pytest.raises(AssertionError):
        check_diverging_rates({1e-5}, candidates)
    with pytest.raises(ValueError, match="not among"):
        check_diverging_rates({0.5}, candidates)
    assert check_diverging_rates(set(np.array([5e-6, 1e-5]).tolist()), candidates) is True
