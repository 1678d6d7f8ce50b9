"""Inputs of the bureau's workflows: applications, judgements, assessments, funds, parameters."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from mingshi.core.schemas import fields as f
from mingshi.core.schemas.workspace import _Form, _int_id


class ApplicationInput(_Form):
    name = f.Str(required=True, max_length=200)
    kind = f.Str(required=True, max_length=40)
    county = f.Str(load_default=None, max_length=100)
    subject = f.Str(load_default=None, max_length=100)
    school_id = _int_id(load_default=None)
    host_person_id = _int_id(load_default=None)
    site_area_m2 = f.Decimal(load_default=None, places=2)
    site_height_m = f.Decimal(load_default=None, places=2)
    site_capacity = f.Int(load_default=None, strict=False)

    @validates_schema
    def _site(self, data: dict[str, Any], **kwargs: Any) -> None:
        for name in ("site_area_m2", "site_height_m", "site_capacity"):
            value = data.get(name)
            if value is not None and not 0 <= value <= 100_000:
                raise ValidationError("not a plausible value", name)


class StepInput(_Form):
    reason = f.Str(load_default=None, max_length=2000)


class AttestationInput(_Form):
    rule_id = f.Str(required=True, max_length=64)
    value = f.Choice(("yes", "no"), required=True)
    comment = f.Str(load_default=None, max_length=2000)
    person_id = _int_id(load_default=None)
    period = f.Str(load_default=None, max_length=20)


class ConfirmInput(_Form):
    #: the fingerprint of the proposal the administrator saw
    seen = f.Str(required=True, max_length=64)


class CreditStoreInput(_Form):
    #: the fingerprint of the proposal the administrator saw
    seen = f.Str(required=True, max_length=64)
    #: record the proposal, or confirm it
    action = f.Choice(("propose", "confirm"), required=True)


class CreditCorrectionInput(_Form):
    #: checked by the credits service (digits, at most two places): kept as typed
    credits = f.Str(required=True, max_length=12)
    reason = f.Str(required=True, max_length=2000)


class WithdrawalInput(_Form):
    reason = f.Str(required=True, max_length=2000)


class AssessmentInput(_Form):
    kind = f.Choice(("annual", "cycle"), required=True)
    year = f.Int(load_default=None, strict=False)
    seen = f.Str(required=True, max_length=64)

    @validates_schema
    def _year(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["kind"] == "annual":
            year = data.get("year")
            if year is None:
                raise ValidationError("missing", "year")
            if not 1990 <= year <= 2200:
                raise ValidationError("not a plausible year", "year")


class ExpenseInput(_Form):
    date = f.Date(required=True)
    category = f.Str(required=True, max_length=40)
    amount = f.Money(required=True)
    note = f.Str(load_default=None, max_length=500)
    idempotency_key = f.Str(load_default=None, max_length=64)
    #: the activity the expense paid for (温州 第八条: its notice and report are the basis for reimbursement)
    activity_id = _int_id(load_default=None)


class ReversalInput(_Form):
    reason = f.Str(required=True, max_length=500)


class AllocationInput(_Form):
    year = f.Int(required=True, strict=False)
    amount = f.Money(required=True)
    source = f.Choice(("grant", "school_matching"), load_default="grant")
    basis = f.Str(load_default=None, max_length=200)
    note = f.Str(load_default=None, max_length=500)
    idempotency_key = f.Str(load_default=None, max_length=64)
    #: why a grant is made for a year a stored assessment stopped
    override_reason = f.Str(load_default=None, max_length=2000)

    @validates_schema
    def _year(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not 1990 <= data["year"] <= 2200:
            raise ValidationError("not a plausible year", "year")


class ParameterInput(_Form):
    param_id = f.Str(required=True, max_length=64)
    value = f.Str(required=True, max_length=2000)
    valid_from = f.Date(required=True)
    reason = f.Str(required=True, max_length=2000)


class PreviewInput(_Form):
    param_id = f.Str(required=True, max_length=64)
    value = f.Str(required=True, max_length=2000)
    #: None: the jurisdiction's own (annual where it has one, else the cycle's)
    kind = f.Choice(("annual", "cycle"), load_default=None)
    year = f.Int(load_default=None, strict=False)

    @validates_schema
    def _year(self, data: dict[str, Any], **kwargs: Any) -> None:
        year = data.get("year")
        if year is not None and not 1990 <= year <= 2200:
            raise ValidationError("not a plausible year", "year")


__all__ = [
    "AllocationInput",
    "ApplicationInput",
    "AssessmentInput",
    "AttestationInput",
    "ExpenseInput",
    "ParameterInput",
    "PreviewInput",
    "ReversalInput",
    "StepInput",
]
