"""Self-checks of 04_autograd reject wrong answers with a hint; the notebook prints 03's losses."""

import pytest
import torch

from helpers.exercises.ex04 import check_sin_gradient, check_three_layer_step
from helpers.reference import train_tensors
from tests.notebook_tools import formatted, loss_logs
from tests.self_checks import solved, unattempted


def sin_grad_fresh_leaf(x, w):
    w = w.detach().clone().requires_grad_()
    torch.sin(x.mm(w)).sum().backward()
    return w.grad


def sin_grad_accumulating(x, w):
    w.requires_grad_()
    torch.sin(x.mm(w)).sum().backward()
    return w.grad


def test_sin_gradient_accepts_autograd_and_reports_the_blank(capsys):
    assert solved(check_sin_gradient, sin_grad_fresh_leaf)
    assert unattempted(check_sin_gradient, lambda x, w: ...)
    assert "not attempted" in capsys.readouterr().out


def test_sin_gradient_rejects_accumulated_gradients():
    with pytest.raises(AssertionError, match="accumulated"):
        check_sin_gradient(sin_grad_accumulating)


def test_sin_gradient_rejects_a_wrong_formula():
    with pytest.raises(AssertionError, match="analytic"):
        check_sin_gradient(lambda x, w: -x.t().mm(torch.cos(x.mm(w.detach()))))


def make_step(zero=True, no_grad=True, weights=3):
    """A train_step for exercise 2, correct or with one realistic mistake."""

    def train_step(x, y, w1, w2, w3, learning_rate):
        loss = (x.mm(w1).clamp(min=0).mm(w2).clamp(min=0).mm(w3) - y).pow(2).sum()
        loss.backward()
        with torch.no_grad() if no_grad else torch.enable_grad():
            for w in (w1, w2, w3)[:weights]:
                w -= learning_rate * w.grad
                if zero:
                    w.grad.zero_()
        return loss.item()

    return train_step


def test_three_layer_step_accepts_the_solution_and_reports_the_blank(capsys):
    assert solved(check_three_layer_step, make_step())
    assert unattempted(check_three_layer_step, lambda *args: ...)
    assert "not attempted" in capsys.readouterr().out


def test_three_layer_step_rejects_missing_zeroing():
    with pytest.raises(AssertionError, match=r"zero_\(\)"):
        check_three_layer_step(make_step(zero=False))


def test_three_layer_step_rejects_an_update_outside_no_grad():
    with pytest.raises(AssertionError, match="no_grad"):
        check_three_layer_step(make_step(no_grad=False))


def test_three_layer_step_rejects_a_forgotten_third_weight():
    with pytest.raises(AssertionError, match="w3 is not"):
        check_three_layer_step(make_step(weights=2))


def test_three_layer_step_rejects_an_out_of_place_update():
    def train_step(x, y, w1, w2, w3, learning_rate):
        loss = (x.mm(w1).clamp(min=0).mm(w2).clamp(min=0).mm(w3) - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            w1 = w1 - learning_rate * w1.grad  # rebinds a local name; the caller's w1 is unchanged
        return loss.item()

    with pytest.raises(AssertionError, match="in place"):
        check_three_layer_step(train_step)


def test_notebook_prints_the_losses_of_03s_loop():
    assert loss_logs("04_autograd.ipynb")[0] == formatted(train_tensors())
