"""Deprecated API fails the suite: in this process and inside notebook kernels."""

import os
import subprocess
import sys
import warnings

import pytest


def test_deprecation_warning_is_an_error_here():
    with pytest.raises(DeprecationWarning):
        warnings.warn("old API", DeprecationWarning, stacklevel=1)


def test_kernels_inherit_warnings_as_errors():
    assert "error::DeprecationWarning" in os.environ["PYTHONWARNINGS"]
    code = "import warnings; warnings.warn('old API', FutureWarning)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "FutureWarning: old API" in result.stderr
