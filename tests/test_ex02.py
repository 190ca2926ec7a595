"""Self-checks of 02_matrix_derivatives reject realistic wrong answers with tiered hints and accept right ones."""

import numpy as np
import pytest

from helpers.exercises import NotYetError
from helpers.exercises.ex02 import check_bias_gradient, check_input_gradient, check_leaky_relu_backward
from tests.self_checks import solved, unattempted


def _grad_h(x, y, w1, w2, b1=0.0):
    h = x.dot(w1) + b1
    grad_h = (2.0 * (np.maximum(h, 0).dot(w2) - y)).dot(w2.T)
    grad_h[h < 0] = 0
    return h, grad_h


def test_input_gradient_accepts_the_right_answer_and_rejects_the_blank(capsys):
    assert solved(check_input_gradient, lambda x, y, w1, w2: _grad_h(x, y, w1, w2)[1].dot(w1.T))
    with pytest.raises(NotYetError, match="forget to return"):
        check_input_gradient(lambda x, y, w1, w2: None)
    assert unattempted(check_input_gradient, lambda x, y, w1, w2: ...)


def test_input_gradient_rejects_a_forgotten_mask_with_tiered_hints():
    def no_mask(x, y, w1, w2):
        return (2.0 * (np.maximum(x.dot(w1), 0).dot(w2) - y)).dot(w2.T).dot(w1.T)

    with pytest.raises(NotYetError, match=r"25 of 30 entries differ\.\nHint 1 of 3: x enters the loss only"):
        check_input_gradient(no_mask)
    with pytest.raises(NotYetError, match="Hint 2 of 3: compute grad_h as 01's backward pass"):
        check_input_gradient(no_mask)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: .*zero where h < 0"):
        check_input_gradient(no_mask)


def test_input_gradient_rejects_a_misplaced_transpose():
    with pytest.raises(NotYetError, match=r"shape \(5, 6\); expected \(6, 5\)\.\nHint 1 of 2"):
        check_input_gradient(lambda x, y, w1, w2: w1.dot(_grad_h(x, y, w1, w2)[1].T))


def test_bias_gradient_accepts_the_sum_over_samples():
    assert solved(check_bias_gradient, lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2, b1)[1].sum(axis=0))
    assert unattempted(check_bias_gradient, lambda x, y, w1, b1, w2: ...)


@pytest.mark.parametrize(
    ("wrong", "problem"),
    [
        (lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2, b1)[1].mean(axis=0), "every entry is 0.167 times"),
        (lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2)[1].sum(axis=0), "4 of 4 entries differ"),
        (lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2, b1)[1], r"shape \(6, 4\); expected \(4,\)"),
        (lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2, b1)[1].sum(axis=1), r"shape \(6,\); expected \(4,\)"),
    ],
    ids=["mean", "mask-without-bias", "no-sum", "wrong-axis"],
)
def test_bias_gradient_rejects_wrong_answers(wrong, problem):
    with pytest.raises(NotYetError, match=problem + r".*\nHint 1 of"):
        check_bias_gradient(wrong)


def test_bias_gradient_later_hints_name_the_sum_and_the_biased_mask():
    mean = lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2, b1)[1].mean(axis=0)  # noqa: E731
    with pytest.raises(NotYetError):
        check_bias_gradient(mean)
    with pytest.raises(NotYetError, match="Hint 2 of 3: .*not a mean"):
        check_bias_gradient(mean)
    with pytest.raises(NotYetError, match="Hint 3 of 3: .*bias included"):
        check_bias_gradient(lambda x, y, w1, b1, w2: _grad_h(x, y, w1, w2)[1].sum(axis=0))


def leaky_right(grad_h_relu, h, slope):
    return np.where(h < 0, slope * grad_h_relu, grad_h_relu)


def leaky_zeroed(grad_h_relu, h, slope):
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    return grad_h


def test_leaky_relu_backward_accepts_right_and_says_which_entries_are_wrong():
    assert solved(check_leaky_relu_backward, leaky_right)
    assert unattempted(check_leaky_relu_backward, lambda grad_h_relu, h, slope: ...)
    with pytest.raises(NotYetError, match=r"\(0 of 13 where h > 0, 11 of 11 where h < 0\)"):
        check_leaky_relu_backward(leaky_zeroed)
    with pytest.raises(NotYetError, match=r"\(13 of 13 where h > 0, 0 of 11 where h < 0\).*\nHint 2 of 3: .*`slope`"):
        check_leaky_relu_backward(lambda grad_h_relu, h, slope: slope * grad_h_relu)


@pytest.mark.parametrize(
    ("check", "wrong", "solution"),
    [
        (check_input_gradient, lambda x, y, w1, w2: x, ["w1.T", "grad_h.dot"]),
        (check_bias_gradient, lambda x, y, w1, b1, w2: b1, ["sum(axis=0)", "axis=0", "sum of"]),
        (check_leaky_relu_backward, lambda grad_h_relu, h, slope: grad_h_relu, ["*= slope", "slope *", "* slope"]),
    ],
    ids=["input", "bias", "leaky"],
)
def test_the_first_hint_does_not_give_the_solution(check, wrong, solution):
    with pytest.raises(NotYetError, match="Hint 1 of 3") as first:
        check(wrong)
    for key in solution:
        assert key not in str(first.value)


def test_torch_relu_stops_the_gradient_at_zero_unlike_01():
    """Backs the notebook's claim: torch.relu has slope 0 at h == 0 (01's rule and clamp(min=0) have 1)."""
    import torch

    h = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.relu(h).sum().backward()
    assert h.grad.tolist() == [0.0, 0.0, 1.0]
    h.grad = None
    h.clamp(min=0).sum().backward()
    assert h.grad.tolist() == [0.0, 1.0, 1.0]
