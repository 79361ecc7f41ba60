"""Base of every stored record, id generation and field validation helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any, ClassVar

from counsel.errors import ValidationError
from counsel.i18n import gettext as _

#: Longest free-text field accepted (characters). Larger input is refused, not truncated.
MAX_TEXT = 200_000
MAX_LINE = 500


def new_id() -> str:
    """A random 128-bit id, hex (no time or device information leaks from it)."""
    return secrets.token_hex(16)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """A record is saved as a chain of immutable revisions (see counsel.vault.revision)."""

    KIND: ClassVar[str] = ""
    id: str = dataclasses.field(default_factory=new_id)

    def __post_init__(self) -> None:
        require_id("id", self.id)

    @property
    def client_id(self) -> str | None:
        """The client whose key encrypts this record (``None``: the vault key)."""
        return None

    def replace(self, **changes: Any) -> Any:
        return dataclasses.replace(self, **changes)


def require_id(field: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if (
        not isinstance(value, str)
        or not (8 <= len(value) <= 64)
        or not value.isascii()
        or not (value.replace("-", "").replace("_", "").isalnum())
    ):
        raise ValidationError(field, _("is not a valid identifier"))


def require_text(
    field: str,
    value: object,
    *,
    required: bool = False,
    single_line: bool = False,
    max_len: int = MAX_TEXT,
) -> None:
    if not isinstance(value, str):
        raise ValidationError(field, _("must be text"))
    if required and not value.strip():
        raise ValidationError(field, _("is required"))
    limit = MAX_LINE if single_line else max_len
    if len(value) > limit:
        raise ValidationError(field, _("is too long (at most {n} characters)").format(n=limit))
    if single_line and ("\n" in value or "\r" in value):
        raise ValidationError(field, _("must be a single line"))
    if "\x00" in value:
        raise ValidationError(field, _("contains a forbidden character"))


def require_enum(field: str, value: object, enum_type: type, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, enum_type):
        raise ValidationError(field, _("has an unknown value"))


def require_date(
    field: str,
    value: object,
    *,
    optional: bool = False,
    not_future: bool = False,
    earliest: dt.date = dt.date(1900, 1, 1),
) -> None:
    if value is None and optional:
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(field, _("must be a date"))
    if value < earliest:
        raise ValidationError(field, _("is too far in the past"))
    if not_future and value > dt.date.today():
        raise ValidationError(field, _("cannot be in the future"))
    if value.year > 2200:
        raise ValidationError(field, _("is too far in the future"))


def require_int(field: str, value: object, *, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, _("must be a whole number"))
    if not low <= value <= high:
        raise ValidationError(
            field, _("must be between {low} and {high}").format(low=low, high=high)
        )
