"""Every command the README, CONTRIBUTING.md and INSTRUCTOR.md name exists: make targets, programs,
modules, and the files and folders they are given.

Commands are found in ```bash blocks and in `inline code` that starts with a known program. A new kind
of command fails here until this test learns how to check it, so a command cannot go unchecked.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tests.notebook_tools import ROOT, make_targets

DOCS = ["README.md", "CONTRIBUTING.md", "INSTRUCTOR.md"]
BIN = Path(sys.executable).parent
PROGRAMS = r"make|conda|jupyter|pytest|python|bash|git|\.venv/bin/\S+|\.\./\.venv/bin/\S+"
COMMAND = re.compile(rf"^(?:[A-Z_]+=\S+ )*(?:{PROGRAMS})(?: |$)")
BLOCK = re.compile(r"```(?:bash|sh)\n(.*?)```", re.S)
SPAN = re.compile(r"`([^`\n]+)`")
#: Templates in CONTRIBUTING.md's "Add a notebook": the name a new notebook will have.
PLACEHOLDERS = {"notebooks/NN_topic.ipynb"}


def commands(text: str) -> list[str]:
    """The commands named in `text`: each line of a bash block (comments dropped), and command-like code spans."""
    found = [line.split("  #")[0].strip() for block in BLOCK.findall(text) for line in block.splitlines()]
    prose = BLOCK.sub("", text)
    found += [span for span in SPAN.findall(prose) if COMMAND.match(span)]
    return [c for c in found if c]


def named() -> list[tuple[str, str]]:
    return sorted({(doc, c) for doc in DOCS for c in commands((ROOT / doc).read_text(encoding="utf-8"))})


def require_path(arg: str, cwd: Path) -> None:
    if arg in PLACEHOLDERS:
        return
    assert (cwd / arg).exists(), f"{arg} does not exist (relative to {cwd.relative_to(ROOT.parent)})"


def check(command: str) -> None:
    """Assert that `command` (one line, possibly `a && b`) names things that exist."""
    for part in command.split("&&"):
        words = shlex.split(part)
        while words and re.match(r"^[A-Z_]+=", words[0]):
            name, value = words.pop(0).split("=", 1)
            assert name.startswith("PBE_") or name in {"CI", "NB", "REPRO"}, f"unknown environment variable {name}"
            if name == "NB":
                require_path(value, ROOT)
        program, args = words[0], words[1:]
        if program == "make":
            assert shutil.which("make"), "make is not installed"
            defined = make_targets()
            for target in [a for a in args if "=" not in a]:
                assert target in defined, f"`make {target}`: no such target in the Makefile"
            for a in args:
                if a.startswith("NB="):
                    require_path(a[3:], ROOT)
        elif program == "conda":
            env = yaml.safe_load((ROOT / "environment.yml").read_text())
            if args[:2] == ["env", "create"]:
                require_path(args[args.index("-f") + 1], ROOT)
            else:
                assert args == ["activate", env["name"]], f"`{part.strip()}`: environment.yml names {env['name']}"
        elif program in {"pytest", "jupyter", "python"} or "/.venv/bin/" in f"/{program}":
            cwd = ROOT / "notebooks" if program.startswith("../") else ROOT
            executable = BIN / Path(program).name
            if program == "jupyter":
                executable = BIN / f"jupyter-{args[0]}"
            assert executable.exists(), f"`{part.strip()}`: {executable.name} is not installed by `make setup`"
            if args[:1] == ["-m"]:
                assert importlib.util.find_spec(args[1]), f"`{part.strip()}`: no module {args[1]}"
                continue
            for a in args:
                if a.endswith((".py", ".ipynb")) or a.rstrip("/") in {"notebooks", "tests", "tools"}:
                    require_path(a, cwd)
        elif program == "bash":
            require_path(args[0], ROOT)
        elif program == "git":
            assert shutil.which("git")
        else:
            raise AssertionError(f"`{command}`: this test does not know how to check `{program}`; teach it")


@pytest.mark.parametrize(("doc", "command"), named(), ids=lambda x: x)
def test_named_command_exists(doc, command):
    check(command)


def test_the_readme_names_its_routes():
    """The two commands, the conda route and the collect_env command are among those checked."""
    readme = {c for doc, c in named() if doc == "README.md"}
    for needed in ("make lab", "make test", "conda env create -f environment.yml", "jupyter lab", "pytest notebooks"):
        assert needed in readme


@pytest.mark.parametrize(
    "bad",
    [
        "make tset",
        "conda activate pytorch",
        ".venv/bin/pytest notebooks/00_missing.ipynb",
        "python -m torch.utils.collect_environment",
        "jupyter labb",
        "NB=notebooks/99_x.ipynb make repro",
        "make repro NB=notebooks/99_x.ipynb",
        "bash .ci/runn",
        "npm install",
    ],
)
def test_a_wrong_command_is_caught(bad):
    with pytest.raises(AssertionError):
        check(bad)
