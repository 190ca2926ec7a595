import numpy as np
import pytest
import torch

from helpers import check_close, check_shape, make_data, numerical_gradient, relative_error


def two_layer_loss_torch(x, y, w1, w2):
    return ((x @ w1).clamp(min=0) @ w2 - y).pow(2).sum()


def test_numerical_gradient_matches_autograd():
    """The oracle test: finite differences agree with PyTorch autograd on the series' network."""
    x, y, w1, w2 = make_data(1, N=6, D_in=5, H=4, D_out=3)
    tw1 = torch.tensor(w1, requires_grad=True)
    tw2 = torch.tensor(w2, requires_grad=True)
    two_layer_loss_torch(torch.tensor(x), torch.tensor(y), tw1, tw2).backward()

    def f():
        return float(np.square(np.maximum(x @ w1, 0) @ w2 - y).sum())

    assert relative_error(numerical_gradient(f, w1), tw1.grad.numpy()) < 1e-8
    assert relative_error(numerical_gradient(f, w2), tw2.grad.numpy()) < 1e-8


def test_numerical_gradient_restores_x_and_is_exact_for_quadratics():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    grad = numerical_gradient(lambda: float((x**2).sum()), x, eps=1e-3)
    assert np.array_equal(x, before)
    assert relative_error(grad, 2 * x) < 1e-10


def test_numerical_gradient_rejects_float32():
    with pytest.raises(ValueError, match="float64"):
        numerical_gradient(lambda: 0.0, np.ones(3, dtype=np.float32))


def test_relative_error_properties():
    a = np.array([1.0, -2.0, 4.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, a / 2) == pytest.approx(0.5)
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert relative_error(a, a * (1 + 1e-12)) < 1e-11


def test_relative_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3,\) and \(2, 2\)"):
        relative_error(np.ones(3), np.ones((2, 2)))


def test_check_shape_names_both_shapes():
    with pytest.raises(ValueError, match=r"grad_w1 has shape \(100, 1000\); expected \(1000, 100\)"):
        check_shape("grad_w1", np.zeros((100, 1000)), (1000, 100))
    check_shape("w", torch.zeros(2, 3), (2, 3))


def test_check_close_prints_bound_or_raises(capsys):
    check_close("g", np.ones(3), np.ones(3) * (1 + 1e-12), tol=1e-7)
    assert capsys.readouterr().out == "g: relative error below 1e-07\n"
    with pytest.raises(AssertionError, match="above the tolerance"):
        check_close("g", np.ones(3), np.ones(3) * 2, tol=1e-7)
    with pytest.raises(ValueError, match="NaN"):
        check_close("g", np.array([np.nan]), np.ones(1), tol=1e-7)


def test_relative_error_accepts_tensors_that_require_grad():
    t = torch.ones(3, requires_grad=True)
    assert relative_error(t * 2, np.full(3, 2.0)) == 0.0
    assert relative_error(t, np.full(3, 2.0)) == pytest.approx(0.5)
