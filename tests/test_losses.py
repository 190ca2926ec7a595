import math

import numpy as np
import pytest
import torch

from helpers import DivergenceError, LossLog, explain_divergence


def test_records_every_step_and_prints_a_few(capsys):
    log = LossLog(every=100)
    for t in range(500):
        log.record(t, 1000.0 / (t + 1))
    assert len(log.losses) == 500 and log.losses[9] == 100.0
    lines = capsys.readouterr().out.splitlines()
    assert [int(line.split()[1]) for line in lines] == [0, 99, 199, 299, 399, 499]
    assert lines[0] == "step    0   loss 1.00000e+03"


def test_every_none_records_without_printing(capsys):
    log = LossLog(every=None)
    for t in range(300):
        log.record(t, 1.0 / (t + 1))
    assert len(log.losses) == 300 and capsys.readouterr().out == ""
    with pytest.raises(DivergenceError, match="step 300"):
        log.record(300, float("nan"))


def test_digits_follow_the_dtype(capsys):
    LossLog().record(0, torch.tensor(3.14159265, dtype=torch.float32))
    LossLog().record(0, np.float64(3.14159265))
    LossLog(digits=3).record(0, torch.tensor(3.14159265))
    assert capsys.readouterr().out.split("\n")[:3] == [
        "step    0   loss 3.1e+00",
        "step    0   loss 3.14159e+00",
        "step    0   loss 3.14e+00",
    ]


def test_accepts_tensors_and_returns_floats():
    value = LossLog().record(0, torch.tensor(2.5))
    assert isinstance(value, float) and value == 2.5


def test_skipped_or_repeated_step_is_an_error():
    log = LossLog()
    log.record(0, 1.0)
    with pytest.raises(ValueError, match="expected step 1"):
        log.record(2, 1.0)
    with pytest.raises(ValueError, match="expected step 1"):
        log.record(0, 1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, torch.tensor(float("nan"))])
def test_divergence_names_step_and_suggests_smaller_rate(bad):
    log = LossLog(lr=0.01)
    log.record(0, 5.0)
    log.record(1, 7.0e30)
    with pytest.raises(DivergenceError) as err:
        log.record(2, bad)
    message = str(err.value)
    assert "at step 2" in message and "7.0e+30 at step 1" in message
    assert "smaller learning rate than 0.01" in message
    assert len(log.losses) == 2


def test_explain_divergence_prints_instead_of_raising(capsys):
    with explain_divergence():
        log = LossLog(lr=1.0)
        for t in range(10):
            log.record(t, np.float64(10.0) ** (300 * t))  # overflows silently at step 2
    out = capsys.readouterr().out
    assert "Stopped early" in out and "at step 2" in out


def test_explain_divergence_lets_other_errors_through():
    with pytest.raises(KeyError), explain_divergence():
        raise KeyError("x")


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"every": 0}, "every"), ({"every": 1.5}, "every"), ({"digits": 0}, "digits")]
)
def test_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LossLog(**kwargs)


@pytest.mark.parametrize("bad", [np.ones(3), torch.ones(2, 2), "1.0e3"])
def test_loss_must_be_one_number(bad):
    with pytest.raises(ValueError, match="loss must be"):
        LossLog().record(0, bad)
