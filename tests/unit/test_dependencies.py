"""The lower bound on ansible.windows admits every ansible.windows module the collection uses.

The modules' own documentation says since when each exists (version_added), read from the copy of
ansible.windows that `make deps` installs into .cache/collections.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
WINDOWS = ROOT / ".cache" / "collections" / "ansible_collections" / "ansible" / "windows"
SEARCHED = ("plugins", "roles", "playbooks", "extensions", "docs", "README.md")
USE = re.compile(r"\bansible\.windows\.([a-z_]+)\b")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def _used_modules() -> set[str]:
    used = set()
    for entry in SEARCHED:
        path = ROOT / entry
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.suffix in (".py", ".yml", ".md")]
        for file in files:
            used.update(USE.findall(file.read_text(encoding="utf-8", errors="replace")))
    return used


def _module_version_added(name: str) -> str:
    for doc in (WINDOWS / "plugins" / "modules" / f"{name}.py", WINDOWS / "plugins" / "modules" / f"{name}.yml"):
        if doc.exists():
            text = doc.read_text(encoding="utf-8")
            if doc.suffix == ".py":
                text = re.search(r'DOCUMENTATION\s*=\s*r?[\'"]{3}(.*?)[\'"]{3}', text, re.S).group(1)
            documentation = yaml.safe_load(text)
            documentation = documentation.get("DOCUMENTATION", documentation)
            if isinstance(documentation, str):
                documentation = yaml.safe_load(documentation)
            return str(documentation.get("version_added") or "0")
    raise AssertionError(f"ansible.windows.{name} is used but is not a module of ansible.windows")


def _declared_minimums() -> dict[str, str]:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())["dependencies"]["ansible.windows"]
    requirements = yaml.safe_load((ROOT / "requirements.yml").read_text())["collections"]
    required = next(entry["version"] for entry in requirements if entry["name"] == "ansible.windows")
    return {"galaxy.yml": galaxy, "requirements.yml": required}


def test_used_modules_are_found():
    if not WINDOWS.is_dir():
        pytest.fail(f"{WINDOWS} is missing: run make deps")
    assert "win_certificate_info" in _used_modules()


@pytest.mark.parametrize("source", ["galaxy.yml", "requirements.yml"])
def test_lower_bound_admits_every_used_module(source):
    minimum = _declared_minimums()[source]
    assert minimum.startswith(">="), f"{source}: expected a '>=' lower bound for ansible.windows, got {minimum!r}"
    too_new = {
        name: added
        for name in sorted(_used_modules())
        if _version(added := _module_version_added(name)) > _version(minimum)
    }
    assert too_new == {}, f"{source} allows ansible.windows {minimum}, but these modules appeared later: {too_new}"
