"""A throwaway PostgreSQL cluster for tests and benchmarks (never for production).

``initdb`` + ``pg_ctl`` from the Debian layout, in a temporary folder, on a free
loopback port.  PostgreSQL refuses to run as root, so as root the cluster runs as the
``postgres`` (or ``nobody``) user via ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class ClusterError(RuntimeError):
    pass


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterError("initdb not found (install the postgresql package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempCluster:
    def __init__(self, *, fsync: bool = False) -> None:
        self.bindir = _bindir()
        self.fsync = fsync
        self.user: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
            else:
                raise ClusterError("running as root and no 'postgres' or 'nobody' user")
        self.dir = Path(tempfile.mkdtemp(prefix="counsel-pg-"))
        self.port = _free_port()
        self.started = False

    def _run(self, *cmd: str) -> None:
        full = list(cmd)
        if self.user:
            full = ["runuser", "-u", self.user, "--", *full]
        proc = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise ClusterError(f"{cmd[0]} failed: {proc.stderr.strip()[-2000:]}")

    def start(self) -> str:
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = self.dir / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "counsel", "-A", "trust",
                  "-E", "UTF8", "--no-sync")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                f"-c fsync={'on' if self.fsync else 'off'} -c max_connections=200")
        if not self.fsync:
            opts += " -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"),
                  "-o", opts, "-w", "-t", "60", "start")
        self.started = True
        return self.url("postgres")

    def url(self, dbname: str) -> str:
        return f"postgresql://counsel@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self.started:
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                          "immediate", "-w", "stop")
            except ClusterError:
                pass
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


def pg_dump(url: str) -> bytes:
    """Dump any reachable database (uses the newest local pg_dump)."""
    cmd = [str(_bindir() / "pg_dump"), "--dbname", url]
    return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout
