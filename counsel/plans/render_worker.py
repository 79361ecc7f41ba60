"""Plan printouts rendered in a helper process, so the app's UI thread never waits on them.

Rendering a plan (reportlab, HarfBuzz) and rasterising it (PDFium) run long stretches of
C code that keep Python's GIL; in the desktop app's own process the UI thread waited for
them (docs/performance.md, "UI stalls").  So the app hands them to one small, long-lived
child process:

* started lazily, on the first preview, as a fresh interpreter (``python -m
  counsel.plans.render_worker``) through :mod:`subprocess`, whose fork runs no Python
  and execs at once — the same as multiprocessing's ``spawn``, never a ``fork`` of the Qt
  process;
* the request (plan, client and print details as JSON) goes over the child's stdin, the
  PDF and the page pixels come back over its stdout: nothing of the plan is written to a
  file, by either side;
* a child that dies mid-render is started again and the render repeated once; if the new
  one dies too, :class:`RenderFailed` (translated);
* a child that cannot be started (a bundled app has no separate Python; a broken
  install): the render runs in-process, as before, with one log line saying so;
* an error the renderer reports as a :class:`~counsel.errors.KnownError` (a template not
  installed, …): rendered again in-process, so the counsellor reads the same translated
  message as without the helper;
* a child silent for ``TIMEOUT_S`` (starting, or in one render) is killed and handled as a
  crash, so a hung helper cannot hold a reader thread for good;
* the child runs at nice +10: the app's UI thread comes first for a CPU;
* :meth:`RenderWorker.stop` kills the child (the app calls it at lock and quit); a child
  whose parent is gone sees its stdin close and exits.

Frames on both pipes are a 4-byte big-endian length and that many bytes.  Request: one
JSON frame.  Answer: a JSON header frame; when ``ok``, then the PDF and one frame of RGB
pixels per page.
"""

# i18n-domain: counsel  (its messages are for the counsellor, not printed for the client)

from __future__ import annotations

import dataclasses
import json
import logging
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from counsel.domain import Client, Plan
from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _

log = logging.getLogger(__name__)

PROTOCOL = 1
NICE = 10
#: a helper silent this long (to start, or in one render) is killed and treated as crashed
TIMEOUT_S = 120.0
MAX_FRAME = 1 << 30  # a 200-page plan at print resolution stays well below
_LENGTH = struct.Struct(">I")


class RenderFailed(KnownError):
    help_text = N_("Try again. If it keeps happening, save the plan as PDF and print it "
                   "from a PDF reader, and tell your support.")


class WorkerStopped(KnownError):
    """The helper was stopped (the vault locked) while a render was under way."""


class _Died(Exception):
    """The child closed its pipe or sent something unreadable."""


@dataclasses.dataclass(frozen=True)
class RenderJob:
    """Everything one printout needs (what :func:`editing.render_variant` takes)."""

    plan: Plan
    client: Client
    variant: str
    counsellor_lang: str
    details: Any = None  # editing.PrintDetails
    extra_dirs: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Rendered:
    """The PDF, its pages at the asked resolution (None: none asked for, or no rasteriser
    — ``note`` says how to get one)."""

    pdf: bytes
    pages: list[Any] | None  # list[raster.RasterPage]
    note: str = ""


# -- frames -----------------------------------------------------------------------------------
def write_frame(out: IO[bytes], data: bytes | bytearray | memoryview) -> None:
    out.write(_LENGTH.pack(len(data)))
    out.write(data)


def _read_exact(inp: IO[bytes], n: int) -> bytes:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        chunk = inp.readinto(view[got:])  # type: ignore[attr-defined]
        if not chunk:
            raise EOFError
        got += chunk
    return bytes(buf)


def read_frame(inp: IO[bytes]) -> bytes:
    head = _read_exact(inp, _LENGTH.size)
    (n,) = _LENGTH.unpack(head)
    if n > MAX_FRAME:
        raise ValueError("frame too large")
    return _read_exact(inp, n)


# -- the job ----------------------------------------------------------------------------------
def job_to_json(job: RenderJob, dpi: float | None, lang: str) -> bytes:
    from counsel.domain import codec

    return json.dumps({
        "plan": codec.to_dict(job.plan), "client": codec.to_dict(job.client),
        "variant": job.variant, "counsellor_lang": job.counsellor_lang,
        "details": codec.to_dict(job.details) if job.details is not None else None,
        "extra_dirs": list(job.extra_dirs), "dpi": dpi, "lang": lang,
    }, ensure_ascii=False).encode()


def job_from_json(raw: bytes) -> tuple[RenderJob, float | None, str]:
    from counsel.domain import codec
    from counsel.plans.editing import PrintDetails

    data = json.loads(raw)
    details = codec.from_dict(PrintDetails, data["details"]) if data["details"] else None
    job = RenderJob(codec.from_dict(Plan, data["plan"]), codec.from_dict(Client, data["client"]),
                    str(data["variant"]), str(data["counsellor_lang"]), details,
                    tuple(str(d) for d in data["extra_dirs"]))
    return job, data["dpi"], str(data["lang"])


def render_here(job: RenderJob, dpi: float | None) -> Rendered:
    """The job in this process (the child's work, and the fallback)."""
    from counsel.plans import editing, raster

    pdf = editing.render_variant(job.plan, job.client, job.variant,
                                 counsellor_lang=job.counsellor_lang, details=job.details,
                                 extra_dirs=job.extra_dirs)
    if dpi is None:
        return Rendered(pdf, None)
    try:
        return Rendered(pdf, raster.rasterise(pdf, dpi))
    except raster.PreviewUnavailable as exc:
        return Rendered(pdf, None, f"{exc.message} {exc.help()}")


# -- the child --------------------------------------------------------------------------------
def _warm_up() -> None:
    """Import what the first render needs before saying ready (no plan data yet)."""
    from counsel.plans import editing, raster, render_card, render_plan  # noqa: F401

    raster.backend()


def serve(inp: IO[bytes], out: IO[bytes]) -> int:
    """Answer requests until stdin closes."""
    from counsel.i18n import set_language

    _warm_up()
    write_frame(out, json.dumps({"ready": PROTOCOL}).encode())
    out.flush()
    while True:
        try:
            raw = read_frame(inp)
        except EOFError:
            return 0
        payload: list[bytes] = []
        try:
            job, dpi, lang = job_from_json(raw)
            set_language(lang)
            result = render_here(job, dpi)
        except KnownError:
            # no message here: the parent renders again itself and shows its own
            header: dict[str, Any] = {"ok": False, "known": True}
        except Exception as exc:  # noqa: BLE001 - reported to the parent by type only
            header = {"ok": False, "known": False, "type": type(exc).__name__}
        else:
            pages = result.pages
            header = {"ok": True, "note": result.note,
                      "pages": None if pages is None else
                      [[p.width, p.height, p.stride] for p in pages]}
            payload = [result.pdf, *(p.rgb for p in pages or ())]
        write_frame(out, json.dumps(header).encode())
        for part in payload:
            write_frame(out, part)
        out.flush()


def main() -> int:
    if hasattr(os, "nice"):  # background work: the app's UI thread comes first for a CPU
        os.nice(NICE)
    # the pipe to the parent is a private copy of fd 1; fd 1 itself (print, a library's
    # warning) goes to stderr so nothing stray can corrupt a frame
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return serve(sys.stdin.buffer, out)


# -- the parent -------------------------------------------------------------------------------
def default_command() -> list[str] | None:
    """How to start the child; None in a bundled app (``sys.executable`` is the app)."""
    if getattr(sys, "frozen", False):
        return None
    return [sys.executable, "-m", "counsel.plans.render_worker"]


class RenderWorker:
    """One child process, started on the first :meth:`render`; thread-safe (one render at
    a time)."""

    def __init__(self, command: Callable[[], Sequence[str] | None] = default_command) -> None:
        self.command = command
        self._lock = threading.Lock()  # one render at a time
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False  # the child said it is ready
        self._stopped = False
        self._in_process = False
        self.starts = 0  # children started (tests, logs)
        self.timeout = TIMEOUT_S

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def spawn(self) -> None:
        """Start the child now if it is not running, without waiting for it to warm up
        (a few milliseconds: call it where a preview is likely soon, even on the UI
        thread).  Does nothing while a render is under way."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            proc = self._proc
            if not (self._stopped or self._in_process or
                    (proc is not None and proc.poll() is None)):
                self._spawn()
        finally:
            self._lock.release()

    def render(self, job: RenderJob, dpi: float | None = None) -> Rendered:
        with self._lock:
            for _attempt in (1, 2):
                if self._stopped:
                    raise WorkerStopped(_("The preview was stopped."))
                proc = self._running()
                if proc is None:
                    return render_here(job, dpi)
                try:
                    return self._ask(proc, job, dpi)
                except _Died:
                    self._kill()
                    if not self._stopped:
                        log.warning("plan renderer process stopped during a render; "
                                    "starting a new one")
            if self._stopped:
                raise WorkerStopped(_("The preview was stopped."))
            raise RenderFailed(_("The preview could not be made: the process that draws "
                                 "it stopped."))

    def stop(self) -> None:
        """Kill the child; later renders raise :class:`WorkerStopped`.  Never waits for a
        render under way (called on the UI thread): the killed child closes its pipe, the
        rendering thread's read ends and that thread cleans up."""
        self._stopped = True
        proc = self._proc
        if proc is not None:
            proc.kill()
        if self._lock.acquire(blocking=False):
            try:
                self._kill()
            finally:
                self._lock.release()

    # -- inside ---------------------------------------------------------------------------
    def _running(self) -> subprocess.Popen[bytes] | None:
        """The live child, started if need be and ready; None: render in-process."""
        if self._in_process:
            return None
        proc = self._proc
        if proc is None or proc.poll() is not None:
            self._proc = None
            proc = self._spawn()
            if proc is None:
                return None
        if self._ready:
            return proc
        assert proc.stdout is not None
        watchdog = _watchdog(proc, self.timeout)
        try:
            ready = json.loads(read_frame(proc.stdout))
        except (EOFError, ValueError):
            ready = None
        finally:
            watchdog.cancel()
        if not isinstance(ready, dict) or ready.get("ready") != PROTOCOL:
            self._proc = None
            _end(proc)
            if self.starts == 0:  # never came up: it will not next time either
                log.warning("plan previews render in the app's own process: the renderer "
                            "process did not come up")
                return self._fallback()
            raise _Died
        self.starts += 1
        self._ready = True
        log.info("plan renderer process started")
        return proc

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        """Start the child (a few ms: no waiting for it to warm up)."""
        command = self.command()
        if command is None:
            log.warning("plan previews render in the app's own process: no separate Python "
                        "to start")
            return self._fallback()
        env = dict(os.environ)
        fonts = sys.modules.get("counsel.plans.fonts")  # not imported just for this
        if fonts is not None:  # the same font cache (set_cache_dir: tests, portable mode)
            env["COUNSEL_FONT_CACHE"] = str(fonts.cache_dir())
        try:
            proc = subprocess.Popen(list(command), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, env=env, close_fds=True)
        except OSError:
            log.warning("plan previews render in the app's own process: the renderer "
                        "process could not be started")
            return self._fallback()
        self._proc, self._ready = proc, False
        return proc

    def _fallback(self) -> subprocess.Popen[bytes] | None:
        self._in_process = True
        return None

    def _ask(self, proc: subprocess.Popen[bytes], job: RenderJob, dpi: float | None) -> Rendered:
        from counsel.i18n import current_language
        from counsel.plans import raster

        assert proc.stdin is not None and proc.stdout is not None
        request = job_to_json(job, dpi, current_language())
        watchdog = _watchdog(proc, self.timeout)
        try:
            write_frame(proc.stdin, request)
            proc.stdin.flush()
            header = json.loads(read_frame(proc.stdout))
            if header.get("ok"):
                pdf = read_frame(proc.stdout)
                sizes = header.get("pages")
                pages = None if sizes is None else [
                    raster.RasterPage(int(w), int(h), int(s), read_frame(proc.stdout))
                    for w, h, s in sizes]
        except (EOFError, OSError, ValueError) as exc:
            raise _Died from exc
        finally:
            watchdog.cancel()
        if not header.get("ok"):
            if header.get("known"):
                return render_here(job, dpi)  # the same KnownError, raised here
            raise RuntimeError(f"plan rendering failed in the helper process "
                               f"({header.get('type', '?')})")
        return Rendered(pdf, pages, str(header.get("note") or ""))

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _end(proc)


def _watchdog(proc: subprocess.Popen[bytes], seconds: float) -> threading.Timer:
    """Kill ``proc`` unless cancelled within ``seconds`` (a hung helper: the waiting
    read then ends like a crash's)."""
    timer = threading.Timer(seconds, proc.kill)
    timer.daemon = True
    timer.start()
    return timer


def _end(proc: subprocess.Popen[bytes]) -> None:
    """Kill, close the pipes, reap."""
    proc.kill()
    for pipe in (proc.stdin, proc.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    proc.wait()


if __name__ == "__main__":
    sys.exit(main())
