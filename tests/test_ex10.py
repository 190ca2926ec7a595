"""Self-checks of 10_performance reject wrong answers with tiered hints, the concept first."""

import pytest
import torch

from helpers.exercises import NotYetError
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


def forward_only(N, D_in, H, D_out):
    return 2 * N * (D_in * H + H * H + H * D_out)


def test_three_layer_reference_is_flop_counter_mode():
    assert three_layer_flops(64, 1000, 100, 10) == flops_three_layers(64, 1000, 100, 10) == 29_824_000


def test_three_layer_flops_accepts_the_solution():
    assert solved(check_three_layer_flops, flops_three_layers)


@pytest.mark.parametrize(
    ("wrong", "problem", "later_hint"),
    [
        (forward_only, "exactly the forward pass", "2 for the inputs of the second and third layers"),
        (lambda *s: 3 * forward_only(*s), "too many", "grad_h1 @ w1.T"),
        (lambda *s: 2 * forward_only(*s), "exactly twice the forward pass", "second and the third layer's inputs"),
        (lambda *s: flops_three_layers(*s) // 2, "exactly half", "2\\*m\\*n\\*k"),
        (lambda *s: flops_three_layers(*s) + 1, "FlopCounterMode counts", "none for x"),
    ],
    ids=["forward only", "gradient of x", "no input gradients", "half", "other"],
)
def test_three_layer_flops_rejects_wrong_counts_with_tiers(wrong, problem, later_hint):
    with pytest.raises(NotYetError, match=f"(?s){problem}.*Hint 1 of") as first:
        check_three_layer_flops(wrong)
    assert "2 * N * (" not in str(first.value) and "D_in * H" not in str(first.value)  # concept first
    for _ in range(2):
        with pytest.raises(NotYetError) as later:
            check_three_layer_flops(wrong)
    assert "Solution" in str(later.value)
    with pytest.raises(NotYetError, match=later_hint):
        raise later.value


def test_three_layer_flops_names_what_it_got_for_a_non_number():
    with pytest.raises(NotYetError, match="returned a str"):
        check_three_layer_flops(lambda *s: "many")


def test_three_layer_flops_blank_is_not_attempted(capsys):
    assert unattempted(check_three_layer_flops, lambda *s: ...)
    assert "not attempted" in capsys.readouterr().out


def intensity(m, k, n, b):
    return 2 * m * k * n / (b * (m * k + k * n + m * n))


def test_intensity_accepts_the_solution():
    assert solved(check_intensity, intensity)


@pytest.mark.parametrize(
    ("wrong", "problem", "second_hint"),
    [
        (lambda m, k, n, b: 2 * m * k * n / (b * (m * k + k * n)), "some bytes are missing", "written to memory"),
        (lambda m, k, n, b: m * k * n / (b * (m * k + k * n + m * n)), "exactly half", "2\\*m\\*n\\*k"),
        (lambda m, k, n, b: 2 * m * k * n / (m * k + k * n + m * n), "times too many", "itemsize bytes"),
        (lambda m, k, n, b: 1.0, "expected", "2\\*m\\*k\\*n"),
    ],
    ids=["result not written", "half", "per number", "other"],
)
def test_intensity_rejects_wrong_formulas_with_tiers(wrong, problem, second_hint):
    with pytest.raises(NotYetError, match=f"(?s){problem}.*Hint 1 of 2") as first:
        check_intensity(wrong)
    assert "m*k + k*n + m*n" not in str(first.value) and "itemsize *" not in str(first.value)  # concept first
    with pytest.raises(NotYetError, match=f"(?s)Hint 2 of 2: .*{second_hint}"):
        check_intensity(wrong)


def test_intensity_names_what_it_got_for_a_non_number():
    with pytest.raises(NotYetError, match="returned NoneType|your answer is None"):
        check_intensity(lambda m, k, n, b: None if (m, k) != (2, 3) else 1.0)


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


def test_fused_update_rejects_the_temporary_of_notebook_06_concept_first():
    def with_temporary(parameters, learning_rate):
        with torch.no_grad():
            for param in parameters:
                param -= learning_rate * param.grad

    with pytest.raises(NotYetError, match="(?s)called 8 torch operations.*Hint 1 of 2: .*temporary") as first:
        check_fused_sgd_update(with_temporary)
    assert "alpha" not in str(first.value)  # the solution's key argument comes only from the solution
    with pytest.raises(NotYetError, match="Hint 2 of 2: .*keyword arguments"):
        check_fused_sgd_update(with_temporary)


def test_fused_update_rejects_wrong_sign_and_new_tensors():
    def wrong_sign(parameters, learning_rate):
        with torch.no_grad():
            for param in parameters:
                param.add_(param.grad, alpha=learning_rate)

    with pytest.raises(NotYetError, match="(?s)uphill.*Hint 1 of 2: gradient descent moves"):
        check_fused_sgd_update(wrong_sign)
    with pytest.raises(NotYetError, match="sign and the factor"):
        check_fused_sgd_update(wrong_sign)

    def out_of_place(parameters, learning_rate):
        return [param - learning_rate * param.grad for param in parameters]

    with pytest.raises(NotYetError, match="(?s)None of the 4 parameters changed.*in.place"):
        check_fused_sgd_update(out_of_place)


def test_fused_update_without_no_grad_shows_torchs_message_then_the_concept():
    def no_grad_missing(parameters, learning_rate):
        for param in parameters:
            param.sub_(param.grad, alpha=learning_rate)

    with pytest.raises(NotYetError, match="(?s)torch refused the update: a leaf Variable.*Hint 1 of 2: autograd"):
        check_fused_sgd_update(no_grad_missing)
    with pytest.raises(NotYetError, match="no_grad"):
        check_fused_sgd_update(no_grad_missing)


def test_fused_update_blank_is_not_attempted(capsys):
    assert unattempted(check_fused_sgd_update, lambda parameters, learning_rate: ...)
    assert "not attempted" in capsys.readouterr().out
