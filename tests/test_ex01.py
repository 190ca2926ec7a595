"""Self-checks of 01_numpy reject wrong answers with tiered hints and accept right ones."""

import numpy as np
import pytest

from helpers.exercises import NotYetError
from helpers.exercises.ex01 import check_diverging_rates, check_mean_loss_gradient, diverging_rates
from tests.self_checks import solved, unattempted

CANDIDATES = [1e-7, 1e-6, 2e-6, 5e-6, 1e-5]


def sum_gradient(y_pred, y):
    return 2.0 * (y_pred - y)


def test_mean_loss_gradient_accepts_the_right_answer_and_rejects_the_blank():
    assert solved(check_mean_loss_gradient, lambda y_pred, y: 2.0 * (y_pred - y) / y.size)
    assert unattempted(check_mean_loss_gradient, lambda y_pred, y: ...)
    with pytest.raises(NotYetError, match="forget to return"):
        check_mean_loss_gradient(lambda y_pred, y: None)


def test_mean_loss_gradient_hints_come_in_tiers_and_the_first_keeps_the_answer():
    with pytest.raises(NotYetError, match="Hint 1 of 3") as first:
        check_mean_loss_gradient(sum_gradient)
    assert "12 times the right one" in str(first.value)
    assert "y.size" not in str(first.value) and "/ " not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 3: start from the gradient of the sum"):
        check_mean_loss_gradient(sum_gradient)
    with pytest.raises(NotYetError, match=r"(?s)Hint 3 of 3: the mean runs over every entry.*Solution"):
        check_mean_loss_gradient(lambda y_pred, y: 2.0 * (y_pred - y) / len(y))


def test_mean_loss_gradient_rejects_wrong_shape():
    with pytest.raises(NotYetError, match=r"\(3,\); expected \(4, 3\)"):
        check_mean_loss_gradient(lambda y_pred, y: (y_pred - y).sum(axis=0))


def test_diverging_rates_knows_the_boundary():
    assert diverging_rates([1e-6, 1e-5]) == {1e-5}


def test_diverging_rates_check_accepts_the_right_set_and_rejects_the_blank():
    assert solved(check_diverging_rates, set(np.array([5e-6, 1e-5]).tolist()), CANDIDATES)
    assert unattempted(check_diverging_rates, ..., CANDIDATES)


def test_diverging_rates_check_says_what_is_wrong_and_hints_in_tiers():
    with pytest.raises(NotYetError, match=r"\[1e-05\]: 1 diverging rate is missing\.\nHint 1 of 3") as first:
        check_diverging_rates({1e-5}, CANDIDATES)
    assert "5e-06" not in str(first.value) and "5e-6" not in str(first.value)
    with pytest.raises(NotYetError, match="2 of them train without diverging.*\nHint 2 of 3"):
        check_diverging_rates({1e-7, 1e-6, 5e-6, 1e-5}, CANDIDATES)
    with pytest.raises(NotYetError, match="trains without diverging and 1 diverging rate is missing.*\nHint 3 of 3"):
        check_diverging_rates({1e-7, 5e-6}, CANDIDATES)


@pytest.mark.parametrize(("answer", "problem"), [({0.5}, "not among"), (1e-5, "a float; expected a set")])
def test_diverging_rates_check_rejects_what_is_not_a_set_of_candidates(answer, problem):
    with pytest.raises(NotYetError, match=problem):
        check_diverging_rates(answer, CANDIDATES)
