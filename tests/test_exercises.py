"""Every notebook has at least two exercises, each with a folded solution and a closing self-check call.

That each blank fails its self-check and each folded solution passes it is checked by running
the generated student copies, in tests/test_student.py; wrong answers are rejected in tests/test_exNN.py.
"""

import pytest

from tests.notebook_tools import NOTEBOOKS, exercises, read, split_check


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_at_least_two_exercises_each_with_solution_and_self_check(path):
    pairs = exercises(read(path))
    assert len(pairs) >= 2, f"{path.name} has {len(pairs)} exercises; expected at least 2"
    for source, solution in pairs:
        split_check(source)
        assert "...  # your code here" in source, f"exercise without a `...  # your code here` placeholder:\n{source}"
        assert solution.strip(), "empty folded solution"
