"""What the Windows modules return is what their RETURN documents, computed from the fixtures' .ps1 reports.

validate-modules checks that RETURN parses, not that it matches the result: every key a task returns (apart from
Ansible's own ``changed``, ``warnings`` and ``diff``) is documented, and every key documented as returned
``always`` is there in every result.
"""

from __future__ import annotations

import ast
import json
import pathlib

import pytest
import yaml

from ansible_collections.effective.wsl.plugins.action.wsl_host_facts import ActionModule as WslHostFactsAction
from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import (
    build_rule_request,
    build_vm_setting_request,
    plan_vm_setting,
    rule_result,
    vm_setting_result,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "unit" / "fixtures"
ANSIBLE_KEYS = {"changed", "warnings", "diff"}


def documented(module: str) -> dict:
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "RETURN":
            return yaml.safe_load(node.value.value)
    raise AssertionError(f"{module} has no RETURN")


def check(results: list[dict], doc: dict) -> None:
    assert results
    always = {key for key, entry in doc.items() if entry.get("returned") == "always"}
    for result in results:
        assert sorted(set(result) - ANSIBLE_KEYS - set(doc)) == [], "returned but not documented"
        assert sorted(always - set(result)) == [], "documented as always returned but missing"


def rule_results() -> list[dict]:
    results = []
    for path in sorted((FIXTURES / "hyperv_firewall").glob("rule_*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        state = "absent" if report.get("operation") == "remove" else "present"
        request = build_rule_request({"name": "MyWebServer", "state": state})
        results += [rule_result(request, report, want_diff=False), rule_result(request, report, want_diff=True)]
    return results


def vm_setting_results() -> list[dict]:
    results = []
    for read_name, options in [
        ("vm_setting_read_clean_host.json", {"loopback_enabled": False}),
        ("vm_setting_read_unregistered.json", {"allow_local_firewall_rules": True}),
        ("vm_setting_read_configured.json", {"enabled": True}),
    ]:
        request = build_vm_setting_request(options)
        read = json.loads((FIXTURES / "hyperv_firewall" / read_name).read_text(encoding="utf-8"))
        plan = plan_vm_setting(request, read)
        results.append(vm_setting_result(request, read, plan, None, want_diff=True, check_mode=True))
    return results


def test_hyperv_firewall_rule_returns_what_return_documents():
    check(rule_results(), documented("hyperv_firewall_rule"))


def test_hyperv_firewall_vm_setting_returns_what_return_documents():
    check(vm_setting_results(), documented("hyperv_firewall_vm_setting"))


@pytest.mark.parametrize("fixture", sorted((FIXTURES / "wsl_host_facts").glob("*.json")), ids=lambda path: path.stem)
def test_wsl_host_facts_returns_what_return_documents(fixture):
    report = json.loads(fixture.read_text(encoding="utf-8"))
    facts = WslHostFactsAction.__new__(WslHostFactsAction).interpret({}, report)["ansible_facts"]["wsl_host"]
    doc = documented("wsl_host_facts")["ansible_facts"]["contains"]["wsl_host"]["contains"]
    assert sorted(set(facts) ^ set(doc)) == []
