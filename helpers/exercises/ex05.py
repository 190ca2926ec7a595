"""Self-checks for the exercises of 05_custom_function."""

from __future__ import annotations

import torch
from torch.nn.functional import leaky_relu

from helpers.checks import relative_error
from helpers.exercises import NotYetError, blank, passed

#: The slope of LeakyReLU for negative inputs in exercise 1 (torch.nn.functional.leaky_relu's default).
SLOPE = 0.01


def _away_from_zero(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Return float64 standard-normal values pushed at least 0.1 away from 0, where (leaky) ReLU has its kink."""
    gen = torch.Generator().manual_seed(seed)
    values = torch.randn(shape, generator=gen, dtype=torch.float64)
    return values + 0.1 * values.sign()


def _gradcheck(fn, inputs: tuple[torch.Tensor, ...], exercise: str) -> None:
    """Raise NotYetError with a hint unless torch.autograd.gradcheck accepts `fn` on `inputs`."""
    if not torch.autograd.gradcheck(fn, inputs, raise_exception=False):
        raise NotYetError(
            f"{exercise}: not yet; torch.autograd.gradcheck finds that your backward does not match "
            "finite differences of your forward. Check that backward returns d(loss)/d(input) for every input."
        )


def check_leaky_relu(function_class: type[torch.autograd.Function]) -> None:
    """05_custom_function, exercise 1: `function_class` is LeakyReLU (slope 0.01) as an autograd.Function."""
    x = _away_from_zero((5, 4), seed=1).requires_grad_()
    out = function_class.apply(x)
    if blank(out, "Exercise 1"):
        return
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        raise NotYetError(
            f"Exercise 1: forward returned {type(out).__name__} of shape {tuple(getattr(out, 'shape', ()))}; "
            f"expected a tensor of the input's shape {tuple(x.shape)}."
        )
    expected = leaky_relu(x.detach(), SLOPE)
    if relative_error(out, expected) > 1e-12:
        raise NotYetError(
            f"Exercise 1: not yet; forward does not match torch.nn.functional.leaky_relu(input, {SLOPE}). "
            f"Hint: keep positive inputs, multiply negative ones by {SLOPE}."
        )
    grad_output = _away_from_zero((5, 4), seed=2)
    given = grad_output.clone()
    out.backward(grad_output)
    if not torch.equal(grad_output, given):
        raise NotYetError(
            "Exercise 1: not yet; your backward changed grad_output in place. "
            "Hint: work on grad_output.clone(): autograd may still need the tensor it hands you."
        )
    if x.grad is None:
        raise NotYetError("Exercise 1: not yet; backward returned None. Return the gradient for `input`.")
    if relative_error(x.grad, torch.where(x > 0, given, 0.0)) < 1e-12:
        raise NotYetError(
            f"Exercise 1: not yet; your backward is ReLU's: it zeroes the gradient where input < 0. "
            f"Hint: LeakyReLU's slope there is {SLOPE}, so multiply the gradient by {SLOPE} instead."
        )
    ref = x.detach().clone().requires_grad_()
    leaky_relu(ref, SLOPE).backward(given)
    if relative_error(x.grad, ref.grad) > 1e-12:
        raise NotYetError(
            "Exercise 1: not yet; the gradient differs from torch.nn.functional.leaky_relu's. "
            f"Hint: grad_input = grad_output where input > 0 and {SLOPE} * grad_output where input < 0."
        )
    _gradcheck(function_class.apply, (_away_from_zero((3, 2), seed=3).requires_grad_(),), "Exercise 1")
    return passed("Exercise 1", "forward and backward agree with torch's leaky_relu, and gradcheck passes.")


def check_squared_error(function_class: type[torch.autograd.Function]) -> None:
    """05_custom_function, exercise 2: `function_class`.apply(y_pred, y) is the loss sum((y_pred - y)**2)."""
    gen = torch.Generator().manual_seed(4)
    y_pred = torch.randn((6, 3), generator=gen, dtype=torch.float64, requires_grad=True)
    y = torch.randn((6, 3), generator=gen, dtype=torch.float64)
    loss = function_class.apply(y_pred, y)
    if blank(loss, "Exercise 2"):
        return
    if not isinstance(loss, torch.Tensor) or loss.shape != ():
        raise NotYetError(
            f"Exercise 2: forward returned {type(loss).__name__} of shape {tuple(getattr(loss, 'shape', ()))}; "
            "expected a single number, a tensor of shape (). Hint: end with .sum()."
        )
    expected = (y_pred.detach() - y).pow(2).sum()
    if relative_error(loss, expected) > 1e-12:
        raise NotYetError("Exercise 2: not yet; forward should return (y_pred - y).pow(2).sum().")
    (3.0 * loss).backward()  # grad_output is 3, not 1: the chain rule must use it
    if y_pred.grad is None:
        raise NotYetError("Exercise 2: not yet; backward returned None for y_pred. Return its gradient first.")
    true_grad = 2.0 * (y_pred.detach() - y)
    if relative_error(y_pred.grad, true_grad) < 1e-12:
        raise NotYetError(
            "Exercise 2: not yet; the gradient ignores grad_output. The loss was multiplied by 3 before "
            "backward, so grad_output was 3. Hint: return grad_output * 2 * (y_pred - y) (the chain rule)."
        )
    ref = y_pred.detach().clone().requires_grad_()
    (3.0 * (ref - y).pow(2).sum()).backward()
    if relative_error(y_pred.grad, ref.grad) > 1e-12:
        raise NotYetError(
            "Exercise 2: not yet; the gradient for y_pred differs from autograd's. "
            "Hint: d/dy_pred of sum((y_pred - y)**2) is 2 * (y_pred - y), times grad_output."
        )
    y_pred_small = torch.randn((3, 2), generator=gen, dtype=torch.float64, requires_grad=True)
    y_small = torch.randn((3, 2), generator=gen, dtype=torch.float64)
    _gradcheck(lambda a: function_class.apply(a, y_small), (y_pred_small,), "Exercise 2")
    return passed("Exercise 2", "backward returns one gradient per input of forward, scaled by grad_output.")
