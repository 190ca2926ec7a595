"""The series stays fast to start: `import helpers` is cheap and pulls in neither torch nor matplotlib.

Every notebook imports helpers, usually next to numpy and torch, so what helpers adds on top of
those two is paid in every kernel. It must stay under 50 ms (measured: about 4 ms on a 2-core
laptop-class CPU); torch and matplotlib are imported only by the functions that need them (that is checked in
tests/test_package.py).
"""

from tests.notebook_tools import python

BUDGET_SECONDS = 0.050

AFTER_NUMPY_AND_TORCH = """
import time, numpy, torch
start = time.perf_counter()
import helpers
print(time.perf_counter() - start)
"""


def test_import_helpers_after_numpy_and_torch_is_under_50_ms():
    # A new interpreter each time: nothing cached in sys.modules.
    best = min(float(python("-c", AFTER_NUMPY_AND_TORCH, timeout=120)) for _ in range(3))
    assert best < BUDGET_SECONDS, f"import helpers took {best * 1e3:.0f} ms after numpy and torch (best of 3)"
