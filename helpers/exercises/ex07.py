"""Self-checks for the exercises of 07_optim."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import torch

from helpers.checks import relative_error
from helpers.data import make_data, to_torch
from helpers.exercises import blank, diagnosis, not_yet, passed

#: Exercise 2's goal: Adam must bring the loss below TARGET_LOSS by step TARGET_STEP (the 50th step of the loop).
TARGET_LOSS = 0.5
TARGET_STEP = 49


def _mlp(D_in: int, H: int, D_out: int, dtype: torch.dtype) -> torch.nn.Sequential:
    """The series' network, initialised from seed 0 without touching torch's global RNG."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))
    return model.to(dtype)


def _train(step_fn: Callable | None, lr: float, momentum: float, steps: int = 10) -> torch.nn.Module | None:
    """Train a small float64 network with step_fn(p, grad, v, lr, momentum), or with torch.optim.SGD if None.

    Returns the trained network, or None if step_fn returned the `...` placeholder.
    """
    x, y, _, _ = make_data(0, N=8, D_in=5, H=4, D_out=3)
    x, y = to_torch(x, y, dtype=torch.float64)
    model = _mlp(5, 4, 3, torch.float64)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    velocities = [torch.zeros_like(p) for p in model.parameters()]
    for _ in range(steps):
        model.zero_grad()
        loss_fn(model(x), y).backward()
        if step_fn is None:
            optimizer.step()
            continue
        with torch.no_grad():
            for i, p in enumerate(model.parameters()):
                answer = step_fn(p, p.grad, velocities[i], lr, momentum)
                if blank(answer, "Exercise 1"):
                    return None
                new_p, new_v = _pair(answer, p)
                p.copy_(new_p)
                velocities[i] = new_v.clone()
    return model


def _pair(answer: object, p: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return answer as (new parameter, new velocity), or raise NotYetError unless it is two tensors shaped like p."""
    if not (isinstance(answer, tuple) and len(answer) == 2):
        raise not_yet(
            "Exercise 1",
            f"momentum_step returned a {type(answer).__name__}; expected two tensors.",
            "Return the new parameter and the new velocity, in that order, as a pair: return p_new, v_new.",
        )
    for name, t in zip(("the new parameter", "the new velocity"), answer, strict=True):
        if not isinstance(t, torch.Tensor) or t.shape != p.shape:
            shape = tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__
            raise not_yet(
                "Exercise 1",
                f"{name} is {shape}; expected a tensor of shape {tuple(p.shape)}, the parameter's.",
                "Compute both with tensor arithmetic on p, grad and v: each has the parameter's shape.",
            )
    return answer


def _averaged(p: torch.Tensor, grad: torch.Tensor, v: torch.Tensor, lr: float, momentum: float) -> tuple:
    """The usual wrong answer: a velocity that averages the gradients, v = momentum v + (1 - momentum) grad."""
    v = momentum * v + (1 - momentum) * grad
    return p - lr * v, v


def _plain(p: torch.Tensor, grad: torch.Tensor, v: torch.Tensor, lr: float, momentum: float) -> tuple:
    """Another wrong answer: plain SGD, the velocity ignored."""
    return p - lr * grad, v


def check_momentum_step(momentum_step: Callable) -> None:
    """07_optim, exercise 1: momentum_step(p, grad, v, lr, momentum) -> (new p, new v) as torch.optim.SGD does it."""
    lr, momentum = 0.01, 0.9
    yours = _train(momentum_step, lr, momentum)
    if yours is None:
        return
    refs = {"right": None, "averaged": _averaged, "plain": _plain}
    errors = {kind: _largest_error(yours, _train(step, lr, momentum)) for kind, step in refs.items()}
    if errors["right"] < 1e-10:
        return passed("Exercise 1", "torch.optim.SGD(momentum=0.9) keeps one velocity per parameter: v = 0.9 v + grad.")
    problem = diagnosis(
        f"After 10 steps your weights differ from torch.optim.SGD's by a relative error of {errors['right']:.1e}",
        [
            (
                errors["averaged"] < 1e-10,
                "they are those of a velocity that averages the gradient with a factor 1 - momentum.",
            ),
            (errors["plain"] < 1e-10, "they are those of plain SGD, as if there were no velocity."),
        ],
    )
    raise not_yet(
        "Exercise 1",
        problem,
        [
            "The velocity is a running sum of past gradients: each step it decays by the factor momentum and "
            "takes in the new gradient; the parameter then moves against the velocity, not the raw gradient.",
            "PyTorch adds the whole new gradient to the decayed velocity (no factor 1 - momentum), and the "
            "parameter steps with the velocity of this step, updated first, not with last step's.",
            "Two lines: first the new velocity from v and grad, then the new parameter from p, lr and that new "
            "velocity; return both.",
        ],
    )


def _largest_error(yours: torch.nn.Module, ref: torch.nn.Module) -> float:
    """The largest relative error between corresponding parameters of two modules (inf if one is not finite)."""
    errors = [relative_error(p, q) for p, q in zip(yours.parameters(), ref.parameters(), strict=True)]
    return max(errors) if all(math.isfinite(e) for e in errors) else math.inf


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
        raise not_yet(
            "Exercise 2",
            f"adam_lr is {adam_lr!r}; a learning rate is a positive number such as 1e-3.",
            "Assign a number to adam_lr, for example the rate your search found best.",
        )
    losses = adam_losses(float(adam_lr))
    if len(losses) == TARGET_STEP + 1 and losses[-1] < TARGET_LOSS:
        return passed(
            "Exercise 2",
            f"with lr={adam_lr:g} Adam is below {TARGET_LOSS} at step {TARGET_STEP}; the default 1e-3 is not.",
        )
    if len(losses) < TARGET_STEP + 1:
        problem = f"With lr={adam_lr:g} the loss overflowed at step {len(losses)}: the steps are far too large."
    else:
        # Too large a rate overshoots: the loss rises after the first step, or keeps bouncing in the second half.
        rises = [t for t in range(1, len(losses)) if losses[t] > losses[t - 1] and (t == 1 or t >= len(losses) // 2)]
        if rises:
            trend = f"it rose at step {rises[-1]}: the steps overshoot, so the rate is too large"
        else:
            trend = "it is still falling steadily: the steps are too small"
        problem = (
            f"With lr={adam_lr:g} the loss at step {TARGET_STEP} is {losses[-1]:.1e}, not below {TARGET_LOSS}; {trend}."
        )
    raise not_yet(
        "Exercise 2",
        problem,
        [
            "Adam moves every weight by about lr per step, whatever the size of its gradient: too small a rate "
            "crawls, too large a rate overshoots and bounces. The best rate for 50 steps lies between the two.",
            "The sweep's best decade was 1e-3. Train 50 steps with train(..., steps=50) at a few rates around it "
            "and compare their losses at step 49 (run.losses[-1]).",
            "Try a few rates between 1e-3 and 1e-2 (2e-3, 3e-3, 5e-3, ...) and keep the one with the lowest loss "
            "at step 49.",
        ],
    )
