"""Each notebook's first cell says how long it takes; optional sections are marked and can be skipped.

The stated core-path and optional minutes must lie within a factor 1.5 of a reading estimate
(tests.notebook_tools.reading_minutes), and the exercise minutes must match INSTRUCTOR.md's table.
Skipping every optional section must leave a notebook that still runs top to bottom.
"""

from __future__ import annotations

import re

import matplotlib
import pytest

from tests.notebook_tools import NOTEBOOKS, OPTIONAL, ROOT, TIME, parts, read, reading_minutes, run

matplotlib.use("Agg")

params = pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)


def stated(path) -> tuple[int, int, int]:
    """(core, optional, exercises) minutes from the notebook's first cell."""
    found = TIME.search(read(path).cells[0].source)
    assert found, f"{path.name}: no '**Time:** about N minutes for the core path, ...' line in the first cell"
    core, optional, exercises = found.groups()
    return int(core), int(optional or 0), int(exercises)


@params
def test_stated_minutes_match_the_reading_estimate(path):
    core, optional, _ = stated(path)
    split = parts(read(path))
    for what, minutes in (("core", core), ("optional", optional)):
        estimate = reading_minutes(split[what])
        if minutes == 0:
            assert not split[what] or estimate < 3, f"{path.name}: {what} sections but no minutes for them"
            continue
        assert estimate / 1.5 <= minutes <= estimate * 1.5, (
            f"{path.name}: {what} {minutes} min, estimate {estimate:.0f}"
        )


@params
def test_exercise_minutes_match_the_instructor_table(path):
    table = (ROOT / "INSTRUCTOR.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| {path.name[:2]} \| [^|]+ \| \d+ \| (\d+) \| \d+ \|$", table, re.M)
    assert row, f"no timing row for {path.name[:2]} in INSTRUCTOR.md"
    assert stated(path)[2] == int(row.group(1))


@params
def test_optional_sections_are_marked_and_can_be_skipped(path):
    nb = read(path)
    split = parts(nb)
    if not split["optional"]:
        assert stated(path)[1] == 0
        pytest.skip("no optional section")
    for cell in split["optional"]:
        if cell.source.startswith(OPTIONAL):
            assert "*Optional:" in cell.source, f"{path.name}: say in the heading cell that the section is optional"
    namespace: dict = {}
    skipped = {id(c) for c in split["optional"]}
    for cell in nb.cells:
        if cell.cell_type == "code" and id(cell) not in skipped:
            run(cell.source, namespace)
