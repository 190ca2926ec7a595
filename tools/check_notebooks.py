"""Check that notebooks are stored in the series' canonical form; fast, standard library only.

    python tools/check_notebooks.py notebooks/*.ipynb

`make notebooks` (tools/execute_notebooks.py) writes notebooks in this form; the pre-commit hook
(.pre-commit-config.yaml) and tests/test_hygiene.py both call `problems` below. The rules:

- kernel: nbformat 4; the notebook's metadata is exactly the project's `kernelspec` and
  `language_info` (no Python version, no editor or widget state);
- metadata: a cell's metadata holds nothing but `tags`: no timing (`execution` with its iopub
  timestamps, `ExecuteTime`) and no view state (`scrolled`, `collapsed`, `jupyter`);
- counts: every code cell with source was executed, and the execution counts read 1, 2, 3, ... from
  top to bottom (one clean run in a fresh kernel); an empty code cell has no count and no outputs;
- outputs: no stderr output at all (a warning the notebook means to show is caught with
  `warnings.catch_warnings(record=True)` and printed, as 01 and 04 do), and an error output only in
  a cell that declares it (tag `raises-exception` or `# NBVAL_RAISES_EXCEPTION`).

Exit status 1 and one line per problem if any notebook breaks a rule.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# The same values as tools/execute_notebooks.py writes (tests/test_precommit.py checks that they agree);
# repeated here so that the hook imports nothing but the standard library.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3", "file_extension": ".py"}
NOTEBOOK_METADATA = {"kernelspec", "language_info"}
CELL_METADATA = {"tags"}

Notebook = dict


def _where(index: int, cell: dict) -> str:
    first = "".join(cell.get("source", "")).strip().split("\n")[0][:60]
    return f"cell {index} ({first!r})"


def kernel(nb: Notebook) -> list[str]:
    """nbformat 4 with the project's kernelspec and language_info, and no other notebook metadata."""
    found = []
    if nb.get("nbformat") != 4:
        found.append(f"nbformat is {nb.get('nbformat')}, not 4")
    meta = nb.get("metadata", {})
    if meta.get("kernelspec") != KERNELSPEC:
        found.append(f"kernelspec is {meta.get('kernelspec')}, not the project's {KERNELSPEC}")
    if meta.get("language_info") != LANGUAGE_INFO:
        found.append(f"language_info is {meta.get('language_info')}, not the project's {LANGUAGE_INFO}")
    extra = sorted(set(meta) - NOTEBOOK_METADATA)
    if extra:
        found.append(f"notebook metadata {extra}: editor or session state; remove it")
    return found


def metadata(nb: Notebook) -> list[str]:
    """Cell metadata holds only tags: no timing, no view state."""
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        extra = sorted(set(cell.get("metadata", {})) - CELL_METADATA)
        if extra:
            found.append(f"{_where(i, cell)}: metadata {extra} (timing or view state); only {sorted(CELL_METADATA)}")
    return found


def execution_counts(nb: Notebook) -> list[str]:
    """Every code cell with source executed once, in order: counts 1, 2, 3, ..."""
    found, expected = [], 1
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        count = cell.get("execution_count")
        if not "".join(cell.get("source", "")).strip():
            if count is not None or cell.get("outputs"):
                found.append(f"{_where(i, cell)}: an empty code cell has no execution count and no outputs")
            continue
        if count != expected:
            found.append(
                f"{_where(i, cell)}: execution count {count}, expected {expected} "
                "(counts must run 1, 2, 3, ...: re-run with `make notebooks`)"
            )
        expected += 1
    return found


def outputs(nb: Notebook) -> list[str]:
    """No stderr output anywhere; error outputs only in cells that declare them."""
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        declared = "raises-exception" in cell.get("metadata", {}).get("tags", []) or "NBVAL_RAISES_EXCEPTION" in source
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", "")).strip()[:120]
                found.append(f"{_where(i, cell)}: stderr output (a forgotten warning?): {text!r}")
            elif out.get("output_type") == "error" and not declared:
                found.append(f"{_where(i, cell)}: error output {out.get('ename')} in a cell that does not declare it")
    return found


RULES: tuple[Callable[[Notebook], list[str]], ...] = (kernel, metadata, execution_counts, outputs)


def problems(nb: Notebook) -> list[str]:
    """Every way the notebook (its parsed JSON) departs from the canonical form; empty if none."""
    return [problem for rule in RULES for problem in rule(nb)]


def check(path: Path | str) -> list[str]:
    """The problems of the notebook file at `path`."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"cannot read it as JSON: {error}"]
    if not isinstance(nb, dict):
        return ["not a notebook: the JSON is not an object"]
    return problems(nb)


def main(paths: Iterable[str]) -> int:
    """Print each notebook's problems as `path: problem`; 1 if there were any, else 0."""
    status = 0
    for path in paths:
        for problem in check(path):
            print(f"{path}: {problem}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
