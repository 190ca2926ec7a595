"""A rounding model: what another computer's arithmetic does to the notebooks, simulated on this one.

Other CPUs, BLAS libraries, thread counts and GPUs add up the terms of a matrix product or a
reduction in another order, and so round the result differently, by a few units in the last
place (ulps). `install` replaces torch's CPU kernels of these operations (matrix products and
reductions, which autograd's backward passes call too) by kernels that compute the same result
and then move each floating-point number of it by a whole number of ulps from -max_ulps to +max_ulps:

- the amount is a fixed function of the result's bits and the seed, so identical computations
  stay identical (as they do on any one computer) and a seed is one simulated "other computer";
- it is symmetric, with mean zero, so it is not systematically stronger or weaker than the real thing;
- results that every computer gets exactly are left alone: values whose lowest 8 bits are zero,
  such as sums and products of small integers, zeros, infinities and the default NaN.

Elementwise operations (additions, updates, ReLU) are correctly rounded by IEEE 754 on every
computer and are left alone. numpy is not covered: see the README's section on reproducibility.

Only these kernels pay for the model (a TorchDispatchMode, which sees every operation, made the
notebooks 7 times slower). Installed in a notebook kernel by PBE_ROUNDING_SEED (sitecustomize.py).
"""

from __future__ import annotations

import warnings

import torch

aten = torch.ops.aten

#: For each float dtype: the integer type of the same width, a multiplier for hashing, and the hash bits used.
_LAYOUT = {
    torch.float64: (torch.int64, -7046029254386353131, 40),  # 0x9E3779B97F4A7C15 as a signed int64
    torch.float32: (torch.int32, -1640531535, 16),  # 0x9E3779B1 as a signed int32
    torch.float16: (torch.int16, -25033, 4),
    torch.bfloat16: (torch.int16, -25033, 4),
}
EXACT_LOW_BITS = 0xFF  # a result whose lowest 8 bits are zero is taken to be exact (or zero, or infinite)


def ulp_offsets(values: torch.Tensor, seed: int, max_ulps: int) -> torch.Tensor:
    """The whole number of ulps, from -max_ulps to max_ulps, by which the model moves each value.

    A multiplicative hash of the value's bits and the seed: its high bits depend on all the low ones.
    """
    int_type, multiplier, shift = _LAYOUT[values.dtype]
    bits = values.view(int_type)
    salt = (seed * 0x5BD1E995) & 0x3FFF
    h = ((bits ^ salt) * multiplier >> shift) & 0x3FFF  # integer products wrap around, as intended
    offsets = h % (2 * max_ulps + 1) - max_ulps
    return torch.where(bits & EXACT_LOW_BITS != 0, offsets, 0)


def nudge(values: torch.Tensor, seed: int, max_ulps: int) -> torch.Tensor:
    """Return `values` moved by `ulp_offsets` (a new tensor); other objects unchanged."""
    if not isinstance(values, torch.Tensor) or values.dtype not in _LAYOUT or values.numel() == 0:
        return values
    moved = values.view(_LAYOUT[values.dtype][0]) + ulp_offsets(values, seed, max_ulps)
    return moved.view(values.dtype)


#: Each order-dependent operation (functional overload) and the out= overload that computes it for the new kernel.
ORDER_DEPENDENT = {
    "mm": aten.mm.out,
    "addmm": aten.addmm.out,
    "bmm": aten.bmm.out,
    "baddbmm": aten.baddbmm.out,
    "mv": aten.mv.out,
    "addmv": aten.addmv.out,
    "dot": aten.dot.out,
    "sum": lambda x, *, dtype=None, out: aten.sum.IntList_out(x, None, dtype=dtype, out=out),
    "sum.dim_IntList": aten.sum.IntList_out,
    "mean": lambda x, *, dtype=None, out: aten.mean.out(x, None, dtype=dtype, out=out),
    "mean.dim": aten.mean.out,
    "mse_loss": aten.mse_loss.out,
    "mse_loss_backward": lambda *args, out: aten.mse_loss_backward.grad_input(*args, grad_input=out),
    "linalg_vector_norm": aten.linalg_vector_norm.out,
}


class Installed:
    """The model as installed in this process: its settings and how many results it has moved."""

    def __init__(self, seed: int, max_ulps: int):
        self.seed, self.max_ulps, self.results_moved = seed, max_ulps, 0
        self.library = torch.library.Library("aten", "IMPL")  # kept alive: the kernels live as long as it does

    def kernel(self, name, compute):
        """A CPU kernel for `name` that computes with `compute` (an out= overload) and moves the result."""
        promotes = name.startswith("sum")  # a sum of integers or booleans is an int64, as in torch

        def moved(*args, **kwargs):
            first = args[0]
            integral = not (first.is_floating_point() or first.is_complex())
            dtype = kwargs.get("dtype") or (torch.int64 if promotes and integral else first.dtype)
            out = compute(*args, **kwargs, out=first.new_empty(0, dtype=dtype))
            if out.dtype in _LAYOUT:
                self.results_moved += 1
                out = nudge(out, self.seed, self.max_ulps)
            return out

        return moved


def install(seed: int, max_ulps: int = 2) -> Installed:
    """Replace torch's CPU kernels of the ORDER_DEPENDENT operations by ones that move their results."""
    if max_ulps < 1:
        raise ValueError(f"max_ulps must be at least 1; got {max_ulps}")
    model = Installed(seed, max_ulps)
    with warnings.catch_warnings():  # torch warns that each kernel replaces one: that is the point
        warnings.simplefilter("ignore", UserWarning)
        for name, compute in ORDER_DEPENDENT.items():
            model.library.impl(name, model.kernel(name, compute), "CPU")
    return model
