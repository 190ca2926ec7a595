"""Loaded by every Python started with this folder on PYTHONPATH: refuse network connections.

Only loopback stays open (Jupyter's kernel talks to its client over 127.0.0.1).
Used by tests/test_isolation.py to prove the notebooks work offline.
"""

import socket

_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"network access blocked in this test: {address!r}")
    return _connect(self, address)


socket.socket.connect = _loopback_only
