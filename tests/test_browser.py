"""Every notebook runs in a real JupyterLab, driven by headless Chromium (marker: browser).

JupyterLab serves a temporary copy of the repository's notebooks/, img/ and README.md
on 127.0.0.1 with a token, and opens on notebooks/, as `make lab` does. As a
learner would in one browser tab, the test opens each notebook from the file
browser, checks that every figure loads and every relative link leads to a file
the server has, clears the outputs and runs all cells from the menus, waits for the
kernel to go idle, asserts that no error or stderr output appeared, saves a
screenshot to build/screenshots/, then shuts the kernel down and closes the tab
without saving. The news prompt is switched off by lab-overrides.json (installed
by `make setup`), not by clicking. Skips where Chromium is missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.notebook_tools import NOTEBOOKS, ROOT, read

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_args(root) -> list[str]:
    """`make lab`'s JupyterLab options (LAB_ARGS in the Makefile), serving `root` instead of the repository."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("LAB_ARGS :="))
    return [arg.replace('"$(CURDIR)"', str(root)) for arg in line.split(":=", 1)[1].split()]


def test_make_lab_serves_the_repository_and_opens_notebooks():
    assert lab_args("/repo") == ["--ServerApp.root_dir=/repo", "--LabApp.default_url=/lab/tree/notebooks"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (apt-get install chromium); .ci/run installs it")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    tmp = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    shutil.copytree(ROOT / "img", tmp / "img")
    shutil.copy(ROOT / "README.md", tmp / "README.md")
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        *lab_args(tmp),
        f"--LabApp.user_settings_dir={tmp / 'settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "CUDA_VISIBLE_DEVICES": ""}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class LabTab:
    """One browser tab on JupyterLab, kept across notebooks (loading the app once saves seconds each)."""

    def __init__(self, browser, url: str):
        self.browser, self.url, self._page = browser, url, None

    @property
    def page(self):
        if self._page is None:
            self._page = self.browser.new_page(viewport={"width": 1280, "height": 900})
            self._page.goto(self.url)
            self._page.wait_for_selector(".jp-DirListing-item", timeout=60_000)
        return self._page

    def discard(self) -> None:
        """Throw the tab away (after a failure), so that the next notebook starts from a fresh one."""
        if self._page is not None:
            self._page.close()
            self._page = None


@pytest.fixture(scope="module")
def tab(lab, browser):
    base, token = lab
    tab = LabTab(browser, f"{base}/lab/tree/notebooks?reset&token={token}")
    yield tab
    tab.discard()


PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim())"
BAD = (
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
    " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
)
# Run All is over when every prompt shows a number, or when a cell failed (Run All stops there).
FINISHED = (
    f'() => {{ const p = {PROMPTS}; return document.querySelector("{BAD}") !== null'
    " || (p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t))); }"
)


RENDERED = "document.querySelectorAll('.jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown')"
# Figures in the rendered Markdown: JupyterLab resolves their relative paths against the notebook's folder.
IMAGES = "[...document.querySelectorAll('.jp-Notebook .jp-RenderedMarkdown img')]"
IMAGES_LOADED = f"() => {IMAGES}.every(i => i.complete)"
BROKEN_IMAGES = f"() => {IMAGES}.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'))"
# Relative links: JupyterLab rewrites each into the file's URL on this server (/files/...); fetch it, as a
# learner's click would. Links to other sites and to headings in the same notebook are left alone.
BROKEN_LINKS = """async () => {
  const links = [...document.querySelectorAll('.jp-Notebook .jp-RenderedMarkdown a[href]')]
    .filter(a => a.href.startsWith(location.origin + '/') && !a.classList.contains('jp-InternalAnchorLink'));
  const broken = [];
  for (const a of links) {
    const response = await fetch(a.href);
    if (!response.ok) broken.push(`${a.getAttribute('href')} -> ${a.href}: ${response.status}`);
  }
  return [links.length, broken];
}"""


def menu(page, top: str, item: str) -> None:
    """Click a JupyterLab menu entry, as a learner would."""
    page.click(f".lm-MenuBar-itemLabel:text-is('{top}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(tab, path):
    page = tab.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.dblclick(f".jp-DirListing-item[title^='Name: {path.name}']")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # The status bar reads "Python 3 (ipykernel) | Idle" once the kernel has started and connected.
        page.wait_for_selector(".jp-StatusBar-TextItem:text-matches('\\\\| Idle$')", timeout=120_000)
        markdown = [cell.source for cell in read(path).cells if cell.cell_type == "markdown"]
        page.wait_for_function(f"() => {RENDERED}.length === {len(markdown)}", timeout=60_000)
        markdown = "".join(markdown)
        page.wait_for_function(IMAGES_LOADED, timeout=30_000)
        assert page.evaluate(f"() => {IMAGES}.length") == markdown.count("<img") + markdown.count("![")
        assert not page.evaluate(BROKEN_IMAGES), f"{path.name}: figures that do not load in JupyterLab"
        n_links, broken = page.evaluate(BROKEN_LINKS)
        assert n_links >= 1 and not broken, f"{path.name}: links that lead nowhere in JupyterLab: {broken}"
        menu(page, "Edit", "Clear Outputs of All Cells")
        prompts = page.evaluate(f"() => {PROMPTS}")
        assert prompts and all(p in ("[ ]:", "[]:") for p in prompts), f"outputs not cleared: {prompts}"
        menu(page, "Run", "Run All Cells")
        page.wait_for_function(FINISHED, timeout=180_000, polling=100)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"))
        bad = page.locator(BAD)
        texts = [bad.nth(i).text_content() for i in range(bad.count())]
        assert not texts, f"{path.name} showed errors or warnings in JupyterLab: {texts}"
        counts = [int(p[1:-2]) for p in page.evaluate(f"() => {PROMPTS}")]
        assert counts == list(range(1, len(counts) + 1)), f"cells ran out of order: {counts}"
        assert page.locator(".jp-OutputArea-output").count() > 0
        # Done with this notebook: shut its kernel down, close it without saving the new outputs.
        menu(page, "Kernel", "Shut Down Kernel")
        menu(page, "File", "Close Tab")
        page.click(".jp-Dialog-button:has-text('Discard')")  # "Save your work?" (the outputs changed)
        page.wait_for_selector(".jp-Notebook", state="detached", timeout=30_000)
    except Exception:
        page.screenshot(path=str(SHOTS / f"{path.stem}-failed.png"))
        tab.discard()
        raise
