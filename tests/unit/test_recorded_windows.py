"""The Python half against recordings of real Windows hosts (tools/record-windows-fixtures.ps1).

Every directory under tests/unit/fixtures/recorded/ is one host. The recordings are read in the exact shapes the
.ps1 modules return, so the interpretation and the planning run on them unchanged.
"""

from __future__ import annotations

import base64
import json
import pathlib

import pytest

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import (
    build_vm_setting_request,
    interpret_rule,
    plan_vm_setting,
    vm_setting_result,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._wintext import decode_text
from ansible_collections.effective.wsl.plugins.plugin_utils._wslhost import (
    parse_wsl_list_verbose,
    parse_wsl_version_output,
)

RECORDED = sorted(p for p in (pathlib.Path(__file__).parent / "fixtures" / "recorded").iterdir() if p.is_dir())
HOSTS = RECORDED or [pytest.param(None, marks=pytest.mark.skip("no recording of a real Windows host yet"))]


def load(host: pathlib.Path, name: str):
    path = host / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


@pytest.mark.parametrize("host", HOSTS, ids=lambda host: host.name if host else "none")
def test_vm_setting_read_plans_and_interprets(host):
    read = load(host, "hyperv_firewall_vm_setting_read.json")
    request = build_vm_setting_request({"loopback_enabled": True})
    plan = plan_vm_setting(request, read)
    result = vm_setting_result(request, read, plan, None, want_diff=True, check_mode=True)
    assert set(result["profiles"]) == {"domain", "private", "public"}


@pytest.mark.parametrize("host", HOSTS, ids=lambda host: host.name if host else "none")
def test_rules_of_every_store_are_interpreted(host):
    stores = load(host, "hyperv_firewall_stores.json")
    for store in ("PersistentStore", "ActiveStore", "SystemDefaults"):
        for raw in stores[store]["rules"]:
            assert interpret_rule(raw)["name"] == raw["Name"]


@pytest.mark.parametrize("host", HOSTS, ids=lambda host: host.name if host else "none")
def test_wsl_exe_output_is_parsed_with_and_without_wsl_utf8(host):
    for run in load(host, "wsl_exe.json"):
        result = run["result"]
        if not result or result["rc"] != 0:
            continue
        text, _encoding = decode_text(base64.b64decode(result["stdout_base64"]))
        if run["arguments"] == "--version":
            assert parse_wsl_version_output(text)["wsl"]
        else:
            assert all(isinstance(entry["version"], int) for entry in parse_wsl_list_verbose(text))
