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


def test_momentum_step_rejects_the_averaged_velocity_concept_first():
    def averaged(p, grad, v, lr, momentum):
        v = momentum * v + (1 - momentum) * grad
        return p - lr * v, v

    with pytest.raises(NotYetError, match="averages the gradient with a factor 1 - momentum") as first:
        check_momentum_step(averaged)
    assert "Hint 1 of 3" in str(first.value) and "running sum" in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 3: PyTorch adds the whole new gradient"):
        check_momentum_step(averaged)
    with pytest.raises(NotYetError, match="Hint 3 of 3"):
        check_momentum_step(averaged)


def test_momentum_step_first_hint_does_not_give_the_update():
    with pytest.raises(NotYetError) as first:
        check_momentum_step(lambda p, grad, v, lr, momentum: (p - lr * grad, v))
    message = str(first.value)
    assert "plain SGD" in message
    assert "momentum * v + grad" not in message and "p - lr * v" not in message


def test_momentum_step_rejects_a_stale_velocity():
    def stale(p, grad, v, lr, momentum):  # steps with the old velocity
        return p - lr * v, momentum * v + grad

    with pytest.raises(NotYetError, match=r"relative error of [0-9.e+-]+\.\n"):
        check_momentum_step(stale)


def test_momentum_step_rejects_a_wrong_return_value():
    with pytest.raises(NotYetError, match="returned a Tensor; expected two tensors"):
        check_momentum_step(lambda p, grad, v, lr, momentum: p - lr * grad)
    with pytest.raises(NotYetError, match="the new velocity is float"):
        check_momentum_step(lambda p, grad, v, lr, momentum: (p - lr * grad, 0.0))


def test_momentum_step_none_is_a_forgotten_return():
    with pytest.raises(NotYetError, match="forget to return"):
        check_momentum_step(lambda p, grad, v, lr, momentum: None)


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
    with pytest.raises(NotYetError, match="too small"):
        check_adam_rate(1e-4)
    with pytest.raises(NotYetError, match="overshoot"):
        check_adam_rate(1e-1)


def test_adam_rate_hints_come_in_tiers_and_never_name_a_passing_rate():
    seen = []
    for _ in range(3):
        with pytest.raises(NotYetError) as err:
            check_adam_rate(1e-4)
        seen.append(str(err.value))
    assert [f"Hint {i} of 3" in s for i, s in enumerate(seen, 1)] == [True, True, True]
    assert "1e-3" not in seen[0].split("Hint 1 of 3")[1] and "3e-3" not in seen[1]


def test_adam_rate_rejects_nonsense_and_blank(capsys):
    with pytest.raises(NotYetError, match="positive number"):
        check_adam_rate(-1e-3)
    with pytest.raises(NotYetError, match="positive number"):
        check_adam_rate("1e-3")
    assert unattempted(check_adam_rate, ...)
    assert "not attempted" in capsys.readouterr().out
    with pytest.raises(NotYetError, match="forget to return"):
        check_adam_rate(None)
