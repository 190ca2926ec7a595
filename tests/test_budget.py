"""The series stays fast to start: `import helpers` is cheap and pulls in neither torch nor matplotlib.

Every notebook imports helpers, usually next to numpy and torch, so what helpers adds on top of
those two is paid in every kernel. It must stay under 50 ms (measured: about 4 ms on a 2-core
laptop-class CPU); torch and matplotlib are imported only by the functions that need them (that is checked in
tests/test_package.py).
"""

import subprocess
import sys

BUDGET_SECONDS = 0.050

AFTER_NUMPY_AND_TORCH = """
import time, numpy, torch
start = time.perf_counter()
import helpers
print(time.perf_counter() - start)
"""


def fresh_python(code: str) -> str:
    """Run `code` in a new interpreter (nothing cached in sys.modules) and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_import_helpers_after_numpy_and_torch_is_under_50_ms():
    best = min(float(fresh_python(AFTER_NUMPY_AND_TORCH)) for _ in range(3))
    assert best < BUDGET_SECONDS, f"import helpers took {best * 1e3:.0f} ms after numpy and torch (best of 3)"
