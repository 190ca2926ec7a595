"""Every notebook has at least two exercises, each with a folded solution and a closing self-check call.

That each blank fails its self-check and each folded solution passes it is checked by running
the generated student copies, in tests/test_student.py; wrong answers are rejected in tests/test_exNN.py.
"""

import pytest

from helpers.exercises import NotYetError, blank, diagnosis, not_yet, reset_hints
from tests.notebook_tools import NOTEBOOKS, exercises, read, split_check


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_at_least_two_exercises_each_with_solution_and_self_check(path):
    pairs = exercises(read(path))
    assert len(pairs) >= 2, f"{path.name} has {len(pairs)} exercises; expected at least 2"
    for source, solution in pairs:
        split_check(source)
        assert "...  # your code here" in source, f"exercise without a `...  # your code here` placeholder:\n{source}"
        assert solution.strip(), "empty folded solution"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_cells_show_the_message_alone(path):
    """Under an exercise cell: the self-check's printed message, no bare True/False/None value."""
    for cell in read(path).cells:
        if "exercise" in cell.metadata.get("tags", []):
            kinds = [out["output_type"] for out in cell.get("outputs", [])]
            assert kinds == ["stream"], f"{path.name}: exercise cell outputs {kinds}:\n{cell.source}"


def test_hints_come_in_tiers_concept_first_and_never_past_the_last():
    hints = ["the concept", "a closer hint", "almost there"]
    seen = [str(not_yet("Exercise 9", "wrong.", hints)) for _ in range(4)]
    assert [s.split("\n")[1] for s in seen] == [
        "Hint 1 of 3: the concept",
        "Hint 2 of 3: a closer hint",
        "Hint 3 of 3: almost there",
        "Hint 3 of 3: almost there",
    ]
    assert "more specific hint" in seen[0] and "folded Solution" in seen[2]
    assert seen[0].startswith("Exercise 9: not yet. wrong.")
    reset_hints()
    assert "Hint 1 of 3" in str(not_yet("Exercise 9", "wrong.", hints))


def test_none_is_a_forgotten_return_and_ellipsis_is_not_attempted(capsys):
    with pytest.raises(NotYetError, match="forget to return"):
        blank(None, "Exercise 1")
    assert blank(..., "Exercise 1") is True
    assert capsys.readouterr().out == (
        "Exercise 1: not attempted yet. Replace the `...` with your code and run the cell again.\n"
    )
    assert blank(0.0, "Exercise 1") is False


def test_a_wrong_answer_shows_in_ipython_as_its_message_without_a_traceback(capsys):
    """What a learner sees in Jupyter: IPython's own error display of a failing self-check cell."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    result = shell.run_cell(
        "from helpers.exercises.ex01 import check_mean_loss_gradient\n"
        "check_mean_loss_gradient(lambda y_pred, y: 2.0 * (y_pred - y))"
    )
    shown = capsys.readouterr()
    shown = shown.out + shown.err
    assert isinstance(result.error_in_exec, NotYetError)
    assert shown.startswith("Exercise 1: not yet"), shown
    assert "Traceback" not in shown and "helpers/exercises" not in shown, shown


def test_diagnosis_names_the_first_recognised_mistake_or_ends_the_sentence():
    assert diagnosis("Off", [(False, "a."), (True, "b."), (True, "c.")]) == "Off: b."
    assert diagnosis("Off", [(False, "a.")]) == "Off."
    assert diagnosis("Off", []) == "Off."
