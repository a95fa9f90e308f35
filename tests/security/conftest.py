"""Fixtures of the security tests: a canary listener that counts connections.

A guard is tested by pointing every hostile query or file at the canary (a
real TCP server on 127.0.0.1) and asserting that nothing connected to it.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            conn.close()

    def count(self, settle: float = 0.05) -> int:
        """Connections so far (after letting any in-flight one arrive)."""
        time.sleep(settle)
        with self._lock:
            return self.connections

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def canary():
    c = Canary()
    yield c
    c.close()
