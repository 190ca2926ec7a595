"""The reading copy (`make html`): one page per notebook in reading order, every link resolves, nothing online.

The site is built once into a temporary folder by tools/build_html.py. Its changes.html shows each
notebook's training loop beside the previous one's (tools/loop_diff.py): the tests check that the columns are
the notebooks' own executed training cells, that the marks follow the notebooks (a copy with one line changed),
and that every page links to it. The last test opens
every page in headless Chromium with all network requests refused (marker: browser; skipped
where Chromium is missing) and checks that the math is typeset from the local MathJax.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from tests.notebook_tools import NOTEBOOKS, python, read
from tools import build_html, loop_diff

ONLINE = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.I)
#: Resolves once MathJax has finished its first typesetting pass (a hook that fires at once if that is past).
TYPESET = "() => new Promise(done => MathJax.Hub.Register.StartupHook('End', () => done(true)))"


class Page(HTMLParser):
    """What the tests need from one HTML file: its links, ids, scripts, styles and navigation."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value) for every href and src
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []  # (attributes, inline text)
        self.styles: list[str] = []  # <style> blocks and style="" attributes
        self.anchors: list[tuple[dict, str]] = []  # (attributes, text) of every <a>
        self._open: tuple[str, dict, list[str]] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        for name in ("href", "src", "data"):
            if name in attrs:
                self.refs.append((tag, name, attrs[name]))
        self.ids.update(attrs[k] for k in ("id", "name") if k in attrs)
        if "style" in attrs:
            self.styles.append(attrs["style"])
        if tag in ("script", "style", "a"):
            self._open = (tag, attrs, [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[0] == tag:
            _, attrs, text = self._open
            {"script": self.scripts, "a": self.anchors}.get(tag, []).append((attrs, "".join(text)))
            if tag == "style":
                self.styles.append("".join(text))
            self._open = None


class Changes(HTMLParser):
    """The sections of changes.html: for each, the two notebooks and the lines of each column with their marks."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict] = {}  # by the new notebook's stem
        self._section: dict | None = None
        self._td: tuple[str, str, list[str], list[str]] | None = None  # (side, kind, text, marked words)
        self._word = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        classes = attrs.get("class", "").split()
        if tag == "section":
            self._section = {"old": attrs["data-old"], "new": attrs["data-new"], "lines": {"old": [], "new": []}}
            self.sections[attrs["data-new"]] = self._section
        elif tag == "td" and {"old", "new"} & set(classes) and "empty" not in classes:
            side = "old" if "old" in classes else "new"
            self._td = (side, "same" if "same" in classes else classes[1], [], [])
        elif tag == "span" and "word" in classes and self._td:
            self._word = True
            self._td[3].append("")

    def handle_data(self, data):
        if self._td:
            self._td[2].append(data)
            if self._word:
                self._td[3][-1] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self._word = False
        elif tag == "td" and self._td:
            side, kind, text, words = self._td
            self._section["lines"][side].append(("".join(text), kind, words))
            self._td = None

    def column(self, new: str, side: str) -> str:
        """The text of one column of the section of `new`, as it would stand in a cell."""
        return "\n".join(text for text, _, _ in self.sections[new]["lines"][side])


#: The training cell: the loop, a backward pass and an update of the weights.
TRAINS = (re.compile(r"for t in range\("), re.compile(r"backward\("), re.compile(r"-= learning_rate|\.step\(\)"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "html"
    python("tools/build_html.py", str(out))
    return out


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    """Every HTML file of the site, parsed, by file name."""
    return {p.name: Page(p) for p in sorted(site.glob("*.html"))}


def first_heading(path: Path) -> str:
    return read(path).cells[0].source.splitlines()[0].lstrip("#").strip()


def test_index_lists_one_page_per_notebook_in_reading_order(site, pages):
    expected = [f"{p.stem}.html" for p in NOTEBOOKS]
    assert sorted(pages) == sorted(["index.html", "changes.html", *expected]), "one page per notebook, index, changes"
    changes = [a["href"] for a, _ in pages["index.html"].anchors if a.get("class") == "changes"]
    assert changes == ["changes.html"], "the index links the what-changes page"
    listed = [(a["href"], text) for a, text in pages["index.html"].anchors if a.get("class") != "changes"]
    assert listed == [(f"{p.stem}.html", first_heading(p)) for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        title = re.search(r"<title>(.*?)</title>", (site / f"{path.stem}.html").read_text(encoding="utf-8"))
        assert title and title[1] == first_heading(path).replace("&", "&amp;")


@pytest.mark.parametrize("i", range(len(NOTEBOOKS)), ids=[p.stem for p in NOTEBOOKS])
def test_every_page_links_previous_contents_and_next(pages, i):
    page = pages[f"{NOTEBOOKS[i].stem}.html"]
    prev = f"{NOTEBOOKS[i - 1].stem}.html" if i > 0 else "index.html"
    next_ = f"{NOTEBOOKS[i + 1].stem}.html" if i + 1 < len(NOTEBOOKS) else "index.html"
    nav = {a["class"]: a["href"] for a, _ in page.anchors if a.get("class") in ("prev", "contents", "next")}
    assert nav == {"prev": prev, "contents": "index.html", "next": next_}
    changes = [a["href"] for a, _ in page.anchors if a.get("class") == "changes"]
    assert len(changes) == 2 and changes[0] == changes[1], "a what-changes link at the top and at the bottom"
    path, _, fragment = changes[0].partition("#")
    assert path == "changes.html" and (fragment in pages["changes.html"].ids if fragment else True), changes[0]
    in_chain = NOTEBOOKS[i].stem[:2] in loop_diff.CHAIN[1:]
    assert fragment == (NOTEBOOKS[i].stem if in_chain else ""), "a notebook of the chain links its own section"
    hrefs = [value for tag, attr, value in page.refs if tag == "a"]
    assert not [h for h in hrefs if h.split("#")[0].endswith((".ipynb", ".md"))], "notebook links not rewritten"
    own = [a["href"] for a, _ in page.anchors if a.get("class") not in ("prev", "contents", "next")]
    assert prev in own and next_ in own, f"the notebook's own Previous/Next links, rewritten: {own}"


def test_every_link_resolves(site, pages):
    broken = []
    for name, page in pages.items():
        for tag, attr, value in page.refs:
            if value.startswith(("data:", "mailto:")) or (tag == "a" and ONLINE.match(value)):
                continue  # inline data; external documentation links
            path, _, fragment = value.partition("#")
            path = path.split("?")[0]
            if path and not (site / path).is_file():
                broken.append(f"{name}: <{tag} {attr}={value!r}> -> no file")
            elif fragment and not path and fragment not in page.ids:
                broken.append(f"{name}: <{tag} {attr}={value!r}> -> no such id on the page")
            elif (
                fragment
                and (name == "changes.html" or path == "changes.html")
                and fragment not in pages[path or name].ids
            ):
                broken.append(f"{name}: <{tag} {attr}={value!r}> -> no such id on {path}")
    assert not broken, "\n".join(broken)


def test_no_resource_comes_from_the_internet(site, pages):
    online = []
    for name, page in pages.items():
        for tag, attr, value in page.refs:
            if tag != "a" and ONLINE.match(value):  # <script src>, <link href>, <img src>, <iframe src>, ...
                online.append(f"{name}: <{tag} {attr}={value!r}>")
        for _, text in page.scripts:
            if re.search(r"https?://|import\(\s*['\"]//", text):
                online.append(f"{name}: inline script mentions a URL: {text.strip()[:80]!r}")
        styles = [*page.styles, *(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))]
        for css in styles:
            css = CSS_COMMENT.sub("", css)
            for url in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
                if ONLINE.match(url):
                    online.append(f"{name}: CSS loads {url}")
    assert not online, "\n".join(online)


def test_math_is_configured_to_load_from_the_local_copy(site, pages):
    for name, page in pages.items():
        srcs = [a["src"] for a, _ in page.scripts if "src" in a]
        mathjax = [s for s in srcs if "MathJax.js" in s]
        assert mathjax == [build_html.MATHJAX_SCRIPT], f"{name}: MathJax scripts {mathjax}"
        script, _, query = mathjax[0].partition("?")
        assert (site / script).is_file()
        config = re.fullmatch(r"config=([\w-]+)", query)
        assert config and (site / "mathjax" / "config" / f"{config[1]}.js").is_file(), query
        inline = [text for a, text in page.scripts if a.get("type") == "text/x-mathjax-config"]
        assert len(inline) == 1 and 'webFont: "STIX-Web"' in inline[0] and "availableFonts: []" in inline[0]
    assert (site / "mathjax/jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js").is_file()
    assert len(list((site / "mathjax/fonts/HTML-CSS/STIX-Web/woff").glob("*.woff"))) > 10


def test_links_to_missing_notebooks_become_text_and_unknown_links_fail(capsys):
    rewritten = build_html.rewrite_links("Next: [07](07_optim.ipynb) · `w[0](x)`", {"06_nn"}, "06_nn.ipynb")
    assert rewritten == "Next: 07 · `w[0](x)`"
    assert "07_optim.ipynb" in capsys.readouterr().err
    with pytest.raises(ValueError, match="helpers/data.py"):
        build_html.rewrite_links("[the code](../helpers/data.py)", {"06_nn"}, "06_nn.ipynb")


@pytest.mark.browser
def test_pages_render_offline_with_typeset_math(site):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    refused, failed, problems = [], [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for html_file in sorted(site.glob("*.html")):
                page = browser.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                page.on("request", lambda r: refused.append(r.url) if ONLINE.match(r.url) else None)
                page.on("requestfailed", lambda r: failed.append(r.url) if r.url.startswith("file:") else None)
                page.goto(html_file.as_uri())
                page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.Register")
                page.evaluate(TYPESET)
                typeset = page.evaluate("() => document.querySelectorAll('.MathJax, .MathJax_Display').length")
                errors = page.evaluate("() => document.querySelectorAll('.MathJax_Error, merror').length")
                has_math = html_file.name not in ("index.html", "changes.html")  # these two only if a lead has math
                if errors or (has_math and typeset == 0):
                    problems.append(f"{html_file.name}: {typeset} formulas typeset, {errors} errors")
                page.close()
        finally:
            browser.close()
    assert not refused, f"pages tried to reach the network: {refused}"
    assert not failed, f"local files missing: {failed}"
    assert not problems, problems


PAIRS = list(zip(loop_diff.CHAIN, loop_diff.CHAIN[1:], strict=False))


def notebook(number: str) -> Path:
    return next(p for p in NOTEBOOKS if p.stem.startswith(number))


@pytest.fixture(scope="module")
def changes(site) -> Changes:
    return Changes(site / "changes.html")


def test_changes_page_has_one_section_per_pair_of_the_chain(changes, pages):
    pairs = [(s["old"], s["new"]) for s in changes.sections.values()]
    assert pairs == [(notebook(a).stem, notebook(b).stem) for a, b in PAIRS]
    hrefs = {a["href"] for a, _ in pages["changes.html"].anchors}
    for old, new in pairs:
        assert {f"{old}.html", f"{new}.html", f"#{new}"} <= hrefs, f"{old} -> {new}: links to both pages"
        lead = build_html.lead(read(NOTEBOOKS[0].parent / f"{new}.ipynb"))
        assert lead.strip() and lead in (pages["changes.html"].path.read_text(encoding="utf-8")), new


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_changes_columns_are_the_notebooks_executed_training_cells(changes, old, new):
    section = changes.sections[notebook(new).stem]
    for side, number in (("old", old), ("new", new)):
        path = notebook(number)
        text = changes.column(notebook(new).stem, side)
        cells = [c for c in read(path).cells if c.cell_type == "code" and c.source == text]
        assert cells, f"{section[side]}: the {side} column is not the source of any code cell of {path.name}"
        assert cells[0].execution_count, f"{path.name}: the loop cell has not been executed"
        assert all(p.search(text) for p in TRAINS), f"{path.name}: the cell shown does not train:\n{text}"


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_changes_marks_exactly_the_lines_that_differ(changes, old, new):
    lines = changes.sections[notebook(new).stem]["lines"]
    for side, other in (("old", "new"), ("new", "old")):
        theirs = {text.strip() for text, _, _ in lines[other]}
        for text, kind, _ in lines[side]:
            if kind == "same":
                assert text.strip() in theirs, f"{side} line {text!r} is unmarked but not in the other loop"
            else:
                assert kind == ("del" if side == "old" else "add"), kind
        assert all(kind != "same" for text, kind, _ in lines[side] if text.strip() not in theirs)
    assert any(kind != "same" for text, kind, _ in lines["new"]), f"{new}: its loop is the same as {old}'s"


def test_changes_page_follows_the_notebooks(changes, tmp_path):
    """A copy of notebooks/ with one line of 05's loop changed: the page marks that line and its new word."""
    copy = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS[0].parent, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    path = copy / notebook("05").name
    nb = nbformat.read(path, as_version=4)
    loop = changes.column(notebook("05").stem, "new")
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source == loop)
    line = next(x for x in loop.split("\n") if x.strip().startswith("loss = "))
    changed = line.replace("loss = ", "loss = 0.5 * ", 1)
    cell.source = loop.replace(line, changed)
    nbformat.write(nb, path)
    build_html.build(tmp_path / "html", sorted(copy.glob("[0-9][0-9]_*.ipynb")))
    after = Changes(tmp_path / "html" / "changes.html")
    for new, side, kind in (("05", "new", "add"), ("06", "old", "del")):
        rows = after.sections[notebook(new).stem]["lines"][side]
        marked = [words for text, k, words in rows if text == changed and k == kind]
        assert marked and any("0.5" in w for w in marked[0]), f"{new} {side}: {changed!r} not marked {kind}, 0.5 bold"
        assert after.column(notebook(new).stem, side) == cell.source
    before = changes.sections[notebook("05").stem]["lines"]["new"]
    assert (line, "same", []) in before, "04 and 05 compute the loss the same way in the real notebooks"
