"""Money: integer fen inside, decimal yuan strings at the edges. The only place money is converted.

Never a float: ``parse_yuan`` refuses floats and more than two decimals, ``format_fen`` gives
exactly two decimals.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, cast, func

FEN_PER_YUAN = 100
#: the largest amount, in fen (10 trillion yuan): far above any grant, far below BIGINT
MAX_FEN = 10**15 - 1
#: a typed amount longer than this is refused before it is read (digits, separators, a sign)
MAX_AMOUNT_CHARS = 32
#: what an amount may look like once its separators and currency sign are removed: plain digits,
#: an optional sign and an optional fraction; no exponent (``1e999990`` is not an amount someone types)
_AMOUNT = re.compile(r"[+-]?(\d+)(?:\.(\d*))?|[+-]?\.(\d+)")


class MoneyError(ValueError):
    """An amount that is not a valid yuan amount; the message says why."""


def parse_yuan(value: str | int | Decimal, *, allow_negative: bool = False) -> int:
    """``"320.50"`` → ``32050`` fen. Accepts str, int and Decimal; refuses floats and sub-fen amounts."""
    if isinstance(value, (bool, float)):
        raise MoneyError("an amount must be given as a decimal string, not a float")
    if isinstance(value, int):
        if abs(value) > MAX_FEN // FEN_PER_YUAN:
            raise MoneyError("an amount is too large")
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        # bounded before any arithmetic: Decimal("1e999990") * 100 is cheap, int() of it is not
        if value.is_finite() and value != 0 and value.adjusted() >= 13:
            raise MoneyError("an amount is too large")
        amount = value
    elif isinstance(value, str):
        amount = _parse_text(value)
    else:
        raise MoneyError("not an amount")
    if not amount.is_finite():
        raise MoneyError("not an amount")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise MoneyError("an amount has at most two decimals (fen)")
    if amount < 0 and not allow_negative:
        raise MoneyError("an amount cannot be negative")
    result = int(fen)
    if abs(result) > MAX_FEN:
        raise MoneyError("an amount is too large")
    return result


def _parse_text(value: str) -> Decimal:
    """A typed amount → Decimal, its length and shape checked first so that no input is costly."""
    if len(value) > 4 * MAX_AMOUNT_CHARS:
        raise MoneyError("an amount is too long")
    text = value.strip().replace(",", "").replace("，", "")
    if text.startswith(("¥", "￥")):
        text = text[1:].strip()
    if not text:
        raise MoneyError("an amount is required")
    if len(text) > MAX_AMOUNT_CHARS:
        raise MoneyError("an amount is too long")
    found = _AMOUNT.fullmatch(text)
    if found is None:
        raise MoneyError("not an amount")
    whole = (found.group(1) or "").lstrip("0")
    if len(whole) > 13:
        raise MoneyError("an amount is too large")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimal literals
        raise MoneyError("not an amount") from None


def format_fen(fen: int) -> str:
    """``32050`` → ``"320.50"``; ``-5`` → ``"-0.05"``."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"fen must be an int, not {fen!r}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan}.{cents:02d}"


def format_yuan_display(fen: int) -> str:
    """For people: ``1234567`` → ``"¥12,345.67"``."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def sum_fen(column: Any) -> Any:
    """``SUM`` of a fen column as a 64-bit integer: PostgreSQL's SUM(bigint) is ``numeric`` (a
    Decimal in Python), SQLite's an integer; cast so that both give ``int``, 0 for no rows."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)
