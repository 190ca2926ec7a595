"""pytest set-up shared by the unit tests and nbval, wherever pytest starts (repo root or notebooks/).

- Points nbval at the repository's sanitizer file.
- Makes DeprecationWarning and FutureWarning errors inside the notebook kernels too:
  kernels inherit PYTHONWARNINGS from this process.
"""

import os
from pathlib import Path

SANITIZE = Path(__file__).parent / "nbval_sanitize.cfg"
WARNINGS_AS_ERRORS = "error::DeprecationWarning,error::FutureWarning"


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", "missing") is None:
        config.option.nbval_sanitize_with = str(SANITIZE)
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), WARNINGS_AS_ERRORS]))
