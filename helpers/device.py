"""Device choice: the fastest accelerator present, else the CPU."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def choose_device(dtype: torch.dtype | None = None) -> torch.device:
    """Return CUDA if available, then Apple's MPS (not for float64, which it lacks), then the CPU (03_tensors)."""
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available() and dtype != torch.float64:
        return torch.device("mps")
    return torch.device("cpu")
