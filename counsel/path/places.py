"""Straight-line distances between municipality centres (``data/places.csv``)."""

from __future__ import annotations

import csv
import functools
import io
import math
from importlib import resources


@functools.cache
def _centres() -> dict[str, tuple[float, float]]:
    text = resources.files("counsel.path").joinpath("data/places.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return {r["name"].casefold(): (float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(io.StringIO("\n".join(lines)))}


def names() -> list[str]:
    text = resources.files("counsel.path").joinpath("data/places.csv").read_text("utf-8")
    return [ln.split(",")[0] for ln in text.splitlines()[3:] if ln]


def centre(name: str) -> tuple[float, float] | None:
    return _centres().get(name.strip().casefold())


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def distance_km(a: str, b: str) -> float | None:
    """Distance between two municipalities, or None when either is not in the list."""
    ca, cb = centre(a), centre(b)
    if ca is None or cb is None:
        return None
    return km_between(ca, cb)
