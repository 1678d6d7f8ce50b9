"""The forms of plans and reports (core.services.submissions): file, review, take back."""

from __future__ import annotations

from mingshi.core.schemas import fields as f
from mingshi.core.schemas.workspace import _Form


class DocumentInput(_Form):
    code = f.Str(required=True, max_length=64)
    key = f.Str(required=True, max_length=40)
    title = f.Str(required=True, max_length=300)
    action = f.Choice(("draft", "submit"), load_default="draft")
    purpose = f.Choice(("plan", "report", "notice", "photo", "other"), load_default=None)
    #: the version the form was loaded with (optimistic locking)
    version = f.Int(load_default=None, strict=False)


class ReviewInput(_Form):
    decision = f.Choice(("approve", "return"), required=True)
    reason = f.Str(load_default="", max_length=2000)
    version = f.Int(load_default=None, strict=False)


class TakeBackInput(_Form):
    reason = f.Str(required=True, max_length=2000)
    version = f.Int(load_default=None, strict=False)
