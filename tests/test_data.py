import numpy as np
import pytest
import torch

from helpers import SIZES, make_data, to_torch


def test_make_data_shapes_and_dtype():
    x, y, w1, w2 = make_data(0)
    N, D_in, H, D_out = SIZES.values()
    assert (x.shape, y.shape, w1.shape, w2.shape) == ((N, D_in), (N, D_out), (D_in, H), (H, D_out))
    assert all(a.dtype == np.float64 for a in (x, y, w1, w2))


def test_make_data_is_deterministic_per_seed():
    a, b, c = make_data(3), make_data(3), make_data(4)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def test_make_data_is_standard_normal():
    x = make_data(0)[0]
    assert abs(x.mean()) < 0.01 and abs(x.std() - 1) < 0.01


@pytest.mark.parametrize("kwargs", [{"N": 0}, {"D_in": 2.5}, {"H": -1}, {"seed": -1}, {"D_out": True}])
def test_make_data_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="must be"):
        make_data(**kwargs)


def test_to_torch_dtype_and_values():
    x, y, *_ = make_data(0, N=3, D_in=4, H=2, D_out=1)
    tx, ty = to_torch(x, y, dtype=torch.float32)
    assert tx.dtype == torch.float32 and ty.shape == (3, 1) and tx.device.type == "cpu"
    assert np.allclose(tx.numpy(), x, rtol=1e-6)
    (t64,) = to_torch(x)
    assert t64.dtype == torch.float64 and np.array_equal(t64.numpy(), x)


def test_to_torch_copies():
    x = make_data(0, N=2, D_in=2, H=2, D_out=2)[0]
    (t,) = to_torch(x)
    t += 1
    assert not np.array_equal(t.numpy(), x)


@pytest.mark.parametrize(
    ("arg", "kwargs", "match"),
    [
        (np.ones((2, 2), dtype=int), {}, "floats"),
        ([1.0, 2.0], {}, "numpy array"),
        (np.array([1.0, np.nan]), {}, "NaN"),
        (np.ones(2), {"dtype": torch.int64}, "floating torch dtype"),
    ],
)
def test_to_torch_rejects_bad_input(arg, kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_torch(arg, **kwargs)
