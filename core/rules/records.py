"""References to the records a criterion counted: ``"<kind>:<id>"``, e.g. ``"activity:123"``.

A criterion's :attr:`~mingshi.core.rules.results.Criterion.counted` lists them so a reviewer can go
from a number to its proof (查看原始材料). The kinds are the records evidence files prove
(``core/services/evidence.py``) and fund allocations (``allocation``, a school's matching funds: no
files); the id is the record's database id. The facts carry each record's
reference (``ActivityFact.record`` …), so a plugin never builds one itself: it hands the facts it
counted to :func:`counted`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: the kinds of record a criterion can count, in the order a reader meets them
RECORD_KINDS = ("activity", "output", "award", "expense", "allocation")
#: the kinds whose records carry evidence files (a fund allocation has none: it is proven by the ledger)
FILE_KINDS = ("activity", "output", "award", "expense")


def record_ref(kind: str, record_id: int) -> str:
    """The reference of one record (``record_ref("award", 6) == "award:6"``)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    if not isinstance(record_id, int) or isinstance(record_id, bool) or record_id < 1:
        raise ValueError(f"a record id is a positive integer, not {record_id!r}")
    return f"{kind}:{record_id}"


def parse_ref(ref: str) -> tuple[str, int]:
    """``(kind, id)`` of a reference; :class:`ValueError` if it is not one."""
    kind, sep, number = str(ref).partition(":")
    if not sep or kind not in RECORD_KINDS or not number.isdigit() or len(number) > 18:
        raise ValueError(f"not a record reference: {ref!r}")
    record_id = int(number)
    if record_id < 1:
        raise ValueError(f"not a record reference: {ref!r}")
    return kind, record_id


def counted(*groups: Iterable[Any]) -> tuple[str, ...]:
    """The references of the facts a criterion counted, each once, in the order given.

    Facts without a reference (built by hand in a unit test, not loaded from the database) are
    skipped: the criterion's value never depends on them being there."""
    seen: dict[str, None] = {}
    for group in groups:
        for fact in group:
            ref = getattr(fact, "record", None)
            if ref is not None:
                seen.setdefault(ref, None)
    return tuple(seen)
