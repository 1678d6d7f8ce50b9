"""Credit recognitions (学分认定): the credits recognized for a person of a studio from a stored
end-of-cycle result.

The platform proposes them from the result (hook ``mingshi_credits``), the administrator confirms them.
A row is ``proposed`` → ``confirmed``; either may be ``withdrawn`` (who, when, why) and stays in the
history. A correction of a confirmed credit changes ``hundredths`` in place and is kept in the audit log
(before → after, with the reason). Credits are exact: an integer count of hundredths of a credit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.models.people import Person
from mingshi.core.tenancy import TenantScoped

#: proposed by the platform · confirmed by the administrator · withdrawn (superseded or taken back)
CREDIT_STATES = ("proposed", "confirmed", "withdrawn")
#: credits are stored as hundredths of a credit (24.5 credits = 2450)
PER_CREDIT = 100


class CreditRecognition(TenantScoped, Base):
    __tablename__ = "credit_recognitions"
    __table_args__ = (
        CheckConstraint("state IN ('proposed', 'confirmed', 'withdrawn')", name="state"),
        CheckConstraint("hundredths >= 0", name="not_negative"),
    )

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id")
    person_id: Mapped[int] = fk("people.id")
    #: the stored cycle result the credits come from
    assessment_id: Mapped[int] = fk("assessment_records.id")
    #: the cycle: its key ("cycle:2023-09-01") and its dates
    period: Mapped[str] = mapped_column(String(40), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    #: the person's role in the studio (host · trainee · member)
    role: Mapped[str] = mapped_column(String(20))
    hundredths: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(String(64))
    #: the rules' explanation, ``{"zh_CN": …, "en": …}``
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: a digest of the stored result the proposal was computed from
    result_fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), index=True)
    proposed_at: Mapped[timestamp]
    proposed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    confirmed_by_name: Mapped[str | None] = mapped_column(String(120))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(lazy="joined", foreign_keys="CreditRecognition.person_id")

    @property
    def credits(self) -> Decimal:
        return Decimal(self.hundredths) / PER_CREDIT
