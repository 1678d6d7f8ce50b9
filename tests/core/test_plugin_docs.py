"""docs/plugins.md documents every hook of the contract, with the signature the hookspecs declare."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from mingshi.core import hookspecs
from mingshi.core.plugins import REQUIRED_HOOKS

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def _specs() -> dict[str, str]:
    return {
        name: f"{name}{inspect.signature(fn)}".replace("'", "")
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("mingshi_")
    }


def test_every_hook_is_on_the_page_with_its_signature_and_no_other() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = dict(re.findall(r"^### `((mingshi_\w+)\(.*\).*)`$", text, flags=re.M))
    by_name = {name: heading for heading, name in documented.items()}
    specs = _specs()
    assert set(by_name) == set(specs), (
        f"missing from docs/plugins.md: {sorted(set(specs) - set(by_name))}; "
        f"named but not a hook: {sorted(set(by_name) - set(specs))}"
    )
    for name, signature in specs.items():
        assert by_name[name] == signature, f"docs/plugins.md shows {by_name[name]!r}, the spec is {signature!r}"


def test_the_page_names_the_required_hooks_and_the_contract_version() -> None:
    text = DOC.read_text(encoding="utf-8")
    required = re.search(r"Required hooks: (.*?)\. The others", text, flags=re.S).group(1)
    assert set(re.findall(r"`(mingshi_\w+)`", required)) == set(REQUIRED_HOOKS)
    assert f"implements contract **{hookspecs.CONTRACT_VERSION}**" in text
    for name in _specs():
        section = text.split(f"### `{name}(", 1)[1].split("\n### ", 1)[0]
        assert "```python" in section, f"{name}: give an example"
        assert "**Required.**" in section or "Default" in section, f"{name}: say whether it is required or its default"
