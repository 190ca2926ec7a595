"""Figures in img/ are exactly what helpers.figures draws, and every one is shown with alt text in a notebook."""

import re

import matplotlib

from helpers.figures import FIGURES, main
from tests.notebook_tools import NOTEBOOKS, ROOT, read

IMG = ROOT / "img"
IMAGE = re.compile(r"!\[([^\]]*)\]\(\.\./img/([^)\s]+)\)")


def test_regenerated_figures_are_byte_identical_to_img(tmp_path):
    main(tmp_path)
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert fresh == sorted(FIGURES)
    stored = sorted(p.name for p in IMG.iterdir())
    assert fresh == stored, "img/ must hold exactly the generated figures; run `make figures`"
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (IMG / name).read_bytes(), f"{name} is stale; run `make figures`"


def test_drawing_leaves_global_settings_alone(tmp_path):
    before = dict.copy(matplotlib.rcParams)
    main(tmp_path)
    assert dict.copy(matplotlib.rcParams) == before


def test_every_figure_is_shown_with_alt_text():
    shown = {}
    for path in NOTEBOOKS:
        for cell in read(path).cells:
            if cell.cell_type == "markdown":
                for alt, name in IMAGE.findall(cell.source):
                    shown[name] = shown.get(name, False) or bool(alt.strip())
    for figure in sorted(p.name for p in IMG.iterdir()):
        assert figure in shown, f"img/{figure} is not shown in any notebook"
        assert shown[figure], f"img/{figure} is shown without alt text"
