"""Plans rendered in the helper process: the same bytes as in-process, a crashed helper
restarted, fallbacks, and nothing of the plan in a file."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import struct
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.errors import KnownError
from counsel.i18n import set_language
from counsel.plans import editing, raster
from counsel.plans import render_worker as rw

DETAILS = editing.PrintDetails(counsellor_name="Liisa Virtanen", organisation="Kotoutuminen",
                               place="Kamreerintie 3", card_when=dt.datetime(2027, 5, 28, 9, 30))
MARKER = "Zyxqwv-merkki-7731"  # in the plan's goals: must never reach a file
CAN_RASTERISE = raster.backend() is not None

# a helper that says it is ready, takes one request and dies without answering
DIES_MID_RENDER = (
    "import json, struct, sys\n"
    f"b = json.dumps({{'ready': {rw.PROTOCOL}}}).encode()\n"
    "sys.stdout.buffer.write(struct.pack('>I', len(b)) + b); sys.stdout.buffer.flush()\n"
    "sys.stdin.buffer.read(4)\n"
    "sys.exit(3)\n")


def job(lang: str, variant: str = "standard") -> rw.RenderJob:
    plan = sample_plan(lang, repeat=1).replace(goals=f"{MARKER} " + sample_plan(lang).goals)
    return rw.RenderJob(plan, sample_client(lang), variant, "fi", DETAILS, ())


def commands(*first: Sequence[str]) -> Iterator[Sequence[str] | None]:
    yield from first
    while True:
        yield rw.default_command()


@pytest.fixture
def worker() -> Iterator[rw.RenderWorker]:
    w = rw.RenderWorker()
    yield w
    w.stop()


@pytest.mark.parametrize("lang", ["fi", "ar"])
@pytest.mark.parametrize("variant", ["standard", "card_A6"])
def test_worker_bytes_equal_in_process_rendering(worker: rw.RenderWorker, lang: str,
                                                 variant: str) -> None:
    dpi = 96.0 if CAN_RASTERISE else None
    there = worker.render(job(lang, variant), dpi)
    here = rw.render_here(job(lang, variant), dpi)
    assert worker.pid is not None and worker.pid != os.getpid()  # really another process
    assert there.pdf.startswith(b"%PDF") and there.pdf == here.pdf
    if CAN_RASTERISE:
        assert there.pages and here.pages and len(there.pages) == len(here.pages)
        assert there.pages == here.pages  # every pixel, width, height and stride


def test_spawned_ahead_then_used_for_the_render(worker: rw.RenderWorker) -> None:
    worker.spawn()
    pid = worker.pid
    assert pid is not None and worker.starts == 0  # running, not yet waited for
    worker.spawn()  # already running: the same one
    assert worker.pid == pid
    assert worker.render(job("fi")).pdf == rw.render_here(job("fi"), None).pdf
    assert worker.pid == pid and worker.starts == 1
    worker.stop()
    worker.spawn()  # stopped: nothing starts again
    assert worker.pid is None


def test_one_process_serves_every_render(worker: rw.RenderWorker) -> None:
    worker.render(job("fi"))
    pid = worker.pid
    worker.render(job("ar"))
    assert worker.pid == pid and worker.starts == 1


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_helper_runs_below_the_app_for_a_cpu(worker: rw.RenderWorker) -> None:
    worker.render(job("fi"))
    fields = Path(f"/proc/{worker.pid}/stat").read_text().rsplit(") ", 1)[1].split()
    mine = Path("/proc/self/stat").read_text().rsplit(") ", 1)[1].split()
    assert int(fields[16]) == int(mine[16]) + rw.NICE  # field 19 of stat: nice


def test_a_helper_that_dies_mid_render_is_replaced_and_the_render_still_comes(
        caplog: pytest.LogCaptureFixture) -> None:
    started = commands([sys.executable, "-c", DIES_MID_RENDER])
    worker = rw.RenderWorker(command=lambda: next(started))
    try:
        with caplog.at_level(logging.WARNING, logger=rw.__name__):
            done = worker.render(job("ar"))
        assert done.pdf == rw.render_here(job("ar"), None).pdf
        assert worker.starts == 2
        assert "stopped during a render" in caplog.text
    finally:
        worker.stop()


def test_a_helper_that_dies_again_gives_a_translated_error() -> None:
    dying = [sys.executable, "-c", DIES_MID_RENDER]
    worker = rw.RenderWorker(command=lambda: dying)
    set_language("fi")
    try:
        with pytest.raises(rw.RenderFailed) as failed:
            worker.render(job("fi"))
        assert "Esikatselua ei voitu tehdä" in failed.value.message
        assert failed.value.help()
    finally:
        set_language("en")
        worker.stop()


def test_a_hung_helper_is_killed_and_replaced_then_a_translated_error() -> None:
    sleeps = DIES_MID_RENDER.replace("sys.exit(3)", "import time; time.sleep(600)")
    hangs = [sys.executable, "-c", sleeps]
    worker = rw.RenderWorker(command=lambda: hangs)
    worker.timeout = 1.0
    try:
        with pytest.raises(rw.RenderFailed):
            worker.render(job("fi"))
        assert worker.starts == 2  # the first one killed, a second tried, killed too
    finally:
        worker.stop()


def test_a_helper_that_cannot_start_means_rendering_here_with_a_log_line(
        caplog: pytest.LogCaptureFixture) -> None:
    for command in ([sys.executable, "-c", "import sys; sys.exit(1)"],
                    [str(Path(sys.executable).parent / "no-such-python")], None):
        worker = rw.RenderWorker(command=lambda c=command: c)  # type: ignore[misc]
        with caplog.at_level(logging.WARNING, logger=rw.__name__):
            done = worker.render(job("fi"))
        assert done.pdf == rw.render_here(job("fi"), None).pdf
        assert worker.pid is None and worker.starts == 0
        assert "render in the app's own process" in caplog.text
        caplog.clear()


def test_an_error_the_renderer_knows_reads_as_it_does_in_process(
        worker: rw.RenderWorker) -> None:
    broken = job("fi")
    broken = rw.RenderJob(broken.plan.replace(template="no_such_template"), broken.client,
                          "standard", "fi", DETAILS, ())
    with pytest.raises(KnownError) as here:
        rw.render_here(broken, None)
    with pytest.raises(KnownError) as there:
        worker.render(broken)
    assert there.value.message == here.value.message and "no_such_template" in here.value.message
    assert worker.pid is not None  # the helper itself is fine and kept


def test_after_stop_the_helper_is_gone_and_renders_refused(worker: rw.RenderWorker) -> None:
    worker.render(job("fi"))
    pid = worker.pid
    assert pid is not None
    worker.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped
    with pytest.raises(rw.WorkerStopped):
        worker.render(job("fi"))


def _files_with_plan(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if MARKER.encode() in data or data.startswith(b"%PDF") or data.startswith(b"P6"):
                    found.append(path)
    return found


def test_nothing_of_the_plan_reaches_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    home, tmp, counsel_home = tmp_path / "home", tmp_path / "tmp", tmp_path / "counsel"
    for d in (home, tmp, counsel_home):
        d.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("COUNSEL_HOME", str(counsel_home))
    worker = rw.RenderWorker()  # started with this environment
    try:
        for lang in ("fi", "ar"):
            for variant in ("standard", "large_print", "card_A4"):
                assert worker.render(job(lang, variant), 96.0 if CAN_RASTERISE else None).pdf
    finally:
        worker.stop()
    assert _files_with_plan(home, tmp, counsel_home) == []
    # the check itself finds a plan written to a file
    (tmp / "leak.pdf").write_bytes(rw.render_here(job("fi"), None).pdf)
    (home / "notes.txt").write_text(f"goals: {MARKER}", encoding="utf-8")
    assert sorted(_files_with_plan(home, tmp, counsel_home)) == [home / "notes.txt",
                                                                 tmp / "leak.pdf"]


def test_frames_round_trip_and_refuse_garbage() -> None:
    import io

    out = io.BytesIO()
    rw.write_frame(out, b"abc")
    rw.write_frame(out, b"")
    inp = io.BytesIO(out.getvalue())
    assert rw.read_frame(inp) == b"abc" and rw.read_frame(inp) == b""
    with pytest.raises(EOFError):
        rw.read_frame(inp)
    with pytest.raises(EOFError):  # cut short
        rw.read_frame(io.BytesIO(struct.pack(">I", 10) + b"abc"))
    with pytest.raises(ValueError):
        rw.read_frame(io.BytesIO(struct.pack(">I", rw.MAX_FRAME + 1)))


def test_a_job_survives_the_trip_as_json() -> None:
    original = job("ar", "card_A6")
    back, dpi, lang = rw.job_from_json(rw.job_to_json(original, 96.0, "fi"))
    assert back == original and dpi == 96.0 and lang == "fi"
    assert json.loads(rw.job_to_json(original, None, "fi"))["dpi"] is None
