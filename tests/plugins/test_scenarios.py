"""Every scenario file of every installed jurisdiction, and the shared examples, pass ``--check``.

One test per file, named after the file, so that a failure names the rule it is about.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from pathlib import Path

import pytest

from core import scenario
from core.plugins import ENTRY_POINT_GROUP, Jurisdictions

EXAMPLES = Path(__file__).parent.parent / "examples"


def _scenario_files() -> list[Path]:
    only = [c for c in os.environ.get("MINGSHI_JURISDICTIONS", "").split(",") if c]
    files: list[Path] = sorted(EXAMPLES.glob("*.json"))
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if only and ep.name not in only:
            continue
        module = importlib.import_module(ep.value.split(":")[0])
        folder = Path(module.__file__).parent / "scenarios"
        files.extend(sorted(folder.glob("*.json")))
    return files


FILES = _scenario_files()


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in FILES])
def test_scenario(path: Path, jurisdictions: Jurisdictions) -> None:
    data = scenario.validate(scenario.read_file(path), jurisdictions, str(path))
    assert data.get("expect"), f"{path.name} has no expect block"
    outcome = scenario.run(data, jurisdictions)
    for locale in ("zh_CN", "en"):
        result = outcome.to_json(locale)
        assert scenario.check(result, data["expect"]) == []
