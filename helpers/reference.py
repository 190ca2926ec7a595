"""Reference runs of the series' programs, for comparing notebooks with each other (03_tensors to 06_nn).

Each function is the training loop of one notebook, condensed: same data, same
initial weights, same learning rate, so all of them trace the same loss curve.
They stop at the first non-finite loss, so a diverging run returns fewer losses.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from helpers.data import make_data, to_torch

if TYPE_CHECKING:
    import torch


def train_numpy(seed: int = 0, steps: int = 500, learning_rate: float = 1e-6) -> list[float]:
    """Losses of 01_numpy's loop: numpy float64 with a hand-written backward pass."""
    x, y, w1, w2 = make_data(seed)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            h = x.dot(w1)
            h_relu = np.maximum(h, 0)
            y_pred = h_relu.dot(w2)
            loss = float(np.square(y_pred - y).sum())
            if not math.isfinite(loss):
                break
            losses.append(loss)
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_relu.T.dot(grad_y_pred)
            grad_h = grad_y_pred.dot(w2.T)
            grad_h[h < 0] = 0
            grad_w1 = x.T.dot(grad_h)
            w1 -= learning_rate * grad_w1
            w2 -= learning_rate * grad_w2
    return losses


def tensors_step(x: torch.Tensor, y: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor, learning_rate: float):
    """One step of 03_tensors' loop: forward, loss, hand-written backward, in-place update; returns the loss tensor."""
    # Forward pass
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    # Compute loss
    loss = (y_pred - y).pow(2).sum()
    # Backward pass
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h = grad_y_pred.mm(w2.t())
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)
    # Update weights
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
    return loss


def train_tensors(
    seed: int = 0,
    steps: int = 500,
    learning_rate: float = 1e-6,
    dtype: torch.dtype | None = None,
    device: torch.device | str = "cpu",
) -> list[float]:
    """Losses of 03_tensors' loop: torch tensors (float64 by default) with a hand-written backward pass."""
    x, y, w1, w2 = to_torch(*make_data(seed), dtype=dtype, device=device)
    losses = []
    for _ in range(steps):
        loss = tensors_step(x, y, w1, w2, learning_rate).item()
        if not math.isfinite(loss):
            break
        losses.append(loss)
    return losses


def train_autograd(
    seed: int = 0,
    steps: int = 500,
    learning_rate: float = 1e-6,
    dtype: torch.dtype | None = None,
    device: torch.device | str = "cpu",
) -> list[float]:
    """Losses of 04_autograd's loop: torch tensors with gradients from autograd."""
    import torch

    x, y, w1, w2 = to_torch(*make_data(seed), dtype=dtype, device=device)
    w1.requires_grad_()
    w2.requires_grad_()
    losses = []
    for _ in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        if not math.isfinite(loss.item()):
            break
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses
