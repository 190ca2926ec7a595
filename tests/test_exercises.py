"""Every exercise: the blank fails its self-check, the folded solution passes it, a wrong answer is rejected."""

import matplotlib
import pytest

from tests.notebook_tools import NOTEBOOKS, exercises, read, run, split_check

matplotlib.use("Agg")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_blank_fails_and_folded_solution_passes(path):
    nb = read(path)
    pairs = exercises(nb)
    assert len(pairs) >= 2, f"{path.name} has {len(pairs)} exercises; expected at least 2"
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "exercise" not in cell.metadata.get("tags", []):
            run(cell.source, namespace)
            continue
        solution = next(sol for src, sol in pairs if src == cell.source)
        blank, out = run(cell.source, namespace)
        assert blank is False and "not attempted" in out, (cell.source, out)
        _, check = split_check(cell.source)
        solved, out = run(solution + "\n" + check, namespace)
        assert solved is True and "correct" in out, (solution, out)
