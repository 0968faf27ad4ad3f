"""Every unit-test fixture says where it came from: a real capture (with its URL) or "constructed" (and what it
assumes). A JSON fixture carries a ``_source`` entry; any other file is named in the README.md of its folder."""

from __future__ import annotations

import json
import pathlib

import pytest

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
FILES = sorted(path for path in FIXTURES.rglob("*") if path.is_file() and path.name != "README.md")


def described_in_readme(path: pathlib.Path) -> bool:
    readme = path.parent / "README.md"
    return readme.exists() and f"`{path.name}`" in readme.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.relative_to(FIXTURES).as_posix())
def test_fixture_names_its_source(path):
    if described_in_readme(path):
        return
    assert path.suffix == ".json", f"{path.name}: not named in {path.parent.name}/README.md"
    data = json.loads(path.read_text(encoding="utf-8"))
    source = data.get("_source") if isinstance(data, dict) else None
    assert isinstance(source, str) and source.strip(), f"{path.name}: no _source and not named in README.md"
    assert "windows-facts" not in source and "wsl-reference" not in source, "cite the primary source"
