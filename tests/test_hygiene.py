"""Notebook hygiene: structure, clean stored outputs, links and figures, size."""

import json
import re

import pytest

from tests.notebook_tools import NOTEBOOKS, ROOT, read
from tools import check_notebooks

#: A notebook stores its outputs, figures included; 400 kB leaves room for a few small PNG plots.
MAX_BYTES = 400_000
MACHINE_PATHS = re.compile(r"/work/|/root/|/home/[a-z]|/Users/[A-Za-z]|/tmp/[\w.-]+/|[A-Z]:\\\\Users")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)|<img\b(?P<tag>[^>]*)>")
LINK = re.compile(r"\[[^\]]+\]\((?P<href>[^)\s#]+\.(?:ipynb|md))\)")

params = pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)


def raw(path):
    """The notebook's JSON as stored, as tools/check_notebooks.py reads it."""
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@params
def test_structure(path):
    nb = read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.stem[:2]} · "), first.source[:80]
    assert "Objectives" in first.source and first.source.count("\n- ") >= 3, "objectives: at least 3 bullets"
    text = "\n".join(markdown(nb))
    for heading in ("## Summary", "## Exercises"):
        assert heading in text, f"{path.name} has no '{heading}'"
    assert text.index("## Summary") < text.index("## Exercises")


@params
def test_previous_and_next_links(path):
    last = read(path).cells[-1]
    assert last.cell_type == "markdown" and "Previous:" in last.source and "Next:" in last.source
    i = NOTEBOOKS.index(path)
    expected_prev = NOTEBOOKS[i - 1].name if i > 0 else "../README.md"
    expected_next = NOTEBOOKS[i + 1].name if i + 1 < len(NOTEBOOKS) else "../README.md"
    prev_part, next_part = last.source.split("Next:")
    assert f"]({expected_prev})" in prev_part, f"Previous should link {expected_prev}"
    assert f"]({expected_next})" in next_part, f"Next should link {expected_next}"


@params
def test_links_resolve(path):
    for text in markdown(read(path)):
        for m in LINK.finditer(text):
            assert (path.parent / m["href"]).exists(), f"{path.name}: broken link {m['href']}"


# The canonical form's rules live in tools/check_notebooks.py, which the pre-commit hook runs too.


@params
def test_execution_counts_run_1_2_3(path):
    assert check_notebooks.execution_counts(raw(path)) == []


@params
def test_no_stderr_and_no_undeclared_errors(path):
    assert check_notebooks.outputs(raw(path)) == []


@params
def test_no_timing_or_view_state_metadata(path):
    assert check_notebooks.metadata(raw(path)) == []


@params
def test_no_machine_paths(path):
    text = path.read_text()
    found = MACHINE_PATHS.search(text)
    assert not found, f"{path.name} contains a machine path: ...{text[found.start() - 40 : found.end() + 40]}..."


@params
def test_standard_kernel_and_size(path):
    assert check_notebooks.kernel(raw(path)) == []
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes; limit {MAX_BYTES}"


@params
def test_images_exist_and_have_alt_text(path):
    for text in markdown(read(path)):
        for m in IMAGE.finditer(text):
            if m["tag"] is not None:
                alt = re.search(r'alt="([^"]+)"', m["tag"])
                src = re.search(r'src="([^"]+)"', m["tag"])
                assert alt and src, f"{path.name}: <img> without alt or src: {m[0]}"
                alt, src = alt[1], src[1]
            else:
                alt, src = m["alt"], m["src"]
            assert alt.strip(), f"{path.name}: image {src} has no alt text"
            assert (path.parent / src).is_file(), f"{path.name}: image {src} does not exist"


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text()
    for m in re.finditer(r"\]\((?!https?:)([^)#\s]+)\)", readme):
        assert (ROOT / m[1]).exists(), f"README links a missing file: {m[1]}"
