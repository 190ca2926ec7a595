"""The "what changes" page of the reading copy: each notebook's training loop beside the previous one's.

The chain is 01 → 03 → 04 → 05 → 06 → 07 → 08 → 09 (02 derives formulas and 10 measures speed: neither
changes the program). A notebook's training loop is found, never kept by hand, by this rule:

    the first code cell, in notebook order, with a line `for t in range(...)` followed, in this order,
    by lines starting with the series' comment skeleton `# Forward pass`, `# Compute loss`,
    `# Backward pass` and `# Update weights` (indented or not; the comments may go on after the words).

Later loops (07's `train(optimizer, ...)` for comparing optimizers, 06's and 01's reruns without comments)
are never picked. A chain notebook without such a cell is an error naming it. The sentence above each pair
is the new notebook's own lead: the first paragraph of its first cell, which says what changes.

The two loops are compared line by line with difflib, indentation aside (a line that only moved in or out
is level, its line number marked ›); inside a changed line that still resembles its old version
(see similar()), the words that differ are marked too.
"""

from __future__ import annotations

import difflib
import html
import re
from pathlib import Path
from typing import NamedTuple

import nbformat

#: The notebooks whose programs follow one another, by number; 02 and 10 are not in the chain.
CHAIN = ("01", "03", "04", "05", "06", "07", "08", "09")
#: The comment skeleton every loop of the series keeps, in order.
SKELETON = ("# Forward pass", "# Compute loss", "# Backward pass", "# Update weights")
LOOP = re.compile(r"^\s*for t in range\(")
#: Two changed lines are shown side by side, word by word, when difflib's ratio of their words reaches SIMILAR
#: or when CONTAINED of the shorter line's words are found in the other (`# Update weights` and a longer comment).
SIMILAR = 0.5
CONTAINED = 0.8
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class LoopNotFoundError(ValueError):
    """A chain notebook has no cell that matches the training-loop rule."""


class Loop(NamedTuple):
    """One notebook's training loop and what the page says about it."""

    stem: str  # 04_autograd
    title: str  # 04 · Autograd
    lead: str  # the first paragraph of the first cell, as HTML
    cell: int  # index of the loop's cell in nb.cells
    cell_id: str  # nbformat cell id: the page anchor is #cell-id=...
    execution_count: int | None
    source: str


def is_loop(source: str) -> bool:
    """Whether a code cell's source has `for t in range(` followed by the four skeleton comments in order."""
    wanted = [LOOP, *(re.compile(r"^\s*" + re.escape(c)) for c in SKELETON)]
    for line in source.split("\n"):
        if wanted and wanted[0].match(line):
            wanted.pop(0)
    return not wanted


def find_loop(nb: nbformat.NotebookNode, name: str) -> int:
    """Index of the notebook's training-loop cell (the first that is_loop); LoopNotFoundError names the notebook."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and is_loop(cell.source):
            return i
    raise LoopNotFoundError(
        f"{name}: no code cell has the training loop, `for t in range(` followed by the comments "
        f"{', '.join(SKELETON)} (tools/loop_diff.py); the 'what changes' page needs one in every notebook of "
        f"the chain {' → '.join(CHAIN)}"
    )


def chain(paths: list[Path]) -> list[Path]:
    """The notebooks of the chain among `paths`, in chain order; an error names any that is missing."""
    by_number = {p.stem[:2]: p for p in paths}
    missing = [n for n in CHAIN if n not in by_number]
    if missing:
        raise LoopNotFoundError(f"no notebook {', '.join(missing)}_*.ipynb for the 'what changes' page")
    return [by_number[n] for n in CHAIN]


def loop(nb: nbformat.NotebookNode, path: Path, title: str, lead: str) -> Loop:
    """The Loop of one notebook."""
    i = find_loop(nb, path.name)
    cell = nb.cells[i]
    return Loop(path.stem, title, lead, i, cell.get("id", ""), cell.get("execution_count"), cell.source)


def words(old: str, new: str) -> tuple[str, str]:
    """Two similar lines as HTML, with the words that differ wrapped in <span class="word">; indentation unmarked."""
    indent_a, indent_b = old[: indent_of(old)], new[: indent_of(new)]
    a, b = TOKEN.findall(old[len(indent_a) :]), TOKEN.findall(new[len(indent_b) :])
    left, right = [indent_a], [indent_b]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for out, part in ((left, "".join(a[i1:i2])), (right, "".join(b[j1:j2]))):
            if part:
                text = html.escape(part)
                out.append(text if op == "equal" else f'<span class="word">{text}</span>')
    return "".join(left), "".join(right)


def cell(side: str, kind: str, number: int | None = None, text: str = "", indent: int = 0) -> str:
    """One line number and one code cell of a table row; kind is same, same indent, del, add or empty."""
    if number is None:
        return f'<td class="ln {kind}"></td><td class="{side} {kind}"></td>'
    style = f' style="--indent: {indent}"' if indent else ""
    return f'<td class="ln {kind}">{number}</td><td class="{side} {kind}"{style}><code>{text}</code></td>'


def rows(old: str, new: str) -> list[str]:
    """The table rows that show `old` and `new` side by side, equal lines level, changed lines marked."""
    a, b = old.split("\n"), new.split("\n")
    out = []

    def row(i: int | None, j: int | None, kind_a: str, kind_b: str, text_a: str = "", text_b: str = "") -> None:
        left = cell("old", kind_a, None if i is None else i + 1, text_a, 0 if i is None else indent_of(a[i]))
        right = cell("new", kind_b, None if j is None else j + 1, text_b, 0 if j is None else indent_of(b[j]))
        out.append(f"<tr>{left}{right}</tr>")

    # Lines are compared without their indentation: 09's loop inside `def train` is still 08's loop.
    matcher = difflib.SequenceMatcher(None, [x.strip() for x in a], [x.strip() for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                kind = "same" if a[i] == b[j] else "same indent"
                row(i, j, kind, kind, html.escape(a[i]), html.escape(b[j]))
            continue
        for i, j in align(a[i1:i2], b[j1:j2]):
            i, j = None if i is None else i1 + i, None if j is None else j1 + j
            if i is not None and j is not None:
                text_a, text_b = words(a[i], b[j]) if similar(a[i], b[j]) else (html.escape(a[i]), html.escape(b[j]))
                row(i, j, "del", "add", text_a, text_b)
            elif i is not None:
                row(i, None, "del", "empty", html.escape(a[i]))
            else:
                row(None, j, "empty", "add", text_b=html.escape(b[j]))
    return out


def similar(old: str, new: str) -> bool:
    """Whether a new line reads as an edit of an old one: most words match, or the shorter is mostly in the other."""
    a, b = TOKEN.findall(old.strip()), TOKEN.findall(new.strip())
    if not a or not b:
        return a == b
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matcher.ratio() >= SIMILAR or matched >= CONTAINED * min(len(a), len(b))


def align(a: list[str], b: list[str]) -> list[tuple[int | None, int | None]]:
    """Rows for a block of changed lines: similar lines side by side, a line with a similar one further on alone."""
    out, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        if j == len(b) or (i < len(a) and not similar(a[i], b[j]) and any(similar(n, b[j]) for n in a[i + 1 :])):
            out.append((i, None))  # a[i] is gone (b[j], if any, matches a later old line)
            i += 1
        elif i == len(a) or (not similar(a[i], b[j]) and any(similar(a[i], n) for n in b[j + 1 :])):
            out.append((None, j))  # b[j] is new (a[i] matches a later new line)
            j += 1
        else:
            out.append((i, j))  # an edited line, or an unrelated one that takes its place
            i, j = i + 1, j + 1
    return out


def indent_of(line: str) -> int:
    """The number of leading spaces: a wrapped line continues under its own indentation."""
    return len(line) - len(line.lstrip(" "))


def section(old: Loop, new: Loop) -> str:
    """One pair: the heading with links to both notebooks, the new notebook's lead, and the two loops."""

    def head(lp: Loop, side: str) -> str:
        label = f"In [{lp.execution_count}]" if lp.execution_count is not None else f"cell {lp.cell}"
        anchor = f"#cell-id={lp.cell_id}" if lp.cell_id else ""
        return (
            f'<th colspan="2" class="{side}"><a href="{lp.stem}.html">{html.escape(lp.title)}</a>'
            f' <a class="cell" href="{lp.stem}.html{anchor}">{label}</a></th>'
        )

    body = "\n".join(rows(old.source, new.source))
    return f"""<section id="{new.stem}" data-old="{old.stem}" data-new="{new.stem}">
<h2><a href="{old.stem}.html">{html.escape(old.title)}</a> <span class="arrow">→</span>
<a href="{new.stem}.html">{html.escape(new.title)}</a></h2>
<div class="lead">{new.lead}</div>
<table class="diff">
<colgroup><col class="ln"><col class="code"><col class="ln"><col class="code"></colgroup>
<thead><tr>{head(old, "old")}{head(new, "new")}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</section>"""


CSS = """
body { margin: 0 auto; padding: 0 1.2rem 2rem; max-width: 120rem; color: #000; background: #fff;
  font-family: system-ui, sans-serif; font-size: 1.15rem; line-height: 1.45; }
nav.reading { display: flex; justify-content: space-between; gap: 1em; padding: 0.5em 0;
  border-top: 1px solid #999; border-bottom: 1px solid #999; margin: 1em 0; }
nav.reading a { text-decoration: none; }
a { color: #0645ad; }
h1 { font-size: 1.9rem; margin: 0.6em 0 0.3em; }
h2 { font-size: 1.5rem; margin: 2.2em 0 0.3em; padding-top: 0.4em; border-top: 3px solid #000; }
h2 .arrow { padding: 0 0.3em; }
.lead p { margin: 0.2em 0 0.8em; max-width: 60em; }
ol.pairs { columns: 2; }
.key span { padding: 0.05em 0.4em; border: 1px solid #777; font-family: var(--mono); }
:root { --mono: ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace; }
table.diff { width: 100%; table-layout: fixed; border-collapse: collapse; font-family: var(--mono);
  font-size: 1.2rem; line-height: 1.35; }
table.diff col.ln { width: 3.4em; }
table.diff th { text-align: left; font-family: system-ui, sans-serif; font-size: 1.05rem; padding: 0.3em 0.5em;
  border-bottom: 2px solid #000; }
table.diff th a.cell { font-family: var(--mono); font-weight: normal; color: #444; padding-left: 0.5em; }
table.diff th.new { border-left: 2px solid #000; }
table.diff td { vertical-align: top; padding: 0.05em 0.4em; }
td.ln { text-align: right; white-space: nowrap; color: #555; user-select: none; font-size: 0.85em;
  padding-top: 0.2em; }
td.ln.del::after { content: " −"; color: #000; font-weight: bold; }
td.ln.add::after { content: " +"; color: #000; font-weight: bold; }
td.ln.indent::after { content: " ›"; color: #000; font-weight: bold; }
table.diff td:nth-child(3) { border-left: 2px solid #000; }
table.diff td.old, table.diff td.new { white-space: pre-wrap; overflow-wrap: anywhere;
  padding-left: calc(var(--indent, 0) * 1ch + 2ch); text-indent: calc(var(--indent, 0) * -1ch - 2ch); }
td.old code, td.new code { font: inherit; }
td.del { background: #ffe1e1; }
td.add { background: #d9f5d9; }
td.empty { background: repeating-linear-gradient(135deg, #f4f4f4 0 6px, #e4e4e4 6px 12px); }
td.del .word { background: #ff9e9e; font-weight: bold; border-radius: 2px; }
td.add .word { background: #8fd88f; font-weight: bold; border-radius: 2px; }
td.ln.del { background: #ffc8c8; }
td.ln.add { background: #b9ebb9; }
@media print {
  body { font-size: 11pt; max-width: none; padding: 0; }
  table.diff { font-size: 9pt; }
  h1 { font-size: 18pt; } h2 { font-size: 14pt; } table.diff th { font-size: 10pt; }
  nav.reading { display: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  tr { break-inside: avoid; }
  td, td .word { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: #000; text-decoration: none; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>What changes from notebook to notebook</title>
<style type="text/css">{css}</style>
{head}
</head>
<body>
{nav}
<main>
<h1>What changes from notebook to notebook</h1>
<p>Each notebook is the previous program with one idea changed. Here is each notebook's training loop
(right) beside the previous one's (left): <span class="key"><span style="background: #ffe1e1">− removed or
changed</span> <span style="background: #d9f5d9">+ added or changed</span></span>; the words that differ
inside a changed line are in bold on a darker background; › marks a line only indented differently.
The loops are read from the notebooks themselves: in each, the first code cell with
<code>for t in range(</code> and the comments
<code># Forward pass</code>, <code># Compute loss</code>, <code># Backward pass</code>, <code># Update weights</code>.
Notebooks 02 (derivations) and 10 (performance) keep the program as it is and are left out.</p>
<ol class="pairs">
{toc}
</ol>
{sections}
</main>
{nav}
</body>
</html>
"""


def page(loops: list[Loop], head: str = "", nav: str = "") -> str:
    """The whole page for the loops of the chain, in order: one section per consecutive pair."""
    pairs = list(zip(loops, loops[1:], strict=False))
    toc = "\n".join(
        f'<li><a href="#{new.stem}">{html.escape(old.title)} → {html.escape(new.title)}</a></li>' for old, new in pairs
    )
    sections = "\n".join(section(old, new) for old, new in pairs)
    return PAGE.format(css=CSS, head=head, nav=nav, toc=toc, sections=sections)
