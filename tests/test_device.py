import torch

from helpers import choose_device


def test_cpu_when_nothing_else(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert choose_device() == torch.device("cpu")


def test_cuda_first(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert choose_device() == torch.device("cuda")


def test_mps_second_but_not_for_float64(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert choose_device() == torch.device("mps")
    assert choose_device(torch.float32) == torch.device("mps")
    assert choose_device(torch.float64) == torch.device("cpu")


def test_real_device_is_usable():
    device = choose_device()
    assert torch.ones(2, device=device).sum().item() == 2
