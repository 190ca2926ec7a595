"""Self-checks of 06_nn accept the right answers and reject realistic wrong ones with tiered hints."""

import pytest
import torch

from helpers.exercises import NotYetError
from helpers.exercises.ex06 import check_count_params, check_deeper_model, check_sgd_step
from helpers.reference import train_autograd
from tests.notebook_tools import formatted, loss_logs
from tests.self_checks import solved, unattempted


def _pairs(widths):
    return list(zip(widths[:-1], widths[1:], strict=True))


def _deeper(hidden=100):
    return torch.nn.Sequential(
        torch.nn.Linear(1000, 100),
        torch.nn.ReLU(),
        torch.nn.Linear(100, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, 10),
    )


def test_count_params_accepts_the_formula():
    assert solved(check_count_params, lambda widths: sum(a * b + b for a, b in _pairs(widths)))


def test_count_params_rejects_weights_only_concept_first():
    answer = lambda widths: sum(a * b for a, b in _pairs(widths))  # noqa: E731
    with pytest.raises(NotYetError, match=r"you gave 101000, not 101110: the number of weights alone") as first:
        check_count_params(answer)
    assert "Hint 1 of 2: A Linear layer holds more than its weight matrix" in str(first.value)
    assert "fan_out" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*fan_out numbers"):
        check_count_params(answer)


def test_count_params_rejects_input_biases():
    answer = lambda widths: sum(a * b + a for a, b in _pairs(widths))  # noqa: E731
    with pytest.raises(NotYetError, match="one bias per input.*\nHint 1 of 2: .*outputs"):
        check_count_params(answer)
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*fan_out numbers, not fan_in"):
        check_count_params(answer)


def test_count_params_other_mistakes_get_three_tiers_without_the_formula():
    answer = lambda widths: sum(widths)  # noqa: E731
    seen = []
    for _ in range(3):
        with pytest.raises(NotYetError) as err:
            check_count_params(answer)
        seen.append(str(err.value))
    assert "Hint 1 of 3: Count layer by layer" in seen[0] and "zip" not in seen[0]
    assert "Hint 3 of 3: zip(widths[:-1], widths[1:])" in seen[2]
    assert all("fan_in * fan_out + fan_out" not in hint for hint in seen)


def test_count_params_blank(capsys):
    assert unattempted(check_count_params, lambda widths: ...)
    with pytest.raises(NotYetError, match="forget to return"):
        check_count_params(lambda widths: None)
    assert "not attempted" in capsys.readouterr().out


def test_deeper_model_accepts_the_model_and_its_count():
    assert solved(check_deeper_model, _deeper(), 111210)


def test_deeper_model_rejects_the_original_count():
    with pytest.raises(NotYetError, match="n_params is 101110; the model holds 111210.*\nHint 1 of 2") as first:
        check_deeper_model(_deeper(), 101110)
    assert "numel" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*numel"):
        check_deeper_model(_deeper(), 101110)


def test_deeper_model_rejects_wrong_sizes_and_missing_relu():
    with pytest.raises(NotYetError, match=r"map \(fan_in, fan_out\) \[\(1000, 100\), \(100, 50\)") as first:
        check_deeper_model(_deeper(hidden=50), 1)
    assert "H to H" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: The new layer goes from H to H"):
        check_deeper_model(_deeper(hidden=50), 1)


def test_deeper_model_rejects_a_missing_relu_concept_first():
    no_relu = torch.nn.Sequential(torch.nn.Linear(1000, 100), torch.nn.Linear(100, 100), torch.nn.Linear(100, 10))
    with pytest.raises(NotYetError, match="Hint 1 of 2: Two Linear layers .* single linear map") as first:
        check_deeper_model(no_relu, 111210)
    assert "torch.nn.ReLU()" not in str(first.value)


def test_deeper_model_blank(capsys):
    assert unattempted(check_deeper_model, ..., ...)
    assert "not attempted" in capsys.readouterr().out


def _right_step(model, learning_rate):
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
    model.zero_grad()


def test_sgd_step_accepts_the_update():
    assert solved(check_sgd_step, _right_step)


def test_sgd_step_rejects_a_missing_zero_grad():
    def step(model, learning_rate):
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad

    with pytest.raises(NotYetError, match=r"gradients are still there.*\nHint 1 of 2: backward\(\) adds") as first:
        check_sgd_step(step)
    assert "zero_grad" not in str(first.value)
    with pytest.raises(NotYetError, match=r"Hint 2 of 2: Call model.zero_grad\(\)"):
        check_sgd_step(step)


def test_sgd_step_rejects_the_wrong_sign():
    def step(model, learning_rate):
        with torch.no_grad():
            for param in model.parameters():
                param += learning_rate * param.grad
        model.zero_grad()

    with pytest.raises(NotYetError, match="moved up the gradient.*\nHint 1 of 2: .*the other way"):
        check_sgd_step(step)


def test_sgd_step_rejects_an_update_outside_no_grad():
    def step(model, learning_rate):
        for param in model.parameters():
            param -= learning_rate * param.grad
        model.zero_grad()

    with pytest.raises(NotYetError, match="leaf Variable that requires grad.*\nHint 1 of 2") as first:
        check_sgd_step(step)
    assert "no_grad" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: Do the update inside `with torch.no_grad"):
        check_sgd_step(step)


def test_sgd_step_rejects_a_rebinding_that_changes_nothing():
    def step(model, learning_rate):
        with torch.no_grad():
            for param in model.parameters():
                param = param - learning_rate * param.grad  # noqa: PLW2901
        model.zero_grad()

    with pytest.raises(NotYetError, match="No parameter changed.*\nHint 1 of 2: .*only gives"):
        check_sgd_step(step)


def test_sgd_step_blank_and_global_rng_untouched(capsys):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    assert unattempted(check_sgd_step, lambda model, learning_rate: ...)
    assert "not attempted" in capsys.readouterr().out
    assert torch.equal(torch.rand(3), expected)


def test_notebook_06_step_1_prints_the_losses_of_04s_loop():
    assert loss_logs("06_nn.ipynb")[0] == formatted(train_autograd())
