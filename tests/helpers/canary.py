"""A canary: a TCP listener on 127.0.0.1 that a server under test must never reach."""

from __future__ import annotations

import os
import socket
import threading
import time


class Canary:
    """Counts the connections made to it and answers each with a planted token (as SPARQL JSON results), so that a
    server which reached it could also leak what it read."""

    def __init__(self) -> None:
        self.token = "canary-" + os.urandom(8).hex()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="canary", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        body = (
            '{"head":{"vars":["s","p","o"]},"results":{"bindings":[{"s":{"type":"literal","value":"%s"},'
            '"p":{"type":"literal","value":"%s"},"o":{"type":"literal","value":"%s"}}]}}' % ((self.token,) * 3)
        ).encode()
        answer = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.5)
                try:
                    self.requests.append(conn.recv(4096))
                    conn.sendall(answer)
                except OSError:
                    pass

    def settle(self) -> int:
        """The connection count once a connection made just before would have been accepted."""
        time.sleep(0.02)  # accept() returns at once for a connection already queued; this only lets it run
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
