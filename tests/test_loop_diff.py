"""tools/loop_diff.py: the rule that finds each notebook's training loop, and the side-by-side rows.

The built page itself is checked in test_html.py (columns = the notebooks' executed training cells).
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from tests.notebook_tools import NOTEBOOKS, read
from tools import build_html, loop_diff

LOOP = """for t in range(500):
    # Forward pass: compute predicted y
    y_pred = model(x)
    # Compute loss
    loss = loss_fn(y_pred, y)
    # Backward pass
    loss.backward()
    # Update weights
    optimizer.step()"""


def test_the_rule_wants_the_loop_then_the_four_comments_in_order():
    assert loop_diff.is_loop(LOOP)
    assert loop_diff.is_loop("def train():\n" + LOOP.replace("\n", "\n    "))
    assert not loop_diff.is_loop(LOOP.replace("# Backward pass", "# backward"))
    assert not loop_diff.is_loop(LOOP.replace("for t in range(500):", "while True:"))
    swapped = LOOP.replace("# Compute loss", "# TMP").replace("# Forward pass", "# Compute loss")
    assert not loop_diff.is_loop(swapped.replace("# TMP", "# Forward pass")), "order matters"


@pytest.mark.parametrize("number", loop_diff.CHAIN)
def test_every_notebook_of_the_chain_has_its_loop_and_the_first_one_is_picked(number):
    path = next(p for p in NOTEBOOKS if p.stem.startswith(number))
    nb = read(path)
    matches = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and loop_diff.is_loop(c.source)]
    assert matches and loop_diff.find_loop(nb, path.name) == matches[0]


def test_a_chain_notebook_without_its_loop_stops_the_build_naming_it(tmp_path, monkeypatch):
    copy = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS[0].parent, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    path = next(copy.glob("04_*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = re.sub(r"(?m)^\s*# Backward pass.*\n", "", cell.source)
    nbformat.write(nb, path)
    monkeypatch.setattr(build_html, "NOTEBOOKS", copy)
    with pytest.raises(SystemExit, match=rf"^error: {path.name}: no code cell has the training loop"):
        build_html.main([str(tmp_path / "html")])
    assert not list((tmp_path / "html").glob("*.html")), "the build stops before writing any page"


def test_a_missing_chain_notebook_is_named():
    paths = [p for p in NOTEBOOKS if not p.stem.startswith("07")]
    with pytest.raises(loop_diff.LoopNotFoundError, match="no notebook 07_"):
        loop_diff.chain(paths)


def test_rows_keep_every_line_and_mark_only_the_changes():
    old = "a = 1\nfor t in range(3):\n    b = a + t\n    print(b)"
    new = "def f():\n    a = 1\n    for t in range(3):\n        b = a * t\nc = 2"
    html = "\n".join(loop_diff.rows(old, new))
    assert html.count("<tr>") == 5  # def (new) | a | for | b (changed) | print (gone) beside c (new, unrelated)
    assert 'class="ln same indent">1</td>' in html, "a line only indented differently is not marked as changed"
    assert [line.strip() for line in re.findall(r"<code>(.*?)</code>", html)] == [
        "def f():", "a = 1", "a = 1", "for t in range(3):", "for t in range(3):",
        'b = a <span class="word">+</span> t', 'b = a <span class="word">*</span> t', "print(b)", "c = 2",
    ]  # fmt: skip
    assert '<span class="word">+</span>' in html and '<span class="word">*</span>' in html
    assert 'class="old del"' in html and 'class="new add"' in html and 'class="old empty"' in html
