"""The allocation the jurisdiction's rules propose for a year (hook ``mingshi_allocation``),
offered to the administrator beside the grant form — the first year of a cycle included, for
which no assessment exists yet."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.plugins import Jurisdictions
from mingshi.core.rules.results import Funding
from mingshi.core.services.evaluation import tenant_of
from mingshi.core.services.facts import load_studio_facts, tenant_parameter_values


def proposed_allocation(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, year: int) -> Funding | None:
    """What the rules allocate to ``studio`` for ``year``, or ``None`` where no rule says (the
    administrator enters the amount). Later years are judged on the facts as of the end of the
    assessed year before them."""
    if studio.cycle_start is None or studio.status != "active":
        return None
    jurisdiction = jurisdictions.get(tenant_of(session).jurisdiction)
    params = jurisdiction.paramset(tenant_parameter_values(session))
    as_of = studio.cycle_start
    if "annual" in jurisdiction.info.evaluations and year > studio.cycle_start.year:
        previous = jurisdiction.annual_period(year=year - 1, params=params)
        as_of = max(previous.end, studio.cycle_start)
        attestation_period: str | None = str(year - 1)
    else:
        attestation_period = None
    facts = load_studio_facts(
        session,
        studio,
        jurisdiction=jurisdiction.code,
        as_of=as_of,
        params=params,
        attestation_period=attestation_period,
    )
    return jurisdiction.allocation(facts=facts, year=year, params=params)
