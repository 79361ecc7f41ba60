"""The counsellor's time zone: a real zone with its daylight-saving rules.

A calendar import converts every occurrence with the rules in force *on that day*, so
the zone must be a named zone (``zoneinfo``), never today's UTC offset: an offset
taken in December puts every summer appointment an hour off.

Where it comes from: the ``TZ`` environment variable (a zone name such as
``Europe/Helsinki``, optionally with a leading ``:``, or the path of a zone file),
then the system setting (``tzlocal``: ``/etc/localtime`` and ``/etc/timezone`` on
Linux, the registry on Windows, the system preference on macOS).  ``TZ`` is read on
every call, so a test or a user who changes it is honoured at once.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
import zoneinfo


def local_zone() -> tuple[dt.tzinfo, bool]:
    """The counsellor's zone, and whether it is a real zone (``False``: a fixed offset).

    A fixed offset is the last resort when neither ``TZ`` nor the system names a zone;
    the caller tells the counsellor that times may be an hour off across daylight saving.
    """
    env = zone_from_env(os.environ.get("TZ"))
    if env is not None:
        return env, True
    try:
        import tzlocal

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tzlocal warns when two settings disagree
            zone = tzlocal.get_localzone()
        if isinstance(zone, zoneinfo.ZoneInfo):
            return zone, True
    except Exception:  # noqa: BLE001 - any failure falls back to the files below
        pass
    for path in ("/etc/localtime",):
        try:
            with open(path, "rb") as f:
                return zoneinfo.ZoneInfo.from_file(f, key="localtime"), True
        except (OSError, ValueError):
            continue
    return dt.datetime.now().astimezone().tzinfo or dt.UTC, False


def zone_from_env(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone a ``TZ`` value names, or ``None`` (unset, empty or a POSIX rule string)."""
    if not value:
        return None
    name = value[1:] if value.startswith(":") else value
    if os.path.isabs(name):
        try:
            with open(name, "rb") as f:
                return zoneinfo.ZoneInfo.from_file(f, key=os.path.basename(name))
        except (OSError, ValueError):
            return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
