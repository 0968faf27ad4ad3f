"""meta/runtime.yml: an action group holds only modules that share options (module_defaults must fit them all)."""

from __future__ import annotations

import ast
import pathlib

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]


def module_options(name: str) -> dict[str, str]:
    tree = ast.parse((REPO / "plugins" / "modules" / f"{name}.py").read_text(encoding="utf-8"))
    (documentation,) = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DOCUMENTATION"
    ]
    options = yaml.safe_load(documentation).get("options") or {}
    return {option: spec.get("type", "str") for option, spec in options.items()}


def test_every_action_group_has_an_option_that_all_its_modules_take_with_one_type():
    groups = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))["action_groups"]
    assert groups
    for group, members in groups.items():
        options = [module_options(member) for member in members]
        shared = set.intersection(*(set(each) for each in options))
        assert shared, f"group {group}: {members} share no option"
        for option in shared:
            assert len({each[option] for each in options}) == 1, f"group {group}: {option} differs in type"
