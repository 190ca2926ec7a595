"""Self-checks of 09_control_flow reject wrong answers with a hint and accept the right ones."""

import random

import pytest
import torch

from helpers.exercises import NotYetError
from helpers.exercises.ex09 import check_node_count, check_shared_branches
from tests.self_checks import solved, unattempted


class DynamicNet(torch.nn.Module):
    """09_control_flow's model, small."""

    def __init__(self, D_in, H, D_out, seed=0):
        super().__init__()
        self.input_linear = torch.nn.Linear(D_in, H)
        self.middle_linear = torch.nn.Linear(H, H)
        self.output_linear = torch.nn.Linear(H, D_out)
        self.rng = random.Random(seed)

    def forward(self, x, depth=None):
        if depth is None:
            depth = self.rng.randint(0, 3)
        h_relu = self.input_linear(x).clamp(min=0)
        for _ in range(depth):
            h_relu = self.middle_linear(h_relu).clamp(min=0)
        return self.output_linear(h_relu)


@pytest.fixture
def model_and_x():
    torch.manual_seed(0)
    return DynamicNet(6, 4, 2), torch.ones(3, 6)


def right(depth):
    return 9 + 3 * depth + (2 if depth > 0 else 0)


def test_node_count_accepts_the_formula(model_and_x, capsys):
    assert solved(check_node_count, right, *model_and_x)
    assert "correct" in capsys.readouterr().out


def test_node_count_blank_is_not_attempted(model_and_x, capsys):
    assert unattempted(check_node_count, lambda depth: ..., *model_and_x)
    assert "not attempted" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda d: right(d) + 1, "no MseLossBackward0"),
        (lambda d: 9 + 5 * d, "two nodes too many for every use after the first"),
        (lambda d: 11 + 3 * d, "wrong at depth 0"),
        (lambda d: 9 + 3 * d, r"the graphs have \[9, 14, 17, 20, 23, 26\]\.\n"),
    ],
    ids=["loss node counted", "leaves per use", "depth 0", "other"],
)
def test_node_count_rejects_wrong_formulas(model_and_x, wrong, hint):
    with pytest.raises(NotYetError, match=hint):
        check_node_count(wrong, *model_and_x)


def test_node_count_hints_come_in_tiers_without_the_formula(model_and_x):
    seen = []
    for _ in range(3):
        with pytest.raises(NotYetError) as err:
            check_node_count(lambda d: 9 + 3 * d, *model_and_x)
        seen.append(str(err.value))
    assert "Hint 1 of 3: Some nodes come with every use" in seen[0]
    assert "9 + 3" not in seen[0] and "AddmmBackward0" not in seen[0]
    assert "Hint 2 of 3: Each use adds AddmmBackward0, TBackward0 and ClampBackward1" in seen[1]
    assert "Hint 3 of 3" in seen[2] and "9 + 3" not in seen[2]


def test_node_count_none_is_a_forgotten_return(model_and_x):
    with pytest.raises(NotYetError, match="forget to return"):
        check_node_count(lambda depth: None, *model_and_x)


class Shared(torch.nn.Module):
    def __init__(self, D_in, H):
        super().__init__()
        self.branch = torch.nn.Linear(D_in, H)

    def forward(self, a, b):
        return (self.branch(a).clamp(min=0) - self.branch(b).clamp(min=0)).pow(2).sum(dim=1)


class TwoLayers(torch.nn.Module):
    def __init__(self, D_in, H):
        super().__init__()
        self.left, self.right = torch.nn.Linear(D_in, H), torch.nn.Linear(D_in, H)

    def forward(self, a, b):
        return (self.left(a).clamp(min=0) - self.right(b).clamp(min=0)).pow(2).sum(dim=1)


class OneBranch(Shared):
    def forward(self, a, b):
        return (self.branch(a).clamp(min=0) - b.sum(dim=1, keepdim=True)).pow(2).sum(dim=1)


class Blank(torch.nn.Module):
    pass


def test_shared_branches_accepts_one_shared_layer(capsys):
    assert solved(check_shared_branches, Shared)
    assert "correct" in capsys.readouterr().out


def test_shared_branches_blank_is_not_attempted(capsys):
    assert unattempted(check_shared_branches, Blank)
    assert "not attempted" in capsys.readouterr().out


def test_shared_branches_rejects_two_layers_concept_first():
    with pytest.raises(NotYetError, match="has 36 parameters; one Linear\\(5, 3\\) has 18") as err:
        check_shared_branches(TwoLayers)
    assert "Hint 1 of 2: Weight sharing is one layer object used twice" in str(err.value)
    with pytest.raises(NotYetError, match="Hint 2 of 2: Create a single torch.nn.Linear"):
        check_shared_branches(TwoLayers)


def test_shared_branches_rejects_a_layer_used_once():
    with pytest.raises(NotYetError, match="two gradients"):
        check_shared_branches(OneBranch)


def test_shared_branches_rejects_a_forgotten_return_and_a_wrong_shape():
    class NoReturn(Shared):
        def forward(self, a, b):
            super().forward(a, b)

    class NoSum(Shared):
        def forward(self, a, b):
            return (self.branch(a).clamp(min=0) - self.branch(b).clamp(min=0)).pow(2)

    with pytest.raises(NotYetError, match="forget to return"):
        check_shared_branches(NoReturn)
    with pytest.raises(NotYetError, match=r"returned \(4, 3\); expected a tensor of shape \(4,\)"):
        check_shared_branches(NoSum)
