"""Helpers of the fault tests: apps on a given database, and worker processes."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

from matchhub import create_app
from matchhub.config import TestConfig

ROOT = Path(__file__).resolve().parents[2]
_KEEP = {"skills", "skill_aliases"}  # the shipped taxonomy, laid once per session


def empty_database() -> None:
    """Delete every row but the taxonomy's from the current app's database."""
    from matchhub.extensions import db

    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in _KEEP:
                conn.execute(table.delete())


def app_on(url: str, **settings):
    """An app (``TESTING`` off: errors take the production path) on the database at ``url``."""

    class FaultConfig(TestConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = url

    for key, value in settings.items():
        setattr(FaultConfig, key, value)
    return create_app(FaultConfig)


def python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """Start ``python -c code args`` from the repository's root, as a worker would run."""
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True, **kwargs)


_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def log_in(client, email: str, password: str):
    """Log in through the real form (CSRF token read from the page); returns the response."""
    page = client.get("/auth/login").get_data(as_text=True)
    token = _TOKEN.search(page).group(1)
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )


class TcpProxy:
    """A TCP forwarder on a local port to ``target``, that can be stopped and started again.

    Stopping closes the listening socket and every connection through it, as a database
    server that goes away does: the pooled connections break, new ones are refused.
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        listener.settimeout(0.1)  # the accept loop looks for stop() this often
        self._listener = listener
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        for thread in self._threads:
            if thread.name == "accept":
                thread.join()
        if listener is not None:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()
        self._threads = []
        for sock in sockets:
            sock.close()

    def _spawn(self, target, *args) -> None:
        name = "accept" if target == self._accept else "pipe"
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            self._spawn(self._pipe, client, upstream)
            self._spawn(self._pipe, upstream, client)

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
