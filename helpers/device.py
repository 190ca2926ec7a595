"""Device choice: the fastest accelerator present, else the CPU; PBE_DEVICE pins one."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEVICES = ("cpu", "cuda", "mps")


def choose_device(dtype: torch.dtype | None = None) -> torch.device:
    """Return the device PBE_DEVICE names, else CUDA, then MPS (not for float64), then the CPU (03_tensors)."""
    import torch

    wanted = os.environ.get("PBE_DEVICE", "").strip().lower()
    mps = getattr(torch.backends, "mps", None)
    if not wanted:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if mps is not None and mps.is_available() and dtype != torch.float64:
            return torch.device("mps")
        return torch.device("cpu")
    if wanted not in DEVICES:
        raise ValueError(
            f"PBE_DEVICE={os.environ['PBE_DEVICE']!r} is not a device this series knows; "
            f"set it to one of {', '.join(DEVICES)}, or unset it for the automatic choice"
        )
    if wanted == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "PBE_DEVICE=cuda, but torch.cuda.is_available() is False on this computer; "
            "unset PBE_DEVICE or set it to cpu"
        )
    if wanted == "mps" and not (mps is not None and mps.is_available()):
        raise RuntimeError(
            "PBE_DEVICE=mps, but torch.backends.mps.is_available() is False on this computer; "
            "unset PBE_DEVICE or set it to cpu"
        )
    if wanted == "mps" and dtype == torch.float64:
        raise ValueError(
            "PBE_DEVICE=mps, but this computation is in float64, which MPS does not support; "
            "unset PBE_DEVICE (the automatic choice runs float64 on the CPU) or set it to cpu"
        )
    return torch.device(wanted)
