"""Code that depends on Windows or WSL behaviour cites the primary source (a microsoft/WSL file, a cmdlet help page,
a public capture), never the team's own notes (wsl-reference.md, windows-facts.md), which do not ship."""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        *(
            path
            for path in [*(ROOT / "plugins").rglob("*"), *(ROOT / "roles").rglob("*"), *(ROOT / "tools").glob("*.ps1")]
            if path.is_file() and path.suffix in (".py", ".ps1", ".psm1", ".sh", ".yml")
        ),
        # The WSL simulator ships too and imitates WSL behaviour.
        *(path for path in (ROOT / "tests" / "wslsim").rglob("*") if path.is_file() and path.suffix != ".pyc"),
    ]
)
NOTES = re.compile(r"wsl-reference|windows-facts", re.IGNORECASE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_cites_primary_sources_only(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [f"{number}: {line.strip()}" for number, line in enumerate(lines, 1) if NOTES.search(line)] == []
