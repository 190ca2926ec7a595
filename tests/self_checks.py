"""Run an exercise self-check and read its verdict from what it prints (checks return None)."""

import contextlib
import io


def printed(check, *args) -> str:
    """Return what `check(*args)` printed, after checking that it returned None (no bare value under the cell)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = check(*args)
    print(out.getvalue(), end="")  # still visible to capsys
    assert result is None, f"{check.__name__} returned {result!r}; a self-check's output is its message alone"
    return out.getvalue()


def solved(check, *args) -> bool:
    """True if the self-check accepts the answer: it prints 'correct'."""
    return ": correct." in printed(check, *args)


def unattempted(check, *args) -> bool:
    """True if the self-check sees the `...` placeholder: it prints 'not attempted yet'."""
    return ": not attempted yet." in printed(check, *args)
