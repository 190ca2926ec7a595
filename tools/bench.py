"""How fast is this machine, and how much of it does each program of the series use?

    make bench                                 # about 70 s on a 2-core CPU (90 s with an empty compile cache)
    python tools/bench.py --quick        # two small sizes, no compilation: a smoke test
    python tools/bench.py --no-compile   # everything but torch.compile
    python tools/bench.py --cold         # compile with an empty cache, as the first run on a new machine

Prints two tables and writes build/bench/bench.png (GFLOP/s against problem size) and
build/bench/bench.csv. Timings come from torch.utils.benchmark.Timer (which synchronizes a
GPU before reading the clock), with the thread count torch would use anyway; each figure is the
best of a few repeats, because on a shared machine the slow runs measure the neighbours.

What counts as work. Only the matrix products: an (m, k) times (k, n) product is m*n*k
multiplications and as many additions, 2*m*n*k floating-point operations (FLOPs). One training
step of the series' network (N, D_in, H, D_out) does five of them:

    forward    h = x @ w1                    2*N*D_in*H
               y_pred = h_relu @ w2          2*N*H*D_out
    backward   grad_w2 = h_relu.T @ g        2*H*N*D_out      (g = grad_y_pred)
               grad_h = g @ w2.T             2*N*D_out*H
               grad_w1 = x.T @ grad_h        2*D_in*N*H
    a sixth, grad_x = grad_h @ w1.T, is not needed (x is data, not trained) and no program does it

    total = 4*N*D_in*H + 6*N*H*D_out FLOPs per step: 25,984,000 at the tutorial's (64, 1000, 100, 10).

The elementwise work (ReLU, loss, mask, weight updates: a few passes over N*H + D_in*H numbers) is
not counted, so GFLOP/s is the rate of useful matrix arithmetic, and "% peak" compares it with the
best square product measured on the same device in the same dtype. Two more columns say where the
time goes:

- "products": the share of the step's time spent inside its matrix products, measured inside the
  same steps: torch.profiler's self time of every product operation (aten::mm, aten::addmm; on a
  GPU their kernels' time), and for numpy a clock around each dot, divided by the time of the
  whole profiled run. The part lies inside its total, so the share cannot exceed 100 %. (Timing
  the products alone, on the side, gave shares of 104-112 % where the products are nearly all of
  the step: two separate measurements, each with its own noise, of products that need not run
  alone as fast as inside the step.) The profiler adds a little time to every
  operation, so at small sizes, where operations are many and short, the share is slightly low.
- "fixed": the time of the same program with every size 1 (Python, operator dispatch, kernel
  launches) as a share of the step. It is a separate measurement and overlaps "products" (each
  product's own call cost is in both), so the two columns need not add up to 100 %.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import math
import os
import platform
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils import benchmark

from helpers.data import make_data, to_torch
from helpers.reference import tensors_step

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench"
TUTORIAL = (64, 1000, 100, 10)
#: N = D_in grows from 64 to 4096; H and D_out stay the tutorial's.
SIZES = [(64, 64, 100, 10), TUTORIAL, (256, 256, 100, 10), (1024, 1024, 100, 10), (4096, 4096, 100, 10)]
QUICK_SIZES = [(64, 64, 100, 10), TUTORIAL]
ONES = (1, 1, 1, 1)
REPEATS = 3


def step_flops(N: int, D_in: int, H: int, D_out: int) -> int:
    """FLOPs in the matrix products of one training step: forward 2 products, backward 3 (no grad of x)."""
    forward = 2 * N * D_in * H + 2 * N * H * D_out
    backward = 2 * H * N * D_out + 2 * N * D_out * H + 2 * D_in * N * H
    return forward + backward


def learning_rates(N: int, D_in: int) -> tuple[float, float]:
    """The series' learning rates (1e-6 for raw weights, 1e-4 for nn.Linear's), scaled down as N*D_in grows.

    The gradients grow with N*D_in; scaling keeps every size from diverging (timings do not depend
    on the values, but NaNs and infinities would be no honest measurement).
    """
    scale = TUTORIAL[0] * TUTORIAL[1] / (N * D_in)
    return 1e-6 * min(1.0, scale), 1e-4 * min(1.0, scale)


# ----------------------------------------------------------------------------------------------------
# The series' programs, one training step each, returning the loss as a Python float (as the loops do
# through LossLog.record). Each factory returns (step, products_share, reset): `products_share(steps)` runs
# `steps` steps and returns the share of their time spent inside the matrix products, measured in the same
# run; `reset` puts the weights back to their initial values.


def numpy_program(sizes, dtype, device="cpu"):
    """01_numpy: numpy arrays, hand-written backward pass."""
    assert device == "cpu", "numpy runs on the CPU only"
    np_dtype = np.float64 if dtype == torch.float64 else np.float32
    x, y, w1, w2 = (a.astype(np_dtype) for a in make_data(0, *sizes))
    initial = w1.copy(), w2.copy()
    lr = learning_rates(*sizes[:2])[0]

    def reset():
        w1[...], w2[...] = initial

    def step(dot=np.dot):
        # Forward pass
        h = dot(x, w1)
        h_relu = np.maximum(h, 0)
        y_pred = dot(h_relu, w2)
        # Compute loss
        loss = float(np.square(y_pred - y).sum())
        # Backward pass
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = dot(h_relu.T, grad_y_pred)
        grad_h = dot(grad_y_pred, w2.T)
        grad_h[h < 0] = 0
        grad_w1 = dot(x.T, grad_h)
        # Update weights
        w1[...] -= lr * grad_w1
        w2[...] -= lr * grad_w2
        return loss

    def products_share(steps):
        """Share of `steps` steps' time spent inside np.dot, clocked around each call in the same run."""
        inside = 0.0

        def timed_dot(a, b):
            nonlocal inside
            start = time.perf_counter()
            out = np.dot(a, b)
            inside += time.perf_counter() - start
            return out

        start = time.perf_counter()
        for _ in range(steps):
            step(timed_dot)
        return inside / (time.perf_counter() - start)

    return step, products_share, reset


def resetter(*tensors):
    """A function that puts `tensors` back to their current values, in place."""
    initial = [t.detach().clone() for t in tensors]

    def reset():
        with torch.no_grad():
            for t, t0 in zip(tensors, initial, strict=True):
                t.copy_(t0)

    return reset


#: The matrix-product operations as torch.profiler names them (nn.Linear's forward is addmm).
PRODUCT_OPS = frozenset({"aten::mm", "aten::addmm", "aten::bmm"})


@contextlib.contextmanager
def quiet_stderr():
    """Send file descriptor 2 to /dev/null: the profiler's C++ side prints two log lines every time it runs."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def profiled_share(step: Callable[[], object], device: str) -> Callable[[int], float]:
    """A function of `steps` that runs step() that often under torch.profiler and returns the products' share.

    The share is the products' self time (their kernels' time on a GPU) over the time of the same run,
    so the part lies inside its total.
    """

    def products_share(steps: int) -> float:
        activities = [torch.profiler.ProfilerActivity.CPU]
        if device == "cuda":
            activities.append(torch.profiler.ProfilerActivity.CUDA)
        with quiet_stderr(), torch.profiler.profile(activities=activities) as profiler:
            start = time.perf_counter()
            for _ in range(steps):
                step()  # returns a Python float: on a GPU, .item() waits for the step's kernels
            total = time.perf_counter() - start
        field = "self_device_time_total" if device == "cuda" else "self_cpu_time_total"
        inside = sum(getattr(e, field) for e in profiler.key_averages() if e.key in PRODUCT_OPS)
        return inside / 1e6 / total  # the profiler reports microseconds

    return products_share


def manual_program(sizes, dtype, device):
    """03_tensors: torch tensors, hand-written backward pass."""
    x, y, w1, w2 = to_torch(*make_data(0, *sizes), dtype=dtype, device=device)
    lr = learning_rates(*sizes[:2])[0]
    step = lambda: tensors_step(x, y, w1, w2, lr).item()  # noqa: E731
    return step, profiled_share(step, device), resetter(w1, w2)


def compiled_program(sizes, dtype, device):
    """03_tensors' step compiled by torch.compile (default inductor backend, static shapes)."""
    x, y, w1, w2 = to_torch(*make_data(0, *sizes), dtype=dtype, device=device)
    lr = learning_rates(*sizes[:2])[0]
    torch._dynamo.reset()  # a fresh compilation for every size and dtype (no recompile limit, no dynamic shapes)
    compiled = torch.compile(tensors_step, dynamic=False)
    step = lambda: compiled(x, y, w1, w2, lr).item()  # noqa: E731
    return step, profiled_share(step, device), resetter(w1, w2)


def autograd_program(sizes, dtype, device):
    """04_autograd: loss.backward() replaces the hand-written backward pass."""
    x, y, w1, w2 = to_torch(*make_data(0, *sizes), dtype=dtype, device=device)
    w1.requires_grad_()
    w2.requires_grad_()
    lr = learning_rates(*sizes[:2])[0]

    def step():
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        value = loss.item()
        loss.backward()
        with torch.no_grad():
            w1.sub_(lr * w1.grad)
            w2.sub_(lr * w2.grad)
            w1.grad.zero_()
            w2.grad.zero_()
        return value

    return step, profiled_share(step, device), resetter(w1, w2)


def nn_optim_program(sizes, dtype, device):
    """07_optim: torch.nn.Sequential, MSELoss(reduction="sum") and torch.optim.SGD."""
    N, D_in, H, D_out = sizes
    x, y = to_torch(*make_data(0, *sizes)[:2], dtype=dtype, device=device)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))
    model = model.to(device=device, dtype=dtype)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rates(N, D_in)[1])

    def step():
        loss = loss_fn(model(x), y)
        value = loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return value

    return step, profiled_share(step, device), resetter(*model.parameters())


@dataclass(frozen=True)
class Program:
    name: str
    make: Callable
    dtypes: tuple[torch.dtype, ...] = (torch.float64, torch.float32)
    numpy: bool = False


PROGRAMS = [
    Program("numpy (01)", numpy_program, numpy=True),
    Program("torch, manual backward (03)", manual_program),
    Program("autograd (04)", autograd_program),
    Program("nn + optim.SGD (07)", nn_optim_program),
]
COMPILED = Program("torch.compile of 03's step", compiled_program, dtypes=(torch.float32,))


# ----------------------------------------------------------------------------------------------------
# Measuring


def best_time(fn: Callable[[], object], number: int, reset: Callable[[], None] = lambda: None) -> float:
    """Best time of one call of fn(), over REPEATS runs of `number` calls each, each run after reset().

    Timer runs `setup` (untimed) before every run, its warm-up included: every run of a training program
    starts from the initial weights, so each times the same `number` steps of the same run of the series.
    (Without it, the fast-converging small sizes end in subnormal float64 numbers, which are slow.)
    """
    timer = benchmark.Timer(
        stmt="fn()", setup="reset()", globals={"fn": fn, "reset": reset}, num_threads=torch.get_num_threads()
    )
    return min(timer.timeit(number).mean for _ in range(REPEATS))


def peak_size(device: str) -> int:
    return 8192 if device == "cuda" else 2048


def matmul_peak(library: str, dtype: torch.dtype, device: str, threads: int | None = None) -> tuple[int, float]:
    """(n, best seconds) of an n x n times n x n product; GFLOP/s = 2 n^3 / seconds / 1e9."""
    n = peak_size(device)
    if library == "numpy":
        rng = np.random.default_rng(0)
        np_dtype = np.float64 if dtype == torch.float64 else np.float32
        a, b = (rng.standard_normal((n, n)).astype(np_dtype) for _ in range(2))
        fn = lambda: a @ b  # noqa: E731
    else:
        torch.manual_seed(0)
        a, b = (torch.randn(n, n, dtype=dtype, device=device) for _ in range(2))
        fn = lambda: a @ b  # noqa: E731
    timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads or torch.get_num_threads())
    measurement = timer.blocked_autorange(min_run_time=0.2 if REPEATS == 1 else 1.0)
    return n, min(measurement.times)


def fmt_time(seconds: float) -> str:
    """A time with a unit, 4 significant digits at most: '812.4 µs', '3.05 ms', '1.2 s'."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}" if seconds / scale < 100 else f"{seconds / scale:.0f} {unit}"
    return f"{seconds * 1e9:.2g} ns"


def steps_for(sizes: tuple[int, int, int, int]) -> int:
    """500 steps at the tutorial's size or below; fewer (at least 10) as the work per step grows."""
    return max(10, min(500, round(500 * step_flops(*TUTORIAL) / step_flops(*sizes))))


def devices() -> list[str]:
    found = ["cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    return found


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else "no CUDA GPU"
    blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
    return (
        f"torch {torch.__version__} ({blas}), numpy {np.__version__}, Python {platform.python_version()}\n"
        f"CPU: {cpu}, {os.cpu_count()} cores, torch threads {torch.get_num_threads()}; {gpu}"
    )


def try_compile(program: Program, sizes, dtype, device):
    """Return (step, products_share, reset, compile seconds) or the reason torch.compile is skipped."""
    try:
        with warnings.catch_warnings():
            # torch 2.13's CPU backend imports a module that uses deprecated torch.jit API: not our code.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="torch")
            step, products_share, reset = program.make(sizes, dtype, device)
            start = time.perf_counter()
            step()
            return step, products_share, reset, time.perf_counter() - start
    except Exception as err:  # any failure: no compiler, no Triton, unsupported platform, ...
        lines = [line for line in str(err).splitlines() if line.strip()]
        return f"skipped: {type(err).__name__}: {lines[0][:100] if lines else ''}"


# ----------------------------------------------------------------------------------------------------


def measure_peaks() -> tuple[dict[tuple[str, torch.dtype], float], list[tuple]]:
    """Print and return the best GFLOP/s of a large square product per (device, dtype), and the table's rows."""
    print("\nMatrix-multiply peak: square n x n products, 2*n^3 FLOPs each, the best of repeats")
    print(f"{'device':7s} {'library':17s} {'dtype':8s} {'n':>5s} {'time':>9s} {'GFLOP/s':>8s}")
    peaks: dict[tuple[str, torch.dtype], float] = {}
    rows = []
    for device in devices():
        for dtype in (torch.float64, torch.float32):
            libraries = [("torch", None)]
            if device == "cpu":
                libraries += [("torch", 1)] if torch.get_num_threads() > 1 else []
                libraries += [("numpy", None)]
            for library, threads in libraries:
                n, seconds = matmul_peak(library, dtype, device, threads)
                gflops = 2 * n**3 / seconds / 1e9
                label = library + (", 1 thread" if threads == 1 else "")
                peaks[device, dtype] = max(peaks.get((device, dtype), 0.0), gflops)
                rows.append((device, label, str(dtype).removeprefix("torch."), n, seconds, gflops))
                print(f"{device:7s} {label:17s} {rows[-1][2]:8s} {n:5d} {fmt_time(seconds):>9s} {gflops:8.1f}")
    return peaks, rows


STEPS_HEADER = """
Training steps of the series' programs. FLOPs counted from the matrix products only: 4*N*D_in*H + 6*N*H*D_out
per step (forward 2 products, backward 3; the product for x's gradient is not needed and not done).
time/step: best of repeats of `steps` steps, each run from the initial weights. % peak: of the best product
above (same device and dtype). products: share of the step's time spent inside its products, measured in the
same steps (torch.profiler; numpy: a clock around each dot), so at most 100%. fixed: the same program with
every size 1 (Python, operator dispatch, kernel launches) as a share of the step, measured apart."""


def measure_steps(sizes_list, programs, peaks) -> list[dict]:
    """Print and return one row per device, size, program and dtype."""
    print(STEPS_HEADER)
    print(
        f"{'device':6s} {'N':>5s} {'D_in':>5s} {'H':>4s} {'D_out':>5s} {'MFLOP':>8s}  {'program':27s} {'dtype':8s} "
        f"{'steps':>5s} {'time/step':>10s} {'GFLOP/s':>8s} {'% peak':>6s} {'products':>8s} {'fixed':>6s}"
    )
    rows = []
    fixed: dict[tuple[str, str, torch.dtype], float] = {}
    compile_notes = []
    for device in devices():
        skip = set()
        for sizes in [ONES, *sizes_list]:
            for program in programs:
                if (program.numpy and device != "cpu") or program.name in skip:
                    continue
                for dtype in program.dtypes:
                    steps = steps_for(sizes)
                    if program is COMPILED:
                        made = try_compile(program, sizes, dtype, device)
                        if isinstance(made, str):
                            print(f"{device:6s} {sizes!s:>32s}  {program.name:27s} {made}")
                            compile_notes.append(f"{device}: {made}")
                            skip.add(program.name)  # don't retry every size
                            break
                        step, products_share, reset, compile_s = made
                        compile_notes.append(
                            f"{device} {sizes} {str(dtype).removeprefix('torch.')}: {fmt_time(compile_s)}"
                        )
                    else:
                        step, products_share, reset = program.make(sizes, dtype, device)
                    seconds = best_time(step, steps, reset)
                    last_loss = step()  # the loss after the last timed run's steps
                    if sizes == ONES:
                        fixed[device, program.name, dtype] = seconds
                        continue
                    reset()
                    share = products_share(max(1, steps // 2))
                    flops = step_flops(*sizes)
                    gflops = flops / seconds / 1e9
                    row = dict(
                        device=device,
                        N=sizes[0],
                        D_in=sizes[1],
                        H=sizes[2],
                        D_out=sizes[3],
                        mflop=flops / 1e6,
                        program=program.name,
                        dtype=str(dtype).removeprefix("torch."),
                        steps=steps,
                        seconds=seconds,
                        gflops=gflops,
                        peak_share=gflops / peaks[device, dtype],
                        products_share=share,
                        fixed_share=fixed[device, program.name, dtype] / seconds,
                        finite=math.isfinite(last_loss),
                    )
                    rows.append(row)
                    print(
                        f"{device:6s} {sizes[0]:5d} {sizes[1]:5d} {sizes[2]:4d} {sizes[3]:5d} {row['mflop']:8.2f}  "
                        f"{program.name:27s} {row['dtype']:8s} {steps:5d} {fmt_time(seconds):>10s} {gflops:8.1f} "
                        f"{100 * row['peak_share']:5.0f}% {100 * row['products_share']:7.0f}% "
                        f"{100 * row['fixed_share']:5.0f}%" + ("" if row["finite"] else "  (loss not finite)")
                    )
    print("\nFixed cost per step (every size 1: Python, operator dispatch, kernel launches):")
    for (device, name, dtype), seconds in fixed.items():
        print(f"  {device:5s} {name:27s} {str(dtype).removeprefix('torch.'):8s} {fmt_time(seconds):>9s}")
    if COMPILED in programs:
        print("torch.compile, first call (compilation; inductor caches kernels on disk, so a second run is faster):")
        print("\n".join(f"  {note}" for note in compile_notes) or "  not run")
    return rows


def main(argv: list[str] | None = None) -> int:
    global REPEATS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small sizes, one repeat, no compilation")
    parser.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    parser.add_argument(
        "--cold", action="store_true", help="compile with an empty inductor cache, as on a new machine (slower)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="folder for bench.png and bench.csv")
    args = parser.parse_args(argv)
    REPEATS = 1 if args.quick else REPEATS
    started = time.perf_counter()
    print("make bench:", machine_line())
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        busy = "  (busy: other programs share the CPU, timings will be slow; rerun when idle)" if load > 0.5 else ""
        print(f"load average before: {load:.2f}{busy}")

    peaks, rows_peak = measure_peaks()
    programs = list(PROGRAMS) + ([] if args.quick or args.no_compile else [COMPILED])
    with tempfile.TemporaryDirectory() as empty_cache:
        if args.cold:  # read when inductor first compiles, which is later than this
            os.environ["TORCHINDUCTOR_CACHE_DIR"] = empty_cache
        rows = measure_steps(QUICK_SIZES if args.quick else SIZES, programs, peaks)

    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "bench.csv", rows_peak, rows)
    plot(args.out / "bench.png", rows, peaks)
    print(f"\nwrote {args.out / 'bench.png'} and bench.csv; {fmt_time(time.perf_counter() - started)} in all")
    return 0


def write_csv(path: Path, rows_peak, rows) -> None:
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["device", "library", "dtype", "n", "seconds", "gflops"])
        out.writerows(rows_peak)
        out.writerow([])
        if rows:
            out.writerow(rows[0].keys())
            out.writerows(row.values() for row in rows)


def plot(path: Path, rows, peaks) -> None:
    """GFLOP/s against MFLOP per step: a line per program and dtype through the N = D_in sizes, a star at 64, 1000."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = {"float64": "-", "float32": "--"}
    fig, axes = plt.subplots(1, len(devices()), figsize=(7.5 * len(devices()), 5), squeeze=False)
    for ax, device in zip(axes[0], devices(), strict=True):
        for dtype, style in styles.items():
            peak = peaks.get((device, getattr(torch, dtype)))
            if peak:
                ax.axhline(peak, color="grey", ls=style, lw=1)
                ax.annotate(f"{dtype} peak", (0.01, peak), xycoords=("axes fraction", "data"), va="bottom", fontsize=8)
        names = list(dict.fromkeys(r["program"] for r in rows if r["device"] == device))
        for color, name in enumerate(names):
            for dtype, style in styles.items():
                own = [r for r in rows if (r["device"], r["program"], r["dtype"]) == (device, name, dtype)]
                line = sorted((r for r in own if r["N"] == r["D_in"]), key=lambda r: r["mflop"])
                star = [r for r in own if (r["N"], r["D_in"], r["H"], r["D_out"]) == TUTORIAL]
                if line:
                    x, y = [r["mflop"] for r in line], [r["gflops"] for r in line]
                    ax.plot(x, y, marker="o", ls=style, color=f"C{color}", label=f"{name}, {dtype}")
                if star:
                    ax.plot(star[0]["mflop"], star[0]["gflops"], marker="*", ms=11, ls="", color=f"C{color}")
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="MFLOP per step (lines: N = D_in = 64 ... 4096; *: the tutorial's 64, 1000)",
        )
        ax.set(
            ylabel="GFLOP/s (matrix products only)", title=f"{device}: training steps against the matrix-multiply peak"
        )
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
