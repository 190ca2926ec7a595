"""The rounding model (tests/rounding): what it moves, by how much, and that it is active in nbval's kernels."""

import os
import subprocess
import sys

import nbformat
import pytest
import torch

from tests.notebook_tools import ROOT, python

MODEL_DIR = ROOT / "tests" / "rounding"
sys.path.insert(0, str(MODEL_DIR))
import rounding_model  # noqa: E402

IMPORT_MODEL = f"import sys; sys.path.insert(0, {str(MODEL_DIR)!r})\nimport torch, rounding_model\n"

INT = {torch.float32: torch.int32, torch.float64: torch.int64}


def ulps_moved(before, after):
    return after.view(INT[after.dtype]).long() - before.view(INT[before.dtype]).long()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_moves_by_at_most_max_ulps_symmetrically(dtype):
    values = torch.randn(50_000, dtype=dtype, generator=torch.Generator().manual_seed(0)) * 1e3
    moved = ulps_moved(values, rounding_model.nudge(values, seed=1, max_ulps=2))
    counts = torch.bincount(moved + 2, minlength=5)
    assert moved.abs().max() == 2 and counts.min() > 0.18 * len(values)  # each of -2..2 about a fifth
    assert abs(moved.double().mean()) < 0.02  # no systematic direction


def test_same_bits_same_move_and_seeds_differ():
    values = torch.randn(10_000, generator=torch.Generator().manual_seed(1))
    assert torch.equal(rounding_model.nudge(values, 3, 2), rounding_model.nudge(values.clone(), 3, 2))
    assert not torch.equal(rounding_model.nudge(values, 3, 2), rounding_model.nudge(values, 4, 2))


def test_leaves_exact_results_alone():
    exact = torch.tensor([0.0, -0.0, 1.0, 6.0, -1024.0, 0.5, float("inf"), -float("inf")])
    assert torch.equal(rounding_model.nudge(exact, 1, 2), exact)
    assert torch.equal(rounding_model.nudge(torch.arange(10), 1, 2), torch.arange(10))  # integers untouched


def test_install_moves_products_and_reductions_forward_and_backward():
    code = """
g = torch.Generator().manual_seed(0)
a, b = torch.randn(64, 100, generator=g), torch.randn(100, 10, generator=g, requires_grad=True)
exact = torch.empty(0); torch.ops.aten.mm.out(a, b.detach(), out=exact)
model = rounding_model.install(seed=3)
moved = a.mm(b)
forward = model.results_moved
moved.sum().backward()
ulps = (moved.detach().view(torch.int32).long() - exact.view(torch.int32).long()).abs()
print(forward, model.results_moved - forward, ulps.max().item(), (ulps > 0).float().mean().item() > 0.5)
"""
    forward, backward, max_ulps, most_moved = python("-c", IMPORT_MODEL + code, timeout=120).split()
    assert (forward, max_ulps, most_moved) == ("1", "2", "True")
    assert int(backward) >= 2  # the sum, and the product that gives b's gradient


def test_install_keeps_integer_results_and_their_dtypes():
    code = """
rounding_model.install(seed=1)
a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
print(a.mm(a.t()).tolist(), a.mm(a.t()).dtype, (a > 2).sum().item(), (a > 2).sum().dtype, a.sum(dim=1).tolist())
"""
    printed = python("-c", IMPORT_MODEL + code, timeout=120).split()
    assert printed == ["[[5,", "14],", "[14,", "50]]", "torch.int32", "3", "torch.int64", "[3,", "12]"]


def test_install_rejects_no_move():
    with pytest.raises(ValueError, match="max_ulps must be at least 1"):
        rounding_model.install(seed=1, max_ulps=0)


PROBE = """import torch, rounding_model
g = torch.Generator().manual_seed(0)
a, b = torch.randn(64, 100, generator=g), torch.randn(100, 10, generator=g)
exact = torch.empty(0)
torch.ops.aten.mm.out(a, b, out=exact)  # the unmodified kernel
moved = (a.mm(b).view(torch.int32) - exact.view(torch.int32)).abs()
print(rounding_model.INSTALLED.seed, moved.max().item(), rounding_model.INSTALLED.results_moved > 0)"""


def test_probe_model_is_active_inside_nbval_kernels(tmp_path):
    """nbval, as `make repro` runs it, with PBE_ROUNDING_SEED=3: the kernel's products move by up to 2 ulps."""
    cell = nbformat.v4.new_code_cell(PROBE, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3 2 True\n")]
    probe = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), probe)
    command = [sys.executable, "-m", "pytest", "-c", "pyproject.toml", "-p", "conftest", "-q", "-n", "0", str(probe)]
    env_on = {**os.environ, "PBE_ROUNDING_SEED": "3"}
    on = subprocess.run(command, cwd=ROOT, env=env_on, capture_output=True, text=True, timeout=300)
    assert on.returncode == 0, on.stdout[-3000:]
    env_off = {k: v for k, v in env_on.items() if k != "PBE_ROUNDING_SEED"}
    off = subprocess.run(command, cwd=ROOT, env=env_off, capture_output=True, text=True, timeout=300)
    assert off.returncode != 0 and "No module named 'rounding_model'" in off.stdout
