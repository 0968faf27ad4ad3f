"""Every ansible-core release of the test matrix skips validate-modules for every .ps1 module (no pwsh here)."""

from __future__ import annotations

import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_every_ignore_file_skips_validate_modules_for_every_powershell_module():
    expected = {
        f"plugins/modules/{path.name} validate-modules!skip" for path in (REPO / "plugins" / "modules").glob("*.ps1")
    }
    ignore_files = sorted((REPO / "tests" / "sanity").glob("ignore-*.txt"))
    assert {path.name for path in ignore_files} >= {
        "ignore-2.16.txt",
        "ignore-2.19.txt",
        "ignore-2.20.txt",
        "ignore-2.21.txt",
    }
    for path in ignore_files:
        skips = {
            line.split("  #", 1)[0].strip() for line in path.read_text().splitlines() if "validate-modules!skip" in line
        }
        assert skips == expected, path.name
