"""Plant realistic bugs one at a time in a temporary copy and check that the suite catches each.

    python tools/mutants.py            # all mutants
    python tools/mutants.py relu-mask  # only those whose name contains the word

Each mutant replaces one exact piece of text (which must occur exactly once) in one
file, then runs the tests that should notice. A mutant is caught when they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB = "notebooks/"


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    simulates: str


MUTANTS = [
    Mutant(
        "relu-mask-flipped",
        NB + "01_numpy.ipynb",
        "grad_h[h < 0] = 0",
        "grad_h[h > 0] = 0",
        (NB + "01_numpy.ipynb",),
        "the ReLU's backward pass zeroes the units that were active instead of the inactive ones",
    ),
    Mutant(
        "missing-transpose",
        NB + "01_numpy.ipynb",
        "grad_w1 = x.T.dot(grad_h)",
        "grad_w1 = x.dot(grad_h.T).T",
        (NB + "01_numpy.ipynb",),
        "a transpose in the wrong place: the product that gives grad_w1 has the wrong shape",
    ),
    Mutant(
        "finite-diff-not-restored",
        NB + "01_numpy.ipynb",
        "w1s[i] = old  # restore it before the next entry",
        "pass  # the weight is left at old - eps",
        (NB + "01_numpy.ipynb",),
        "01's inline finite difference forgets to restore the nudged weight, so later entries are measured elsewhere",
    ),
    Mutant(
        "relu-mask-flipped-in-tensors",
        NB + "03_tensors.ipynb",
        'grad_h[h < 0] = 0\\n",\n    "    grad_w1',
        'grad_h[h > 0] = 0\\n",\n    "    grad_w1',
        (NB + "03_tensors.ipynb",),
        "notebook 03's torch translation masks the wrong units",
    ),
    Mutant(
        "forgotten-zeroing-in-autograd",
        NB + "04_autograd.ipynb",
        '    "        w1.grad.zero_()\\n",',
        '    "        pass\\n",',
        (NB + "04_autograd.ipynb",),
        "notebook 04's training loop forgets to zero one gradient, which then accumulates",
    ),
    Mutant(
        "custom-relu-backward-passes-everything",
        NB + "05_custom_function.ipynb",
        'return input.clamp(min=0)\\n",\n    "\\n",\n    "    @staticmethod\\n",\n'
        '    "    def backward(ctx, grad_output):\\n",\n'
        '    "        (input,) = ctx.saved_tensors\\n",\n    "        grad_input = grad_output.clone()\\n",\n'
        '    "        grad_input[input < 0] = 0',
        'return input.clamp(min=0)\\n",\n    "\\n",\n    "    @staticmethod\\n",\n'
        '    "    def backward(ctx, grad_output):\\n",\n'
        '    "        (input,) = ctx.saved_tensors\\n",\n    "        grad_input = grad_output.clone()\\n",\n'
        '    "        grad_input[input < -1e9] = 0',
        (NB + "05_custom_function.ipynb",),
        "a custom Function whose backward forgets the ReLU mask: gradcheck must say False",
    ),
    Mutant(
        "mean-instead-of-sum-loss",
        NB + "06_nn.ipynb",
        'loss_fn = torch.nn.MSELoss(reduction=\\"sum\\")',
        'loss_fn = torch.nn.MSELoss(reduction=\\"mean\\")',
        (NB + "06_nn.ipynb",),
        "the loss silently averages instead of summing, so the learning rate is 640 times too small",
    ),
    Mutant(
        "optimizer-not-zeroed",
        NB + "07_optim.ipynb",
        '    "    optimizer.zero_grad()\\n",\n    "    loss.backward()\\n",\n    "    # Update weights: one SGD step',
        '    "    loss.backward()\\n",\n    "    # Update weights: one SGD step',
        (NB + "07_optim.ipynb",),
        "the torch.optim loop never calls zero_grad()",
    ),
    Mutant(
        "extra-use-of-shared-layer",
        NB + "09_control_flow.ipynb",
        "for _ in range(depth):",
        "for _ in range(depth + 1):",
        (NB + "09_control_flow.ipynb",),
        "an off-by-one in the dynamic depth: the shared layer is applied once more than drawn",
    ),
    Mutant(
        "dropped-factor-2",
        "helpers/reference.py",
        "grad_y_pred = 2.0 * (y_pred - y)\n    grad_w2 = h_relu.t()",
        "grad_y_pred = (y_pred - y)\n    grad_w2 = h_relu.t()",
        ("tests/test_reference.py",),
        "the derivative of the square loses its factor 2 (in the tensors reference run)",
    ),
    Mutant(
        "sign-error-in-update",
        "helpers/reference.py",
        "            w1 -= learning_rate * grad_w1\n            w2 -= learning_rate * grad_w2\n    return",
        "            w1 += learning_rate * grad_w1\n            w2 -= learning_rate * grad_w2\n    return",
        ("tests/test_reference.py",),
        "gradient ascent instead of descent for one weight (numpy reference run)",
    ),
    Mutant(
        "gradients-not-zeroed",
        "helpers/reference.py",
        "            w1.grad.zero_()\n",
        "",
        ("tests/test_reference.py",),
        "forgotten zeroing: autograd accumulates gradients across steps",
    ),
    Mutant(
        "learning-rate-changed",
        NB + "01_numpy.ipynb",
        '"learning_rate = 1e-6\\n"',
        '"learning_rate = 1.1e-6\\n"',
        (NB + "01_numpy.ipynb",),
        "someone 'tunes' the learning rate without regenerating the stored outputs",
    ),
    Mutant(
        "off-by-one-printed-steps",
        "helpers/losses.py",
        "(step + 1) % self.every == 0",
        "step % self.every == 0",
        ("tests/test_losses.py",),
        "the loss log prints steps 100, 200, ... instead of 99, 199, ... (the last step never shown)",
    ),
    Mutant(
        "off-by-one-recorded-steps",
        "helpers/losses.py",
        "if step != len(self.losses):",
        "if step != len(self.losses) + 1:",
        ("tests/test_losses.py",),
        "the log expects steps to start at 1, so the loss at step 0 is rejected or misplaced",
    ),
    Mutant(
        "broken-device-choice",
        "helpers/device.py",
        "if torch.cuda.is_available():",
        "if not torch.cuda.is_available():",
        ("tests/test_device.py",),
        "the device choice picks CUDA exactly when it is absent",
    ),
    Mutant(
        "mps-float64",
        "helpers/device.py",
        " and dtype != torch.float64",
        "",
        ("tests/test_device.py",),
        "MPS chosen for float64, which it cannot run",
    ),
    Mutant(
        "device-override-ignored",
        "helpers/device.py",
        'wanted = os.environ.get("PBE_DEVICE", "").strip().lower()',
        'wanted = ""',
        ("tests/test_device.py",),
        "PBE_DEVICE is ignored, so a runner pinned to the CPU still picks its broken MPS device",
    ),
    Mutant(
        "one-sided-difference",
        "helpers/checks.py",
        "grad[i] = (f_plus - f_minus) / (2 * eps)",
        "grad[i] = (f_plus - f_minus) / eps",
        ("tests/test_checks.py",),
        "the finite-difference estimate forgets the 2 in the centred difference",
    ),
    Mutant(
        "relative-error-without-abs",
        "helpers/checks.py",
        "float(np.max(np.abs(a - b)) / scale)",
        "float(np.max(a - b) / scale)",
        ("tests/test_checks.py",),
        "differences of one sign are ignored, so a gradient that is too large passes",
    ),
    Mutant(
        "divergence-not-caught",
        "helpers/losses.py",
        "if not math.isfinite(value):",
        "if math.isnan(value):",
        ("tests/test_losses.py",),
        "an infinite loss is accepted and training carries on with overflowed weights",
    ),
    Mutant(
        "float32-digits-too-many",
        "helpers/losses.py",
        '"float32": 2,',
        '"float32": 6,',
        ("tests/test_losses.py",),
        "float32 losses printed with digits that differ between computers",
    ),
    Mutant(
        "seed-ignored",
        "helpers/data.py",
        "rng = np.random.default_rng(seed)",
        "rng = np.random.default_rng()",
        ("tests/test_data.py",),
        "the data are no longer reproducible from the seed",
    ),
]


def copy_repo(dest: Path) -> None:
    """Copy the tracked and untracked-but-not-ignored files of the repository to `dest`."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


TIMEOUT = 600  # seconds for one pytest run


def run_pytest(copy: Path, tests: tuple[str, ...], *options: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on `tests` inside `copy` (its helpers shadow the installed ones); a run over 10 minutes fails."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", *options, "-p", "no:cacheprovider", *tests]
    try:
        return subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        message = f"pytest did not finish within {TIMEOUT} s: is the machine busy, or does a test hang?"
        return subprocess.CompletedProcess(command, returncode=124, stdout=message, stderr="")


def tests_fail(copy: Path, tests: tuple[str, ...]) -> bool:
    """Run pytest on `tests` inside `copy`, stopping at the first failure; True if any fails."""
    return run_pytest(copy, tests, "-x", "-q").returncode != 0


# The baseline's report. -vv: nbval's diffs of stored and fresh outputs in full (otherwise pytest
# cuts them down to their first differing characters); --tb=short: one frame per failing test.
BASELINE_OPTIONS = ("-vv", "--tb=short", "--color=no", "-rN")
MAX_FAILURES = 10  # failures shown; the rest are counted
MAX_LINES = 20  # lines shown per failure
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SECTION = re.compile(r"^=+ (.*?) =+$")  # === FAILURES ===, === ERRORS ===, === 3 failed in 1s ===
BLOCK = re.compile(r"^_{3,} (.*?) _{3,}$")  # ____ notebooks/01_numpy.ipynb::Cell 3 ____, ____ test_x ____
CELL = re.compile(r"^(?P<path>\S+\.ipynb)::Cell (?P<number>\d+)$")
DIFF = re.compile(r"^  ([-+]) (.*)$")  # pytest's diff of `stored == fresh`: + the stored line, - the fresh one
TEST_FRAME = re.compile(r"^(\S+\.py):\d+: in ")


def baseline_failures(copy: Path, tests: tuple[str, ...]) -> str | None:
    """Run `tests` unmutated in `copy`; None if they pass, else which tests and cells fail, and how."""
    result = run_pytest(copy, tests, *BASELINE_OPTIONS)
    if result.returncode == 0:
        return None
    return summarize(result.stdout + result.stderr, copy)


def failure_blocks(output: str) -> list[tuple[str, list[str]]]:
    """Split the FAILURES and ERRORS sections of pytest's `output` into (title, lines) per failure."""
    blocks: list[tuple[str, list[str]]] = []
    in_section = False
    for line in ANSI.sub("", output).splitlines():
        if section := SECTION.match(line):
            in_section = section.group(1) in ("FAILURES", "ERRORS")
        elif in_section and (block := BLOCK.match(line)):
            blocks.append((block.group(1), []))
        elif in_section and blocks:
            blocks[-1][1].append(line)
    return blocks


def cell_failure(root: Path, path: str, number: int, lines: list[str]) -> tuple[str, list[str]]:
    """nbval's report of code cell `number` of `path`, condensed: why it failed, and which lines differ."""
    try:
        code_cells = [c for c in json.loads((root / path).read_text())["cells"] if c["cell_type"] == "code"]
        cell_id = f" (id {code_cells[number]['id']})"
    except (OSError, ValueError, KeyError, IndexError):
        cell_id = ""
    reason = next((line.split(": ", 1)[1] for line in lines if re.match(rf"Cell {number}: ", line)), "failed")
    after = lines[lines.index("Traceback:") + 1 :] if "Traceback:" in lines else []
    shown = []
    for line in after:
        if diff := DIFF.match(line):
            shown.append(f"{'stored' if diff.group(1) == '+' else 'fresh '}  {diff.group(2)}")
        elif line.strip("- ") and not line.startswith(("    ", "  ?", "  '", " assert reference_output")):
            shown.append(line.strip())
    return f"{path}::Cell {number}{cell_id}: {reason}", shown


def summarize(output: str, root: Path) -> str:
    """A compact report of the failures in pytest's `output` (run with BASELINE_OPTIONS in `root`)."""
    blocks = failure_blocks(output)
    if not blocks:  # a crash, a collection error, a timeout message: show how pytest ended
        return "\n".join(["pytest's last lines:", *output.strip().splitlines()[-MAX_LINES:]])
    report = []
    for title, lines in blocks[:MAX_FAILURES]:
        if cell := CELL.match(title):
            heading, shown = cell_failure(root, cell["path"], int(cell["number"]), lines)
        else:
            frame = next((m for line in lines if (m := TEST_FRAME.match(line))), None)
            heading = f"{frame.group(1)}::{title}" if frame and "::" not in title else title
            shown = [line for line in lines if line.strip()]
        report.append(heading)
        report += [f"    {line}" for line in shown[:MAX_LINES]]
        if len(shown) > MAX_LINES:
            report.append(f"    ... {len(shown) - MAX_LINES} more lines")
    if len(blocks) > MAX_FAILURES:
        report.append(f"... and {len(blocks) - MAX_FAILURES} more failures")
    return "\n".join(report)


def run(mutant: Mutant, copy: Path) -> bool:
    """Apply `mutant` in `copy`, run its tests, restore the file; return True if the tests failed."""
    target = copy / mutant.path
    original = target.read_text()
    count = original.count(mutant.old)
    if count != 1:
        raise SystemExit(f"{mutant.name}: the text to replace occurs {count} times in {mutant.path}; expected once")
    target.write_text(original.replace(mutant.old, mutant.new))
    try:
        return tests_fail(copy, mutant.tests)
    finally:
        target.write_text(original)


def main(words: list[str]) -> int:
    chosen = [m for m in MUTANTS if not words or any(w in m.name for w in words)]
    caught = 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        copy_repo(copy)
        baseline = tuple(sorted({t for m in chosen for t in m.tests}))
        if (failures := baseline_failures(copy, baseline)) is not None:
            print(f"the unmutated copy already fails: fix that first\n{failures}")
            return 2
        for mutant in chosen:
            ok = run(mutant, copy)
            caught += ok
            print(f"{'caught' if ok else 'MISSED'}  {mutant.name:28s} {mutant.simulates}", flush=True)
    print(f"caught {caught}/{len(chosen)}")
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
