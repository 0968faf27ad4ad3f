"""Files that the playbooks' comments and the guides tell a user to edit exist in the repository."""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "playbooks").rglob("*.yml"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"])
MENTION = re.compile(r"(?<![\w/])playbooks/[A-Za-z0-9_./-]+\.ya?ml")
# Created by the user from a shipped example (vault.yml.example).
USER_CREATED = {"playbooks/inventory/group_vars/wsl_windows/vault.yml"}


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_mentioned_playbook_files_exist(source):
    missing = sorted(
        mention
        for mention in set(MENTION.findall(source.read_text(encoding="utf-8")))
        if mention not in USER_CREATED and not (ROOT / mention).exists()
    )
    assert missing == []


def test_user_created_files_have_their_example():
    for path in USER_CREATED:
        assert (ROOT / f"{path}.example").exists()
