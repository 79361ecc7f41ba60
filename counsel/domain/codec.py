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
from collections.abc import Callable
from typing import Any, TypeVar

from counsel.errors import ValidationError
from counsel.i18n import gettext as _

T = TypeVar("T")


#: field names per dataclass (``dataclasses.fields`` walks the class on every call; every
#: save and every bulk import encodes each record once)
_NAMES: dict[type, tuple[str, ...]] = {}


def to_dict(obj: Any) -> dict[str, Any]:
    names = _NAMES.get(type(obj))
    if names is None:
        if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
            raise TypeError(f"not a dataclass instance: {type(obj).__name__}")
        names = _NAMES[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
    return {name: _encode(getattr(obj, name)) for name in names}


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # (exact types: an enum member, a str or int subclass, goes below)
    if isinstance(value, (bool, int, float, str)):
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
    kwargs = {}
    for name, decode in _plan(cls):
        if name in data:
            kwargs[name] = decode(data[name], name)
    return cls(**kwargs)


Decoder = Callable[[Any, str], Any]
#: per class: (field name, decoder) of its init fields; per type hint: its decoder.  Built
#: once from the type hints, so decoding a record does no typing introspection (a rebuild
#: of a large working set decodes hundreds of thousands of records).
_PLANS: dict[type, list[tuple[str, Decoder]]] = {}
_DECODERS: dict[Any, Decoder] = {}


def _plan(cls: type) -> list[tuple[str, Decoder]]:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = _hints(cls)
        plan = _PLANS[cls] = [(f.name, _decoder(hints[f.name]))
                              for f in dataclasses.fields(cls) if f.init]
    return plan


def _decoder(tp: Any) -> Decoder:
    try:
        dec = _DECODERS.get(tp)
    except TypeError:  # an unhashable hint: not cached
        return _make_decoder(tp)
    if dec is None:
        dec = _DECODERS[tp] = _make_decoder(tp)
    return dec


def _damaged(field: str, exc: Exception) -> ValidationError:
    err = ValidationError(field, _("has a damaged value"))
    err.__cause__ = exc
    return err


def _guarded(convert: Callable[[Any], Any]) -> Decoder:
    def dec(value: Any, field: str) -> Any:
        try:
            return convert(value)
        except ValidationError:
            raise
        except (TypeError, ValueError) as exc:
            raise _damaged(field, exc) from exc
    return dec


def _same(value: Any, field: str) -> Any:
    return value


def _make_decoder(tp: Any) -> Decoder:  # noqa: C901 - one branch per kind of hint
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder([a for a in typing.get_args(tp) if a is not type(None)][0])

        def optional(value: Any, field: str) -> Any:
            return None if value is None else inner(value, field)
        return optional
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def many(value: Any, field: str) -> Any:
                try:
                    return tuple(item(v, field) for v in value)
                except ValidationError:
                    raise
                except (TypeError, ValueError) as exc:
                    raise _damaged(field, exc) from exc
            return many
        items = [_decoder(a) for a in args]

        def fixed(value: Any, field: str) -> Any:
            try:
                return tuple(d(v, field) for d, v in zip(items, value, strict=True))
            except ValidationError:
                raise
            except (TypeError, ValueError) as exc:
                raise _damaged(field, exc) from exc
        return fixed
    if not isinstance(tp, type):
        return _same
    if issubclass(tp, enum.Enum):
        members = tp._value2member_map_

        def member(value: Any) -> Any:
            found = members.get(value)  # unhashable: TypeError, as tp(value) raises
            return found if found is not None else tp(value)
        return _guarded(member)
    if tp is dt.datetime:
        return _guarded(dt.datetime.fromisoformat)
    if tp is dt.date:
        return _guarded(dt.date.fromisoformat)
    if tp is dt.time:
        return _guarded(dt.time.fromisoformat)
    if dataclasses.is_dataclass(tp):
        return _guarded(lambda value: from_dict(tp, value))
    if tp is bool:
        def boolean(value: Any) -> Any:
            if not isinstance(value, bool):
                raise TypeError
            return value
        return _guarded(boolean)
    if tp is int:
        def integer(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        return _guarded(integer)
    if tp is str:
        def text(value: Any) -> Any:
            if not isinstance(value, str):
                raise TypeError
            return value
        return _guarded(text)
    return _same


def _decode(tp: Any, value: Any, field: str) -> Any:
    return _decoder(tp)(value, field)


def dumps(obj: Any) -> bytes:
    return json.dumps(to_dict(obj), ensure_ascii=False, separators=(",", ":")).encode()


def loads(cls: type[T], raw: bytes) -> T:
    return from_dict(cls, json.loads(raw))
