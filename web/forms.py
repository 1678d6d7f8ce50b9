"""The one shape of every form post: run the service; on a validation error roll back and show the
page again with the errors and what was typed (422); else commit and show the fresh partial (htmx)
or redirect to the page (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, request
from marshmallow import ValidationError

from mingshi.web.app import db_session
from mingshi.web.render import form_errors, is_partial


def submit(
    action: Callable[[], Any],
    *,
    again: Callable[..., Any],
    then: str,
    prefix: str = "",
    form_extra: dict[str, str] | None = None,
) -> Any:
    """``again(form=..., errors=..., status=...)`` renders the page; ``then`` is where a full page goes after."""
    db = db_session()
    try:
        action()
    except ValidationError as exc:
        db.rollback()
        errors = {f"{prefix}{k}": v for k, v in form_errors(exc).items()}
        return again(form={**request.form.to_dict(), **(form_extra or {})}, errors=errors, status=422)
    db.commit()
    return again() if is_partial() else redirect(then)
