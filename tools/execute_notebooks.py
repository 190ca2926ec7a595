"""Execute notebooks in place, in a fresh kernel each, and store them byte-stably.

    python tools/execute_notebooks.py notebooks/*.ipynb

This is the only way stored outputs are changed. Notebooks run in parallel, one kernel
per core, each with one thread. Two runs in a row give byte-identical files: no timing
metadata, streams merged as nbval merges them, a fixed kernelspec and language_info, and
outputs made on the CPU with one thread. Where a cell's new text output differs from the
stored one only in what nbval_sanitize.cfg masks as machine-dependent (timings, addresses,
device names), the stored output is kept: nbval treats the two as equal, and git sees no churn.
"""

import configparser
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbval.plugin import coalesce_streams

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3", "file_extension": ".py"}


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The (pattern, replacement) pairs of nbval_sanitize.cfg."""
    config = configparser.ConfigParser()
    config.read(ROOT / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def masked_text(outputs: list, rules: list[tuple[re.Pattern, str]]) -> list[str]:
    """The text of each output (streams and text/plain), with machine-dependent parts masked."""
    texts = []
    for out in outputs:
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        for pattern, replacement in rules:
            text = pattern.sub(replacement, "".join(text))
        texts.append(f"{out.get('output_type')}:{text}")
    return texts


def execute(path: Path) -> None:
    """Run one notebook top to bottom with the notebook's folder as working directory."""
    nb = nbformat.read(path, as_version=4)
    stored = {cell.get("id"): cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"}
    rules = sanitizers()
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            old = stored.get(cell.get("id"))
            if old and masked_text(old, rules) == masked_text(cell.outputs, rules):
                cell.outputs = old
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nbformat.validate(nb)
    nbformat.write(nb, path)


def main(paths: list[str]) -> None:
    # Stored outputs are always made on the CPU with one thread, so neither a GPU nor the core count
    # of the author's machine changes a byte (the printed text is the same either way; plots could
    # differ by a pixel).
    os.environ.update(
        CUDA_VISIBLE_DEVICES="",
        PBE_DEVICE="cpu",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        PYTHONHASHSEED="0",
    )
    # Each notebook gets its own process and kernel; as many at once as there are cores.
    with ProcessPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
        for p, _ in zip(paths, pool.map(execute, map(Path, paths)), strict=True):
            print(f"executed {p}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python tools/execute_notebooks.py NOTEBOOK.ipynb ...")
    main(sys.argv[1:])
