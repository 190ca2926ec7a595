"""Self-checks of 05_custom_function reject wrong answers with a hint; its training log is 04's."""

import pytest
import torch

from helpers.exercises.ex05 import SLOPE, check_leaky_relu, check_squared_error
from helpers.reference import train_autograd
from tests.notebook_tools import formatted, loss_logs
from tests.self_checks import solved, unattempted


def leaky_relu_function(forward, backward):
    """Return an autograd.Function class whose forward/backward bodies are the given functions."""
    return type(
        "AnswerFunction",
        (torch.autograd.Function,),
        {"forward": staticmethod(forward), "backward": staticmethod(backward)},
    )


def leaky_forward(ctx, input):
    ctx.save_for_backward(input)
    return torch.where(input < 0, SLOPE * input, input)


def leaky_backward(ctx, grad_output):
    (input,) = ctx.saved_tensors
    grad_input = grad_output.clone()
    grad_input[input < 0] *= SLOPE
    return grad_input


def relu_backward(ctx, grad_output):
    (input,) = ctx.saved_tensors
    grad_input = grad_output.clone()
    grad_input[input < 0] = 0
    return grad_input


def test_leaky_relu_accepts_the_solution_and_reports_the_blank(capsys):
    assert solved(check_leaky_relu, leaky_relu_function(leaky_forward, leaky_backward))
    assert unattempted(check_leaky_relu, leaky_relu_function(lambda ctx, input: ..., lambda ctx, g: ...))
    assert "not attempted" in capsys.readouterr().out


def test_leaky_relu_rejects_relus_forward():
    def relu_forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    with pytest.raises(AssertionError, match="multiply negative ones by 0.01"):
        check_leaky_relu(leaky_relu_function(relu_forward, leaky_backward))


def test_leaky_relu_rejects_relus_backward():
    with pytest.raises(AssertionError, match="backward is ReLU's"):
        check_leaky_relu(leaky_relu_function(leaky_forward, relu_backward))


def test_leaky_relu_rejects_in_place_change_of_grad_output():
    def in_place_backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_output[input < 0] *= SLOPE
        return grad_output

    with pytest.raises(AssertionError, match="clone"):
        check_leaky_relu(leaky_relu_function(leaky_forward, in_place_backward))


def test_leaky_relu_rejects_a_backward_that_ignores_grad_output():
    def slope_only_backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return torch.where(input < 0, SLOPE, 1.0).to(input.dtype)

    with pytest.raises(AssertionError, match="differs from torch.nn.functional.leaky_relu"):
        check_leaky_relu(leaky_relu_function(leaky_forward, slope_only_backward))


def test_leaky_relu_rejects_a_backward_returning_none():
    with pytest.raises(AssertionError, match="returned None"):
        check_leaky_relu(leaky_relu_function(leaky_forward, lambda ctx, grad_output: None))


def squared_error_function(backward):
    def forward(ctx, y_pred, y):
        ctx.save_for_backward(y_pred, y)
        return (y_pred - y).pow(2).sum()

    return leaky_relu_function(forward, backward)


def test_squared_error_accepts_the_solution_and_reports_the_blank(capsys):
    def backward(ctx, grad_output):
        y_pred, y = ctx.saved_tensors
        return grad_output * 2.0 * (y_pred - y), None

    assert solved(check_squared_error, squared_error_function(backward))
    assert unattempted(check_squared_error, leaky_relu_function(lambda ctx, y_pred, y: ..., lambda ctx, g: ...))
    assert "not attempted" in capsys.readouterr().out


def test_squared_error_rejects_a_backward_that_ignores_grad_output():
    def backward(ctx, grad_output):
        y_pred, y = ctx.saved_tensors
        return 2.0 * (y_pred - y), None

    with pytest.raises(AssertionError, match="ignores grad_output"):
        check_squared_error(squared_error_function(backward))


def test_squared_error_rejects_a_gradient_without_the_factor_2():
    def backward(ctx, grad_output):
        y_pred, y = ctx.saved_tensors
        return grad_output * (y_pred - y), None

    with pytest.raises(AssertionError, match=r"2 \* \(y_pred - y\)"):
        check_squared_error(squared_error_function(backward))


def test_squared_error_rejects_a_loss_that_is_not_summed():
    def forward(ctx, y_pred, y):
        return (y_pred - y).pow(2)

    with pytest.raises(AssertionError, match="shape"):
        check_squared_error(leaky_relu_function(forward, lambda ctx, g: (g, None)))


def test_notebook_05_prints_the_losses_of_04s_loop():
    assert loss_logs("05_custom_function.ipynb")[0] == formatted(train_autograd())
