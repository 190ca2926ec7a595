"""Self-checks of 08_custom_module reject wrong answers with a hint and accept right ones."""

import pytest
import torch

from helpers.exercises import NotYetError
from helpers.exercises.ex08 import check_residual_net, check_three_layer_net
from tests.self_checks import solved, unattempted


class ThreeLayerNet(torch.nn.Module):
    def __init__(self, D_in, H1, H2, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H1)
        self.linear2 = torch.nn.Linear(H1, H2)
        self.linear3 = torch.nn.Linear(H2, D_out)

    def forward(self, x):
        h1 = self.linear1(x).clamp(min=0)
        h2 = self.linear2(h1).clamp(min=0)
        return self.linear3(h2)


class ThreeBlank(torch.nn.Module):
    def __init__(self, D_in, H1, H2, D_out):
        super().__init__()

    def forward(self, x):
        return ...


class ThreeInAList(ThreeLayerNet):
    def __init__(self, D_in, H1, H2, D_out):
        torch.nn.Module.__init__(self)
        self.layers = [torch.nn.Linear(D_in, H1), torch.nn.Linear(H1, H2), torch.nn.Linear(H2, D_out)]

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x) if i == 2 else layer(x).clamp(min=0)
        return x


class ThreeNoReLU(ThreeLayerNet):
    def forward(self, x):
        return self.linear3(self.linear2(self.linear1(x)))


class ThreeReLUAtTheEnd(ThreeLayerNet):
    def forward(self, x):
        return super().forward(x).clamp(min=0)


class ThreeSwappedSizes(ThreeLayerNet):
    def __init__(self, D_in, H1, H2, D_out):
        super().__init__(D_in, H2, H1, D_out)


class ThreeOtherNames(ThreeLayerNet):
    def __init__(self, D_in, H1, H2, D_out):
        torch.nn.Module.__init__(self)
        self.fc1 = torch.nn.Linear(D_in, H1)
        self.fc2 = torch.nn.Linear(H1, H2)
        self.fc3 = torch.nn.Linear(H2, D_out)

    def forward(self, x):
        return self.fc3(self.fc2(self.fc1(x).clamp(min=0)).clamp(min=0))


def test_three_layer_net_accepts_the_solution_and_a_blank_is_not_attempted(capsys):
    assert solved(check_three_layer_net, ThreeLayerNet)
    assert "correct" in capsys.readouterr().out
    assert unattempted(check_three_layer_net, ThreeBlank)
    assert "not attempted" in capsys.readouterr().out


def test_three_layer_net_accepts_relu_written_otherwise():
    class WithReLU(ThreeLayerNet):
        def forward(self, x):
            return self.linear3(torch.relu(self.linear2(torch.nn.functional.relu(self.linear1(x)))))

    assert solved(check_three_layer_net, WithReLU)


@pytest.mark.parametrize(
    ("cls", "hint"),
    [
        (ThreeInAList, "(?s)registers no parameters.*plain Python list"),
        (ThreeNoReLU, "without any ReLU"),
        (ThreeReLUAtTheEnd, "ReLU after linear3 too"),
        (ThreeSwappedSizes, "linear1.weight has shape"),
        (ThreeOtherNames, "named"),
    ],
)
def test_three_layer_net_rejects_wrong_modules(cls, hint):
    with pytest.raises(NotYetError, match=hint):
        check_three_layer_net(cls)


def test_three_layer_net_hints_come_in_tiers_concept_first():
    seen = []
    for _ in range(3):
        with pytest.raises(NotYetError) as err:
            check_three_layer_net(ThreeReLUAtTheEnd)
        seen.append(str(err.value))
    assert "Hint 1 of 3: A ReLU between two layers" in seen[0]
    assert "clamp(min=0)" not in seen[0] and "linear3(" not in seen[0]
    assert "Hint 2 of 3: A ReLU (.clamp(min=0)) after linear1 and after linear2" in seen[1]
    assert "Hint 3 of 3" in seen[2] and "folded Solution" in seen[2]


def test_three_layer_net_rejects_a_forgotten_return_and_a_non_tensor():
    class NoReturn(ThreeLayerNet):
        def forward(self, x):
            super().forward(x)

    class ReturnsAList(ThreeLayerNet):
        def forward(self, x):
            return [super().forward(x)]

    with pytest.raises(NotYetError, match="forget to return"):
        check_three_layer_net(NoReturn)
    with pytest.raises(NotYetError, match="returned a list; expected a tensor"):
        check_three_layer_net(ReturnsAList)


class ResidualNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.hidden = torch.nn.Linear(H, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h = self.linear1(x).clamp(min=0)
        h = h + self.hidden(h).clamp(min=0)
        return self.linear2(h)


class ResidualBlank(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()

    def forward(self, x):
        return ...


class NoSkip(ResidualNet):
    def forward(self, x):
        h = self.linear1(x).clamp(min=0)
        return self.linear2(self.hidden(h).clamp(min=0))


class ReLUAfterTheSum(ResidualNet):
    def forward(self, x):
        h = self.linear1(x).clamp(min=0)
        return self.linear2((h + self.hidden(h)).clamp(min=0))


class SkipFromTheInput(ResidualNet):
    def forward(self, x):
        h = self.linear1(x)
        h = h + self.hidden(h.clamp(min=0)).clamp(min=0)
        return self.linear2(h)


class ResidualOtherNames(ResidualNet):
    def __init__(self, D_in, H, D_out):
        torch.nn.Module.__init__(self)
        self.linear1 = torch.nn.Linear(D_in, H)
        self.block = torch.nn.Linear(H, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h = self.linear1(x).clamp(min=0)
        return self.linear2(h + self.block(h).clamp(min=0))


def test_residual_net_accepts_the_solution_and_a_blank_is_not_attempted(capsys):
    assert solved(check_residual_net, ResidualNet)
    assert "correct" in capsys.readouterr().out
    assert unattempted(check_residual_net, ResidualBlank)
    assert "not attempted" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cls", "hint"),
    [
        (NoSkip, "without the skip connection"),
        (ReLUAfterTheSum, "ReLU applied after the sum"),
        (SkipFromTheInput, "differs from the formula\\.\\n"),
        (ResidualOtherNames, "named"),
    ],
)
def test_residual_net_rejects_wrong_modules(cls, hint):
    with pytest.raises(NotYetError, match=hint):
        check_residual_net(cls)


def test_residual_net_first_hint_is_the_concept():
    with pytest.raises(NotYetError) as err:
        check_residual_net(NoSkip)
    first = str(err.value)
    assert "Hint 1 of 3: A residual block adds its input to its output" in first
    assert "hidden(h)" not in first and "clamp" not in first
