"""nbdime for reviewers: .gitattributes routes notebooks to nbdime's drivers, `make nbdime` configures them.

The end-to-end test runs `make nbdime` in a temporary clone, with no global git config and a PATH
without .venv/bin, and checks that this repository's own .git/config is left as it was.
"""

from __future__ import annotations

import json
import os

from tests.notebook_tools import NOTEBOOKS, ROOT
from tests.test_precommit import ANSI, VENV_BIN, clone, git_env, make, sh

ATTRIBUTES = "*.ipynb diff=jupyternotebook merge=jupyternotebook"


def test_gitattributes_route_notebooks_to_nbdime():
    lines = [line.split() for line in (ROOT / ".gitattributes").read_text().splitlines()]
    assert ATTRIBUTES.split() in lines
    env = {"PATH": os.environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = sh(["git", "check-attr", "diff", "merge", "--", NOTEBOOKS[0].relative_to(ROOT).as_posix()], ROOT, env)
    assert done.stdout.count(": jupyternotebook") == 2, done.stdout


def test_make_nbdime_gives_a_cell_level_git_diff(tmp_path):
    ours = (ROOT / ".git" / "config").read_bytes()
    env = git_env(tmp_path, f"/usr/bin{os.pathsep}/bin")  # no activated environment
    repo = clone(tmp_path, env)
    make("nbdime", repo, env)
    make("nbdime", repo, env)  # again: the drivers' paths are not prefixed twice
    config = sh(["git", "config", "--local", "--list"], repo, env).stdout
    assert f"diff.jupyternotebook.command={VENV_BIN}/git-nbdiffdriver diff\n" in config, config
    assert f"merge.jupyternotebook.driver={VENV_BIN}/git-nbmergedriver merge " in config, config
    assert sh(["git", "status", "--porcelain"], repo, env).stdout == "", ".gitattributes was already complete"

    notebook = repo / "notebooks" / NOTEBOOKS[0].name
    nb = json.loads(notebook.read_text())
    index, cell = next((i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    cell["source"].insert(0, "# one changed line\n")
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    diff = ANSI.sub("", sh(["git", "diff", "--", f"notebooks/{notebook.name}"], repo, env).stdout)
    assert diff.startswith("nbdiff "), diff
    assert f"## modified /cells/{index}/source:" in diff and "+# one changed line" in diff, diff
    assert '"source": [' not in diff and '"cell_type"' not in diff, "a raw JSON diff"

    assert (ROOT / ".git" / "config").read_bytes() == ours, "the test changed this repository's .git/config"
    assert not (tmp_path / "home" / ".gitconfig").exists(), "nothing global"
