"""marshmallow schemas for every input: scenarios, forms, imports.

Error messages name the field by its path (``people[3].born: not a date``); see
:func:`flatten_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def flatten_errors(messages: Any, prefix: str = "") -> list[str]:
    """marshmallow's nested error dict → ``["people[3].born: not a date", …]``."""
    out: list[str] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_errors(value, path))
    elif isinstance(messages, (list, tuple)):
        if all(isinstance(x, str) for x in messages):
            for text in messages:
                out.append(f"{prefix}: {text}" if prefix else text)
        else:
            for item in messages:
                out.extend(flatten_errors(item, prefix))
    else:
        out.append(f"{prefix}: {messages}" if prefix else str(messages))
    return out
