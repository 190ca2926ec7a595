"""Calibrate the rounding model against the configurations this computer can really run.

    python tools/calibrate_rounding.py      (or: make calibrate)

Runs a few of the series' computations in fresh processes, once per real configuration (the
thread counts and CPU kernels of `make repro`) and once per rounding-model seed at 1, 2 and 4 ulps,
and prints two tables:

1. one float32 matrix product of the series (x @ w1, 64 x 1000 times 1000 x 100): how many ulps
   each configuration moves its results from the base configuration's;
2. losses that rounding moves without chaos (03's float32 run, 07's SGD run, 07's momentum run at step 99),
   as relative deviations from the base configuration's.

The model is calibrated when its deviations cover the real configurations' (per product and per
loss) without being systematically stronger: of both signs, and of the same order.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "rounding"
BASE = {"OMP_NUM_THREADS": "1"}
REAL = {
    "2 threads": {"OMP_NUM_THREADS": "2"},
    "4 threads": {"OMP_NUM_THREADS": "4"},
    "ATen default, SSE4.2": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "OPENBLAS_CORETYPE": "Sandybridge",
    },
    "ATen avx2, AVX2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "OPENBLAS_CORETYPE": "Haswell",
    },
}
SEEDS = range(1, 6)
ULPS = (1, 2, 4)


def observe() -> dict:
    """The computations, in this process: the product's bits and the losses."""
    import torch

    from helpers import make_data, to_torch
    from helpers.reference import train_tensors

    x, y, w1, _ = to_torch(*make_data(0), dtype=torch.float32)
    product = x.mm(w1).view(torch.int32).flatten().tolist()

    def nn_run(momentum: float) -> list[float]:
        """07's Sequential model from the same seed, trained with SGD (lr 1e-4)."""
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(1000, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=momentum)
        losses = []
        for _ in range(500):
            loss = torch.nn.functional.mse_loss(model(x), y, reduction="sum")
            losses.append(loss.item())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return losses

    losses = {
        "03 float32, step 499": train_tensors(dtype=torch.float32)[-1],
        "07 SGD, step 499": nn_run(0.0)[-1],
        "07 momentum, step 99": nn_run(0.9)[99],
    }
    return {"product": product, "losses": losses}


def run(env: dict) -> dict:
    """`observe` in a fresh process with `env` added to a copy of this one's environment.

    With PBE_ROUNDING_SEED in `env`, the model's sitecustomize.py installs it there, as in a notebook kernel.
    """
    done = subprocess.run(
        [sys.executable, __file__, "--observe"],
        env={**os.environ, **BASE, **env, "PYTHONPATH": str(MODEL)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    base = run({})
    configs = {name: run(env) for name, env in REAL.items()}
    for ulps in ULPS:
        for seed in SEEDS:
            configs[f"model {ulps} ulp, seed {seed}"] = run(
                {"PBE_ROUNDING_SEED": str(seed), "PBE_ROUNDING_ULPS": str(ulps)}
            )
    names = list(base["losses"])
    print("configuration                 product: ulps moved (max, mean |.|, share moved)   " + "   ".join(names))
    for name, seen in configs.items():
        ulps = [abs(a - b) for a, b in zip(seen["product"], base["product"], strict=True)]
        moved = sum(u > 0 for u in ulps) / len(ulps)
        devs = [seen["losses"][k] / base["losses"][k] - 1 for k in names]
        print(
            f"{name:30s} {max(ulps):4d} {statistics.mean(ulps):6.2f} {moved:6.0%}      "
            + "   ".join(f"{d:+20.1e}" for d in devs)
        )


if __name__ == "__main__":
    if sys.argv[1:] == ["--observe"]:
        print(json.dumps(observe()))
    else:
        main()
