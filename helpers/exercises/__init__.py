"""Exercise self-checks, one module per notebook (ex01 for 01_numpy, ...).

Each check returns True when the answer is right, prints a reminder and returns
False while the answer is still the `...` placeholder, and raises AssertionError
with a hint when the answer is wrong.
"""


def blank(answer: object, exercise: str) -> bool:
    """Print a reminder and return True if `answer` is still the placeholder (None or ...)."""
    if answer is None or answer is Ellipsis:
        print(f"{exercise}: not attempted yet. Replace the `...` with your code and run the cell again.")
        return True
    return False


def passed(exercise: str, what: str) -> bool:
    """Print that `exercise` is solved, with one sentence on what it shows, and return True."""
    print(f"{exercise}: correct. {what}")
    return True
