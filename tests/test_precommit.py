"""The pre-commit hooks (.pre-commit-config.yaml): local only, offline, and they catch what they promise.

The notebooks' canonical form is checked by tools/check_notebooks.py, the same code that
tests/test_hygiene.py calls. The end-to-end tests run pre-commit in a temporary clone of the
repository, with a fresh PRE_COMMIT_HOME, a HOME of their own and proxies that lead nowhere.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.notebook_tools import NOTEBOOKS, ROOT
from tools import check_notebooks

CONFIG = ROOT / ".pre-commit-config.yaml"
VENV = Path(sys.prefix)
VENV_BIN = VENV / "bin"
#: The files that make up the hooks and the drivers; the clone gets this checkout's versions of them.
OVERLAY = [".pre-commit-config.yaml", ".gitattributes", "Makefile", "tools/check_notebooks.py", "pyproject.toml"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def hooks() -> list[dict]:
    config = yaml.safe_load(CONFIG.read_text())
    return [dict(hook, repo=repo["repo"]) for repo in config["repos"] for hook in repo["hooks"]]


def git_env(tmp: Path, path: str) -> dict[str, str]:
    """A hermetic environment: no global or system git config, no network, pre-commit's cache in `tmp`."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    dead = "http://127.0.0.1:9"  # nothing listens there: any download fails at once
    return {
        "PATH": path,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "http_proxy": dead,
        "https_proxy": dead,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "PIP_NO_INDEX": "1",
    }


def sh(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


def clone(tmp: Path, env: dict[str, str]) -> Path:
    """A clone of this repository with this checkout's hook files committed on top of HEAD."""
    repo = tmp / "repo"
    sh(["git", "clone", "--quiet", str(ROOT), str(repo)], tmp, env)
    for name in OVERLAY:
        shutil.copyfile(ROOT / name, repo / name)
    sh(["git", "add", *OVERLAY], repo, env)
    sh(["git", "commit", "--quiet", "--allow-empty", "--no-verify", "-m", "this checkout's hook files"], repo, env)
    return repo


def make(target: str, repo: Path, env: dict[str, str]) -> None:
    """Run the Makefile's `target` in `repo` with this .venv, without (re)installing it."""
    sh(["make", "--no-print-directory", "-o", str(VENV / ".installed"), f"VENV={VENV}", target], repo, env)


def set_counts(path: Path, counts: dict[int, int]) -> None:
    """Give the code cells at these positions (0-based among code cells) these execution counts."""
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, count in counts.items():
        code[i]["execution_count"] = count
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


# --- the configuration ------------------------------------------------------------------------------


def test_config_has_only_local_hooks():
    config = yaml.safe_load(CONFIG.read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "only `repo: local`: nothing is cloned"
    assert {hook["id"] for hook in hooks()} == {"ruff-check", "ruff-format", "check-notebooks"}
    for hook in hooks():
        # `unsupported` runs the entry as it is (pre-commit 4.7's name for the deprecated `system`): no environment
        # is built, so nothing is downloaded.
        assert hook["language"] == "unsupported", hook
        assert not hook.get("additional_dependencies"), hook


def test_every_entry_names_a_command_that_exists():
    for hook in hooks():
        words = shlex.split(hook["entry"])
        assert shutil.which(words[0]), f"{hook['id']}: {words[0]} not found"
        if words[:2] == ["sh", "-c"]:  # PATH="$PWD/.venv/bin:$PATH" exec TOOL ARGS "$@"
            inner = shlex.split(words[2])
            tool, args = inner[inner.index("exec") + 1], inner[inner.index("exec") + 2 :]
            assert (ROOT / ".venv" / "bin" / tool).exists() or shutil.which(tool), f"{hook['id']}: {tool} not found"
            for arg in args:
                if arg.endswith(".py"):
                    assert (ROOT / arg).is_file(), f"{hook['id']}: {arg} does not exist"


def test_check_notebooks_knows_the_kernel_that_execute_notebooks_writes():
    tree = ast.parse((ROOT / "tools" / "execute_notebooks.py").read_text())
    written = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        if node.targets[0].id in ("KERNELSPEC", "LANGUAGE_INFO")
    }
    assert written == {"KERNELSPEC": check_notebooks.KERNELSPEC, "LANGUAGE_INFO": check_notebooks.LANGUAGE_INFO}


# --- each rule of the canonical form ------------------------------------------------------------------


def _code(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def no_kernelspec(nb):
    del nb["metadata"]["kernelspec"]


def other_kernel(nb):
    nb["metadata"]["kernelspec"] = {"display_name": "Python [conda env:base]", "language": "python", "name": "conda"}


def python_version(nb):
    nb["metadata"]["language_info"]["version"] = "3.11.9"


def editor_state(nb):
    nb["metadata"]["vscode"] = {"interpreter": {"hash": "0123abcd"}}


def timing(nb):
    _code(nb)[0]["metadata"]["execution"] = {
        "iopub.execute_input": "2024-05-01T10:00:00.000001Z",
        "iopub.status.busy": "2024-05-01T10:00:00.000000Z",
        "iopub.status.idle": "2024-05-01T10:00:00.100000Z",
        "shell.execute_reply": "2024-05-01T10:00:00.100000Z",
    }


def view_state(nb):
    _code(nb)[1]["metadata"]["scrolled"] = True


def counts_1_3_2(nb):
    code = _code(nb)
    code[1]["execution_count"], code[2]["execution_count"] = 3, 2


def not_executed(nb):
    _code(nb)[-1]["execution_count"] = None


def stderr(nb):
    _code(nb)[1]["outputs"].append({"name": "stderr", "output_type": "stream", "text": ["UserWarning: oops\n"]})


def undeclared_error(nb):
    error = {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}
    _code(nb)[1]["outputs"].append(error)


BAD = {
    no_kernelspec: "kernelspec is None",
    other_kernel: "kernelspec is",
    python_version: "language_info is",
    editor_state: "notebook metadata ['vscode']",
    timing: "metadata ['execution']",
    view_state: "metadata ['scrolled']",
    counts_1_3_2: "execution count 3, expected 2",
    not_executed: "execution count None",
    stderr: "stderr output (a forgotten warning?): 'UserWarning: oops'",
    undeclared_error: "error output ValueError",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_real_notebooks_are_canonical(path):
    assert check_notebooks.check(path) == []


@pytest.mark.parametrize("break_it", BAD, ids=lambda f: f.__name__)
def test_each_rule_catches_a_bad_notebook(break_it, tmp_path, capsys):
    nb = json.loads(NOTEBOOKS[0].read_text())
    bad = copy.deepcopy(nb)
    break_it(bad)
    path = tmp_path / NOTEBOOKS[0].name
    path.write_text(json.dumps(bad, indent=1))
    found = check_notebooks.check(path)
    assert found and BAD[break_it] in found[0], found
    assert check_notebooks.main([str(path)]) == 1
    assert capsys.readouterr().out == "".join(f"{path}: {problem}\n" for problem in found)


def test_declared_errors_and_empty_cells_are_canonical():
    nb = json.loads(NOTEBOOKS[0].read_text())
    code = _code(nb)
    undeclared_error(nb)
    code[1]["metadata"]["tags"] = ["raises-exception"]
    empty = {"cell_type": "code", "execution_count": None, "id": "empty", "metadata": {}, "outputs": [], "source": []}
    nb["cells"].append(empty)
    assert check_notebooks.problems(nb) == []
    empty["execution_count"] = len(code) + 1
    assert check_notebooks.problems(nb) == [
        f"cell {len(nb['cells']) - 1} (''): an empty code cell has no execution count and no outputs"
    ]


# --- pre-commit itself, in a clone ---------------------------------------------------------------------


def test_pre_commit_runs_green_in_a_clone_offline(tmp_path):
    env = git_env(tmp_path, f"{VENV_BIN}{os.pathsep}/usr/bin{os.pathsep}/bin")  # the tools from PATH
    repo = clone(tmp_path, env)
    done = sh([str(VENV_BIN / "pre-commit"), "run", "--all-files"], repo, env, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for hook in hooks():
        assert re.search(rf"{re.escape(hook['name'])}\.+Passed", output), output
    assert not list((tmp_path / "pre-commit-home").glob("repo*")), "pre-commit cloned a repository"


def test_installed_hook_blocks_a_commit_with_counts_out_of_order(tmp_path):
    env = git_env(tmp_path, f"/usr/bin{os.pathsep}/bin")  # no activated environment: the hooks use ./.venv
    repo = clone(tmp_path, env)
    make("precommit", repo, env)
    assert "pre-commit" in (repo / ".git" / "hooks" / "pre-commit").read_text()
    (repo / ".venv").symlink_to(VENV)
    notebook = repo / "notebooks" / NOTEBOOKS[0].name
    set_counts(notebook, {1: 3, 2: 2})
    head = sh(["git", "rev-parse", "HEAD"], repo, env).stdout
    done = sh(["git", "commit", "-am", "counts out of order"], repo, env, check=False)
    output = ANSI.sub("", done.stdout + done.stderr)
    assert done.returncode != 0, output
    for hook in hooks():  # ruff found in ./.venv/bin, then the notebook check fails
        verdict = "Failed" if hook["id"] == "check-notebooks" else "Passed"
        assert re.search(rf"{re.escape(hook['name'])}\.+{verdict}", output), output
    assert f"notebooks/{notebook.name}: cell" in output and "execution count 3, expected 2" in output, output
    assert sh(["git", "rev-parse", "HEAD"], repo, env).stdout == head, "the commit was not made"
