"""pytest set-up shared by the unit tests and nbval, wherever pytest starts (repo root or notebooks/).

- Points nbval at the repository's sanitizer file.
- Makes DeprecationWarning and FutureWarning errors inside the notebook kernels too:
  kernels inherit PYTHONWARNINGS from this process.
- With PBE_ROUNDING_SEED set (`make repro`), puts the rounding model (tests/rounding) on the
  kernels' PYTHONPATH, so that every notebook kernel computes as a simulated other computer would.
- Under pytest-xdist (`make test` runs one worker per core), gives each worker and the kernels
  it starts one thread unless OMP_NUM_THREADS is set: with more busy threads than cores,
  OpenMP threads spin while they wait, and the whole run took 9 minutes instead of 2.
"""

import os
from pathlib import Path

SANITIZE = Path(__file__).parent / "nbval_sanitize.cfg"
ROUNDING_MODEL = Path(__file__).parent / "tests" / "rounding"
WARNINGS_AS_ERRORS = "error::DeprecationWarning,error::FutureWarning"


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", "missing") is None:
        config.option.nbval_sanitize_with = str(SANITIZE)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if os.environ.get("PBE_ROUNDING_SEED") and str(ROUNDING_MODEL) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROUNDING_MODEL), *paths]))
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), WARNINGS_AS_ERRORS]))
