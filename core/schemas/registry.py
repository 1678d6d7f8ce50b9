"""Inputs of the city administrator's pages: accounts, schools, counties, the people registry.

Structure, types and plausibility are checked here (a birth date after 1930 and not in the future,
a phone number that is one); references to rows and the jurisdiction's codes (schools, counties,
honours) are checked by the services, which raise errors keyed by the same field names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import ValidationError, fields, validates

from mingshi.core.schemas import fields as f
from mingshi.core.schemas.workspace import _Form, _int_id
from mingshi.core.vocab import LEVELS, TITLES

#: mainland mobile (1xx xxxx xxxx) or a landline with area code (0xx(x)-xxxxxxx(x), extension allowed)
PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
EARLIEST_BIRTH = dt.date(1930, 1, 1)


def Checkbox(**kwargs: Any) -> fields.Boolean:
    """An HTML checkbox: present ("on") is true, absent is false."""
    return fields.Boolean(
        truthy={"on", "1", "true", "yes", True},
        falsy={"0", "false", "off", "no", False},
        error_messages={"invalid": "not true or false"},
        load_default=False,
        **kwargs,
    )


class AccountInput(_Form):
    username = f.Str(required=True, max_length=80)
    display_name = f.Str(load_default=None, max_length=120)
    role = fields.List(
        f.Choice(("admin", "reviewer", "host", "member")), required=True, error_messages={"required": "choose a role"}
    )
    studio_id = _int_id(load_default=None)
    person_id = _int_id(load_default=None)


class RolesInput(_Form):
    role = fields.List(
        f.Choice(("admin", "reviewer", "host", "member")), required=True, error_messages={"required": "choose a role"}
    )
    studio_id = _int_id(load_default=None)
    person_id = _int_id(load_default=None)


class PasswordInput(_Form):
    current = fields.String(required=True, error_messages={"required": "missing"})
    new = fields.String(required=True, error_messages={"required": "missing"})
    repeated = fields.String(required=True, error_messages={"required": "missing"})


def _email_address(value: str | None) -> None:
    from mingshi.core.config import is_email_address

    if value is not None and not is_email_address(value):
        raise ValidationError("not an e-mail address (name@domain)")


class EmailPreferenceInput(_Form):
    """The account page's reminders by e-mail: an address (empty: none) and "e-mail me"."""

    email = f.Str(load_default=None, max_length=254, validate=[_email_address])
    email_reminders = Checkbox()


class CountyInput(_Form):
    name = f.Str(required=True, max_length=100)


class SchoolInput(_Form):
    name = f.Str(required=True, max_length=200)
    county = f.Str(load_default=None, max_length=100)
    stage = f.Choice(("kindergarten", "primary", "secondary", "vocational", "other"), load_default=None)
    rural = Checkbox()
    weak = Checkbox()


class SchoolEditInput(SchoolInput):
    pass


class MergeInput(_Form):
    duplicate_id = _int_id(required=True)


class RegistryPersonInput(_Form):
    """A person of the registry; a field left empty is cleared (the form shows every field)."""

    name = f.Str(required=True, max_length=100)
    sex = f.Choice(("M", "F"), load_default=None)
    born = f.Date(load_default=None)
    school_id = _int_id(load_default=None)
    position = f.Choice(("teacher", "principal", "vice_principal", "researcher"), load_default=None)
    title = f.Choice(TITLES, load_default=None)
    retirement_date = f.Date(load_default=None)
    phone = f.Str(load_default=None, max_length=30)
    version = f.Int(strict=False, load_default=None)

    @validates("born")
    def _born(self, value: dt.date | None, **kwargs: Any) -> None:
        if value is None:
            return
        if value > dt.date.today():
            raise ValidationError("a date of birth cannot be in the future")
        if value < EARLIEST_BIRTH:
            raise ValidationError("a date of birth before 1930 is not plausible")

    @validates("phone")
    def _phone(self, value: str | None, **kwargs: Any) -> None:
        if value is not None and not PHONE.match(value.replace(" ", "")):
            raise ValidationError("not a phone number (a mobile number of 11 digits, or 0area-number)")


class HonorInput(_Form):
    honor = f.Str(required=True, max_length=64)
    awarded = f.Date(required=True)
    evidence = f.Str(load_default=None, max_length=500)

    @validates("awarded")
    def _awarded(self, value: dt.date, **kwargs: Any) -> None:
        if value > dt.date.today():
            raise ValidationError("an honour cannot be awarded in the future")
        if value < EARLIEST_BIRTH:
            raise ValidationError("not a plausible date")


class BackboneInput(_Form):
    level = f.Choice(LEVELS, required=True)
    date = f.Date(required=True)

    @validates("date")
    def _date(self, value: dt.date, **kwargs: Any) -> None:
        if value > dt.date.today():
            raise ValidationError("a designation cannot start in the future")
        if value < EARLIEST_BIRTH:
            raise ValidationError("not a plausible date")
