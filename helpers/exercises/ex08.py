"""Self-checks for the exercises of 08_custom_module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.checks import relative_error
from helpers.exercises import blank, diagnosis, not_yet, passed

if TYPE_CHECKING:
    import torch

#: Exercise 1's sizes: the series' N, D_in, D_out with hidden sizes H1, H2 = 100, 50.
THREE_LAYER_SIZES = (1000, 100, 50, 10)
#: Exercise 2's sizes: small, so the check is instant.
RESIDUAL_SIZES = (6, 5, 3)


def _expected_params(sizes: tuple[int, ...], names: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Return {name.weight: (out, in), name.bias: (out,)} for linear layers chained through `sizes`."""
    shapes = {}
    for name, n_in, n_out in zip(names, sizes[:-1], sizes[1:], strict=True):
        shapes[f"{name}.weight"] = (n_out, n_in)
        shapes[f"{name}.bias"] = (n_out,)
    return shapes


def _check_params(module: torch.nn.Module, expected: dict[str, tuple[int, ...]], exercise: str) -> None:
    """Raise NotYetError with a hint unless `module` registers exactly the parameters in `expected`."""
    found = {name: tuple(p.shape) for name, p in module.named_parameters()}
    if not found:
        raise not_yet(
            exercise,
            "Your module registers no parameters.",
            [
                "nn.Module registers a layer when __init__ assigns it to an attribute of self; "
                "layers kept in a plain Python list are not registered.",
                "Give every layer its own attribute in __init__, after super().__init__(), "
                f"named as the exercise says: {', '.join(sorted({n.split('.')[0] for n in expected}))}.",
            ],
        )
    if set(found) != set(expected):
        raise not_yet(
            exercise,
            f"Your parameters are named {sorted(found)}; expected {sorted(expected)}.",
            "The name of a parameter is the attribute you assign its layer to, then .weight or .bias.",
        )
    for name, shape in expected.items():
        if found[name] != shape:
            raise not_yet(
                exercise,
                f"{name} has shape {found[name]}; expected {shape}.",
                "torch.nn.Linear(n_in, n_out) stores its weight as (n_out, n_in): check the sizes you pass.",
            )


def _linear(state: dict[str, torch.Tensor], name: str, x: torch.Tensor) -> torch.Tensor:
    """Apply the linear layer `name` whose weight and bias are in `state` to `x`: x W^T + b."""
    from torch.nn.functional import linear

    return linear(x, state[f"{name}.weight"], state[f"{name}.bias"])


def _inputs(n_in: int) -> torch.Tensor:
    """Return a fixed (4, n_in) float32 input batch drawn from its own generator."""
    import torch

    return torch.randn(4, n_in, generator=torch.Generator().manual_seed(8))


def _check_tensor(exercise: str, answer: object, expected: torch.Tensor) -> None:
    """Raise NotYetError unless `answer` is a tensor of `expected`'s shape."""
    import torch

    if not isinstance(answer, torch.Tensor):
        raise not_yet(
            exercise,
            f"forward returned a {type(answer).__name__}; expected a tensor.",
            "Return the last layer's output.",
        )
    if tuple(answer.shape) != tuple(expected.shape):
        raise not_yet(
            exercise,
            f"The output has shape {tuple(answer.shape)}; expected {tuple(expected.shape)}.",
            "forward returns the last layer's output: one row per sample, one column per output.",
        )


def _matches(answer: torch.Tensor, candidate: torch.Tensor) -> bool:
    """True if `answer` equals `candidate` up to float32 rounding (shapes already checked)."""
    return relative_error(answer, candidate) < 1e-5


def check_three_layer_net(cls: type) -> None:
    """08_custom_module, exercise 1: cls(D_in, H1, H2, D_out) is linear1-relu-linear2-relu-linear3."""
    import torch

    D_in, H1, H2, D_out = THREE_LAYER_SIZES
    net = cls(D_in, H1, H2, D_out)
    x = _inputs(D_in)
    with torch.no_grad():
        answer = net(x)
    if blank(answer, "Exercise 1"):
        return
    _check_params(net, _expected_params(THREE_LAYER_SIZES, ("linear1", "linear2", "linear3")), "Exercise 1")
    n_params = sum(p.numel() for p in net.parameters())
    if n_params != 105_660:
        raise not_yet(
            "Exercise 1",
            f"Your module has {n_params:,} parameters; expected 105,660.",
            "Count each layer's weight and bias: D_in * H1 + H1, H1 * H2 + H2, H2 * D_out + D_out.",
        )
    p = dict(net.named_parameters())
    with torch.no_grad():
        h1 = _linear(p, "linear1", x)
        h2 = _linear(p, "linear2", h1.clamp(min=0))
        expected = _linear(p, "linear3", h2.clamp(min=0))
        linear_only = _linear(p, "linear3", _linear(p, "linear2", h1))
    _check_tensor("Exercise 1", answer, expected)
    if _matches(answer, expected):
        return passed("Exercise 1", "Each Linear assigned to an attribute is registered: 105,660 parameters found.")
    problem = diagnosis(
        "With the same weights your output differs from the three layers applied by hand",
        [
            (_matches(answer, linear_only), "it equals them without any ReLU."),
            (_matches(answer, expected.clamp(min=0)), "it equals them with a ReLU after linear3 too."),
        ],
    )
    raise not_yet(
        "Exercise 1",
        problem,
        [
            "A ReLU between two layers is what makes the network more than one linear map; the last layer's "
            "output is the prediction, which may be negative.",
            "A ReLU (.clamp(min=0)) after linear1 and after linear2, none after linear3.",
            "Check the order in forward: linear1, ReLU, linear2, ReLU, linear3, and return the last result.",
        ],
    )


def residual_reference(state: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Return linear2(h + relu(hidden(h))) with h = relu(linear1(x)), from the weights in `state`."""
    h = _linear(state, "linear1", x).clamp(min=0)
    h = h + _linear(state, "hidden", h).clamp(min=0)
    return _linear(state, "linear2", h)


def check_residual_net(cls: type) -> None:
    """08_custom_module, exercise 2: cls(D_in, H, D_out) computes linear2(h + relu(hidden(h))), h = relu(linear1(x))."""
    import torch

    D_in, H, D_out = RESIDUAL_SIZES
    net = cls(D_in, H, D_out)
    x = _inputs(D_in)
    with torch.no_grad():
        answer = net(x)
    if blank(answer, "Exercise 2"):
        return
    sizes = {"linear1": (D_in, H), "hidden": (H, H), "linear2": (H, D_out)}
    expected_params = {}
    for name, (n_in, n_out) in sizes.items():
        expected_params.update(_expected_params((n_in, n_out), (name,)))
    _check_params(net, expected_params, "Exercise 2")
    generator = torch.Generator().manual_seed(2)
    state = {name: torch.randn(shape, generator=generator) for name, shape in expected_params.items()}
    net.load_state_dict(state)
    with torch.no_grad():
        answer = net(x)
        expected = residual_reference(state, x)
        h = _linear(state, "linear1", x).clamp(min=0)
        no_skip = _linear(state, "linear2", _linear(state, "hidden", h).clamp(min=0))
        relu_after_sum = _linear(state, "linear2", (h + _linear(state, "hidden", h)).clamp(min=0))
    _check_tensor("Exercise 2", answer, expected)
    if _matches(answer, expected):
        return passed("Exercise 2", "forward is plain Python, so it can add a block's input to its output.")
    problem = diagnosis(
        "With the same weights your output differs from the formula",
        [
            (_matches(answer, no_skip), "it equals the network without the skip connection (no h + ...)."),
            (
                _matches(answer, relu_after_sum),
                "it equals the formula with the ReLU applied after the sum instead of before it.",
            ),
        ],
    )
    raise not_yet(
        "Exercise 2",
        problem,
        [
            "A residual block adds its input to its output: the block's result is h plus a correction "
            "computed from h, so h passes through unchanged if the correction is zero.",
            "Compute h = relu(linear1(x)) first; the correction is relu(hidden(h)), the ReLU before the sum; "
            "linear2 is applied to the sum.",
            "Three lines in forward: h from linear1 and a ReLU; h + the hidden layer's ReLU output; linear2 of that.",
        ],
    )
