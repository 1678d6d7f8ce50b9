"""Money: integer fen inside, decimal yuan strings at the edges. The only place money is converted.

Never a float: ``parse_yuan`` refuses floats and more than two decimals, ``format_fen`` gives
exactly two decimals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, cast, func

FEN_PER_YUAN = 100


class MoneyError(ValueError):
    """An amount that is not a valid yuan amount; the message says why."""


def parse_yuan(value: str | int | Decimal, *, allow_negative: bool = False) -> int:
    """``"320.50"`` → ``32050`` fen. Accepts str, int and Decimal; refuses floats and sub-fen amounts."""
    if isinstance(value, (bool, float)):
        raise MoneyError("an amount must be given as a decimal string, not a float")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text.startswith(("¥", "￥")):
            text = text[1:].strip()
        if not text:
            raise MoneyError("an amount is required")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount") from None
    else:
        raise MoneyError(f"{value!r} is not an amount")
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not an amount")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise MoneyError("an amount has at most two decimals (fen)")
    if amount < 0 and not allow_negative:
        raise MoneyError("an amount cannot be negative")
    result = int(fen)
    if abs(result) >= 10**15:
        raise MoneyError("an amount is too large")
    return result


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
