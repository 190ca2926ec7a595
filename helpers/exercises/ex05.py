"""Self-checks for the exercises of 05_custom_function."""

from __future__ import annotations

import torch
from torch.nn.functional import leaky_relu

from helpers.checks import relative_error
from helpers.exercises import blank, constant_factor, not_yet, passed

#: The slope of LeakyReLU for negative inputs in exercise 1 (torch.nn.functional.leaky_relu's default).
SLOPE = 0.01


def _away_from_zero(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Return float64 standard-normal values pushed at least 0.1 away from 0, where (leaky) ReLU has its kink."""
    gen = torch.Generator().manual_seed(seed)
    values = torch.randn(shape, generator=gen, dtype=torch.float64)
    return values + 0.1 * values.sign()


def _where_wrong(x: torch.Tensor, got: torch.Tensor, expected: torch.Tensor) -> str:
    """Say how many entries of `got` differ from `expected`, and at which sign of `x`."""
    wrong = (got - expected).abs() > 1e-12 * expected.abs().max()
    signs = [name for name, mask in (("negative", x < 0), ("positive", x > 0)) if bool((wrong & mask).any())]
    return f"{int(wrong.sum())} of {wrong.numel()} entries differ, where the input is {' and '.join(signs)}"


def _backward(out: torch.Tensor, grad_output: torch.Tensor | None, exercise: str) -> bool:
    """Run out.backward(grad_output); False (after printing 'not attempted') if backward is still `...`."""
    try:
        out.backward(grad_output)
    except RuntimeError as err:
        if "ellipsis" in str(err):
            blank(Ellipsis, exercise)
            return False
        raise not_yet(
            exercise,
            f"Autograd refused what your backward returned: {err}.",
            "backward returns one gradient per input of forward, in the same order, each with that "
            "input's shape (or None for an input that needs no gradient).",
        ) from None
    return True


def _gradcheck(fn, inputs: tuple[torch.Tensor, ...], exercise: str) -> None:
    """Raise NotYetError with a hint unless torch.autograd.gradcheck accepts `fn` on `inputs`."""
    if not torch.autograd.gradcheck(fn, inputs, raise_exception=False):
        raise not_yet(
            exercise,
            "torch.autograd.gradcheck finds that your backward does not match finite differences of your forward.",
            [
                "backward must return d(loss)/d(input): grad_output times the slope of your forward at each input.",
                "Compare, input by input, the slope your forward has there with the factor your backward applies.",
            ],
        )


def check_leaky_relu(function_class: type[torch.autograd.Function]) -> None:
    """05_custom_function, exercise 1: `function_class` is LeakyReLU (slope 0.01) as an autograd.Function."""
    x = _away_from_zero((5, 4), seed=1).requires_grad_()
    out = function_class.apply(x)
    if blank(out, "Exercise 1"):
        return
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        raise not_yet(
            "Exercise 1",
            f"forward returned {type(out).__name__} of shape {tuple(getattr(out, 'shape', ()))}; "
            f"expected a tensor of the input's shape {tuple(x.shape)}.",
            "forward computes the output entry by entry from `input` and returns that tensor.",
        )
    expected = leaky_relu(x.detach(), SLOPE)
    if relative_error(out, expected) > 1e-12:
        raise not_yet(
            "Exercise 1",
            f"forward does not match torch.nn.functional.leaky_relu(input, {SLOPE}): "
            f"{_where_wrong(x, out.detach(), expected)}.",
            [
                f"LeakyReLU keeps positive inputs as they are and scales negative ones by a small slope, {SLOPE}, "
                "instead of setting them to 0.",
                "Pick, entry by entry, between two tensors by the sign of the input: torch.where(condition, a, b).",
                "torch.where(input < 0, <the scaled input>, input); keep ctx.save_for_backward(input) for backward.",
            ],
        )
    grad_output = _away_from_zero((5, 4), seed=2)
    given = grad_output.clone()
    if not _backward(out, grad_output, "Exercise 1"):
        return
    if not torch.equal(grad_output, given):
        raise not_yet(
            "Exercise 1",
            "Your backward changed grad_output in place.",
            [
                "grad_output belongs to autograd, which may still need it: treat it as read-only.",
                "Change a copy instead: grad_output.clone().",
            ],
        )
    if x.grad is None:
        raise not_yet(
            "Exercise 1",
            "backward returned None for `input`: did you compute the gradient but forget to return it?",
            "backward returns the gradient for `input`, a tensor of its shape.",
        )
    if relative_error(x.grad, torch.where(x > 0, given, 0.0)) < 1e-12:
        raise not_yet(
            "Exercise 1",
            "Your backward is ReLU's: it zeroes the gradient where input < 0.",
            [
                f"Where input < 0 your forward multiplies by {SLOPE}, so its slope there is {SLOPE}, not 0: "
                "the gradient is scaled there, not stopped.",
                f"Where input < 0, multiply the gradient by {SLOPE} instead of setting it to 0.",
            ],
        )
    ref = x.detach().clone().requires_grad_()
    leaky_relu(ref, SLOPE).backward(given)
    if relative_error(x.grad, ref.grad) > 1e-12:
        raise not_yet(
            "Exercise 1",
            f"The gradient differs from torch.nn.functional.leaky_relu's: {_where_wrong(x, x.grad, ref.grad)}.",
            [
                "By the chain rule backward returns grad_output times the slope of forward: "
                f"1 where input > 0, {SLOPE} where input < 0.",
                "Start from a copy of grad_output and scale only its entries where input < 0.",
                f"grad_input = grad_output.clone(), then multiply the entries selected by input < 0 by {SLOPE}.",
            ],
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
        raise not_yet(
            "Exercise 2",
            f"forward returned {type(loss).__name__} of shape {tuple(getattr(loss, 'shape', ()))}; "
            "expected a single number, a tensor of shape ().",
            [
                "The loss adds up the squared errors of all entries into one number.",
                "End forward with a sum over all entries.",
            ],
        )
    expected = (y_pred.detach() - y).pow(2).sum()
    if relative_error(loss, expected) > 1e-12:
        raise not_yet(
            "Exercise 2",
            f"forward returned {loss.item():.6g}; the sum of squared errors is {expected.item():.6g}.",
            [
                "The loss is the sum, over all entries, of the squared difference between prediction and target.",
                "Subtract, square entry by entry, then sum; save y_pred and y with ctx.save_for_backward.",
            ],
        )
    if not _backward(3.0 * loss, None, "Exercise 2"):  # grad_output is 3, not 1: the chain rule must use it
        return
    if y_pred.grad is None:
        raise not_yet(
            "Exercise 2",
            "backward returned None for y_pred: did you compute its gradient but forget to return it?",
            "backward returns a pair: the gradient for y_pred first, then None for y.",
        )
    true_grad = 2.0 * (y_pred.detach() - y)
    if relative_error(y_pred.grad, true_grad) < 1e-12:
        raise not_yet(
            "Exercise 2",
            "The gradient ignores grad_output. The loss was multiplied by 3 before backward, so grad_output "
            "was 3 and your gradient is a third of autograd's.",
            [
                "backward receives grad_output = d(final result)/d(loss); by the chain rule the gradient for "
                "y_pred is grad_output times d(loss)/d(y_pred).",
                "Multiply your gradient for y_pred by grad_output.",
            ],
        )
    ref = y_pred.detach().clone().requires_grad_()
    (3.0 * (ref - y).pow(2).sum()).backward()
    if relative_error(y_pred.grad, ref.grad) > 1e-12:
        factor = constant_factor(y_pred.grad, ref.grad, tol=1e-9)
        if factor is not None:
            problem = f"Your gradient for y_pred is {factor:.3g} times autograd's, at every entry."
        else:
            problem = "Your gradient for y_pred points elsewhere than autograd's (not a multiple of it)."
        raise not_yet(
            "Exercise 2",
            problem,
            [
                "Each entry of y_pred appears in one term of the sum, so its gradient is the derivative of "
                "that one square, times grad_output.",
                "The derivative of (a - b)**2 with respect to a is 2 (a - b).",
                "grad_output times 2 (y_pred - y), with y_pred and y from ctx.saved_tensors.",
            ],
        )
    y_pred_small = torch.randn((3, 2), generator=gen, dtype=torch.float64, requires_grad=True)
    y_small = torch.randn((3, 2), generator=gen, dtype=torch.float64)
    _gradcheck(lambda a: function_class.apply(a, y_small), (y_pred_small,), "Exercise 2")
    return passed("Exercise 2", "backward returns one gradient per input of forward, scaled by grad_output.")
