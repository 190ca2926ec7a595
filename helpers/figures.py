"""Figures in img/, drawn from code: `python -m helpers.figures img` rewrites every one of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORWARD, BACKWARD = "#1f77b4", "#d62728"


def _box(ax: Axes, xy: tuple[float, float], name: str, shape: str, color: str) -> None:
    """Draw one array as a rounded box holding its name and shape (02_matrix_derivatives)."""
    ax.text(
        *xy,
        f"{name}\n{shape}",
        ha="center",
        va="center",
        fontsize=10,
        color=color,
        bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": color},
    )


def _arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    label: str,
    color: str,
    shrink: tuple[float, float] = (24, 24),
) -> None:
    """Draw an arrow from `start` to `end` labelled with the operation it stands for (02_matrix_derivatives)."""
    props = {"arrowstyle": "->", "color": color, "shrinkA": shrink[0], "shrinkB": shrink[1]}
    ax.annotate("", xy=end, xytext=start, arrowprops=props)
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    if label:
        ax.text(*mid, label, ha="center", va="center", fontsize=9, color=color, backgroundcolor="white")


def flow_figure() -> Figure:
    """Forward and backward pass of the two-layer network with every array's shape (02_matrix_derivatives)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.6))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.8, 8.8)
    ax.set_ylim(-1.7, 3.3)
    ax.axis("off")
    top, bottom = 1.6, 0.0
    ax.text(-0.6, top + 0.55, "forward pass", color=FORWARD, fontsize=11, weight="bold")
    ax.text(-0.6, bottom, "backward pass", color=BACKWARD, fontsize=11, weight="bold", va="center")
    for name, shape, xy in [
        ("x", "(N, D_in)", (0, top)),
        ("w1", "(D_in, H)", (1, 2.85)),
        ("h", "(N, H)", (2, top)),
        ("h_relu", "(N, H)", (4, top)),
        ("w2", "(H, D_out)", (5, 2.85)),
        ("y_pred", "(N, D_out)", (6, top)),
        ("y", "(N, D_out)", (7, 2.85)),
        ("loss", "() a number", (8, top)),
    ]:
        _box(ax, xy, name, shape, FORWARD)
    _arrow(ax, (0, top), (2, top), "x · w1", FORWARD)
    _arrow(ax, (2, top), (4, top), "max(h, 0)", FORWARD)
    _arrow(ax, (4, top), (6, top), "h_relu · w2", FORWARD)
    _arrow(ax, (6, top), (8, top), "Σ (y_pred − y)²", FORWARD)
    for x in (1, 5, 7):  # w1, w2 and y enter the operation below them
        _arrow(ax, (x, 2.85), (x, top + 0.12), "", FORWARD, shrink=(20, 2))
    for name, shape, xy in [
        ("grad_w1", "(D_in, H)", (1, -1.2)),
        ("grad_h", "(N, H)", (2, bottom)),
        ("grad_h_relu", "(N, H)", (4, bottom)),
        ("grad_w2", "(H, D_out)", (5, -1.2)),
        ("grad_y_pred", "(N, D_out)", (6, bottom)),
    ]:
        _box(ax, xy, name, shape, BACKWARD)
    _arrow(ax, (8, top), (6, bottom), "2 (y_pred − y)", BACKWARD)
    _arrow(ax, (6, bottom), (4, bottom), "· w2ᵀ", BACKWARD)
    _arrow(ax, (4, bottom), (2, bottom), "0 where h < 0", BACKWARD)
    _arrow(ax, (6, bottom), (5, -1.2), "h_reluᵀ ·", BACKWARD)
    _arrow(ax, (2, bottom), (1, -1.2), "xᵀ ·", BACKWARD)
    ax.text(8.6, -1.2, "grad_a = ∂loss/∂a\nhas the shape of a", ha="right", va="center", fontsize=10, color=BACKWARD)
    return fig


FIGURES = {"02_matrix_derivatives-flow.svg": flow_figure}


def main(outdir: str | Path) -> list[Path]:
    """Write every figure into `outdir` with byte-stable SVG (make figures; test_figures checks img/)."""
    import matplotlib

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "pytorch-by-example"}):
        for name, draw in FIGURES.items():
            draw().savefig(outdir / name, format="svg", metadata={"Date": None})
            written.append(outdir / name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m helpers.figures OUTDIR")
    for path in main(sys.argv[1]):
        print(f"wrote {path}")
