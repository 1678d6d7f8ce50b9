"""The shared examples pass ``--check``. (Each jurisdiction's own scenario files are run by the
contract suite, ``mingshi.testing``, in ``plugins/<city>/tests``.)

One test per file, named after the file, so that a failure names the rule it is about.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mingshi.core import scenario
from tests.plugins.conftest import EXAMPLES

FILES = sorted(EXAMPLES.glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in FILES])
def test_scenario(path: Path, runs) -> None:
    data, outcome = runs.run(path)
    assert data.get("expect"), f"{path.name} has no expect block"
    for locale in ("zh_CN", "en"):
        assert scenario.check(outcome.to_json(locale), data["expect"]) == []
