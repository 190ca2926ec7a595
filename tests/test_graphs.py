"""helpers.graphs: the autograd graph of small known expressions, and its drawing."""

import matplotlib
import pytest
import torch

from helpers.graphs import Graph, autograd_graph, plot_graph
from tests.notebook_tools import python

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def test_chain_of_two_operations():
    a = torch.ones(3, requires_grad=True)
    graph = autograd_graph((a * 2).sum())
    assert graph == Graph(("SumBackward0", "MulBackward0", "AccumulateGrad"), ((0, 1), (1, 2)))


def test_a_leaf_used_twice_appears_once_with_two_uses():
    w = torch.ones(2, 2, requires_grad=True)
    x = torch.ones(3, 2)  # needs no gradient: no node
    graph = autograd_graph(x.mm(w).mm(w).sum(), {"w": w})
    assert graph.labels == ("SumBackward0", "MmBackward0", "MmBackward0", "w")
    assert len(graph.edges) == 4 and graph.uses("w") == 2


def test_the_same_input_twice_counts_as_two_uses():
    a = torch.ones(3, requires_grad=True)
    graph = autograd_graph((a * a).sum(), {"a": a})
    assert graph.edges == ((0, 1), (1, 2), (1, 2)) and graph.uses("a") == 2


def test_a_linear_layer_reused_three_times():
    layer = torch.nn.Linear(4, 4)
    h = torch.ones(2, 4)
    for _ in range(3):
        h = layer(h).clamp(min=0)
    graph = autograd_graph(h, dict(layer.named_parameters()))
    # per use: AddmmBackward0, TBackward0, ClampBackward1; the two leaves once
    assert len(graph.labels) == 3 * 3 + 2
    assert graph.labels.count("weight") == graph.labels.count("bias") == 1
    assert graph.uses("weight") == graph.uses("bias") == 3
    assert graph.labels.count("AddmmBackward0") == 3


def test_unnamed_leaves_are_labelled_accumulate_grad():
    layer = torch.nn.Linear(4, 2)
    graph = autograd_graph(layer(torch.ones(1, 4)))
    assert sorted(graph.labels) == ["AccumulateGrad", "AccumulateGrad", "AddmmBackward0", "TBackward0"]
    with pytest.raises(ValueError, match="2 nodes are labelled 'AccumulateGrad'"):
        graph.uses("AccumulateGrad")


@pytest.mark.parametrize(
    "tensor",
    [torch.ones(2, requires_grad=True), torch.ones(2) * 2, torch.ones(2, requires_grad=True).detach() + 1],
    ids=["leaf", "no requires_grad", "detached"],
)
def test_rejects_a_tensor_without_grad_fn(tensor):
    with pytest.raises(ValueError, match="no grad_fn"):
        autograd_graph(tensor)


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="expected a torch.Tensor; got list"):
        autograd_graph([1.0])
    a = torch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="params\\['a'\\] is a float"):
        autograd_graph(a * 2, {"a": 1.0})
    with pytest.raises(ValueError, match="no grad_fn"):
        plot_graph(a)


def test_plot_draws_one_box_per_node_and_one_arrow_per_edge():
    layer = torch.nn.Linear(4, 4)
    out = layer(layer(torch.ones(2, 4)).clamp(min=0))
    params = dict(layer.named_parameters())
    graph = autograd_graph(out, params)
    ax = plot_graph(out, params, title="t")
    assert len(ax.texts) == len(graph.labels) + len(graph.edges)  # annotate() adds an (empty) text per arrow
    shared = [t.get_text() for t in ax.texts if "uses" in t.get_text()]
    assert shared == ["bias\n(2 uses)", "weight\n(2 uses)"]
    assert ax.get_title() == "t"
    plt.close(ax.figure)


def test_plot_is_deterministic_and_draws_on_given_axes():
    def positions():
        layer = torch.nn.Linear(3, 3)
        fig, ax = plt.subplots()
        assert plot_graph(layer(layer(torch.ones(1, 3))), ax=ax) is ax
        xy = [t.get_position() for t in ax.texts if t.get_text()]
        plt.close(fig)
        return xy

    first = positions()
    assert first == positions()
    assert first[0] == (0.0, 0.0)  # the root at the top
    assert len({y for _, y in first}) > 1  # several rows


def test_rows_go_down_along_every_edge():
    layer = torch.nn.Linear(3, 3)
    out = layer(layer(layer(torch.ones(1, 3)).clamp(min=0)))
    graph = autograd_graph(out)
    ax = plot_graph(out)
    xy = [t.get_position() for t in ax.texts if t.get_text()]
    assert all(xy[j][1] < xy[i][1] for i, j in graph.edges)
    for row in {y for _, y in xy}:  # boxes in one row do not overlap
        xs = sorted(x for x, y in xy if y == row)
        assert all(b - a >= 1.0 for a, b in zip(xs, xs[1:], strict=False))
    plt.close(ax.figure)


def test_plotting_leaves_global_settings_alone():
    before = dict.copy(matplotlib.rcParams)
    a = torch.ones(2, requires_grad=True)
    plt.close(plot_graph(a * 2).figure)
    assert dict.copy(matplotlib.rcParams) == before


def test_import_is_light():
    code = "import sys, helpers.graphs; assert 'torch' not in sys.modules and 'matplotlib' not in sys.modules"
    python("-c", code)
