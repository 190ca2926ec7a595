"""Every test starts with fresh exercise hints, as a fresh kernel does."""

import pytest

from helpers.exercises import reset_hints


@pytest.fixture(autouse=True)
def _fresh_hints():
    reset_hints()
