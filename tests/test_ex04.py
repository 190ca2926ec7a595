"""Self-checks of 04_autograd reject wrong answers with tiered hints; the notebook prints 03's losses."""

import pytest
import torch

from helpers.exercises import NotYetError
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


def test_sin_gradient_rejects_accumulated_gradients_with_tiered_hints():
    with pytest.raises(NotYetError, match=r"returned 2.0 times the gradient\.\nHint 1 of 3: backward\(\) adds"):
        check_sin_gradient(sin_grad_accumulating)
    with pytest.raises(NotYetError, match="returned 2.0 times.*\nHint 2 of 3: compute on a fresh leaf"):
        check_sin_gradient(sin_grad_accumulating)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: w.detach\(\).clone\(\).requires_grad_\(\)"):
        check_sin_gradient(sin_grad_accumulating)


def test_sin_gradient_rejects_a_wrong_formula():
    with pytest.raises(NotYetError, match="analytic gradient.*\nHint 1 of 3: let autograd do the calculus"):
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


def test_three_layer_step_rejects_missing_zeroing_with_tiered_hints():
    with pytest.raises(NotYetError, match=r"w1.grad is not zero.*\nHint 1 of 2: backward\(\) accumulates"):
        check_three_layer_step(make_step(zero=False))
    with pytest.raises(NotYetError, match=r"Hint 2 of 2: w1.grad.zero_\(\)"):
        check_three_layer_step(make_step(zero=False))


def test_three_layer_step_rejects_an_update_outside_no_grad_with_tiered_hints():
    with pytest.raises(NotYetError, match="torch's error: a leaf Variable.*\nHint 1 of 2: autograd records"):
        check_three_layer_step(make_step(no_grad=False))
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*no_grad"):
        check_three_layer_step(make_step(no_grad=False))


def test_three_layer_step_rejects_a_forgotten_third_weight():
    with pytest.raises(NotYetError, match="w3 is not"):
        check_three_layer_step(make_step(weights=2))


def test_three_layer_step_rejects_an_out_of_place_update():
    def train_step(x, y, w1, w2, w3, learning_rate):
        loss = (x.mm(w1).clamp(min=0).mm(w2).clamp(min=0).mm(w3) - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            w1 = w1 - learning_rate * w1.grad  # rebinds a local name; the caller's w1 is unchanged
        return loss.item()

    with pytest.raises(NotYetError, match="w1 is not.*\nHint 1 of 3: .*in place"):
        check_three_layer_step(train_step)
    with pytest.raises(NotYetError, match="Hint 2 of 3: `w1 = w1 - ...` only gives a local name"):
        check_three_layer_step(train_step)


@pytest.mark.parametrize(
    ("check", "wrong", "solution"),
    [
        (check_sin_gradient, sin_grad_accumulating, ["detach()", "requires_grad_()", "w.grad ="]),
        (check_sin_gradient, lambda x, w: -x.t().mm(torch.cos(x.mm(w.detach()))), ["w.grad", "requires_grad_()"]),
        (check_three_layer_step, make_step(zero=False), ["zero_()", "= None"]),
        (check_three_layer_step, make_step(no_grad=False), ["no_grad"]),
    ],
    ids=["sin-accumulating", "sin-formula", "step-zeroing", "step-no-grad"],
)
def test_the_first_hint_does_not_give_the_solution(check, wrong, solution):
    with pytest.raises(NotYetError, match="Hint 1 of") as first:
        check(wrong)
    for key in solution:
        assert key not in str(first.value)


def test_notebook_prints_the_losses_of_03s_loop():
    assert loss_logs("04_autograd.ipynb")[0] == formatted(train_tensors())
