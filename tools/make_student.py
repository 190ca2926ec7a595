"""Generate student copies of the notebooks: no folded solutions, exercises marked TODO, no outputs.

    python tools/make_student.py            # into build/student (what `make student` runs)
    python tools/make_student.py OUT_DIR    # anywhere else (the tests write into a tmp dir)

For every notebooks/NN_topic.ipynb, OUT_DIR/NN_topic.ipynb is the same notebook with
- every `<details><summary>Solution</summary>...</details>` block removed from the markdown;
- every exercise cell (tagged `exercise`) as it is, its placeholder `...  # your code here`
  made unmistakable: `...  # TODO: your code here`; an exercise cell without that placeholder,
  or without its closing self-check call, stops the script with an error;
- all outputs and execution counts cleared; notebook metadata reduced to the kernel and language,
  cell metadata to the `exercise` tag.
Links, imports and figures are unchanged: the copies replace notebooks/ in a learner's clone of the
repository (they import helpers/ and link ../img/ and ../README.md like the originals).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SOLUTION_BLOCK = re.compile(r"\n*<details>\s*<summary>Solution</summary>.*?</details>[ \t]*", re.S)
PLACEHOLDER = re.compile(r"\.\.\.([ \t]*)# your code here")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def student_cell(cell: nbformat.NotebookNode, where: str) -> nbformat.NotebookNode:
    """The student version of one cell."""
    tags = [t for t in cell.metadata.get("tags", []) if t == "exercise"]
    if cell.cell_type == "markdown":
        new = nbformat.v4.new_markdown_cell(SOLUTION_BLOCK.sub("", cell.source).rstrip())
    elif cell.cell_type == "code":
        source = cell.source
        if tags:
            source, placeholders = PLACEHOLDER.subn(r"...\1# TODO: your code here", source)
            if placeholders == 0:
                raise ValueError(f"{where}: exercise cell has no `...  # your code here` placeholder:\n{cell.source}")
            if not source.rstrip().rpartition("\n")[2].startswith("check_"):
                raise ValueError(f"{where}: exercise cell does not end with its self-check call:\n{cell.source}")
        new = nbformat.v4.new_code_cell(source)  # no outputs, execution_count None
    else:
        new = nbformat.v4.new_raw_cell(cell.source)
    if "id" in cell:
        new.id = cell.id
    if tags:
        new.metadata["tags"] = tags
    return new


def student_notebook(path: Path) -> nbformat.NotebookNode:
    """The student version of the notebook at `path`."""
    nb = nbformat.read(path, as_version=4)
    cells = [student_cell(cell, f"{path.name} cell {i}") for i, cell in enumerate(nb.cells)]
    left = [c.source for c in cells if c.cell_type == "markdown" and "<summary>Solution</summary>" in c.source]
    if left:
        raise ValueError(f"{path.name}: a folded solution is not in the expected layout:\n{left[0]}")
    metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    student = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    student.nbformat_minor = nb.nbformat_minor
    nbformat.validate(student)
    return student


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "build" / "student"
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    try:  # every copy is made before anything is written: a failure leaves no half-made folder
        students = {path.name: student_notebook(path) for path in paths}
    except ValueError as err:
        sys.exit(f"make_student: {err}")
    if out.exists():
        if any(p.suffix != ".ipynb" for p in out.iterdir()):
            sys.exit(f"{out} holds files other than notebooks; not overwriting it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, student in students.items():
        nbformat.write(student, out / name)
    exercises = sum("exercise" in c.metadata.get("tags", []) for nb in students.values() for c in nb.cells)
    print(f"{len(students)} student notebooks with {exercises} exercises in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
