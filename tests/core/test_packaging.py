"""What is installed owns only import names that begin with mingshi, and the wheel misses no package."""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _top_level_names(dist) -> set[str]:
    """The import names a distribution installs, as pip sees them (top_level.txt, else its files)."""
    listed = dist.read_text("top_level.txt")
    if listed:
        return {line.strip() for line in listed.splitlines() if line.strip()}
    names: set[str] = set()
    for file in dist.files or ():
        parts = file.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] in {"..", "__pycache__"}:
            continue
        if len(parts) == 1:
            if parts[0].endswith(".py"):
                names.add(parts[0].removesuffix(".py"))
            elif parts[0].endswith((".so", ".pyd")):
                names.add(parts[0].split(".")[0])
            elif parts[0].endswith(".pth") and parts[0].startswith("__editable__"):
                continue
        else:
            names.add(parts[0])
    return names


def _editable_names(dist) -> set[str]:
    """An editable install of ours declares its packages in its metadata's top-level list or its mapping."""
    names = _top_level_names(dist)
    for file in dist.files or ():
        if file.name.startswith("__editable__") and file.name.endswith("_finder.py"):
            text = file.read_text(encoding="utf-8")
            for line in text.splitlines():
                if line.startswith("MAPPING"):
                    mapping = ast.literal_eval(line.split("=", 1)[1].strip())
                    names |= {name.split(".")[0] for name in mapping}
    return {n for n in names if not n.startswith("__editable__")}


def test_no_two_distributions_own_the_same_import_name() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for dist in distributions():
        for name in _editable_names(dist):
            owners[name].add(dist.metadata["Name"])
    shared = {name: sorted(dists) for name, dists in owners.items() if len(dists) > 1}
    assert shared == {}


def test_mingshi_distributions_own_only_mingshi_names() -> None:
    ours = [d for d in distributions() if d.metadata["Name"].lower().startswith("mingshi")]
    assert {d.metadata["Name"].lower().replace("_", "-") for d in ours} >= {
        "mingshi",
        "mingshi-lianyungang",
        "mingshi-shenyang",
        "mingshi-wenzhou",
        "mingshi-wushen",
    }
    for dist in ours:
        names = _editable_names(dist)
        assert names, dist.metadata["Name"]
        assert all(name.startswith("mingshi") for name in names), (dist.metadata["Name"], names)


def test_the_package_list_covers_every_package_folder() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    found = set()
    for prefix, folder in setuptools["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([prefix, *relative.parts]))
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert {"mingshi.core", "mingshi.web"} <= found
