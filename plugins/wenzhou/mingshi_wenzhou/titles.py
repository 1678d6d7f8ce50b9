"""第八条(三): the prescribed form of an activity report's title.

《主标题——记温州市***“名师送教”工作室第*次活动》 — *** is the host's name and * the activity's
number in the studio's date order. Accepted variants (jurisdictions.md): straight or curly
quotes, the 《》 left out (as a pair), the number in Arabic or Chinese numerals. The dash is the
Chinese 破折号 "——" (two U+2014, or two U+2015 as some input methods type it).
"""

from __future__ import annotations

import re

_QUOTE = '["“”]'
_NUMBER = "(?P<n>[0-9０-９]+|[〇零一二两三四五六七八九十百]+)"
TITLE = re.compile(
    r"^(?P<main>.+?)(?:——|――)记温州市(?P<host>.+?)" + _QUOTE + "名师送教" + _QUOTE + "工作室第" + _NUMBER + "次活动$"
)

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Read 一 … 九百九十九 (十一, 二十, 一百零五, also digit by digit as in 一〇五); None if unreadable."""
    if not text:
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    digit: int | None = None
    for ch in text:
        if ch in "〇零" and total:
            continue  # 一百零五: the zero only marks an empty tens place
        if ch in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[ch]
        elif ch == "十":
            if total % 100 >= 10:
                return None
            total += (1 if digit is None else digit) * 10
            digit = None
        elif ch == "百":
            if digit is None or total:
                return None
            total += digit * 100
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)  # also full-width digits: str.isdigit and int() read them
    return chinese_number(text)


def check_title(title: str, host_name: str, number: int) -> str | None:
    """``None`` when the title has the prescribed form for this host and number; else the problem:
    ``form`` · ``host`` · ``number``."""
    text = (title or "").strip()
    opened, closed = text.startswith("《"), text.endswith("》")
    if opened != closed:
        return "form"
    if opened:
        text = text[1:-1].strip()
    match = TITLE.match(text)
    if match is None or not match.group("main").strip():
        return "form"
    if match.group("host").strip() != host_name.strip():
        return "host"
    if parse_number(match.group("n")) != number:
        return "number"
    return None
