"""Fields with messages a bureau officer understands, and the money field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields, validate

from mingshi.core.money import MoneyError, format_fen, parse_yuan

REQUIRED = {"required": "missing", "null": "may not be empty"}


def _messages(extra: dict[str, str]) -> dict[str, str]:
    return {**REQUIRED, **extra}


def Date(**kwargs: Any) -> fields.Date:
    return fields.Date(error_messages=_messages({"invalid": "not a date", "format": "not a date"}), **kwargs)


#: the earliest plausible date of birth of a teacher still recorded
EARLIEST_BIRTH = dt.date(1930, 1, 1)


def not_after_today(message: str) -> Any:
    """A validator refusing a date after today (the day is read when the form is checked)."""

    def check(value: dt.date | None) -> None:
        if value is not None and value > dt.date.today():
            raise ValidationError(message)

    return check


def plausible_birth(value: dt.date | None) -> None:
    """A date of birth from 1930 to today."""
    if value is None:
        return
    if value > dt.date.today():
        raise ValidationError("a date of birth cannot be in the future")
    if value < EARLIEST_BIRTH:
        raise ValidationError("a date of birth before 1930 is not plausible")


#: the range of a 64-bit column (ids, counts): a bigger number is refused, not sent to the database
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def Int(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    validators = list(kwargs.pop("validate", []) or [])
    validators.append(validate.Range(min=INT64_MIN, max=INT64_MAX, error="not a whole number"))
    return fields.Integer(
        strict=strict, error_messages=_messages({"invalid": "not a whole number"}), validate=validators, **kwargs
    )


def _no_control_characters(value: str) -> None:
    """NUL and other control characters (tab and line breaks excepted): PostgreSQL refuses NUL in text."""
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValidationError("contains a control character")


def Bool(**kwargs: Any) -> fields.Boolean:
    return fields.Boolean(
        truthy={True}, falsy={False}, error_messages=_messages({"invalid": "not true or false"}), **kwargs
    )


def Str(*, max_length: int = 500, **kwargs: Any) -> fields.String:
    validators = list(kwargs.pop("validate", []) or [])
    validators.append(validate.Length(max=max_length, error=f"longer than {max_length} characters"))
    validators.append(_no_control_characters)
    return fields.String(error_messages=_messages({"invalid": "not a text"}), validate=validators, **kwargs)


def Choice(choices: tuple[str, ...] | list[str], **kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.OneOf(choices, error="must be one of: {choices}"),
        error_messages=_messages({"invalid": "not a text"}),
        **kwargs,
    )


class Decimal(fields.Decimal):
    """A decimal given as a number or a string (areas, heights); floats are read through their text."""

    default_error_messages = {"invalid": "not a number", "special": "not a number"}  # noqa: RUF012

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float):
            value = repr(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Money(fields.Field):
    """A yuan amount as a decimal string ("320.50") → integer fen. Floats are refused."""

    def __init__(self, *, allow_negative: bool = False, **kwargs: Any) -> None:
        super().__init__(error_messages=REQUIRED, **kwargs)
        self.allow_negative = allow_negative

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        try:
            return parse_yuan(value, allow_negative=self.allow_negative)
        except MoneyError as exc:
            raise ValidationError(str(exc)) from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_fen(value)
