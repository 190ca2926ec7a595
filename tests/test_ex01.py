"""Self-checks of 01_numpy reject wrong answers with a hint."""

import numpy as np
import pytest

from helpers.exercises import NotYetError
from helpers.exercises.ex01 import check_diverging_rates, check_mean_loss_gradient, diverging_rates
from tests.self_checks import solved


def test_mean_loss_gradient_rejects_the_sum_gradient():
    with pytest.raises(AssertionError, match="y.size"):
        check_mean_loss_gradient(lambda y_pred, y: 2.0 * (y_pred - y))


def test_mean_loss_gradient_rejects_wrong_shape():
    with pytest.raises(NotYetError, match=r"\(4, 3\)"):
        check_mean_loss_gradient(lambda y_pred, y: (y_pred - y).sum(axis=0))


def test_diverging_rates_knows_the_boundary():
    assert diverging_rates([1e-6, 1e-5]) == {1e-5}


def test_diverging_rates_check_rejects_wrong_sets():
    candidates = [1e-7, 1e-6, 2e-6, 5e-6, 1e-5]
    with pytest.raises(AssertionError):
        check_diverging_rates({1e-5}, candidates)
    with pytest.raises(NotYetError, match="not among"):
        check_diverging_rates({0.5}, candidates)
    assert solved(check_diverging_rates, set(np.array([5e-6, 1e-5]).tolist()), candidates)
