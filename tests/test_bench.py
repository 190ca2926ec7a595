"""make bench (tools/bench.py): it times the series' programs, and counts their FLOPs right."""

import re

import numpy as np
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from helpers.reference import train_autograd, train_numpy, train_tensors
from tools import bench

SIZES = [bench.TUTORIAL, (7, 11, 5, 3), (1, 1, 1, 1)]
TORCH_PROGRAMS = [bench.manual_program, bench.autograd_program, bench.nn_optim_program]


def test_step_flops_at_the_tutorials_size():
    assert bench.step_flops(*bench.TUTORIAL) == 4 * 64 * 1000 * 100 + 6 * 64 * 100 * 10 == 25_984_000


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("make", TORCH_PROGRAMS, ids=lambda f: f.__name__)
def test_flop_counter_mode_counts_the_same_for_every_torch_program(make, sizes):
    step, _, _ = make(sizes, torch.float64, "cpu")
    with FlopCounterMode(display=False) as counter:
        step()
    assert counter.get_total_flops() == bench.step_flops(*sizes)


@pytest.mark.parametrize(
    ("make", "reference"),
    [
        (bench.numpy_program, train_numpy),
        (bench.manual_program, train_tensors),
        (bench.autograd_program, train_autograd),
    ],
    ids=["numpy", "manual", "autograd"],
)
def test_programs_are_the_series_programs_and_reset_restarts_them(make, reference):
    step, _, reset = make(bench.TUTORIAL, torch.float64, "cpu")
    losses = [step() for _ in range(5)]
    np.testing.assert_allclose(losses, reference(steps=5), rtol=1e-12)
    reset()
    assert step() == losses[0]


def test_nn_optim_program_learns_in_both_dtypes():
    for dtype in (torch.float64, torch.float32):
        step, _, _ = bench.nn_optim_program(bench.TUTORIAL, dtype, "cpu")
        first = step()
        assert all(np.isfinite([step() for _ in range(20)])) and step() < first


@pytest.mark.parametrize("make", [bench.numpy_program, *TORCH_PROGRAMS], ids=lambda f: f.__name__)
def test_products_share_is_measured_inside_the_steps(make):
    """The products' time is a part of the steps' time, measured in the same run: never over 100 %."""
    step, products_share, reset = make((512, 512, 100, 10), torch.float64, "cpu")
    step()  # warm-up
    reset()
    share = products_share(3)
    assert 0.25 < share <= 1.0, share  # at this size the products are most of a step


def test_steps_and_learning_rates_scale_with_size():
    assert bench.steps_for(bench.TUTORIAL) == 500
    assert bench.steps_for((4096, 4096, 100, 10)) == 10
    assert bench.learning_rates(64, 1000) == (1e-6, 1e-4)
    assert bench.learning_rates(1024, 1024)[0] < 1e-6


def test_times_carry_units_the_sanitizer_recognises():
    timing = re.compile(r"\b\d+(\.\d+)? ?(ns|µs|us|ms|s)\b")  # nbval_sanitize.cfg's [timings]
    for seconds in (3e-9, 4.5e-7, 8.124e-4, 3.05e-3, 0.25, 1.2, 150.0):
        assert timing.fullmatch(bench.fmt_time(seconds)), bench.fmt_time(seconds)


def test_measure_steps_and_plot(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "REPEATS", 1)
    monkeypatch.setattr(bench, "steps_for", lambda sizes: 20)
    peaks = {("cpu", torch.float64): 1.0, ("cpu", torch.float32): 1.0}
    rows = bench.measure_steps([(8, 8, 4, 2)], bench.PROGRAMS, peaks)
    assert len(rows) == 2 * len(bench.PROGRAMS)
    mflop = bench.step_flops(8, 8, 4, 2) / 1e6
    assert all(row["finite"] and row["seconds"] > 0 and row["mflop"] == mflop for row in rows)
    assert all(0 < row["products_share"] <= 1 for row in rows), [row["products_share"] for row in rows]
    assert "4*N*D_in*H + 6*N*H*D_out" in capsys.readouterr().out
    bench.plot(tmp_path / "bench.png", rows, peaks)
    assert (tmp_path / "bench.png").read_bytes()[:4] == b"\x89PNG"
