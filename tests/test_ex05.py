"""Self-checks of 05_custom_function reject wrong answers with a hint; its training log is 04's."""

import pytest
import torch

from helpers.exercises import NotYetError
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

    answer = leaky_relu_function(relu_forward, leaky_backward)
    with pytest.raises(NotYetError, match=r"of 20 entries differ, where the input is negative\.\nHint 1 of 3") as first:
        check_leaky_relu(answer)
    assert "scales negative ones by a small slope" in str(first.value)
    assert "torch.where" not in str(first.value) and "0.01 * input" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 3: .*torch.where"):
        check_leaky_relu(answer)
    with pytest.raises(NotYetError, match="(?s)Hint 3 of 3: .*folded Solution"):
        check_leaky_relu(answer)


def test_leaky_relu_rejects_relus_backward():
    answer = leaky_relu_function(leaky_forward, relu_backward)
    with pytest.raises(NotYetError, match="backward is ReLU's.*\nHint 1 of 2: .*scaled there, not stopped") as first:
        check_leaky_relu(answer)
    assert "*=" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*multiply the gradient by 0.01"):
        check_leaky_relu(answer)


def test_leaky_relu_rejects_in_place_change_of_grad_output():
    def in_place_backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_output[input < 0] *= SLOPE
        return grad_output

    with pytest.raises(NotYetError, match="changed grad_output in place.*\nHint 1 of 2: .*read-only"):
        check_leaky_relu(leaky_relu_function(leaky_forward, in_place_backward))
    with pytest.raises(NotYetError, match=r"Hint 2 of 2: .*clone\(\)"):
        check_leaky_relu(leaky_relu_function(leaky_forward, in_place_backward))


def test_leaky_relu_rejects_a_backward_that_ignores_grad_output():
    def slope_only_backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return torch.where(input < 0, SLOPE, 1.0).to(input.dtype)

    answer = leaky_relu_function(leaky_forward, slope_only_backward)
    with pytest.raises(NotYetError, match="differs from torch.nn.functional.leaky_relu's: 20 of 20") as first:
        check_leaky_relu(answer)
    assert "Hint 1 of 3: By the chain rule" in str(first.value) and "clone" not in str(first.value)


def test_leaky_relu_rejects_a_backward_returning_none():
    with pytest.raises(NotYetError, match="returned None for `input`: did you .* forget to return it"):
        check_leaky_relu(leaky_relu_function(leaky_forward, lambda ctx, grad_output: None))


def test_leaky_relu_with_forward_done_and_backward_blank_is_not_attempted(capsys):
    assert unattempted(check_leaky_relu, leaky_relu_function(leaky_forward, lambda ctx, grad_output: ...))


def test_leaky_relu_reports_autograds_refusal_of_too_many_gradients():
    def two_gradients(ctx, grad_output):
        return grad_output, grad_output

    with pytest.raises(NotYetError, match=r"refused .*incorrect number of gradients \(expected 1, got 2\)"):
        check_leaky_relu(leaky_relu_function(leaky_forward, two_gradients))


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

    answer = squared_error_function(backward)
    with pytest.raises(NotYetError, match="ignores grad_output.*\nHint 1 of 2: .*chain rule") as first:
        check_squared_error(answer)
    assert "Multiply" not in str(first.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: Multiply your gradient for y_pred by grad_output"):
        check_squared_error(answer)


def test_squared_error_rejects_a_gradient_without_the_factor_2():
    def backward(ctx, grad_output):
        y_pred, y = ctx.saved_tensors
        return grad_output * (y_pred - y), None

    answer = squared_error_function(backward)
    with pytest.raises(NotYetError, match="is 0.5 times autograd's, at every entry") as first:
        check_squared_error(answer)
    assert "2 (" not in str(first.value) and "Hint 1 of 3" in str(first.value)
    with pytest.raises(NotYetError, match=r"Hint 2 of 3: .* is 2 \(a - b\)"):
        check_squared_error(answer)
    with pytest.raises(NotYetError, match=r"Hint 3 of 3: grad_output times 2 \(y_pred - y\)"):
        check_squared_error(answer)


def test_squared_error_rejects_a_loss_that_is_not_summed():
    def forward(ctx, y_pred, y):
        return (y_pred - y).pow(2)

    with pytest.raises(NotYetError, match=r"shape \(6, 3\); expected a single number.*\nHint 1 of 2: .*one number"):
        check_squared_error(leaky_relu_function(forward, lambda ctx, g: (g, None)))


def test_squared_error_reports_a_backward_returning_one_gradient_for_two_inputs():
    def backward(ctx, grad_output):
        y_pred, y = ctx.saved_tensors
        return grad_output * 2.0 * (y_pred - y)

    with pytest.raises(
        NotYetError, match=r"(?s)incorrect number of gradients \(expected 2, got 1\).*one gradient per input"
    ):
        check_squared_error(squared_error_function(backward))


def test_notebook_05_prints_the_losses_of_04s_loop():
    assert loss_logs("05_custom_function.ipynb")[0] == formatted(train_autograd())
