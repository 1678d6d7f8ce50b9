"""Results computed from a studio's facts, kept under the revisions of those facts.

A page that shows a studio's checks or its progress evaluates the jurisdiction's rules over the
studio's facts (tens of statements and tens of milliseconds). The rules are pure functions of the
facts, the parameters and the day (``core/hookspecs.py``), so the result of one evaluation can be
shown again for as long as none of them changed. :func:`kept` keys a result by the studio's and the
tenant's fact revisions (raised by every write, ``core/revisions.py``), the day and what was asked;
a key is never reused for other facts, so nothing here is ever invalidated or stale: a write makes a
new key, and the old entry falls out of the least-recently-used end.

Each process keeps its own entries (``MINGSHI_RESULT_CACHE``, the number of entries; 0 turns it off).
Values must be immutable (the rules' frozen dataclasses, tuples): one is shared by every thread that
reads it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from mingshi.core import revisions

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

#: entries kept per process when nothing else is configured
DEFAULT_SIZE = 1024


class ResultCache:
    """A thread-safe least-recently-used map of a bounded size, with hit and miss counts."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return True, self._entries[key]
            self.misses += 1
            return False, None

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def resize(self, size: int) -> None:
        with self._lock:
            self.size = size
            while len(self._entries) > max(size, 0):
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


#: this process's results
results = ResultCache()


def key_of(session: Session, studio: Any, *asked: Hashable) -> tuple[Hashable, ...] | None:
    """The key of a result about ``studio`` in the session's tenant, or None where none may be kept:
    the session's transaction has written facts it has not committed (they would be read under the
    committed revision)."""
    if revisions.dirty(session):
        return None
    from mingshi.core import models as m

    tenant = session.get(m.Tenant, session.info.get("tenant_id"))
    if tenant is None or studio.facts_rev is None:
        return None
    return (tenant.id, tenant.facts_rev, studio.id, studio.facts_rev, *asked)


def tenant_key(session: Session, *asked: Hashable) -> tuple[Hashable, ...] | None:
    """The key of a result about every studio of the session's tenant at once (a count for its
    dashboard), or None where none may be kept.

    Besides the tenant's revision it holds a fingerprint of every studio's: their number, the sum of
    their revisions and the highest id, read in one aggregate. A write to any studio's record raises
    that studio's revision and revisions only grow, so every write changes the sum, and a studio added
    changes the number; studios are never deleted. A studio without a revision (a row older than
    revisions) is never kept under one: nothing is kept for the tenant then."""
    if revisions.dirty(session):
        return None
    from sqlalchemy import func, select

    from mingshi.core import models as m

    tenant = session.get(m.Tenant, session.info.get("tenant_id"))
    if tenant is None:
        return None
    S = m.Studio
    count, revised, total, top = session.execute(
        select(func.count(), func.count(S.facts_rev), func.coalesce(func.sum(S.facts_rev), 0), func.max(S.id))
    ).one()
    if revised != count:
        return None
    return (tenant.id, tenant.facts_rev, "tenant", count, int(total), top, *asked)


def kept_tenant(session: Session, asked: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """:func:`kept` for a result about every studio of the tenant (:func:`tenant_key`)."""
    return _kept(tenant_key(session, *asked), compute)


def kept(session: Session, studio: Any, asked: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The result of ``compute()`` for ``studio`` and ``asked`` (which must name everything besides the
    studio's facts and the tenant's parameters that the result depends on: its kind, the day …), from
    this process's entries where it was computed under the same revisions."""
    return _kept(key_of(session, studio, *asked), compute)


def _kept(key: Hashable | None, compute: Callable[[], T]) -> T:
    """The value kept under ``key``, else ``compute()``'s, kept (``None``: computed, not kept)."""
    if key is None:
        return compute()
    found, value = results.get(key)
    if found:
        return value
    value = compute()
    results.put(key, value)
    return value


def kept_many(keys: Mapping[K, Hashable | None], compute: Callable[[list[K]], Mapping[K, T]]) -> dict[K, T]:
    """:func:`kept` for many at once. ``keys`` maps each asked id to its key (:func:`key_of`; ``None``:
    not kept); the values found under their keys are returned with those of ``compute(missing)``,
    called once with the ids not found (possibly none), whose values are kept."""
    found: dict[K, T] = {}
    for ident, key in keys.items():
        if key is not None:
            hit, value = results.get(key)
            if hit:
                found[ident] = value
    computed = compute([ident for ident in keys if ident not in found])
    for ident, value in computed.items():
        if keys.get(ident) is not None:
            results.put(keys[ident], value)
    return {**found, **computed}
