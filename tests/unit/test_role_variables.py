"""Each role's variables agree in its three places: defaults/main.yml, meta/argument_specs.yml and the README table.

A variable with a default has the same value in defaults/main.yml and argument_specs.yml (ansible-doc shows the
latter, the play uses the former); one without (documented "unset" or "(required)") is absent from defaults/main.yml,
so that ``| default(...)`` and ``is defined`` in the tasks see it unset. The README table names every variable once,
with the default the play really gets.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ROLES = sorted(path.parent.parent.name for path in (ROOT / "roles").glob("*/meta/argument_specs.yml"))
ROW = re.compile(r"^\| (`[a-z0-9_]+`(?:, `[a-z0-9_]+`)*) \| ([^|]+) \|", re.MULTILINE)


def options(role: str) -> dict:
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    return specs["argument_specs"]["main"]["options"]


def defaults(role: str) -> dict:
    path = ROOT / "roles" / role / "defaults" / "main.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def readme_rows(role: str) -> dict[str, str]:
    """Variable name -> the README's default cell for it (a cell naming several variables is split on ', ')."""
    rows = {}
    for names, cell in ROW.findall((ROOT / "roles" / role / "README.md").read_text(encoding="utf-8")):
        names = [name.strip("`") for name in names.split(", ")]
        cells = cell.strip().split(", ") if len(names) > 1 and cell.count(", ") == len(names) - 1 else None
        for index, name in enumerate(names):
            assert name not in rows, f"{role}: {name} has two README rows"
            rows[name] = cells[index] if cells else cell.strip()
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_defaults_and_argument_specs_agree(role):
    spec, values = options(role), defaults(role)
    assert sorted(set(values) - set(spec)) == [], "defaults/main.yml has variables argument_specs.yml does not"
    with_default = {name for name, option in spec.items() if "default" in option}
    assert sorted(with_default ^ set(values)) == [], "a default in one file only"
    assert {name: spec[name]["default"] for name in values} == values


@pytest.mark.parametrize("role", ROLES)
def test_readme_table_lists_every_variable_with_its_default(role):
    spec, values, rows = options(role), defaults(role), readme_rows(role)
    assert sorted(rows) == sorted(spec)
    for name, cell in rows.items():
        if cell == "(required)":
            assert spec[name].get("required"), name
        elif cell == "unset":
            assert name not in values and not spec[name].get("required"), name
        else:
            assert cell.startswith("`") and cell.endswith("`"), f"{name}: {cell!r}"
            shown = cell.strip("`")
            expected = values[name]
            assert shown == expected or yaml.safe_load(shown) == expected, (
                f"{name}: README {shown!r}, default {expected!r}"
            )
