"""Cutting a calendar file into components, before any parser sees it.

A small line scanner (unfolding, BEGIN/END matching with resynchronisation) finds the
VTIMEZONE and VEVENT blocks, so one damaged event costs only itself, and a cut-off or
wrongly nested event becomes a problem naming its line.  Also here: the file-level
facts the expansion needs (the calendar's own zone, file-unique ids for custom zones).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterator

from counsel.i18n import gettext as _


@dataclasses.dataclass(frozen=True, slots=True)
class ImportProblem:
    """An event (or part of the file) that could not be read, and why."""

    line: int  # 1-based line where the event begins (0: the whole file)
    uid: str
    summary: str
    message: str


@dataclasses.dataclass
class Block:
    """The content lines of one top-level component and the line it starts on."""

    line: int
    lines: list[str]

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


def decode(data: bytes) -> str:
    """Text of a calendar file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    current: str | None = None
    start = 0
    for no, raw in enumerate(text.splitlines(), 1):
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield start, current
        current, start = raw, no
    if current is not None:
        yield start, current


def scan(text: str) -> tuple[list[Block], list[Block], list[ImportProblem]]:
    """Cut the text into VTIMEZONE and VEVENT blocks; report structural damage."""
    zones: list[Block] = []
    events: list[Block] = []
    problems: list[ImportProblem] = []
    stack: list[str] = []
    block: Block | None = None
    for no, line in logical_lines(text):
        if not line.strip():
            continue
        head, sep, value = line.partition(":")
        name = value.strip().upper() if sep else ""
        verb = head.strip().upper()
        if verb == "BEGIN" and name:
            if block is not None and name in ("VEVENT", "VTIMEZONE", "VCALENDAR"):
                # a new top-level component inside an open one: the open one was cut off
                problems.append(problem(block, _("The event is cut off (it has no end).")))
                block = None
                del stack[1:]
            stack.append(name)
            if len(stack) == 2 and name in ("VEVENT", "VTIMEZONE"):
                block = Block(no, [])
            if block is not None:
                block.lines.append(line)
        elif verb == "END" and name:
            if not stack or stack[-1] != name:
                if block is not None:
                    problems.append(problem(block, _("The event is damaged (it does not end "
                                                      "where it should).")))
                    block = None
                    del stack[1:]
                elif name in stack:
                    del stack[stack.index(name):]
                continue
            if block is not None:
                block.lines.append(line)
            stack.pop()
            if len(stack) == 1 and block is not None:
                (events if name == "VEVENT" else zones).append(block)
                block = None
        elif block is not None:
            block.lines.append(line)
    if block is not None:
        problems.append(problem(block, _("The event is cut off (the file ends inside it).")))
    return zones, events, problems


def problem(block: Block, message: str) -> ImportProblem:
    return ImportProblem(block.line, block.prop("UID")[:200], clean(block.prop("SUMMARY")),
                         message)


def clean(text: str, limit: int = 200) -> str:
    text = text.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";")
    text = " ".join(text.replace("\\\\", "\\").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fallback_uid(block: Block) -> str:
    # Stable across re-imports of the same file, so dedup still works without a UID.
    return "nouid-" + hashlib.sha256("\n".join(block.lines).encode()).hexdigest()[:24]


def _known_zone(tzid: str) -> bool:
    import zoneinfo

    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - moved in another icalendar version
        WINDOWS_TO_OLSON = {}
    if tzid in WINDOWS_TO_OLSON:
        return True
    try:
        zoneinfo.ZoneInfo(tzid)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def isolate_custom_zones(zones: list[Block], events: list[Block]) -> None:
    """Give each custom VTIMEZONE (Outlook's "Customized Time Zone") a file-unique id.

    icalendar caches zone definitions process-wide by TZID, so two files that both
    define "Customized Time Zone" differently would otherwise share the first one's
    offsets.  IANA and Windows names mean the same zone everywhere and are left alone.
    """
    for z in zones:
        tzid = z.prop("TZID").strip('"')
        if not tzid or _known_zone(tzid):
            continue
        digest = hashlib.sha256("\n".join(z.lines).encode()).hexdigest()[:12]
        new = f"{tzid} #{digest}".replace('"', "")
        ref = re.compile(r'TZID=("?)' + re.escape(tzid) + r'\1(?=[:;])', re.IGNORECASE)
        z.lines = [f"TZID:{new}" if ln.upper().startswith("TZID") and ":" in ln else ln
                   for ln in z.lines]
        for b in events:
            b.lines = [ref.sub(f'TZID="{new}"', ln) if "TZID" in ln.upper() else ln
                       for ln in b.lines]


def calendar_zone(text: str) -> dt.tzinfo | None:
    """Google's X-WR-TIMEZONE: the zone a calendar's floating times are meant in."""
    import zoneinfo

    cut = text.upper().find("BEGIN:VEVENT")
    head = text if cut < 0 else text[:cut]
    m = re.search(r"^X-WR-TIMEZONE:([^\r\n]+)", head, re.IGNORECASE | re.MULTILINE)
    if m is None:
        return None
    try:
        return zoneinfo.ZoneInfo(m.group(1).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
