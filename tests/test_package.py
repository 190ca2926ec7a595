"""The helpers package: quiet, light import; the project files agree with each other."""

import re

import yaml

from tests.notebook_tools import NOTEBOOKS, ROOT, python

DIRECT = {"numpy", "torch", "jupyterlab", "nbval", "matplotlib", "pytest", "pytest-xdist", "ruff", "playwright"}


def test_import_has_no_side_effects():
    code = (
        "import sys, helpers; "
        "assert 'torch' not in sys.modules, 'torch imported'; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    assert python("-c", code) == ""


def lock_names():
    lines = (ROOT / "requirements-lock.txt").read_text().splitlines()
    return {re.split(r"==", line)[0].lower().replace("_", "-") for line in lines if line and line[0] != "#"}


def test_lock_pins_every_package_exactly():
    lines = [line for line in (ROOT / "requirements-lock.txt").read_text().splitlines() if line[:1] not in "#"]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][A-Za-z0-9.]*", line) for line in lines), lines
    assert DIRECT <= lock_names()


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip == ["-r requirements-lock.txt", "-e ."]
    conda_names = {re.split(r"[=<>]", d)[0] for d in deps if isinstance(d, str)}
    assert conda_names == {"python", "pip"}, "packages belong in the lock, not in conda's list"


def test_readme_lists_every_notebook_in_order():
    readme = (ROOT / "README.md").read_text()
    linked = re.findall(r"\(notebooks/(\d\d_\w+\.ipynb)\)", readme)
    assert linked == [p.name for p in NOTEBOOKS]
