"""Self-checks for the exercises of 07_optim."""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable

import torch

from helpers.checks import relative_error
from helpers.data import make_data, to_torch
from helpers.exercises import NotYetError, blank, passed

#: Exercise 2's goal: Adam must bring the loss below TARGET_LOSS by step TARGET_STEP (the 50th step of the loop).
TARGET_LOSS = 0.5
TARGET_STEP = 49


def _mlp(D_in: int, H: int, D_out: int, dtype: torch.dtype) -> torch.nn.Sequential:
    """The series' network, initialised from seed 0 without touching torch's global RNG."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))
    return model.to(dtype)


def _momentum_runs(
    step_fn: Callable, lr: float = 0.01, momentum: float = 0.9, steps: int = 10
) -> tuple[torch.nn.Module, torch.nn.Module] | None:
    """Train two copies of a small float64 network: one with step_fn, one with torch.optim.SGD(momentum=...).

    Returns (yours, torch's), or None if step_fn returned None (the placeholder).
    """
    x, y, _, _ = make_data(0, N=8, D_in=5, H=4, D_out=3)
    x, y = to_torch(x, y, dtype=torch.float64)
    yours = _mlp(5, 4, 3, torch.float64)
    ref = copy.deepcopy(yours)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(ref.parameters(), lr=lr, momentum=momentum)
    velocities = [torch.zeros_like(p) for p in yours.parameters()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(ref(x), y).backward()
        optimizer.step()
        yours.zero_grad()
        loss_fn(yours(x), y).backward()
        with torch.no_grad():
            for i, p in enumerate(yours.parameters()):
                answer = step_fn(p, p.grad, velocities[i], lr, momentum)
                if blank(answer, "Exercise 1"):
                    return None
                if not (isinstance(answer, tuple) and len(answer) == 2):
                    raise NotYetError(
                        f"Exercise 1: momentum_step must return two tensors (new_param, new_velocity); "
                        f"got {type(answer).__name__}"
                    )
                new_p, new_v = answer
                for name, t in (("new_param", new_p), ("new_velocity", new_v)):
                    if not isinstance(t, torch.Tensor) or t.shape != p.shape:
                        shape = tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__
                        raise NotYetError(f"Exercise 1: {name} is {shape}; expected a tensor of shape {tuple(p.shape)}")
                p.copy_(new_p)
                velocities[i] = new_v.clone()
    return yours, ref


def check_momentum_step(momentum_step: Callable) -> None:
    """07_optim, exercise 1: momentum_step(p, grad, v, lr, momentum) -> (new p, new v) as torch.optim.SGD does it."""
    runs = _momentum_runs(momentum_step)
    if runs is None:
        return
    yours, ref = runs
    for (name, p), q in zip(yours.named_parameters(), ref.parameters(), strict=True):
        err = relative_error(p, q)
        if not err < 1e-10:
            raise NotYetError(
                f"Exercise 1: not yet; after 10 steps {name} differs from torch.optim.SGD's by a relative "
                f"error of {err:.1e}. Hint: PyTorch adds the whole gradient to the velocity, v = momentum * v + grad "
                "(no factor 1 - momentum), then steps p - lr * v with the new v."
            )
    return passed("Exercise 1", "torch.optim.SGD(momentum=0.9) keeps one velocity per parameter: v = 0.9 v + grad.")


def adam_losses(lr: float, steps: int = TARGET_STEP + 1, seed: int = 0) -> list[float]:
    """Losses of 07_optim's loop with torch.optim.Adam(lr=lr), float32 on the CPU; stops at a non-finite loss."""
    x, y, _, _ = make_data(seed)
    x, y = to_torch(x, y, dtype=torch.float32)
    model = _mlp(x.shape[1], 100, y.shape[1], torch.float32)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        if not math.isfinite(loss.item()):
            break
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


def check_adam_rate(adam_lr: float) -> None:
    """07_optim, exercise 2: with Adam(lr=adam_lr) the loss is below TARGET_LOSS at step TARGET_STEP."""
    if blank(adam_lr, "Exercise 2"):
        return
    if isinstance(adam_lr, bool) or not isinstance(adam_lr, numbers.Real) or not 0 < adam_lr < 10:
        raise NotYetError(f"Exercise 2: adam_lr must be a positive number such as 1e-3; got {adam_lr!r}")
    losses = adam_losses(float(adam_lr))
    if len(losses) == TARGET_STEP + 1 and losses[-1] < TARGET_LOSS:
        return passed(
            "Exercise 2",
            f"with lr={adam_lr:g} Adam is below {TARGET_LOSS} at step {TARGET_STEP}; the default 1e-3 is not.",
        )
    if len(losses) < TARGET_STEP + 1:
        raise NotYetError(f"Exercise 2: not yet; with lr={adam_lr:g} the loss overflowed. Try a smaller rate.")
    # Too large a rate overshoots: the loss rises after the first step, or keeps bouncing in the second half.
    rises = [t for t in range(1, len(losses)) if losses[t] > losses[t - 1] and (t == 1 or t >= len(losses) // 2)]
    if rises:
        hint = f"it rose at step {rises[-1]}: the steps overshoot. Try a smaller rate"
    else:
        hint = "it is still falling steadily: the steps are too small. Try a larger rate"
    raise NotYetError(
        f"Exercise 2: not yet; with lr={adam_lr:g} the loss at step {TARGET_STEP} is {losses[-1]:.1e}, "
        f"not below {TARGET_LOSS}; {hint}."
    )
