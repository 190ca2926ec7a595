"""Shared test plumbing: read notebooks, find exercises and their folded solutions, run code cells."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTION = re.compile(r"<details>\s*<summary>Solution</summary>\s*```python\n(.*?)```", re.S)


def python(*args: str, timeout: float | None = None) -> str:
    """Run this interpreter with `args` from the repository root; assert it succeeded and return its stdout."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_targets() -> set[str]:
    """The targets the Makefile defines."""
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))


def check_jsonschema(schema: str, *paths: Path | str) -> subprocess.CompletedProcess:
    """Validate `paths` against check-jsonschema's built-in `schema` (vendored, so offline); return the run."""
    checker = Path(sys.executable).with_name("check-jsonschema")
    command = [str(checker), "--builtin-schema", schema, *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def read(path: Path) -> nbformat.NotebookNode:
    """Return the notebook at `path` (nbformat 4)."""
    return nbformat.read(path, as_version=4)


def exercises(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """Return (exercise cell source, folded solution) pairs; the solution is the last one above the cell."""
    pairs, solution = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = SOLUTION.findall(cell.source)
            solution = found[-1] if found else solution
        elif "exercise" in cell.metadata.get("tags", []):
            assert solution is not None, f"exercise cell without a folded solution above it:\n{cell.source}"
            pairs.append((cell.source, solution))
            solution = None
    return pairs


def split_check(source: str) -> tuple[str, str]:
    """Split an exercise cell into (the learner's part, the final self-check call)."""
    body, _, check = source.rstrip().rpartition("\n")
    assert check.startswith("check_"), f"exercise cell must end with a self-check call:\n{source}"
    return body, check


def run(source: str, namespace: dict) -> tuple[object, str]:
    """Exec `source` in `namespace`; return the value of a final expression line (or None) and stdout."""
    out = io.StringIO()
    *lines, last = source.rstrip().split("\n")
    with contextlib.redirect_stdout(out):
        try:
            compile(last, "<cell>", "eval")
        except SyntaxError:
            exec(compile(source, "<cell>", "exec"), namespace)
            return None, out.getvalue()
        exec(compile("\n".join(lines), "<cell>", "exec"), namespace)
        return eval(compile(last, "<cell>", "eval"), namespace), out.getvalue()


LOGGED_STEPS = (0, 99, 199, 299, 399, 499)


def loss_logs(name: str) -> list[list[str]]:
    """Every stored 500-step training log of notebook `name`: its six 'step N   loss X' lines, in order."""
    logs = []
    for cell in read(ROOT / "notebooks" / name).cells:
        for out in cell.get("outputs", []):
            lines = re.findall(r"^step +\d+ +loss .*$", out.get("text", ""), re.M)
            if len(lines) == len(LOGGED_STEPS):
                logs.append(lines)
    assert logs, f"no training log of {len(LOGGED_STEPS)} lines in {name}"
    return logs


def formatted(losses: list[float], digits: int | None = None) -> list[str]:
    """The lines LossLog prints for a 500-step run with these losses."""
    from helpers import LossLog

    log = LossLog(digits=digits)
    return [log.format(t, losses[t]) for t in LOGGED_STEPS]


OPTIONAL = "## Optional: "
TIME = re.compile(
    r"\*\*Time:\*\* about (\d+) minutes for the core path, plus "
    r"(?:(\d+) for the optional sections and )?(\d+) for the exercises\."
)


def parts(nb: nbformat.NotebookNode) -> dict[str, list]:
    """Split a notebook's cells into 'core', 'optional' and 'exercises' (from the cell with '## Summary' on).

    An optional section starts at a markdown cell whose first line is '## Optional: ...' and ends at
    the next '## ' heading that is not optional.
    """
    out: dict[str, list] = {"core": [], "optional": [], "exercises": []}
    part = "core"
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.search(r"^## Summary", cell.source, re.M):
            part = "exercises"
        elif cell.cell_type == "markdown" and cell.source.startswith("## "):
            if part != "exercises":
                part = "optional" if cell.source.startswith(OPTIONAL) else "core"
        out[part].append(cell)
    return out


def reading_minutes(cells: list) -> float:
    """A self-study estimate: prose at 100 words a minute, code at 5 lines a minute, 20 s to run and read each cell."""
    words = sum(len(c.source.split()) for c in cells if c.cell_type == "markdown")
    code = [c for c in cells if c.cell_type == "code"]
    lines = sum(len(c.source.strip().splitlines()) for c in code)
    return words / 100 + lines / 5 + len(code) / 3
