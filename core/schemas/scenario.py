"""The scenario file (``../shared/spec/scenario.md``) as marshmallow schemas.

Structure and types are checked here; codes that depend on the jurisdiction (activity types,
expense categories …) and cross-references (a member's person, an activity's school) are
checked by :func:`mingshi.core.scenario.validate` with the jurisdiction's vocabulary.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

from mingshi.core.schemas import fields as f
from mingshi.core.vocab import LEVELS, SCOPES, TITLES


class _Strict(Schema):
    class Meta:
        unknown = RAISE


ID = {"max_length": 64}


class EvaluateSchema(_Strict):
    kind = f.Choice(("annual", "cycle", "application"), required=True)
    year = f.Int(load_default=None, allow_none=True)
    date = f.Date(load_default=None, allow_none=True)

    @validates_schema
    def _needs(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["kind"] == "annual" and data.get("year") is None:
            raise ValidationError("an annual evaluation needs a year", "year")
        if data["kind"] == "application" and data.get("date") is None:
            raise ValidationError("an application check needs a date", "date")
        year = data.get("year")
        if year is not None and not 1990 <= year <= 2200:
            raise ValidationError("not a plausible year", "year")


class SiteSchema(_Strict):
    area_m2 = f.Decimal(load_default=None, allow_none=True)
    height_m = f.Decimal(load_default=None, allow_none=True)
    capacity = f.Int(load_default=None, allow_none=True)


class StudioSchema(_Strict):
    kind = f.Str(required=True, max_length=40)
    name = f.Str(required=True, max_length=200)
    county = f.Str(load_default=None, allow_none=True, max_length=100)
    cycle_start = f.Date(load_default=None, allow_none=True)
    status = f.Str(load_default="active", max_length=20)
    subject = f.Str(load_default=None, allow_none=True, max_length=100)
    school = f.Str(load_default=None, allow_none=True, **ID)
    site = fields.Nested(SiteSchema, load_default=None, allow_none=True)
    school_matching_funds = fields.Dict(keys=fields.String(), values=f.Money(), load_default=dict)

    @validates_schema
    def _years(self, data: dict[str, Any], **kwargs: Any) -> None:
        for key in data.get("school_matching_funds") or {}:
            if not (key.isdigit() and len(key) == 4):
                raise ValidationError({key: ["not a year"]}, "school_matching_funds")


class SchoolSchema(_Strict):
    id = f.Str(required=True, **ID)
    name = f.Str(required=True, max_length=200)
    rural = f.Bool(load_default=False)
    county = f.Str(load_default=None, allow_none=True, max_length=100)
    stage = f.Choice(
        ("kindergarten", "primary", "secondary", "vocational", "other"), load_default=None, allow_none=True
    )


class DesignationSchema(_Strict):
    level = f.Choice(LEVELS, required=True)
    date = f.Date(required=True)


class EventSchema(_Strict):
    type = f.Str(required=True, max_length=40)
    date = f.Date(required=True)
    note = f.Str(load_default=None, allow_none=True)


class PersonSchema(_Strict):
    id = f.Str(required=True, **ID)
    name = f.Str(required=True, max_length=100)
    sex = f.Choice(("M", "F"), load_default=None, allow_none=True)
    born = f.Date(load_default=None, allow_none=True)
    school = f.Str(load_default=None, allow_none=True, **ID)
    position = f.Choice(("teacher", "principal", "vice_principal", "researcher"), load_default=None, allow_none=True)
    title = f.Choice(TITLES, load_default=None, allow_none=True)
    backbone_level = f.Choice(LEVELS, load_default=None, allow_none=True)
    backbone_history = fields.List(fields.Nested(DesignationSchema), load_default=list)
    honors = fields.List(f.Str(max_length=64), load_default=list)
    retirement_date = f.Date(load_default=None, allow_none=True)
    events = fields.List(fields.Nested(EventSchema), load_default=list)


class MemberSchema(_Strict):
    person = f.Str(required=True, **ID)
    role = f.Choice(("host", "member", "trainee"), required=True)
    category = f.Str(load_default=None, allow_none=True, max_length=40)
    joined = f.Date(required=True)
    left = f.Date(load_default=None, allow_none=True)
    removal_reason = f.Str(load_default=None, allow_none=True)
    removal_rule = f.Str(load_default=None, allow_none=True, max_length=64)

    @validates_schema
    def _order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("left") and data["left"] < data["joined"]:
            raise ValidationError("left before joining", "left")


class AttendanceSchema(_Strict):
    """``excused`` may carry ``leave_approved`` (scenario.md): a date, or null/absent for leave approved in
    advance; anything else is refused as ``…leave_approved: not a date``."""

    person = f.Str(required=True, **ID)
    status = f.Choice(("present", "excused", "absent"), required=True)
    leave_approved = f.Date(load_default=None, allow_none=True)


class ActivitySchema(_Strict):
    id = f.Str(load_default=None, allow_none=True, **ID)
    date = f.Date(required=True)
    type = f.Str(required=True, max_length=40)
    mode = f.Choice(("offline", "online"), load_default="offline")
    scope = f.Choice(SCOPES, load_default="studio")
    school = f.Str(load_default=None, allow_none=True, **ID)
    led_by = fields.List(f.Str(**ID), load_default=list)
    title = f.Str(load_default="", max_length=300)
    attendance = fields.List(fields.Nested(AttendanceSchema), load_default=list)
    notice_published = f.Date(load_default=None, allow_none=True)
    plan_approved = f.Date(load_default=None, allow_none=True)
    report_published = f.Date(load_default=None, allow_none=True)


class OutputSchema(_Strict):
    type = f.Str(required=True, max_length=40)
    level = f.Choice(LEVELS, load_default=None, allow_none=True)
    date = f.Date(required=True)
    people = fields.List(f.Str(**ID), load_default=list)
    published = f.Bool(load_default=False)
    chars = f.Int(load_default=None, allow_none=True)
    status = f.Choice(("approved", "underway", "completed"), load_default=None, allow_none=True)
    title = f.Str(load_default="", max_length=300)
    school = f.Str(load_default=None, allow_none=True, **ID)

    @validates_schema
    def _chars(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("chars") is not None and data["chars"] < 0:
            raise ValidationError("cannot be negative", "chars")


class AwardSchema(_Strict):
    competition = f.Str(required=True, max_length=40)
    level = f.Choice(LEVELS, required=True)
    rank = f.Choice(("first", "second", "third", "other"), required=True)
    first_instructor = f.Str(required=True, **ID)
    date = f.Date(required=True)
    student = f.Str(load_default=None, allow_none=True, max_length=100)
    title = f.Str(load_default=None, allow_none=True, max_length=300)


class PairingSchema(_Strict):
    person = f.Str(required=True, **ID)
    rural_teacher = f.Str(required=True, max_length=100)
    date = f.Date(required=True)


class FindingSchema(_Strict):
    type = f.Str(required=True, max_length=40)
    date = f.Date(required=True)
    note = f.Str(load_default=None, allow_none=True)


class ExpenseSchema(_Strict):
    date = f.Date(required=True)
    category = f.Str(required=True, max_length=40)
    amount = f.Money(required=True)
    note = f.Str(load_default=None, allow_none=True)


class ExpectSchema(_Strict):
    grade = f.Choice(("excellent", "pass", "fail", "pending"), load_default=None, allow_none=True)
    criteria = fields.Dict(
        keys=fields.String(),
        values=f.Choice(("met", "unmet", "pending", "not_applicable", "notice")),
        load_default=dict,
    )
    members = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    consequences = fields.List(fields.String(), load_default=None, allow_none=True)
    funding = fields.String(load_default=None, allow_none=True)


class ScenarioSchema(_Strict):
    jurisdiction = f.Str(required=True, max_length=64)
    description = f.Str(load_default=None, allow_none=True, max_length=2000)
    evaluate = fields.Nested(EvaluateSchema, required=True)
    parameters = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    studio = fields.Nested(StudioSchema, required=True)
    schools = fields.List(fields.Nested(SchoolSchema), load_default=list)
    people = fields.List(fields.Nested(PersonSchema), load_default=list)
    members = fields.List(fields.Nested(MemberSchema), load_default=list)
    activities = fields.List(fields.Nested(ActivitySchema), load_default=list)
    outputs = fields.List(fields.Nested(OutputSchema), load_default=list)
    student_awards = fields.List(fields.Nested(AwardSchema), load_default=list)
    pairings = fields.List(fields.Nested(PairingSchema), load_default=list)
    attestations = fields.Dict(keys=fields.String(), values=f.Bool(), load_default=dict)
    findings = fields.List(fields.Nested(FindingSchema), load_default=list)
    expenses = fields.List(fields.Nested(ExpenseSchema), load_default=list)
    expect = fields.Nested(ExpectSchema, load_default=None, allow_none=True)
