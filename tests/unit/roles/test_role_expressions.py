"""The expressions of the wsl_distro and wsl_ca_trust roles: filter- and test-free, and what they decide.

A task run whose templates use a Jinja filter or test makes its forked worker load all of Ansible's filter or test
plugins (docs/performance.md), so the roles that a re-run goes through use operators only. The become and
gather-the-user expressions are evaluated here with plain Jinja for every case the role documents.
"""

from __future__ import annotations

import pathlib

import jinja2
import pytest
import yaml
from jinja2 import nodes

ROLES = pathlib.Path(__file__).resolve().parents[3] / "roles"
FILES = [
    ROLES / "wsl_distro" / "tasks" / "main.yml",
    ROLES / "wsl_distro" / "handlers" / "main.yml",
    ROLES / "wsl_ca_trust" / "tasks" / "main.yml",
    ROLES / "wsl_ca_trust" / "tasks" / "prepare.yml",
    ROLES / "wsl_ca_trust" / "vars" / "main.yml",
]
ENVIRONMENT = jinja2.Environment()


def templates(value, key=None):
    """Every template in a loaded YAML file; `when` conditions are bare expressions."""
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from templates(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from templates(child, key)
    elif isinstance(value, str):
        if key == "when":
            yield "{{ " + value + " }}"
        elif "{{" in value:
            yield value


def task(role: str, name: str) -> dict:
    return next(
        item for item in yaml.safe_load((ROLES / role / "tasks" / "main.yml").read_text()) if item["name"] == name
    )


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROLES)))
def test_no_filter_and_no_test(path):
    found = [
        (template, type(node).__name__, node.name)
        for template in templates(yaml.safe_load(path.read_text()))
        for node in ENVIRONMENT.parse(template).find_all((nodes.Filter, nodes.Test))
    ]
    assert found == []


def evaluate(template: str, **variables):
    inner = template.strip().removeprefix("{{").removesuffix("}}")
    return ENVIRONMENT.compile_expression(inner, undefined_to_none=False)(**variables)


ROOT = {"wsl": {"user": {"uid": 0}}}
ALICE = {"wsl": {"user": {"uid": 1000}}}


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("wsl_distro", "Configure /etc/wsl.conf"),
        ("wsl_ca_trust", "Import the CA certificates into the distro trust store"),
    ],
)
@pytest.mark.parametrize(
    ("setting", "facts", "expected"),
    [
        (None, ALICE, True),  # null: become unless the tasks run as root
        (None, ROOT, False),
        (True, ROOT, True),  # a setting wins over the facts
        (False, ALICE, False),
        (True, {}, True),  # and needs none
    ],
)
def test_become(role, name, setting, facts, expected):
    become = task(role, name)["become"]
    assert evaluate(become, ansible_facts=facts, **{f"{role}_become": setting}) is expected


@pytest.mark.parametrize(
    ("setting", "facts", "expected"),
    [
        (None, {}, True),  # no facts: the include gathers the user
        (None, {"wsl": {}}, True),
        (None, ALICE, False),  # after wsl_distro
        (False, {}, False),  # become given: no user needed
    ],
)
def test_gather_user(setting, facts, expected):
    variables = yaml.safe_load((ROLES / "wsl_ca_trust" / "vars" / "main.yml").read_text())
    gather = variables["wsl_ca_trust_gather_user"]
    assert evaluate(gather, ansible_facts=facts, wsl_ca_trust_become=setting) is expected
