"""Inputs of the studio workspace: members, removals, activities with attendance, outputs, awards.

Structure and types are checked here. Codes that depend on the jurisdiction (activity and output
types, member categories) and references to rows (people, schools) are checked by the services,
which raise :class:`marshmallow.ValidationError` keyed by the same field names, so a form shows
every problem next to its field.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates, validates_schema

from mingshi.core.schemas import fields as f
from mingshi.core.vocab import LEVELS, SCOPES, TITLES


class _Form(Schema):
    """Forms post strings; empty strings are "not given"."""

    class Meta:
        unknown = EXCLUDE

    def load_form(self, form: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key in self.fields:
            field = self.fields[key]
            if isinstance(field, fields.List):
                values = [v for v in (form.getlist(key) if hasattr(form, "getlist") else form.get(key, [])) if v != ""]
                if values:
                    data[key] = values
                continue
            value = form.get(key)
            if value is None or (isinstance(value, str) and value.strip() == ""):
                continue
            data[key] = value.strip() if isinstance(value, str) else value
        return self.load(data)


def _int_id(**kwargs: Any) -> fields.Integer:
    # an id is a positive 64-bit number: a bigger one is refused here, not by the database (a 500)
    ids = validate.Range(min=1, max=f.INT64_MAX, error="not a valid choice")
    return fields.Integer(
        error_messages={"invalid": "not a valid choice", "required": "missing"},
        validate=[*(kwargs.pop("validate", None) or []), ids],
        **kwargs,
    )


class PersonInput(_Form):
    name = f.Str(required=True, max_length=100)
    sex = f.Choice(("M", "F"), load_default=None)
    born = f.Date(load_default=None, validate=[f.plausible_birth])
    school_id = _int_id(load_default=None)
    position = f.Choice(("teacher", "principal", "vice_principal", "researcher"), load_default=None)
    title = f.Choice(TITLES, load_default=None)
    backbone_level = f.Choice(LEVELS, load_default=None)
    phone = f.Str(load_default=None, max_length=30)


class MemberInput(PersonInput):
    """Add a member: an existing person (``person_id``) or a new one (the person fields)."""

    person_id = _int_id(load_default=None)
    name = f.Str(load_default=None, max_length=100)
    role = f.Choice(("member", "trainee", "host"), required=True)
    category = f.Str(load_default=None, max_length=40)
    joined = f.Date(required=True)

    @validates("joined")
    def _not_in_the_future(self, value: Any, **kwargs: Any) -> None:
        import datetime as dt

        if value > dt.date.today():
            raise ValidationError("a join date cannot be in the future")

    @validates_schema
    def _who(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("person_id") is None and not data.get("name"):
            raise ValidationError("choose a person or enter a name", "name")


class MemberEditInput(_Form):
    """Edit a membership and its person's record; a field left empty clears it (the form shows every field)."""

    category = f.Str(load_default=None, max_length=40)
    joined = f.Date(required=True)

    @validates("joined")
    def _not_in_the_future(self, value: Any, **kwargs: Any) -> None:
        import datetime as dt

        if value > dt.date.today():
            raise ValidationError("a join date cannot be in the future")

    school_id = _int_id(load_default=None)
    position = f.Choice(("teacher", "principal", "vice_principal", "researcher"), load_default=None)
    title = f.Choice(TITLES, load_default=None)
    backbone_level = f.Choice(LEVELS, load_default=None)
    phone = f.Str(load_default=None, max_length=30)


class RemovalInput(_Form):
    date = f.Date(required=True)
    reason = f.Str(required=True, max_length=500)


class JudgementInput(_Form):
    """A per-person judgement (hook ``mingshi_terms``): the rule, the person, the year of an annual
    judgement, yes or no and a note."""

    rule_id = f.Str(required=True, max_length=64)
    person_id = _int_id(required=True)
    year = f.Int(
        load_default=None, strict=False, validate=[validate.Range(min=2000, max=2100, error="not a plausible year")]
    )
    value = f.Choice(("yes", "no"), required=True)
    note = f.Str(load_default=None, max_length=2000)


class AttendanceInput(Schema):
    person_id = _int_id(required=True)
    status = f.Choice(("present", "excused", "absent"), required=True)
    leave_approved = f.Date(load_default=None)


class ActivityInput(_Form):
    date = f.Date(required=True, validate=[f.not_after_today("an activity cannot be dated in the future")])
    type = f.Str(required=True, max_length=40)
    mode = f.Choice(("offline", "online"), load_default="offline")
    scope = f.Choice(SCOPES, load_default="studio")
    school_id = _int_id(load_default=None)
    title = f.Str(required=True, max_length=300)
    led_by = fields.List(_int_id(), load_default=list)
    notice_published = f.Date(load_default=None)
    plan_approved = f.Date(load_default=None)
    report_published = f.Date(load_default=None)


class OutputInput(_Form):
    type = f.Str(required=True, max_length=40)
    level = f.Choice(LEVELS, load_default=None)
    date = f.Date(required=True)
    title = f.Str(required=True, max_length=300)
    people = fields.List(_int_id(), load_default=list)
    published = fields.Boolean(
        load_default=False,
        truthy={"1", "on", "true", "yes"},
        falsy={"0", "off", "false", "no", ""},
        error_messages={"invalid": "not true or false"},
    )
    chars = f.Int(load_default=None, strict=False)
    status = f.Choice(("approved", "underway", "completed"), load_default=None)
    school_id = _int_id(load_default=None)

    @validates_schema
    def _chars(self, data: dict[str, Any], **kwargs: Any) -> None:
        chars = data.get("chars")
        if chars is not None and not 0 <= chars <= 10_000_000:
            raise ValidationError("not a plausible number of characters", "chars")


class AwardInput(_Form):
    competition = f.Str(required=True, max_length=40)
    level = f.Choice(LEVELS, required=True)
    rank = f.Choice(("first", "second", "third", "other"), required=True)
    first_instructor_id = _int_id(required=True)
    date = f.Date(required=True, validate=[f.not_after_today("an award cannot be dated in the future")])
    student = f.Str(load_default=None, max_length=100)
    title = f.Str(load_default=None, max_length=300)


class _Versioned(_Form):
    """An edit carries the version of the record the form was loaded with (optimistic locking)."""

    version = f.Int(required=True, strict=False, validate=[validate.Range(min=1, error="not a valid choice")])


class ActivityEditInput(ActivityInput, _Versioned):
    """Correct an activity: the same fields and checks as recording one."""


class OutputEditInput(OutputInput, _Versioned):
    """Correct an output: the same fields and checks as recording one."""


class AwardEditInput(AwardInput, _Versioned):
    """Correct a student award: the same fields and checks as recording one."""


class WithdrawalInput(_Form):
    """Withdraw a record (a delete that keeps the history) or reinstate a member: a reason is required."""

    reason = f.Str(required=True, max_length=500)
