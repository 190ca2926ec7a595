"""The reference runs agree with each other and with the losses stored in the notebooks."""

import numpy as np
import pytest
import torch

from helpers import relative_error
from helpers.reference import train_autograd, train_numpy, train_tensors
from tests.notebook_tools import formatted, loss_logs

STEPS = 500


@pytest.fixture(scope="module")
def numpy_losses():
    return train_numpy()


def test_numpy_reference_is_notebook_01(numpy_losses):
    assert loss_logs("01_numpy.ipynb")[0] == formatted(numpy_losses)


def test_tensors_and_autograd_trace_the_numpy_curve_in_float64(numpy_losses):
    tensors, autograd = train_tensors(), train_autograd()
    assert len(tensors) == len(autograd) == STEPS
    assert relative_error(np.array(tensors) / np.array(numpy_losses), np.ones(STEPS)) < 1e-8
    assert relative_error(np.array(autograd) / np.array(tensors), np.ones(STEPS)) < 1e-8


def test_float32_agrees_early_and_then_parts_ways(numpy_losses):
    f32 = np.array(train_tensors(dtype=torch.float32))
    ratio = f32 / np.array(numpy_losses)
    assert np.all(np.abs(ratio[:100] - 1) < 1e-3)
    assert abs(ratio[-1] - 1) > 1, "float32 should end well above float64's loss (rounding floor)"


def test_divergence_shortens_the_run():
    assert len(train_numpy(steps=50, learning_rate=1e-4)) < 50
    assert len(train_tensors(steps=50, learning_rate=1e-4)) < 50
    assert len(train_autograd(steps=50, learning_rate=1e-4)) < 50
