"""INSTRUCTOR.md stays true to the notebooks: one section per notebook, consistent timings,
and every `quoted` piece of code or output still present in the notebook it is quoted from.

Run after re-executing a notebook: a changed number in its stored outputs fails here until the notes
are updated.
"""

from __future__ import annotations

import re

import pytest

from tests.notebook_tools import NOTEBOOKS, ROOT, read

NOTES = ROOT / "INSTRUCTOR.md"
SPAN = re.compile(r"`([^`\n]+)`")
SECTION = re.compile(r"^## (.+)$", re.M)
ACROSS = "Across the series"


def words(text: str) -> str:
    return " ".join(text.split())


def sections() -> dict[str, str]:
    """Heading -> body of every `## ` section of the notes."""
    parts = SECTION.split(NOTES.read_text(encoding="utf-8"))
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def first_heading(path) -> str:
    return read(path).cells[0].source.splitlines()[0].removeprefix("# ").strip()


def notebook_text(path) -> str:
    """Every cell's source and every stored text output of the notebook, whitespace collapsed."""
    texts = []
    for cell in read(path).cells:
        texts.append(cell.source)
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts.append(output.get("data", {}).get("text/plain", ""))
    return words("\n".join(texts))


def test_one_section_per_notebook_in_reading_order():
    headings = [h for h in sections() if re.match(r"\d\d · ", h)]
    assert headings == sorted(headings), "sections out of reading order"
    missing = [first_heading(p) for p in NOTEBOOKS if first_heading(p) not in headings]
    assert not missing, f"no section for {missing}"


def test_timings_add_up_and_match_the_sections():
    notes = sections()
    rows = re.findall(r"^\| (\d\d) \| ([^|]+) \| (\d+) \| (\d+) \| (\d+) \|$", notes["Timing"], re.M)
    assert rows, "no timing table"
    for number, title, teach, exercises, total in rows:
        assert int(teach) + int(exercises) == int(total), number
        body = notes[f"{number} · {title.strip()}"]
        assert f"**{teach} min teaching, {exercises} min exercises.**" in body, f"{number}: times differ from the table"
    totals = re.search(r"\*\*All \w+\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\*", notes["Timing"])
    assert totals and len(rows) == len(NOTEBOOKS)
    assert [int(t) for t in totals.groups()] == [sum(int(r[i]) for r in rows) for i in (2, 3, 4)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_quote_is_in_the_notebook(path):
    body = sections().get(first_heading(path))
    assert body is not None, f"no section for {path.name}"
    text = notebook_text(path)
    stale = [span for span in SPAN.findall(body) if words(span) not in text]
    assert not stale, f"quoted in INSTRUCTOR.md but not in {path.name}: {stale}"


def test_every_quote_across_the_series_is_in_some_notebook():
    body = next(b for h, b in sections().items() if h.startswith(ACROSS))
    text = " ".join(notebook_text(p) for p in NOTEBOOKS)
    stale = [span for span in SPAN.findall(body) if words(span) not in text]
    assert not stale, f"quoted in INSTRUCTOR.md but in no notebook: {stale}"
