"""One page, one template: the full page includes its partial; an htmx request gets the partial.

A request is *partial* when it carries ``HX-Request`` and is neither boosted nor a history
restore (Canaille's rule). Every response of such a view says ``Vary: HX-Request`` so that no
cache serves the fragment for the page or the other way round.
"""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request
from marshmallow import ValidationError

from mingshi.core.i18n import Text


def is_partial() -> bool:
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def page(template: str, status: int = 200, **context: Any):
    """Render ``area/page.html`` (full) or ``area/partial/page.html`` (htmx)."""
    area, _, name = template.rpartition("/")
    chosen = f"{area}/partial/{name}" if is_partial() else template
    response = make_response(render_template(chosen, **context), status)
    response.headers.add("Vary", "HX-Request")
    return response


def form_errors(exc: ValidationError) -> dict[str, list[Any]]:
    """marshmallow's messages by field, flattened one level (nested rows join their field); a
    :class:`mingshi.core.i18n.Text` message is kept as it is so the page can translate it."""
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}

    def items(value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [x for v in value.values() for x in items(v)]
        if isinstance(value, (list, tuple)):
            return [x for v in value for x in items(v)]
        return [value if isinstance(value, Text) else str(value)]

    return {str(key): items(value) for key, value in messages.items()}
