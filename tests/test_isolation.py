"""Each notebook runs on its own, in a fresh kernel, in any order, offline, writing nothing.

The notebooks run from a temporary copy, with a temporary HOME, and with every
connection except loopback refused by a sitecustomize guard loaded into the
kernel (tests/offline), side by side (one per free core, one thread each).
Afterwards the copy holds exactly the files it held before and the work tree is
unchanged.
"""

import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook_tools import NOTEBOOKS, ROOT

OFFLINE = ROOT / "tests" / "offline"


def files_under(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def work_tree_state():
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("isolated")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    shutil.copytree(ROOT / "img", tmp / "img")
    (tmp / "home").mkdir()
    return tmp


def execute_offline(path, home):
    """Execute one notebook in a fresh kernel whose environment has no network and a temporary HOME."""
    env = {
        **os.environ,
        "HOME": str(home),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(OFFLINE), os.environ.get("PYTHONPATH")])),
        "CUDA_VISIBLE_DEVICES": "",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        # Kernels run side by side, one per core: more threads than cores makes OpenMP spin and crawl.
        "OMP_NUM_THREADS": "1",
    }
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    return nb


def errors_offline(path, home):
    """The error outputs of one notebook executed by `execute_offline`, as 'name: ename: evalue' lines."""
    nb = execute_offline(path, home)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    return [f"{path.name}: {e['ename']}: {e['evalue']}" for e in errors]


def test_network_is_blocked_inside_the_kernel(sandbox):
    probe = sandbox / "notebooks" / "probe.ipynb"
    cell = (
        "import socket\n"
        "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=5)\n"
        "except OSError as e:\n    print(e)"
    )
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), probe)
    try:
        nb = execute_offline(probe, sandbox / "home")
    finally:
        probe.unlink()
    assert "network access blocked" in nb.cells[0].outputs[0]["text"]


def test_notebooks_run_alone_in_reverse_order_offline(sandbox):
    before_tree, before_copy = work_tree_state(), files_under(sandbox / "notebooks")
    paths = [sandbox / "notebooks" / path.name for path in reversed(NOTEBOOKS)]
    # One kernel per core this pytest process may use: under `make test` the other xdist workers need the rest.
    # More busy processes than cores would also skew notebook 10's timings (its step vs its measured peak).
    cores = (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", 1))
    workers = max(1, min(len(paths), cores))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        errors = [e for found in pool.map(errors_offline, paths, [sandbox / "home"] * len(paths)) for e in found]
    assert not errors, errors
    assert files_under(sandbox / "notebooks") == before_copy, "a notebook wrote a file next to itself"
    assert files_under(sandbox / "img") == files_under(ROOT / "img")
    assert work_tree_state() == before_tree, "running the notebooks changed the work tree"
