"""Reading calendar (.ics) exports from Outlook/Exchange and Google into plain events.

Hostile or broken input must never hang the app or lose the good events, so the file
is not handed to icalendar in one piece.  It is first cut into components by a line
scanner (:mod:`~counsel.timekeeping.ics_scan`), which reports damaged components and
counts the ones that are not events; the events of each UID (a series and its moved or
changed instances) are then checked, parsed and expanded on their own
(:mod:`~counsel.timekeeping.ics_expand`) with the time zone definitions they use.  A
broken or too costly event becomes an :class:`ImportProblem` naming it and saying why;
the others are read.

Limits (:class:`Limits`), all applied before the work they bound: the file size; in
the scanner line length, nesting, dates listed per event, number and size of zone
definitions; per series the occurrences inside the window and the steps from its start
to the window (estimated from the rule's text); then the occurrences per series and in
all, the time budget (counted from the call, parsing included) and the memory the
import may add.  ``cancel`` and ``progress`` let the app keep the import responsive.

Times are converted with the counsellor's real zone (:mod:`.localzone`), per occurrence.
Time zones come from the file's VTIMEZONE definitions, IANA names, or Outlook's Windows
names ("FLE Standard Time"), all resolved by icalendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
import warnings
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable

from counsel.errors import ImportCancelled, ImportFileError
from counsel.i18n import gettext as _
from counsel.i18n import ngettext
from counsel.timekeeping.ics_expand import (
    CalendarEvent,
    EventError,
    Window,
    check_group,
    expand_group,
)
from counsel.timekeeping.ics_limits import zone_problem
from counsel.timekeeping.ics_scan import (
    Block,
    ImportProblem,
    ScanLimits,
    clean,
    decode,
    fallback_uid,
    problem,
    scan,
)
from counsel.timekeeping.localzone import local_zone

__all__ = ["CalendarEvent", "ImportProblem", "Limits", "ParsedCalendar", "read_ics"]


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_events: int = 50_000  # VEVENT components
    max_per_series: int = 2_000  # occurrences of one series inside the window
    max_before: int = 400_000  # steps from a series' start to the window (estimated)
    max_occurrences: int = 100_000
    # CPU seconds of the reading thread from the call (parsing included): a shared or busy
    # machine does not cut a large calendar short; in the app the read can also be cancelled
    time_budget: float = 30.0
    max_memory_mb: int = 400  # growth of the process during the import, where measurable
    scan: ScanLimits = ScanLimits()


@dataclasses.dataclass(frozen=True)
class ParsedCalendar:
    events: tuple[CalendarEvent, ...]
    problems: tuple[ImportProblem, ...]
    first: dt.date
    last: dt.date
    skipped: tuple[tuple[str, int], ...] = ()  # components that are not events, by kind

    def skipped_text(self) -> str:
        """"Also in the file, not imported: 2 to-dos (VTODO)." or ""."""
        return skipped_text(dict(self.skipped))


def read_ics(data: bytes, *, first: dt.date, last: dt.date, tz: dt.tzinfo | None = None,
             limits: Limits = Limits(), cancel: Callable[[], bool] | None = None,  # noqa: B008
             progress: Callable[[int, int], None] | None = None) -> ParsedCalendar:
    """Every occurrence in ``[first, last]`` (local days) and every problem, in file order.

    Raises :class:`ImportFileError` only when nothing can be read (too large, not a
    calendar, a range the wrong way round) and :class:`ImportCancelled` when ``cancel``
    returns true; ``progress(done, total)`` is called as series are read.
    """
    budget = _Budget(limits, cancel)
    if last < first:
        raise ImportFileError(
            _("The end date ({last}) is before the start date ({first}).").format(
                first=first.isoformat(), last=last.isoformat()),
            help_text=_("Swap the two dates: the period starts with the earlier one."))
    if len(data) > limits.max_bytes:
        raise ImportFileError(
            _("The calendar file is too large ({mb} MB; at most {limit} MB).").format(
                mb=round(len(data) / 1e6, 1), limit=limits.max_bytes // 10**6),
            help_text=_("Export a shorter period from your calendar program, or split the "
                        "calendar, and import the parts one by one."))
    text = decode(data)
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise ImportFileError(_("The file is not a calendar (.ics) file."))
    problems: list[ImportProblem] = []
    if tz is None:
        tz, named = local_zone()
        if not named:
            problems.append(ImportProblem(0, "", "", _(
                "Your computer's time zone could not be found, so times use today's offset "
                "from UTC and may be an hour off across daylight saving. Set the time zone in "
                "your system settings.")))
    try:
        found = scan(text, limits.scan, budget.check)
    except _OverBudget:
        raise ImportFileError(budget.reason(), help_text=_(
            "Export a shorter period from your calendar program and import that.")) from None
    del text
    problems += found.problems
    cal_zone = _zone(found.calendar_zone)
    blocks = found.events
    if len(blocks) > limits.max_events:
        problems.append(ImportProblem(0, "", "", _(
            "The file has {n} events; only the first {limit} were read.").format(
                n=len(blocks), limit=limits.max_events)))
        blocks = blocks[:limits.max_events]
    groups: OrderedDict[str, list[Block]] = OrderedDict()
    for b in blocks:
        groups.setdefault(b.prop("UID") or fallback_uid(b), []).append(b)
    zones = _Zones(found.zones, blocks, found.bad_zones, problems)
    window = Window(first, last, tz, cal_zone or tz, str(cal_zone or ""),
                    limits.max_per_series, limits.max_before, found.bad_zones)
    events: list[CalendarEvent] = []
    for done, (uid, group) in enumerate(groups.items()):
        if progress is not None and done % 50 == 0:
            progress(done, len(groups))
        stop = budget.exhausted(len(events))
        if stop:
            problems += [problem(b, stop) for b in group]
            continue
        try:
            zones.register_for(group, budget)
            check_group(group, window)
            events += expand_group(uid, group, window,
                                   min(limits.max_per_series, limits.max_occurrences - len(events)),
                                   budget.check)
        except EventError as exc:
            problems.append(problem(exc.block or group[0], exc.message))
        except ImportCancelled:
            raise
        except _OverBudget:
            problems.append(problem(group[0], budget.reason()))
        except Exception:  # noqa: BLE001 - a library error on hostile input
            problems.append(problem(group[0], _(
                "Its dates or repeat rule could not be worked out. Check the event in your "
                "calendar program and export again.")))
    if progress is not None:
        progress(len(groups), len(groups))
    problems.sort(key=lambda p: p.line)
    events.sort(key=lambda e: (e.day, e.start or dt.time(0), e.uid, e.recurrence_id))
    return ParsedCalendar(tuple(events), tuple(problems), first, last,
                          tuple(sorted(found.skipped.items())))


class _OverBudget(Exception):
    pass


class _Budget:
    """Time, memory and cancel checks; ``check`` raises, ``exhausted`` says why not to go on."""

    def __init__(self, limits: Limits, cancel: Callable[[], bool] | None) -> None:
        self.limits = limits
        self.cancel = cancel
        self.deadline = time.thread_time() + limits.time_budget
        self.rss0 = _rss()
        self.calls = 0
        self.why = ""

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel()

    def check(self) -> None:
        self.calls += 1
        if self.cancelled():
            raise ImportCancelled(_("The import was cancelled; nothing was saved."))
        if time.thread_time() > self.deadline or (self.calls % 64 == 0 and self._too_big()):
            raise _OverBudget()

    def _too_big(self) -> bool:
        rss = _rss()
        if rss is not None and self.rss0 is not None and \
                rss - self.rss0 > self.limits.max_memory_mb * 2**20:
            self.why = "memory"
        return self.why == "memory"

    def exhausted(self, n_events: int) -> str:
        if self.cancelled():
            raise ImportCancelled(_("The import was cancelled; nothing was saved."))
        if n_events >= self.limits.max_occurrences:
            return _("Not read: the file has more than {n} occurrences in the import period. "
                     "Import a shorter period.").format(n=self.limits.max_occurrences)
        if time.thread_time() > self.deadline or self._too_big():
            return self.reason()
        return ""

    def reason(self) -> str:
        if self.why == "memory":
            return _("Not read: the import needed more than {mb} MB of memory. Import a "
                     "shorter period or a smaller calendar.").format(mb=self.limits.max_memory_mb)
        return _("Not read: reading the file took longer than {s} seconds. Import a shorter "
                 "period or a smaller calendar.").format(s=round(self.limits.time_budget))


def _rss() -> int | None:
    """Resident memory of this process in bytes (Linux), else ``None``."""
    try:
        with open("/proc/self/statm", "rb") as f:
            import os

            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


_TZID = re.compile(r'TZID=("?)([^";:]*)\1(?=[:;])', re.IGNORECASE)


class _Zones:
    """The file's VTIMEZONEs, parsed only when an event uses them, each at most once.

    Custom zones (Outlook's "Customized Time Zone") get a file-unique id first: icalendar
    caches definitions process-wide by TZID, so two files defining the same name
    differently would otherwise share the first one's offsets.
    """

    def __init__(self, zones: list[Block], events: list[Block], bad: set[str],
                 problems: list[ImportProblem]) -> None:
        self.bad = bad
        self.problems = problems
        self.pending: dict[str, Block] = {}
        renamed: dict[str, str] = {}
        for z in zones:
            tzid = z.prop("TZID").strip('"')
            if _known_zone(tzid):
                # an IANA or Windows name means the tz database's zone (with its history,
                # and ten times faster to convert with than a parsed definition)
                continue
            if tzid:
                import hashlib

                digest = hashlib.sha256("\n".join(z.lines).encode()).hexdigest()[:12]
                new = f"{tzid} #{digest}".replace('"', "")
                renamed[tzid.casefold()] = new
                z.lines = [f"TZID:{new}" if ln[:5].upper() in ("TZID:", "TZID;") else ln
                           for ln in z.lines]
                tzid = new
            self.pending[tzid] = z
        if renamed:
            def sub(m: re.Match[str]) -> str:
                new = renamed.get(m.group(2).casefold())
                return f'TZID="{new}"' if new else m.group(0)

            for b in events:
                b.lines = [_TZID.sub(sub, ln) if "TZID" in ln.upper() else ln for ln in b.lines]

    def register_for(self, group: list[Block], budget: _Budget) -> None:
        """Parse the definitions this series names (icalendar keeps them by TZID)."""
        if not self.pending:
            return
        for b in group:
            for ln in b.lines:
                if "TZID" not in ln.upper():
                    continue
                for m in _TZID.finditer(ln):
                    z = self.pending.pop(m.group(2), None)
                    if z is not None:
                        budget.check()
                        self._parse(m.group(2), z)

    def _parse(self, tzid: str, z: Block) -> None:
        import icalendar

        reason = zone_problem(z.lines)
        if reason is None:
            text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *z.lines, "END:VCALENDAR", ""])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for tz in icalendar.Calendar.from_ical(text).timezones:
                        tz.to_tz()
                return
            except Exception:  # noqa: BLE001 - events using it report their own times
                reason = _("it could not be read.")
        self.bad.add(tzid)
        self.problems.append(ImportProblem(z.line, "", "", _(
            "The time zone definition “{tzid}” was not used: {reason}").format(
                tzid=clean(tzid.split(" #")[0], 60), reason=reason)))


def _known_zone(tzid: str) -> bool:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - moved in another icalendar version
        WINDOWS_TO_OLSON = {}
    if tzid in WINDOWS_TO_OLSON:
        return True
    return _zone(tzid) is not None


def skipped_text(skipped: dict[str, int]) -> str:
    """One sentence naming the components that are not events, or ""."""
    from counsel.i18n import display

    parts = []
    for kind, n in sorted(skipped.items()):
        if kind == "VTODO":
            parts.append(ngettext("{n} to-do (VTODO)", "{n} to-dos (VTODO)", n).format(n=n))
        elif kind == "VJOURNAL":
            parts.append(ngettext("{n} journal entry (VJOURNAL)",
                                  "{n} journal entries (VJOURNAL)", n).format(n=n))
        else:
            parts.append(ngettext("{n} other component ({kind})",
                                  "{n} other components ({kind})", n).format(n=n, kind=kind))
    if not parts:
        return ""
    return _("Also in the file, not imported (not events): {items}.").format(
        items=display.join(parts))
