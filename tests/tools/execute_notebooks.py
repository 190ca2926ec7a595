"""Execute notebooks in place, in a fresh kernel each, and store them byte-stably.

    python tests/tools/execute_notebooks.py notebooks/*.ipynb

This is the only way stored outputs are changed. Two runs in a row give
byte-identical files: no timing metadata, streams merged as nbval merges them,
a fixed kernelspec and language_info, and outputs made on the CPU with one thread.
"""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbval.plugin import coalesce_streams

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3", "file_extension": ".py"}


def execute(path: Path) -> None:
    """Run one notebook top to bottom with the notebook's folder as working directory."""
    nb = nbformat.read(path, as_version=4)
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
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nbformat.validate(nb)
    nbformat.write(nb, path)


def main(paths: list[str]) -> None:
    # Stored outputs are always made on the CPU with one thread, so neither a GPU nor the core count
    # of the author's machine changes a byte (the printed text is the same either way; plots could
    # differ by a pixel).
    os.environ.update(
        CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0"
    )
    for p in paths:
        print(f"executing {p}", flush=True)
        execute(Path(p))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python tests/tools/execute_notebooks.py NOTEBOOK.ipynb ...")
    main(sys.argv[1:])
