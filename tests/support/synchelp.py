"""Helpers shared by the sync tests (importable because pytest puts this folder on sys.path)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import httpx

from counsel.server.storage_sql import SqlStorage


class LiveServer:
    def __init__(self, storage: SqlStorage, port: int = 0, **app_options: Any) -> None:
        import uvicorn

        from counsel.server.app import create_app

        self.storage = storage
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart on a port
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(storage, **app_options)
        config = uvicorn.Config(app, log_level="error", access_log=False,
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.clients: list[httpx.Client] = []
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client closed when the server stops."""
        headers = {"Authorization": "Bearer " + token} if token else {}
        c = httpx.Client(base_url=self.url, headers=headers)
        self.clients.append(c)
        return c

    def stop(self) -> None:
        for c in self.clients:
            c.close()
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


class CuttingProxy:
    """A loopback TCP proxy that cuts the connection after ``limit`` bytes in one direction.

    ``direction`` is "up" (client → server) or "down" (server → client).  ``limit=None``
    forwards everything.  Each accepted connection counts from zero.
    """

    def __init__(self, target_port: int, limit: int | None, direction: str = "up") -> None:
        self.target_port, self.limit, self.direction = target_port, limit, direction
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.cuts = 0
        self._stop = False
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._socks += [conn, upstream]
            state = {"sent": 0}
            for src, dst, d in ((conn, upstream, "up"), (upstream, conn, "down")):
                t = threading.Thread(target=self._pipe, args=(src, dst, d, state, conn, upstream),
                                     daemon=True)
                t.start()
                self._threads.append(t)

    def _pipe(self, src: socket.socket, dst: socket.socket, direction: str,
              state: dict[str, int], a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if self.limit is not None and direction == self.direction:
                    room = self.limit - state["sent"]
                    if len(data) >= room:
                        if room > 0:
                            dst.sendall(data[:room])
                        self.cuts += 1
                        break
                    state["sent"] += len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self._stop = True
        self.listener.close()
        for s in self._socks:
            try:
                s.close()
            except OSError:
                pass


def sync_once(vault: Any) -> None:
    """One sync of ``vault`` with the server it is enrolled with (its saved credentials)."""
    from counsel.sync import credentials
    from counsel.sync.client import SyncClient
    from counsel.sync.transport import Transport

    creds = credentials.load(vault)
    assert creds is not None
    with Transport(creds.url, creds.token) as t:
        SyncClient(vault, t).sync()
