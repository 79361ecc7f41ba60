"""Helpers shared by the sync tests (importable because pytest puts this folder on sys.path)."""

from __future__ import annotations

import socket
import threading
import time

import httpx

from counsel.server.storage_sql import SqlStorage


class LiveServer:
    def __init__(self, storage: SqlStorage) -> None:
        import uvicorn

        from counsel.server.app import create_app

        self.storage = storage
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(storage), log_level="error", access_log=False,
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
