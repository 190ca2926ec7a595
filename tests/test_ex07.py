"""Self-checks of 07_optim reject wrong answers with a hint and accept right ones."""

import pytest

from helpers.exercises import NotYetError
from helpers.exercises.ex07 import TARGET_LOSS, adam_losses, check_adam_rate, check_momentum_step
from tests.self_checks import solved, unattempted


def correct_momentum_step(p, grad, v, lr, momentum):
    v = momentum * v + grad
    return p - lr * v, v


def test_momentum_step_accepts_pytorchs_rule_and_its_lr_scaled_form():
    assert solved(check_momentum_step, correct_momentum_step)

    def scaled(p, grad, v, lr, momentum):  # v holds lr times PyTorch's velocity: the same steps at a constant lr
        v = momentum * v + lr * grad
        return p - v, v

    assert solved(check_momentum_step, scaled)


def test_momentum_step_rejects_the_averaged_velocity():
    def averaged(p, grad, v, lr, momentum):
        v = momentum * v + (1 - momentum) * grad
        return p - lr * v, v

    with pytest.raises(AssertionError, match="no factor 1 - momentum"):
        check_momentum_step(averaged)


def test_momentum_step_rejects_plain_sgd_and_a_stale_velocity():
    with pytest.raises(AssertionError, match="relative error"):
        check_momentum_step(lambda p, grad, v, lr, momentum: (p - lr * grad, v))

    def stale(p, grad, v, lr, momentum):  # steps with the old velocity
        return p - lr * v, momentum * v + grad

    with pytest.raises(AssertionError, match="relative error"):
        check_momentum_step(stale)


def test_momentum_step_rejects_a_wrong_return_value():
    with pytest.raises(AssertionError, match="two tensors"):
        check_momentum_step(lambda p, grad, v, lr, momentum: p - lr * grad)


def test_momentum_step_blank_is_not_attempted(capsys):
    def blank(p, grad, v, lr, momentum):
        return ...

    assert unattempted(check_momentum_step, blank)
    assert "not attempted" in capsys.readouterr().out


def test_adam_losses_back_the_folded_solution():
    at_step_49 = {lr: adam_losses(lr)[-1] for lr in (1e-3, 2.5e-3, 3e-3, 8e-3, 1e-2)}
    assert at_step_49[1e-3] > TARGET_LOSS  # the default is not enough: the exercise is not trivial
    assert all(at_step_49[lr] < TARGET_LOSS for lr in (2.5e-3, 3e-3, 8e-3))
    assert at_step_49[1e-2] > TARGET_LOSS


def test_adam_rate_accepts_a_good_rate_and_rejects_too_small_and_too_large():
    assert solved(check_adam_rate, 4e-3)
    with pytest.raises(AssertionError, match="too small"):
        check_adam_rate(1e-4)
    with pytest.raises(AssertionError, match="overshoot"):
        check_adam_rate(1e-1)


def test_adam_rate_rejects_nonsense_and_blank(capsys):
    with pytest.raises(NotYetError, match="positive number"):
        check_adam_rate(-1e-3)
    with pytest.raises(NotYetError, match="positive number"):
        check_adam_rate("1e-3")
    assert unattempted(check_adam_rate, ...)
    assert "not attempted" in capsys.readouterr().out
