"""Self-checks of 03_tensors reject wrong answers with tiered hints; the notebook prints the reference losses."""

import numpy as np
import pytest
import torch

from helpers.exercises import NotYetError
from helpers.exercises.ex03 import (
    check_leaky_relu,
    check_total_bytes,
    leaky_relu_backward_numpy,
    leaky_relu_numpy,
)
from helpers.reference import train_tensors
from tests.notebook_tools import formatted, loss_logs
from tests.self_checks import solved, unattempted


def leaky_relu(h, slope=0.01):
    return torch.where(h > 0, h, slope * h)


def leaky_relu_backward(grad_out, h, slope=0.01):
    grad_h = grad_out.clone()
    grad_h[h < 0] *= slope
    return grad_h


def leaky_relu_backward_in_place(grad_out, h, slope=0.01):
    grad_out[h < 0] *= slope
    return grad_out


def test_leaky_relu_accepts_the_translation_and_reports_the_blank(capsys):
    assert solved(check_leaky_relu, leaky_relu, leaky_relu_backward)
    assert unattempted(check_leaky_relu, lambda h, slope=0.01: ..., lambda g, h, slope=0.01: ...)
    with pytest.raises(NotYetError, match="forget to return"):
        check_leaky_relu(lambda h, slope=0.01: None, lambda g, h, slope=0.01: None)
    assert "not attempted" in capsys.readouterr().out


def test_leaky_relu_numpy_reference_is_what_the_notebook_shows():
    h = np.array([-2.0, 0.5])
    assert np.array_equal(leaky_relu_numpy(h, 0.1), [-0.2, 0.5])
    assert np.array_equal(leaky_relu_backward_numpy(np.ones(2), h, 0.1), [0.1, 1.0])


def test_leaky_relu_rejects_a_plain_relu_and_says_where():
    with pytest.raises(NotYetError, match=r"slope=0.01\).*\(0 of \d+ where h > 0, \d+ of \d+ where h < 0\)"):
        check_leaky_relu(lambda h, slope=0.01: h.clamp(min=0), leaky_relu_backward)


def test_leaky_relu_rejects_a_hard_coded_slope_with_tiered_hints():
    hard_coded = lambda h, slope=0.01: torch.where(h > 0, h, 0.01 * h)  # noqa: E731
    with pytest.raises(NotYetError, match=r"slope=0.2\).*\nHint 1 of 3: .*which region"):
        check_leaky_relu(hard_coded, leaky_relu_backward)
    with pytest.raises(NotYetError, match="Hint 2 of 3: choose entry by entry"):
        check_leaky_relu(hard_coded, leaky_relu_backward)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: use the `slope` argument.*\nThe full answer is in the folded"):
        check_leaky_relu(hard_coded, leaky_relu_backward)


def test_leaky_relu_rejects_a_relu_backward():
    def relu_backward(grad_out, h, slope=0.01):
        grad_h = grad_out.clone()
        grad_h[h < 0] = 0
        return grad_h

    with pytest.raises(NotYetError, match=r"(?s)leaky_relu_backward.*\(0 of \d+ where h > 0.*multiplied by slope"):
        check_leaky_relu(leaky_relu, relu_backward)


def test_leaky_relu_rejects_changing_the_input_in_place():
    with pytest.raises(NotYetError, match="caller's grad_out holds other numbers.*\nHint 1 of 3: .*second name"):
        check_leaky_relu(leaky_relu, leaky_relu_backward_in_place)
    with pytest.raises(NotYetError, match="Hint 2 of 3: make a copy"):
        check_leaky_relu(leaky_relu, leaky_relu_backward_in_place)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: .*clone\(\)"):
        check_leaky_relu(leaky_relu, leaky_relu_backward_in_place)


def test_leaky_relu_rejects_numpy_results():
    with pytest.raises(NotYetError, match="returned ndarray; expected a torch tensor"):
        check_leaky_relu(lambda h, slope=0.01: leaky_relu_numpy(h.numpy(), slope), leaky_relu_backward)


def test_leaky_relu_rejects_a_changed_dtype():
    with pytest.raises(NotYetError, match="returned torch.float64 for a torch.float32 input"):
        check_leaky_relu(lambda h, slope=0.01: leaky_relu(h, slope).double(), leaky_relu_backward)


def test_total_bytes_accepts_element_size_times_nelement(capsys):
    assert solved(check_total_bytes, lambda ts: sum(t.nelement() * t.element_size() for t in ts))
    assert "1,325,120 bytes in float64 and 662,560 in float32" in capsys.readouterr().out
    assert solved(check_total_bytes, lambda ts: sum(t.nbytes for t in ts))
    assert unattempted(check_total_bytes, lambda ts: ...)


@pytest.mark.parametrize(
    ("wrong", "problem"),
    [
        (lambda ts: sum(t.nelement() for t in ts), "gave 59 .*how many numbers they hold"),
        (lambda ts: sum(4 * t.nelement() for t in ts), "gave 236 .*every number counted as 4 bytes"),
        (lambda ts: sum(len(t) * t.element_size() for t in ts), "gave 48 .*expected 200"),
    ],
    ids=["numbers", "same-size", "len"],
)
def test_total_bytes_rejects_wrong_counts(wrong, problem):
    with pytest.raises(NotYetError, match=problem + r".*\nHint 1 of"):
        check_total_bytes(wrong)


def test_total_bytes_later_hints_name_element_size():
    count_numbers = lambda ts: sum(t.nelement() for t in ts)  # noqa: E731
    with pytest.raises(NotYetError, match="Hint 1 of 3: each number takes several bytes"):
        check_total_bytes(count_numbers)
    with pytest.raises(NotYetError, match=r"Hint 2 of 3: .*element_size\(\)"):
        check_total_bytes(count_numbers)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: add up, over the tensors, .* times element_size"):
        check_total_bytes(lambda ts: sum(len(t) * t.element_size() for t in ts))


@pytest.mark.parametrize(
    ("check", "wrong", "solution"),
    [
        (check_leaky_relu, (lambda h, slope=0.01: h.clamp(min=0), leaky_relu_backward), ["torch.where", "where("]),
        (check_leaky_relu, (leaky_relu, leaky_relu_backward_in_place), ["clone()", ".clone"]),
        (check_total_bytes, (lambda ts: sum(t.nelement() for t in ts),), ["element_size", "nbytes", "nelement() *"]),
    ],
    ids=["leaky-forward", "leaky-in-place", "bytes"],
)
def test_the_first_hint_does_not_give_the_solution(check, wrong, solution):
    with pytest.raises(NotYetError, match="Hint 1 of") as first:
        check(*wrong)
    for key in solution:
        assert key not in str(first.value)


def test_notebook_prints_the_reference_float64_losses():
    assert loss_logs("03_tensors.ipynb")[0] == formatted(train_tensors())


def test_notebook_prints_the_reference_float32_losses_to_one_digit():
    float32_lines = loss_logs("03_tensors.ipynb")[1]
    assert float32_lines == formatted(train_tensors(dtype=torch.float32), digits=1)
