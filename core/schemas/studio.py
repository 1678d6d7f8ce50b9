"""Input of the studio record form: name, county, subject, and the version the form was loaded with."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from mingshi.core.schemas import fields as f
from mingshi.core.schemas.workspace import _Form


class StudioEditInput(_Form):
    """Only the fields the form shows are changed; one left empty clears it (the service requires a name)."""

    name = f.Str(max_length=200)
    county = f.Str(max_length=100)
    subject = f.Str(max_length=100)
    version = fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(min=0, max=f.INT64_MAX, error="not a whole number"),
        error_messages={"required": "missing", "invalid": "not a whole number", "null": "may not be empty"},
    )

    def load_form(self, form: Any) -> dict[str, Any]:
        data = super().load_form(form)
        for name in ("name", "county", "subject"):
            if name in form and name not in data:  # sent empty: cleared
                data[name] = None
        return data
