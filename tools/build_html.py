"""Build a static reading copy of the executed notebooks: HTML pages that work offline.

    python tools/build_html.py            # into build/html (what `make html` runs)
    python tools/build_html.py OUT_DIR    # anywhere else (the tests build into a tmp dir)

Open OUT_DIR/index.html in a browser; nothing is fetched from the internet. The output is:

- index.html: the notebooks in reading order, each by its first heading, with a link to its page;
- NN_topic.html: one page per notebook (nbconvert's `lab` template, stored outputs as they are),
  with previous/contents/what-changes/next links at the top and bottom; the notebook's own links are rewritten
  (NN_topic.ipynb -> NN_topic.html, ../README.md -> index.html, ../img/ -> img/);
- changes.html: each notebook's training loop beside the previous one's, the changed lines marked,
  along the chain 01 → 03 → ... → 09; the loops are found in the notebooks (rule: tools/loop_diff.py);
- img/: the figures; mathjax/: the few MathJax 2.7 files the pages load (from the PyPI package
  jupyter-server-mathjax, installed by `make setup`), so $...$ and $$...$$ render without a CDN.

nbconvert's require.js, Mermaid and widget scripts, all loaded from CDNs, are left out: no notebook
here needs them. A link to a notebook that does not exist (yet) is kept as plain text, with a warning.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python tools/build_html.py` puts tools/, not the root, on the path
    sys.path.insert(0, str(ROOT))
from tools import loop_diff  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
IMG = ROOT / "img"

#: MathJax 2.7 entry point and combined configuration (TeX input, HTML-CSS output) shipped by jupyter-server-mathjax.
MATHJAX_SCRIPT = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
#: What that configuration loads at view time, relative to the package's static/ folder; the rest is not copied.
MATHJAX_FILES = [
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS-MML_HTMLorMML-full.js",
    "extensions/TeX",  # TeX extensions loaded on first use (AMSmath, AMSsymbols: already in the configuration)
    "jax/element/mml/optable",  # operator tables, loaded per Unicode block
    "jax/output/HTML-CSS/autoload",  # mtable, menclose, ...: loaded when an equation uses them
    "jax/output/HTML-CSS/fonts/STIX-Web",  # font metrics
    "fonts/HTML-CSS/STIX-Web/woff",  # the web fonts themselves
]

MATHJAX_CONFIG = r"""<script type="text/x-mathjax-config">
MathJax.Hub.Config({
    tex2jax: {
        inlineMath: [["$", "$"], ["\\(", "\\)"]],
        displayMath: [["$$", "$$"], ["\\[", "\\]"]],
        processEscapes: true,
        processEnvironments: true
    },
    TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
    // Only the bundled STIX-Web fonts: the same rendering everywhere, no font looked up locally or online.
    "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
                 linebreaks: {automatic: true}},
    displayAlign: "center",
    messageStyle: "none",
    menuSettings: {zoom: "None"}
});
</script>"""

NAV_CSS = """
nav.reading { display: flex; justify-content: space-between; gap: 1em; margin: 1em auto;
  padding: 0.5em 1em; font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1);
  border-top: 1px solid var(--jp-border-color2); border-bottom: 1px solid var(--jp-border-color2); }
nav.reading a { text-decoration: none; }
nav.reading .next { text-align: right; }
nav.reading .middle { text-align: center; }
"""

TEMPLATE = (
    """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
"""
    + MATHJAX_CONFIG
    + """
<script src=\""""
    + MATHJAX_SCRIPT
    + """\"></script>
{%- endblock html_head_js_mathjax -%}
{% block extra_css %}<style type="text/css">"""
    + NAV_CSS
    + """</style>{% endblock extra_css %}
{%- block body_header -%}{{ super() }}{{ resources.reading_nav }}{%- endblock body_header -%}
{% block body_footer %}{{ resources.reading_nav }}{{ super() }}{% endblock body_footer %}
"""
)

INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>PyTorch by Example</title>
<style type="text/css">
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
li {{ margin: 0.6em 0; }}
li p {{ margin: 0.2em 0 0 0; color: #555; }}
</style>
{mathjax}
</head>
<body>
<main>
<h1>PyTorch by Example</h1>
<p>A reading copy of the notebooks with their stored outputs, in reading order.
To run them, clone the repository and type <code>make lab</code>.</p>
<p><a class="changes" href="changes.html">What changes from notebook to notebook</a>:
each notebook's training loop beside the previous one's, the changed lines marked.</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""

MD_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
HTML_ATTR = re.compile(r"""(?P<attr>\b(?:href|src))=(?P<q>["'])(?P<target>[^"']+)(?P=q)""")


def title(nb: nbformat.NotebookNode) -> str:
    """The notebook's first heading, without the leading #s."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    raise ValueError("notebook has no heading")


def lead(nb: nbformat.NotebookNode) -> str:
    """The first paragraph after the title (the one sentence on what changes), rendered to HTML."""
    paragraphs = [p.strip() for p in nb.cells[0].source.split("\n\n")]
    text = next((p for p in paragraphs[1:] if p and not p.startswith(("#", "**Objectives", "-"))), "")
    return markdown2html_mistune(text)


def new_target(target: str, pages: set[str]) -> str | None:
    """Where a link of the notebook points in the reading copy; None for a notebook that is not there."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):  # http:, https:, mailto:, data:, or a fragment
        return target
    path, hash_, fragment = target.partition("#")
    if path == "../README.md":
        return "index.html" + hash_ + fragment
    if path.startswith("../img/"):
        return "img/" + path[len("../img/") :] + hash_ + fragment
    if path.endswith(".ipynb") and "/" not in path:
        stem = path[: -len(".ipynb")]
        return f"{stem}.html{hash_}{fragment}" if stem in pages else None
    raise ValueError(f"link {target!r} has no place in the reading copy; add a rule to new_target()")


def rewrite_links(source: str, pages: set[str], where: str) -> str:
    """Rewrite the markdown and HTML links of one markdown cell for the reading copy."""

    def markdown(m: re.Match) -> str:
        target = new_target(m["target"], pages)
        if target is None:
            print(f"warning: {where} links {m['target']}, which is not in notebooks/; kept as text", file=sys.stderr)
            return m["text"]
        return f"{m['bang']}[{m['text']}]({target}{m['title'] or ''})"

    def attribute(m: re.Match) -> str:
        target = new_target(m["target"], pages)
        if target is None:
            raise ValueError(f"{where}: {m['attr']}={m['target']!r} points to a notebook that does not exist")
        return f"{m['attr']}={m['q']}{target}{m['q']}"

    # Code (fenced blocks and `spans`, as in the folded solutions) is left alone: only prose holds links.
    parts = CODE.split(source)
    for i in range(0, len(parts), 2):
        parts[i] = HTML_ATTR.sub(attribute, MD_LINK.sub(markdown, parts[i]))
    return "".join(parts)


def nav(prev: tuple[str, str], next_: tuple[str, str], changes: str = "changes.html") -> str:
    """Previous / contents · what changes / next links, given (href, title) of the previous and the next page."""
    return (
        f'<nav class="reading"><a class="prev" href="{prev[0]}">← Previous: {html.escape(prev[1])}</a>'
        '<span class="middle"><a class="contents" href="index.html">Contents</a> · '
        f'<a class="changes" href="{changes}">What changes</a></span>'
        f'<a class="next" href="{next_[0]}">Next: {html.escape(next_[1])} →</a></nav>'
    )


def copy_mathjax(out: Path) -> None:
    """Copy the MathJax files the pages load from the installed jupyter-server-mathjax package."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        sys.exit("jupyter-server-mathjax is not installed: run `make setup` (it is in requirements-lock.txt)")
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    for rel in MATHJAX_FILES:
        src, dst = static / rel, out / "mathjax" / rel
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def build(out: Path, paths: list[Path]) -> list[Path]:
    """Write the reading copy of `paths` (in reading order) into `out`, replacing it; return the pages written."""
    if out.exists():
        if any(out.iterdir()) and not (out / "index.html").exists():
            sys.exit(f"{out} exists and is not a reading copy (no index.html); not overwriting it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    stems = [p.stem for p in paths]
    titles = [title(nb) for nb in notebooks]
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"reading.html.j2": TEMPLATE})],
        template_file="reading.html.j2",
    )
    for path, nb in zip(paths, notebooks, strict=True):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = rewrite_links(cell.source, set(stems), path.name)
    changes(out, paths, notebooks)  # first: a notebook of the chain without its loop stops the build at once
    pages = []
    for i, (path, nb) in enumerate(zip(paths, notebooks, strict=True)):
        prev = (f"{stems[i - 1]}.html", titles[i - 1]) if i > 0 else ("index.html", "Contents")
        next_ = (f"{stems[i + 1]}.html", titles[i + 1]) if i + 1 < len(paths) else ("index.html", "Contents")
        anchor = f"#{stems[i]}" if stems[i][:2] in loop_diff.CHAIN[1:] else ""  # its section on changes.html
        resources = {"metadata": {"name": titles[i]}, "reading_nav": nav(prev, next_, f"changes.html{anchor}")}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    items = "\n".join(
        f'<li><a href="{stem}.html">{html.escape(t)}</a>{lead(nb)}</li>'
        for stem, t, nb in zip(stems, titles, notebooks, strict=True)
    )
    index = INDEX.format(items=items, mathjax=f'{MATHJAX_CONFIG}\n<script src="{MATHJAX_SCRIPT}"></script>')
    (out / "index.html").write_text(index, encoding="utf-8")
    if IMG.is_dir():
        shutil.copytree(IMG, out / "img")
    copy_mathjax(out)
    return pages


def changes(out: Path, paths: list[Path], notebooks: list[nbformat.NotebookNode]) -> None:
    """Write changes.html: the training loops of the chain's notebooks side by side, changes marked."""
    by_path = dict(zip(paths, notebooks, strict=True))
    loops = [loop_diff.loop(by_path[p], p, title(by_path[p]), lead(by_path[p])) for p in loop_diff.chain(paths)]
    contents = '<nav class="reading"><a class="contents" href="index.html">Contents</a></nav>'
    head = f'{MATHJAX_CONFIG}\n<script src="{MATHJAX_SCRIPT}"></script>'
    (out / "changes.html").write_text(loop_diff.page(loops, head=head, nav=contents), encoding="utf-8")


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "build" / "html"
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    try:
        pages = build(out, paths)
    except loop_diff.LoopNotFoundError as e:
        sys.exit(f"error: {e}")
    print(f"{len(pages)} pages, index.html and changes.html in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
