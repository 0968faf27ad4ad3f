"""The hyperv_firewall_vm_setting action plugin: validation before the host, exact .ps1 arguments, results."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from ansible_collections.effective.wsl.plugins.action.hyperv_firewall_vm_setting import ActionModule

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "unit" / "fixtures" / "hyperv_firewall"
PS1 = REPO / "plugins" / "modules" / "hyperv_firewall_vm_setting.ps1"
WSL = "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"


def make_action(args, module_result=None, check_mode=False, diff=False):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.diff = diff
    task.action = "effective.wsl.hyperv_firewall_vm_setting"
    connection = MagicMock()
    connection._shell.tmpdir = "/remote/tmp"
    connection._shell.SHELL_FAMILY = "powershell"
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = MagicMock(return_value=module_result or {})
    return action


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def cmdlet_calls(module_args, existing_nouns):
    """The cmdlet calls hyperv_firewall_vm_setting.ps1 makes for objects whose properties all differ:
    Set-<noun> @identity @properties when the object exists, New-<noun> @identity @properties otherwise."""
    calls = []
    for entry in module_args["_objects"]:
        if not entry["properties"]:
            continue
        verb = "Set" if entry["noun"] in existing_nouns else "New"
        calls.append((f"{verb}-{entry['noun']}", {**entry["identity"], **entry["properties"]}))
    return calls


def test_ps1_write_calls_are_the_ones_modelled_above():
    source = PS1.read_text()
    assert '& "Set-$noun" @identity @parameters -WhatIf:$module.CheckMode' in source
    assert '& "New-$noun" @identity @desired -WhatIf:$module.CheckMode | Out-Null' in source
    assert "$allowedNouns = @('NetFirewallHyperVVMSetting', 'NetFirewallHyperVProfile')" in source


def test_issue_example_set_default_inbound_action():
    # Set-NetFirewallHyperVVMSetting -Name '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' -DefaultInboundAction Allow
    action = make_action({"default_inbound_action": "allow"}, module_result=fixture("vm_setting_inbound_allow.json"))
    result = action.run(task_vars={})
    call = action._execute_module.call_args.kwargs
    assert call["module_name"] == "effective.wsl.hyperv_firewall_vm_setting"
    module_args = call["module_args"]
    assert cmdlet_calls(module_args, existing_nouns={"NetFirewallHyperVVMSetting"}) == [
        ("Set-NetFirewallHyperVVMSetting", {"Name": WSL, "DefaultInboundAction": "Allow"})
    ]
    # when WSL has no setting yet in the local store, the same arguments go to New-
    assert cmdlet_calls(module_args, existing_nouns=set()) == [
        ("New-NetFirewallHyperVVMSetting", {"Name": WSL, "DefaultInboundAction": "Allow"})
    ]
    assert result["changed"] is True
    assert result["changed_keys"] == ["default_inbound_action"]
    assert result["vm_setting"]["default_inbound_action"] == "allow"


def test_allow_local_firewall_rules_goes_to_each_profile():
    action = make_action(
        {"allow_local_firewall_rules": True, "vm_creator_id": "40e0ac32-46a5-438a-a0b2-2b479e8f2e90"},
        module_result=fixture("vm_setting_allow_local_rules_check_mode.json"),
        check_mode=True,
        diff=True,
    )
    result = action.run(task_vars={})
    module_args = action._execute_module.call_args.kwargs["module_args"]
    assert module_args["vm_creator_id"] == WSL
    assert cmdlet_calls(module_args, existing_nouns={"NetFirewallHyperVProfile"}) == [
        ("Set-NetFirewallHyperVProfile", {"Name": WSL, "Profile": profile, "AllowLocalFirewallRules": "True"})
        for profile in ("Domain", "Private", "Public")
    ]
    assert result["diff"]["before"]["profiles"]["public"]["allow_local_firewall_rules"] is False
    assert result["diff"]["after"]["profiles"]["public"]["allow_local_firewall_rules"] is True
    assert "warnings" not in result


BAD_INPUTS = [
    ({"default_inbound_action": "alow"}, ["default_inbound_action", "'alow'", "allow, block, not_configured"]),
    ({"default_outbound_action": "Deny"}, ["default_outbound_action", "'Deny'", "allow, block, not_configured"]),
    ({"enabled": "enabled"}, ["enabled", "'enabled'", "true or false"]),
    ({"loopback_enabled": "sure"}, ["loopback_enabled", "'sure'", "true or false"]),
    ({"allow_host_policy_merge": 3}, ["allow_host_policy_merge", "3", "true or false"]),
    ({"allow_local_firewall_rules": "x"}, ["allow_local_firewall_rules", "'x'", "true or false"]),
    ({"vm_creator_id": "{40E0AC32}"}, ["vm_creator_id", "'{40E0AC32}'", "8-4-4-4-12"]),
    ({"name": WSL}, ["unsupported option(s) name", "vm_creator_id"]),
    ({"default_inbound_action": True}, ["default_inbound_action", "True (bool)", "allow, block, not_configured"]),
    ({"default_inbound": "allow"}, ["unsupported option(s) default_inbound", "default_inbound_action"]),
    ({"_objects": []}, ["unsupported option(s) _objects"]),
    ({"enabled": ["true"]}, ["enabled", "['true'] (list)", "true or false"]),
    ({"vm_creator_id": ""}, ["vm_creator_id", "''", "8-4-4-4-12"]),
    ({"vm_creator_id": 12345}, ["vm_creator_id", "12345 (int)", "8-4-4-4-12"]),
    ({"vm_creator_id": WSL[:-1]}, ["vm_creator_id", WSL[:-1], "with or without braces"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD_INPUTS)
def test_bad_input_fails_before_the_host(options, fragments):
    action = make_action(options)
    result = action.run(task_vars={})
    assert result["failed"] is True
    for fragment in fragments:
        assert fragment in result["msg"]
    action._execute_module.assert_not_called()


def test_report_only_warns_about_disallowed_local_rules():
    action = make_action({}, module_result=fixture("vm_setting_report_local_rules_disallowed.json"))
    result = action.run(task_vars={})
    assert result["changed"] is False
    assert all(not entry["properties"] for entry in action._execute_module.call_args.kwargs["module_args"]["_objects"])
    assert "AllowLocalFirewallRules is False for the public profile" in result["warnings"][0]


def test_module_failure_is_passed_through():
    failure = {"failed": True, "msg": "Get-NetFirewallHyperVVMSetting is not available: ..."}
    result = make_action({"enabled": True}, module_result=failure).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == failure["msg"]
