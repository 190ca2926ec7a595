"""Self-checks of 10_performance reject wrong answers with a hint."""

import pytest
import torch

from helpers.exercises.ex10 import (
    check_fused_sgd_update,
    check_intensity,
    check_three_layer_flops,
    three_layer_flops,
)
from tests.self_checks import solved, unattempted


def flops_three_layers(N, D_in, H, D_out):
    forward = 2 * N * (D_in * H + H * H + H * D_out)
    return 2 * forward + 2 * N * (H * H + H * D_out)


def test_three_layer_reference_is_flop_counter_mode():
    assert three_layer_flops(64, 1000, 100, 10) == flops_three_layers(64, 1000, 100, 10) == 29_824_000


def test_three_layer_flops_accepts_the_solution_and_rejects_wrong_counts():
    assert solved(check_three_layer_flops, flops_three_layers)
    forward_only = lambda N, D_in, H, D_out: 2 * N * (D_in * H + H * H + H * D_out)  # noqa: E731
    with pytest.raises(AssertionError, match="forward pass only"):
        check_three_layer_flops(forward_only)
    with pytest.raises(AssertionError, match="gradient of x"):
        check_three_layer_flops(lambda *s: 3 * forward_only(*s))
    with pytest.raises(AssertionError, match="second and the third"):
        check_three_layer_flops(lambda *s: 2 * forward_only(*s))
    with pytest.raises(AssertionError, match="2\\*m\\*n\\*k"):
        check_three_layer_flops(lambda *s: flops_three_layers(*s) // 2)


def test_three_layer_flops_blank_is_not_attempted(capsys):
    assert unattempted(check_three_layer_flops, lambda *s: ...)
    assert "not attempted" in capsys.readouterr().out


def test_intensity_accepts_the_solution_and_rejects_wrong_formulas():
    assert solved(check_intensity, lambda m, k, n, b: 2 * m * k * n / (b * (m * k + k * n + m * n)))
    with pytest.raises(AssertionError, match="written to memory"):
        check_intensity(lambda m, k, n, b: 2 * m * k * n / (b * (m * k + k * n)))
    with pytest.raises(AssertionError, match="2\\*m\\*n\\*k"):
        check_intensity(lambda m, k, n, b: m * k * n / (b * (m * k + k * n + m * n)))
    with pytest.raises(AssertionError, match="itemsize bytes"):
        check_intensity(lambda m, k, n, b: 2 * m * k * n / (m * k + k * n + m * n))


def fused(parameters, learning_rate):
    with torch.no_grad():
        for param in parameters:
            param.sub_(param.grad, alpha=learning_rate)


def test_fused_update_accepts_sub_and_add_with_alpha():
    assert solved(check_fused_sgd_update, fused)

    def add_negative(parameters, learning_rate):
        with torch.no_grad():
            for param in parameters:
                param.add_(param.grad, alpha=-learning_rate)

    assert solved(check_fused_sgd_update, add_negative)


def test_fused_update_rejects_the_temporary_of_notebook_06():
    def with_temporary(parameters, learning_rate):
        with torch.no_grad():
            for param in parameters:
                param -= learning_rate * param.grad

    with pytest.raises(AssertionError, match="temporary"):
        check_fused_sgd_update(with_temporary)


def test_fused_update_rejects_wrong_sign_new_tensors_and_missing_no_grad():
    def wrong_sign(parameters, learning_rate):
        with torch.no_grad():
            for param in parameters:
                param.add_(param.grad, alpha=learning_rate)

    with pytest.raises(AssertionError, match="sign"):
        check_fused_sgd_update(wrong_sign)

    def out_of_place(parameters, learning_rate):
        return [param - learning_rate * param.grad for param in parameters]

    with pytest.raises(AssertionError, match="in place"):
        check_fused_sgd_update(out_of_place)

    def no_grad_missing(parameters, learning_rate):
        for param in parameters:
            param.sub_(param.grad, alpha=learning_rate)

    with pytest.raises(AssertionError, match="no_grad"):
        check_fused_sgd_update(no_grad_missing)


def test_fused_update_blank_is_not_attempted(capsys):
    assert unattempted(check_fused_sgd_update, lambda parameters, learning_rate: ...)
    assert "not attempted" in capsys.readouterr().out
