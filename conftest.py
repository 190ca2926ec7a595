"""Point nbval at the repository's sanitizer file, whether pytest starts here or in notebooks/."""

from pathlib import Path

SANITIZE = Path(__file__).parent / "nbval_sanitize.cfg"


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", "missing") is None:
        config.option.nbval_sanitize_with = str(SANITIZE)
