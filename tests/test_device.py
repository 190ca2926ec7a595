import pytest
import torch

from helpers import choose_device


@pytest.fixture
def machine(monkeypatch):
    """Simulate a computer: `machine(cuda=..., mps=..., pbe_device=...)`; PBE_DEVICE unset unless given."""

    def simulate(cuda: bool, mps: bool, pbe_device: str | None = None) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
        if pbe_device is None:
            monkeypatch.delenv("PBE_DEVICE", raising=False)
        else:
            monkeypatch.setenv("PBE_DEVICE", pbe_device)

    return simulate


def test_cpu_when_nothing_else(machine):
    machine(cuda=False, mps=False)
    assert choose_device() == torch.device("cpu")


def test_cuda_first(machine):
    machine(cuda=True, mps=True)
    assert choose_device() == torch.device("cuda")


def test_mps_second_but_not_for_float64(machine):
    machine(cuda=False, mps=True)
    assert choose_device() == torch.device("mps")
    assert choose_device(torch.float32) == torch.device("mps")
    assert choose_device(torch.float64) == torch.device("cpu")


@pytest.mark.parametrize("cuda, mps", [(False, False), (True, False), (False, True), (True, True)])
def test_empty_pbe_device_is_the_automatic_choice(machine, cuda, mps):
    machine(cuda=cuda, mps=mps)
    automatic = choose_device(torch.float32)
    machine(cuda=cuda, mps=mps, pbe_device="")
    assert choose_device(torch.float32) == automatic


@pytest.mark.parametrize("cuda, mps", [(False, False), (True, True)])
def test_pbe_device_cpu_pins_the_cpu(machine, cuda, mps):
    machine(cuda=cuda, mps=mps, pbe_device="cpu")
    assert choose_device() == torch.device("cpu")
    assert choose_device(torch.float32) == torch.device("cpu")
    assert choose_device(torch.float64) == torch.device("cpu")


def test_pbe_device_is_read_case_and_space_insensitively(machine):
    machine(cuda=True, mps=True, pbe_device=" CPU ")
    assert choose_device() == torch.device("cpu")


def test_pbe_device_cuda(machine):
    machine(cuda=True, mps=True, pbe_device="cuda")
    assert choose_device(torch.float64) == torch.device("cuda")


@pytest.mark.parametrize(
    ("wanted", "available", "check"),
    [
        ("cuda", {"cuda": False, "mps": True}, "torch.cuda.is_available()"),
        ("mps", {"cuda": True, "mps": False}, "torch.backends.mps.is_available()"),
    ],
)
def test_pbe_device_unavailable_says_so(machine, wanted, available, check):
    machine(**available, pbe_device=wanted)
    with pytest.raises(RuntimeError) as error:
        choose_device(torch.float32)
    message = str(error.value)
    assert f"PBE_DEVICE={wanted}" in message
    assert f"{check} is False" in message
    assert "unset PBE_DEVICE or set it to cpu" in message


def test_pbe_device_mps_beats_cuda(machine):
    machine(cuda=True, mps=True, pbe_device="mps")
    assert choose_device(torch.float32) == torch.device("mps")


def test_pbe_device_mps_refuses_float64(machine):
    machine(cuda=False, mps=True, pbe_device="mps")
    with pytest.raises(ValueError) as error:
        choose_device(torch.float64)
    message = str(error.value)
    assert "PBE_DEVICE=mps" in message
    assert "float64" in message
    assert "MPS does not support" in message
    assert "unset PBE_DEVICE" in message


@pytest.mark.parametrize("value", ["gpu", "cuda:0", "tpu"])
def test_unknown_pbe_device_lists_the_accepted_values(machine, value):
    machine(cuda=True, mps=True, pbe_device=value)
    with pytest.raises(ValueError) as error:
        choose_device()
    message = str(error.value)
    assert f"PBE_DEVICE={value!r}" in message
    assert "cpu, cuda, mps" in message
    assert "unset it for the automatic choice" in message


def test_real_device_is_usable():
    # Not simulated: honours a PBE_DEVICE set by whoever runs the tests (e.g. cpu on a CI runner).
    device = choose_device()
    assert torch.ones(2, device=device).sum().item() == 2
