"""Scenario runs shared by the plugin tests (each file is evaluated once per session)."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from pathlib import Path

import pytest

from mingshi.core import scenario
from mingshi.core.plugins import ENTRY_POINT_GROUP, Jurisdictions
from mingshi.core.services.evaluation import Outcome

EXAMPLES = Path(__file__).parent.parent / "examples"


def plugin_folders() -> dict[str, Path]:
    only = [c for c in os.environ.get("MINGSHI_JURISDICTIONS", "").split(",") if c]
    folders = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if only and ep.name not in only:
            continue
        module = importlib.import_module(ep.value.split(":")[0])
        folders[ep.name] = Path(module.__file__).parent
    return folders


def scenario_files() -> list[Path]:
    files: list[Path] = sorted(EXAMPLES.glob("*.json"))
    for folder in plugin_folders().values():
        files.extend(sorted((folder / "scenarios").glob("*.json")))
    return files


class ScenarioRuns:
    def __init__(self, jurisdictions: Jurisdictions) -> None:
        self.jurisdictions = jurisdictions
        self._runs: dict[Path, tuple[dict, Outcome]] = {}

    def run(self, path: Path) -> tuple[dict, Outcome]:
        if path not in self._runs:
            data = scenario.validate(scenario.read_file(path), self.jurisdictions, str(path))
            self._runs[path] = (data, scenario.run(data, self.jurisdictions))
        return self._runs[path]


@pytest.fixture(scope="session")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


@pytest.fixture(scope="session")
def runs(jurisdictions: Jurisdictions) -> ScenarioRuns:
    return ScenarioRuns(jurisdictions)
