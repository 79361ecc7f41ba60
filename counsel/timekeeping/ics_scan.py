"""Cutting a calendar file into components, before any parser sees it.

A line scanner (unfolding, BEGIN/END matching with resynchronisation) finds the
VTIMEZONE and VEVENT blocks, so one damaged component costs only itself: a component
closed with a typo (``END:VTOOD``), cut off by the next one or by the end of the file,
nested too deeply or with an oversized line becomes an :class:`ImportProblem` naming
its kind, line and reason, and the scan goes on after it.  Components that are not
events (to-dos, journal entries, ...) are counted by kind in :attr:`Scan.skipped`.

Only what the import uses is kept of an event (times, rules, title, place, attendees,
status); descriptions, attachments and alarms are passed over without being joined
into memory, so a 15 MB attachment line costs no more than reading it.  Limits checked
here, before parsing: line length, lines and listed dates per event, nesting depth,
number and size of time zone definitions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable

from counsel.i18n import gettext as _

# what an event keeps; everything else (DESCRIPTION, ATTACH, X-..., alarms) is dropped
EVENT_PROPS = frozenset({
    "UID", "SUMMARY", "LOCATION", "ATTENDEE", "DTSTART", "DTEND", "DURATION", "RRULE",
    "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS", "SEQUENCE"})
_TEXT_PROPS = frozenset({"SUMMARY", "LOCATION", "ATTENDEE"})
_TEXT_KEEP = 2000  # characters of a title or place kept (200 are shown)
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")
# components that may hold others; a VEVENT inside one of them means the other is damaged
_TOP = frozenset({"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"})


@dataclasses.dataclass(frozen=True)
class ScanLimits:
    max_line: int = 64 * 1024  # characters of one kept (unfolded) line
    max_event_lines: int = 5_000  # kept lines of one event (attendees, EXDATE lines)
    max_dates: int = 2_000  # RDATE + EXDATE values of one event
    max_depth: int = 8  # components inside components
    max_zones: int = 100
    max_zone_bytes: int = 64 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class ImportProblem:
    """An event (or part of the file) that could not be read, and why."""

    line: int  # 1-based line where the event begins (0: the whole file)
    uid: str
    summary: str
    message: str
    #: an event that was not read (not a time zone, another component or the whole file):
    #: the review counts these as "events that could not be read"
    event: bool = False


@dataclasses.dataclass
class Block:
    """The kept content lines of one top-level component and the line it starts on."""

    line: int
    lines: list[str]
    kind: str = "VEVENT"
    digest: str = ""  # of every original line: a stable key for an event without UID
    damage: str = ""  # set: the block is reported, not read
    size: int = 0
    dates: int = 0
    drop: bool = False  # counted only (a zone definition over the limit)

    def prop(self, name: str) -> str:
        """The raw value of the component's own property ``name`` (first occurrence)."""
        depth = 0
        for ln in self.lines:
            upper = ln[:16].upper()
            if upper.startswith("BEGIN:"):
                depth += 1
            elif upper.startswith("END:"):
                depth -= 1
            elif depth == 1:
                head, sep, value = ln.partition(":")
                if sep and head.split(";", 1)[0].strip().upper() == name:
                    return value.strip()
        return ""


@dataclasses.dataclass
class Scan:
    zones: list[Block]
    events: list[Block]
    problems: list[ImportProblem]
    skipped: Counter[str]  # kind of component -> how many were not events
    bad_zones: set[str]  # TZIDs whose definition was damaged or refused
    calendar_zone: str = ""  # X-WR-TIMEZONE


def decode(data: bytes) -> str:
    """Text of a calendar file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class _Scanner:
    def __init__(self, limits: ScanLimits, checkpoint: Callable[[], None]) -> None:
        self.limits = limits
        self.checkpoint = checkpoint
        self.out = Scan([], [], [], Counter(), set())
        self.stack: list[str] = []  # open components, outermost first
        self.overflow = 0  # BEGINs beyond max_depth not on the stack
        self.block: Block | None = None
        self.hasher: hashlib._Hash | None = None
        self.zone_ids: set[str] = set()
        self.extra_zones = 0  # definitions over the limit: one problem names how many
        self.first_extra = 0

    # -- one logical line -------------------------------------------------------------
    def keep(self, name: str) -> bool:
        """Whether the line starting with property ``name`` is joined and kept."""
        if name in ("BEGIN", "END"):
            return True
        if self.block is None:
            return len(self.stack) == 1 and name == "X-WR-TIMEZONE"
        if self.block.damage or self.overflow or self.block.drop:
            return False
        if self.block.kind == "VTIMEZONE":
            return True
        return len(self.stack) == 2 and name in EVENT_PROPS

    def line(self, no: int, name: str, text: str | None, too_long: bool) -> None:
        """A logical line: ``text`` is None when it was not kept (or too long)."""
        if name in ("BEGIN", "END") and text is not None:
            value = text.partition(":")[2].strip().upper()
            if value:
                (self.begin if name == "BEGIN" else self.end)(no, value, text)
                return
        b = self.block
        if b is None:
            if text is not None and name == "X-WR-TIMEZONE":
                self.out.calendar_zone = text.partition(":")[2].strip()[:100]
            return
        if text is None:
            if too_long:
                b.damage = b.damage or _("A line ({field}) is longer than {n} characters.").format(
                    field=name[:30], n=self.limits.max_line)
            return
        if b.damage:
            return
        if _CONTROL_RE.search(text):
            text = text.translate(_CONTROL)
        if name in _TEXT_PROPS and len(text) > _TEXT_KEEP:
            text = text[:_TEXT_KEEP]
        if name in ("RDATE", "EXDATE"):
            b.dates += text.count(",") + 1
            if b.dates > self.limits.max_dates:
                b.damage = _("It lists more than {limit} dates to add or skip (RDATE, "
                             "EXDATE).").format(limit=self.limits.max_dates)
                return
        b.size += len(text)
        b.lines.append(text)
        if b.kind == "VEVENT" and len(b.lines) > self.limits.max_event_lines:
            b.damage = _("It has more than {limit} lines.").format(
                limit=self.limits.max_event_lines)

    def begin(self, no: int, name: str, text: str) -> None:
        if self.block is not None and name in _TOP | {"VCALENDAR"}:
            # a new component where the open one should have ended
            self.report(self.block, _cut_off(self.block.kind, no))
            self.close_block()
            del self.stack[1:]
            self.overflow = 0
        if name == "VCALENDAR":
            self.stack = ["VCALENDAR"]
            return
        if len(self.stack) >= self.limits.max_depth or self.overflow:
            self.overflow += 1
            if self.block is not None and not self.block.damage:
                self.block.damage = _("Its parts are nested more than {n} deep.").format(
                    n=self.limits.max_depth)
            return
        self.stack.append(name)
        if len(self.stack) == 2:
            if name in ("VEVENT", "VTIMEZONE"):
                self.block = Block(no, [text], kind=name)
                # a definition over the count limit is only counted, not collected
                self.block.drop = name == "VTIMEZONE" and \
                    len(self.out.zones) >= self.limits.max_zones
                if name == "VEVENT":
                    self.hasher = hashlib.sha256(text.encode("utf-8", "replace"))
            else:
                self.out.skipped[name[:40]] += 1
        elif self.block is not None and self.block.kind == "VTIMEZONE" and not self.block.drop:
            self.block.lines.append(text)

    def end(self, no: int, name: str, text: str) -> None:
        if self.overflow:
            self.overflow -= 1
            return
        if name in self.stack:
            while self.stack and self.stack[-1] != name:
                self.stack.pop()  # a part (an alarm) left open: it is dropped anyway
            if len(self.stack) == 2 and self.block is not None:
                self.block.lines.append(text)
                self.finish(self.block)
            elif len(self.stack) > 2 and self.block is not None \
                    and self.block.kind == "VTIMEZONE" and not self.block.drop:
                self.block.lines.append(text)
            if name == "VCALENDAR" and self.block is not None:
                self.report(self.block, _cut_off(self.block.kind, no))
                self.close_block()
            self.stack.pop()
            return
        if len(self.stack) == 2:
            # "END:VTOOD" for a VTODO: the open component ends here, damaged
            kind = self.stack[-1]
            message = _("It ends with “END:{found}” instead of “END:{kind}”.").format(
                found=name[:40], kind=kind)
            if self.block is not None:
                self.report(self.block, message)
                self.close_block()
            else:
                self.out.problems.append(ImportProblem(no, "", "", _(
                    "A component ({kind}) ends with “END:{found}” instead of “END:{kind}”; "
                    "it was skipped and the rest of the file was read.").format(
                        kind=kind, found=name[:40])))
            self.stack.pop()
        # elsewhere a stray END of something never begun: ignored

    def finish(self, b: Block) -> None:
        if b.damage:
            self.report(b, b.damage)
        elif b.kind == "VEVENT":
            assert self.hasher is not None
            b.digest = self.hasher.hexdigest()[:24]
            self.out.events.append(b)
        else:
            self.add_zone(b)
        self.close_block()

    def add_zone(self, b: Block) -> None:
        tzid = b.prop("TZID").strip('"')
        limits = self.limits
        if b.size > limits.max_zone_bytes:
            self.bad_zone(b, tzid, _("The time zone definition “{tzid}” is too large ({kb} KB; "
                                     "at most {limit} KB); it was not used.").format(
                tzid=clean(tzid, 60), kb=b.size // 1024, limit=limits.max_zone_bytes // 1024))
        elif b.drop or len(self.out.zones) >= limits.max_zones:
            self.out.bad_zones.add(tzid)
            self.extra_zones += 1
            self.first_extra = self.first_extra or b.line
        elif tzid and tzid not in self.zone_ids:
            self.zone_ids.add(tzid)
            self.out.zones.append(b)

    def bad_zone(self, b: Block, tzid: str, message: str) -> None:
        self.out.bad_zones.add(tzid)
        self.out.problems.append(ImportProblem(b.line, "", "", message))

    def report(self, b: Block, reason: str) -> None:
        if b.kind == "VTIMEZONE":
            tzid = b.prop("TZID").strip('"')
            self.bad_zone(b, tzid, _("The time zone definition “{tzid}” is damaged: {reason} "
                                     "Events in this zone were not read.").format(
                tzid=clean(tzid, 60), reason=reason))
        else:
            self.out.problems.append(problem(b, _("{reason} The event was not read.").format(
                reason=reason)))

    def close_block(self) -> None:
        self.block = None
        self.hasher = None

    # -- the whole text ---------------------------------------------------------------
    def run(self, text: str) -> Scan:
        start_no = 0
        parts: list[str] | None = None  # the logical line being joined, if kept
        name = ""
        length = 0
        active = wanted = False
        max_line = self.limits.max_line
        match = _NAME.match
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for no, raw in enumerate(lines, 1):
            if not no & 0x3FFF:
                self.checkpoint()
            if active and raw[:1] in (" ", "\t"):
                length += len(raw) - 1
                if parts is not None:
                    if length > max_line:
                        parts = None
                    else:
                        parts.append(raw[1:])
                if self.hasher is not None:
                    self.hasher.update(raw[1:].encode("utf-8", "replace"))
                continue
            if parts is not None:
                self.line(start_no, name, "".join(parts), False)
            elif active and wanted and length > max_line:
                self.line(start_no, name, None, True)
            if not raw or raw.isspace():
                active = False
                parts = None
                continue
            m = match(raw)
            name = m.group(0).upper() if m else ""
            start_no, length, active = no, len(raw), True
            wanted = self.keep(name)
            parts = [raw] if wanted and length <= max_line else None
            if self.hasher is not None:
                self.hasher.update(b"\n" + raw.encode("utf-8", "replace"))
        if parts is not None:
            self.line(start_no, name, "".join(parts), False)
        elif active and wanted and length > max_line:
            self.line(start_no, name, None, True)
        if self.block is not None:
            b = self.block
            if b.kind == "VTIMEZONE":
                tzid = clean(b.prop("TZID").strip('"'), 60)
                self.bad_zone(b, tzid, _(
                    "The file ends inside the time zone definition “{tzid}”: the file is "
                    "cut off. Export the calendar again.").format(tzid=tzid))
            else:
                self.out.problems.append(problem(b, _(
                    "The file ends inside this event: the file is cut off. Export the "
                    "calendar again.")))
        if self.extra_zones:
            self.out.problems.append(ImportProblem(self.first_extra, "", "", _(
                "The file has more than {limit} time zone definitions; the other {n} were not "
                "used, and events in those zones were not read.").format(
                    limit=self.limits.max_zones, n=self.extra_zones)))
        return self.out


def scan(text: str, limits: ScanLimits | None = None,
         checkpoint: Callable[[], None] = lambda: None) -> Scan:
    """Cut the text into VTIMEZONE and VEVENT blocks; report structural damage.

    ``checkpoint`` is called every few thousand lines (it may raise to stop)."""
    return _Scanner(limits or ScanLimits(), checkpoint).run(text)


def _cut_off(kind: str, next_line: int) -> str:
    return _("It has no end (END:{kind} is missing before line {line}).").format(
        kind=kind, line=next_line)


def problem(block: Block, message: str) -> ImportProblem:
    return ImportProblem(block.line, block.prop("UID")[:200], clean(block.prop("SUMMARY")),
                         message, event=block.kind == "VEVENT")


def clean(text: str, limit: int = 200) -> str:
    text = text.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";")
    text = " ".join(text.replace("\\\\", "\\").translate(_CONTROL).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fallback_uid(block: Block) -> str:
    # Stable across re-imports of the same file, so dedup still works without a UID.
    return "nouid-" + block.digest
