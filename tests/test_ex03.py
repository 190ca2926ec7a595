"""Self-checks of 03_tensors reject wrong answers with a hint; the notebook prints the reference losses."""

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


def test_leaky_relu_rejects_a_plain_relu():
    with pytest.raises(AssertionError, match="slope"):
        check_leaky_relu(lambda h, slope=0.01: h.clamp(min=0), leaky_relu_backward)


def test_leaky_relu_rejects_a_hard_coded_slope():
    with pytest.raises(AssertionError, match="slope=0.2"):
        check_leaky_relu(lambda h, slope=0.01: torch.where(h > 0, h, 0.01 * h), leaky_relu_backward)


def test_leaky_relu_rejects_a_relu_backward():
    def relu_backward(grad_out, h, slope=0.01):
        grad_h = grad_out.clone()
        grad_h[h < 0] = 0
        return grad_h

    with pytest.raises(AssertionError, match="multiplied by slope"):
        check_leaky_relu(leaky_relu, relu_backward)


def test_leaky_relu_rejects_changing_the_input_in_place():
    with pytest.raises(AssertionError, match="clone"):
        check_leaky_relu(leaky_relu, leaky_relu_backward_in_place)


def test_leaky_relu_rejects_numpy_results():
    with pytest.raises(AssertionError, match="torch tensor"):
        check_leaky_relu(lambda h, slope=0.01: leaky_relu_numpy(h.numpy(), slope), leaky_relu_backward)


def test_leaky_relu_rejects_a_changed_dtype():
    with pytest.raises(AssertionError, match="dtype"):
        check_leaky_relu(lambda h, slope=0.01: leaky_relu(h, slope).double(), leaky_relu_backward)


def test_total_bytes_accepts_element_size_times_nelement(capsys):
    assert solved(check_total_bytes, lambda ts: sum(t.nelement() * t.element_size() for t in ts))
    assert "1,325,120 bytes in float64 and 662,560 in float32" in capsys.readouterr().out
    assert solved(check_total_bytes, lambda ts: sum(t.nbytes for t in ts))
    assert unattempted(check_total_bytes, lambda ts: ...)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda ts: sum(t.nelement() for t in ts), "numbers"),
        (lambda ts: sum(4 * t.nelement() for t in ts), "same size"),
        (lambda ts: sum(len(t) * t.element_size() for t in ts), "expected 200"),
    ],
)
def test_total_bytes_rejects_wrong_counts(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_total_bytes(wrong)


def test_notebook_prints_the_reference_float64_losses():
    assert loss_logs("03_tensors.ipynb")[0] == formatted(train_tensors())


def test_notebook_prints_the_reference_float32_losses_to_one_digit():
    float32_lines = loss_logs("03_tensors.ipynb")[1]
    assert float32_lines == formatted(train_tensors(dtype=torch.float32), digits=1)
