"""Student copies (`make student`): complete, without solutions, and every self-check still works.

One test runs tools/make_student.py into a temporary folder; the others check each notebook's
copy, made by the same function, on its own. For each notebook: the same cells, the same exercises
with their self-check calls, no folded solution, no output; then its code runs top to bottom as a
learner would run it: each blank exercise must print its self-check's "not attempted" message and
nothing else (the check returns None, so no bare True/False under the cell), and pass once the
reference solution (folded in the source notebook) is put back.
"""

from __future__ import annotations

import re

import matplotlib
import nbformat
import pytest

from tests.notebook_tools import NOTEBOOKS, SOLUTION, exercises, python, read, run, split_check
from tools import make_student

matplotlib.use("Agg")

params = pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
TODO = "# TODO: your code here"
FOLDED = re.compile(r"<details>\s*<summary>Solution</summary>.*?</details>", re.S)


def test_make_student_writes_one_copy_per_notebook(tmp_path):
    out = tmp_path / "student"
    python("tools/make_student.py", str(out))
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert read(out / path.name) == make_student.student_notebook(path)


def is_exercise(cell) -> bool:
    return "exercise" in cell.metadata.get("tags", [])


def words(text: str) -> str:
    return " ".join(text.split())


@params
def test_copy_has_every_cell_and_exercise_and_no_output(path):
    source, student = read(path), make_student.student_notebook(path)
    assert [c.cell_type for c in student.cells] == [c.cell_type for c in source.cells]
    pairs = exercises(source)
    assert sum(map(is_exercise, student.cells)) == sum(map(is_exercise, source.cells)) == len(pairs) >= 2
    for src, new in zip(source.cells, student.cells, strict=True):
        assert is_exercise(new) == is_exercise(src)
        if new.cell_type == "code":
            assert new.outputs == [] and new.execution_count is None
        if is_exercise(new):
            assert split_check(new.source)[1] == split_check(src.source)[1], "the self-check call is kept"
            assert TODO in new.source and "# your code here" not in new.source.replace(TODO, "")
            assert new.source == src.source.replace("# your code here", TODO), "only the placeholder changes"
        elif new.cell_type == "code":
            assert new.source == src.source
        else:  # markdown: the same text, less the folded solutions
            assert words(new.source) == words(FOLDED.sub("", src.source))
        assert set(new.metadata) <= {"tags"}
    assert set(student.metadata) == {"kernelspec", "language_info"}


@params
def test_no_solution_is_left(path):
    source, student = read(path), make_student.student_notebook(path)
    text = "\n".join(c.source for c in student.cells)
    assert "<summary>Solution" not in text
    # Lines that occur only in the folded solutions (not in the task, nor elsewhere in the notebook).
    everything = "\n".join(c.source for c in source.cells)
    public = {line.strip() for line in SOLUTION.sub("", everything).splitlines()}
    secret = {line.strip() for _, sol in exercises(source) for line in sol.splitlines()} - public - {""}
    assert secret, "the solutions hold no line of their own: this test would check nothing"
    lines = {line.strip() for line in text.splitlines()}
    assert not secret & lines, f"solution lines left in the student copy: {secret & lines}"


@params
def test_self_checks_fail_blank_and_pass_with_the_reference_solution(path):
    solutions = iter(solution for _, solution in exercises(read(path)))
    namespace: dict = {}
    for cell in make_student.student_notebook(path).cells:
        if cell.cell_type != "code":
            continue
        if not is_exercise(cell):
            run(cell.source, namespace)
            continue
        blank, out = run(cell.source, namespace)
        assert blank is None and "not attempted" in out, (cell.source, out)
        _, check = split_check(cell.source)
        solution = next(solutions)
        solved, out = run(solution + "\n" + check, namespace)
        assert solved is None and "correct" in out, (solution, out)
    assert next(solutions, None) is None, "an exercise of the source is missing from the student copy"


def exercise_notebook(tmp_path, source: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["exercise"]})]
    path = tmp_path / "99_test.ipynb"
    nbformat.write(nb, path)
    return path


def test_generator_refuses_an_exercise_without_placeholder_or_check(tmp_path):
    path = exercise_notebook(tmp_path, "answer = 42\n\ncheck_answer(answer)")
    with pytest.raises(ValueError, match="placeholder"):
        make_student.student_notebook(path)
    path = exercise_notebook(tmp_path, "answer = ...  # your code here\nprint(answer)")
    with pytest.raises(ValueError, match="self-check"):
        make_student.student_notebook(path)
