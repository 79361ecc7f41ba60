"""Records ↔ plain JSON-able dicts (what goes inside an envelope and into exports).

Generic over the dataclasses' type hints, so a new field needs no codec change.
Unknown keys from a newer version are ignored on read; missing keys take defaults.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from typing import Any, TypeVar

from counsel.errors import ValidationError
from counsel.i18n import gettext as _

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"not a dataclass instance: {type(obj).__name__}")
    return {f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value):
        return to_dict(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    if not isinstance(data, dict):
        raise ValidationError(cls.__name__, _("has a damaged value"))
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data and f.init:
            kwargs[f.name] = _decode(hints[f.name], data[f.name], f.name)
    return cls(**kwargs)


def _decode(tp: Any, value: Any, field: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _decode(options[0], value, field)
    try:
        if origin is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(_decode(args[0], v, field) for v in value)
            return tuple(_decode(a, v, field) for a, v in zip(args, value, strict=True))
        if isinstance(tp, type):
            if issubclass(tp, enum.Enum):
                return tp(value)
            if tp is dt.datetime:
                return dt.datetime.fromisoformat(value)
            if tp is dt.date:
                return dt.date.fromisoformat(value)
            if tp is dt.time:
                return dt.time.fromisoformat(value)
            if dataclasses.is_dataclass(tp):
                return from_dict(tp, value)
            if tp is bool and not isinstance(value, bool):
                raise TypeError
            if tp is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError
            if tp is str and not isinstance(value, str):
                raise TypeError
        return value
    except ValidationError:
        raise
    except (TypeError, ValueError) as exc:
        raise ValidationError(field, _("has a damaged value")) from exc


def dumps(obj: Any) -> bytes:
    return json.dumps(to_dict(obj), ensure_ascii=False, separators=(",", ":")).encode()


def loads(cls: type[T], raw: bytes) -> T:
    return from_dict(cls, json.loads(raw))
