"""The series' data: one random problem, the same in every notebook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

#: Batch size, input, hidden and output dimensions used throughout the series.
SIZES: dict[str, int] = {"N": 64, "D_in": 1000, "H": 100, "D_out": 10}


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def make_data(
    seed: int = 0,
    N: int = SIZES["N"],
    D_in: int = SIZES["D_in"],
    H: int = SIZES["H"],
    D_out: int = SIZES["D_out"],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return x (N, D_in), y (N, D_out), w1 (D_in, H), w2 (H, D_out) as float64 arrays (01_numpy)."""
    N, D_in, H, D_out = (_positive_int(k, v) for k, v in zip(SIZES, (N, D_in, H, D_out), strict=True))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, D_in))
    y = rng.standard_normal((N, D_out))
    w1 = rng.standard_normal((D_in, H))
    w2 = rng.standard_normal((H, D_out))
    return x, y, w1, w2


def to_torch(
    *arrays: np.ndarray,
    dtype: torch.dtype | None = None,
    device: torch.device | str = "cpu",
) -> tuple[torch.Tensor, ...]:
    """Copy numpy arrays to torch tensors of `dtype` (default float64) on `device` (03_tensors)."""
    import torch

    dtype = torch.float64 if dtype is None else dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise ValueError(f"dtype must be a floating torch dtype such as torch.float32; got {dtype!r}")
    tensors = []
    for i, a in enumerate(arrays):
        if not isinstance(a, np.ndarray):
            raise ValueError(f"argument {i} must be a numpy array; got {type(a).__name__}")
        if not np.issubdtype(a.dtype, np.floating):
            raise ValueError(f"argument {i} must hold floats; got dtype {a.dtype}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"argument {i} (shape {a.shape}) contains NaN or infinite values")
        tensors.append(torch.tensor(a, dtype=dtype, device=device))
    return tuple(tensors)
