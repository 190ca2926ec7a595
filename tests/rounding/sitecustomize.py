"""Loaded by every Python started with this folder on PYTHONPATH: install the rounding model.

conftest.py puts this folder on the notebook kernels' PYTHONPATH when PBE_ROUNDING_SEED is set
(`make repro`), so every kernel nbval starts computes as a simulated other computer would.
PBE_ROUNDING_ULPS sets the largest move (default 2 ulps).
"""

import os

if os.environ.get("PBE_ROUNDING_SEED"):
    import rounding_model

    rounding_model.INSTALLED = rounding_model.install(
        seed=int(os.environ["PBE_ROUNDING_SEED"]), max_ulps=int(os.environ.get("PBE_ROUNDING_ULPS", "2"))
    )
