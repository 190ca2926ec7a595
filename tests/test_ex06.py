"""Self-checks of 06_nn accept the right answers and reject realistic wrong ones with a hint."""

import pytest
import torch

from helpers.exercises import NotYetError
from helpers.exercises.ex06 import check_count_params, check_deeper_model, check_sgd_step
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


def test_count_params_rejects_weights_only():
    with pytest.raises(AssertionError, match="bias"):
        check_count_params(lambda widths: sum(a * b for a, b in _pairs(widths)))


def test_count_params_rejects_input_biases():
    with pytest.raises(AssertionError, match="fan_out"):
        check_count_params(lambda widths: sum(a * b + a for a, b in _pairs(widths)))


def test_count_params_blank(capsys):
    assert unattempted(check_count_params, lambda widths: ...)
    with pytest.raises(NotYetError, match="forget to return"):
        check_count_params(lambda widths: None)
    assert "not attempted" in capsys.readouterr().out


def test_deeper_model_accepts_the_model_and_its_count():
    assert solved(check_deeper_model, _deeper(), 111210)


def test_deeper_model_rejects_the_original_count():
    with pytest.raises(AssertionError, match="numel"):
        check_deeper_model(_deeper(), 101110)


def test_deeper_model_rejects_wrong_sizes_and_missing_relu():
    with pytest.raises(AssertionError, match="H to H"):
        check_deeper_model(_deeper(hidden=50), 1)
    no_relu = torch.nn.Sequential(torch.nn.Linear(1000, 100), torch.nn.Linear(100, 100), torch.nn.Linear(100, 10))
    with pytest.raises(AssertionError, match="ReLU"):
        check_deeper_model(no_relu, 111210)


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

    with pytest.raises(AssertionError, match="zero_grad"):
        check_sgd_step(step)


def test_sgd_step_rejects_the_wrong_sign():
    def step(model, learning_rate):
        with torch.no_grad():
            for param in model.parameters():
                param += learning_rate * param.grad
        model.zero_grad()

    with pytest.raises(AssertionError, match="up the gradient"):
        check_sgd_step(step)


def test_sgd_step_rejects_an_update_outside_no_grad():
    def step(model, learning_rate):
        for param in model.parameters():
            param -= learning_rate * param.grad
        model.zero_grad()

    with pytest.raises(AssertionError, match="no_grad"):
        check_sgd_step(step)


def test_sgd_step_blank_and_global_rng_untouched(capsys):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    assert unattempted(check_sgd_step, lambda model, learning_rate: None)
    assert "not attempted" in capsys.readouterr().out
    assert torch.equal(torch.rand(3), expected)
