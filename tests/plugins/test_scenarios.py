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


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in FILES])
def test_an_example_records_only_the_types_its_city_offers(path: Path) -> None:
    """The activity and output types are those the city declares (``mingshi_terms``), as its workspace accepts."""
    from mingshi.core.plugins import Jurisdictions

    data = scenario.read_file(path)
    j = Jurisdictions.load(only=[data["jurisdiction"]]).get(data["jurisdiction"])
    for key, kind in (("activities", "activity_types"), ("outputs", "output_types")):
        offered = set(j.offered(kind))
        assert [r for r in data.get(key) or () if r.get("type") not in offered] == [], (key, kind)
