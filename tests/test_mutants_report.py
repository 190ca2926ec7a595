"""make mutants (tools/mutants.py): when the unmutated copy fails, it says which cells and tests, and how."""

import shutil

import nbformat

from tests.notebook_tools import ROOT
from tools import mutants


def code_cell(source: str, stored: str | None, cell_id: str, count: int) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=cell_id, execution_count=count)
    if stored is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    return cell


def test_a_failing_baseline_names_the_cells_and_tests_and_shows_the_differences(tmp_path):
    for name in ("pyproject.toml", "conftest.py", "nbval_sanitize.cfg"):
        shutil.copy(ROOT / name, tmp_path / name)
    notebook = nbformat.v4.new_notebook()
    steps = [f"step {step:3d} loss {1 / (step + 1):.6f}" for step in range(30)]
    stale = [*steps[:17], "step  17 loss 0.055555", *steps[18:]]
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A notebook whose stored outputs are stale", id="m00"),
        code_cell("print('loss 1.0')\nprint('same')", "loss 2.0\nsame\n", "c01", 1),
        code_cell("print('ran on cpu')", "ran on cuda\n", "c02", 2),  # masked by nbval_sanitize.cfg: passes
        code_cell(
            "for step in range(30):\n    print(f'step {step:3d} loss {1 / (step + 1):.6f}')",
            "\n".join(stale) + "\n",
            "c03",
            3,
        ),
        code_cell("1 / 0", None, "c04", 4),
    ]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(notebook, tmp_path / "notebooks" / "stale.ipynb")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_sums.py").write_text(
        "def test_fine():\n    pass\n\n\ndef test_sum():\n    assert 1 + 1 == 3, 'arithmetic is broken'\n"
    )

    report = mutants.baseline_failures(tmp_path, ("notebooks/stale.ipynb", "tests/test_sums.py"))

    assert report is not None
    lines = report.splitlines()
    assert lines[:4] == [
        "notebooks/stale.ipynb::Cell 0 (id c01): Cell outputs differ",
        "    mismatch 'stdout'",
        "    fresh   loss 1.0",
        "    stored  loss 2.0",
    ]
    assert lines[4] == "notebooks/stale.ipynb::Cell 2 (id c03): Cell outputs differ"
    assert lines[6:8] == ["    fresh   step  17 loss 0.055556", "    stored  step  17 loss 0.055555"]
    assert lines[8] == "notebooks/stale.ipynb::Cell 3 (id c04): Cell execution caused an exception"
    assert "    ZeroDivisionError: division by zero" in lines
    assert "tests/test_sums.py::test_sum" in lines
    assert "    E   AssertionError: arithmetic is broken" in lines
    assert not any("Cell 1" in line or "test_fine" in line for line in lines)
    assert len(lines) < 25


def test_a_passing_baseline_reports_nothing(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "test_fine.py").write_text("def test_fine():\n    pass\n")
    assert mutants.baseline_failures(tmp_path, ("test_fine.py",)) is None


def test_the_report_is_capped(tmp_path):
    blocks = [f"{'_' * 10} test_{n} {'_' * 10}\n" + "".join(f"E   line {i}\n" for i in range(30)) for n in range(12)]
    output = "=" * 10 + " FAILURES " + "=" * 10 + "\n" + "".join(blocks) + "=" * 10 + " 12 failed " + "=" * 10 + "\n"
    lines = mutants.summarize(output, tmp_path).splitlines()
    assert len(lines) == mutants.MAX_FAILURES * (1 + mutants.MAX_LINES + 1) + 1
    assert lines[0] == "test_0"
    assert lines[mutants.MAX_LINES + 1] == "    ... 10 more lines"
    assert lines[-1] == "... and 2 more failures"


def test_without_failure_sections_the_report_is_the_end_of_the_output(tmp_path):
    output = "ImportError while loading conftest '/tmp/conftest.py'.\nModuleNotFoundError: No module named 'nbval'\n"
    assert mutants.summarize(output, tmp_path).splitlines() == [
        "pytest's last lines:",
        "ImportError while loading conftest '/tmp/conftest.py'.",
        "ModuleNotFoundError: No module named 'nbval'",
    ]


def test_a_pytest_run_that_runs_out_of_time_fails_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(mutants, "TIMEOUT", 0.01)
    result = mutants.run_pytest(tmp_path, ("tests",))
    assert result.returncode == 124 and "did not finish within 0.01 s" in result.stdout
    assert "did not finish" in mutants.summarize(result.stdout, tmp_path)
