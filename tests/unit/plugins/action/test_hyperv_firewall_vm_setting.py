"""The hyperv_firewall_vm_setting action plugin: validation before the host, the read-plan-write runs, results.

Host reports are JSON fixtures (tests/unit/fixtures/hyperv_firewall, each naming its source); the .ps1 is
replaced by a fake that answers the read phase with one fixture and records the write phase's calls.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from ansible_collections.effective.wsl.plugins.action.hyperv_firewall_vm_setting import ActionModule

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "unit" / "fixtures" / "hyperv_firewall"
WSL = "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def make_action(args, read=None, write=None, check_mode=False, diff=False):
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
    replies = {"read": read or {}, "write": write or {}}
    action._execute_module = MagicMock(side_effect=lambda **call: replies[call["module_args"]["_phase"]])
    return action


def phases(action):
    return [call.kwargs["module_args"]["_phase"] for call in action._execute_module.call_args_list]


def write_calls(action):
    writes = [
        c.kwargs["module_args"]
        for c in action._execute_module.call_args_list
        if c.kwargs["module_args"]["_phase"] == "write"
    ]
    return [(call["cmdlet"], call["parameters"], call["fallback"]) for args in writes for call in args["_calls"]]


def test_clean_host_uses_set_because_wsl_registered_its_creator():
    # Issue example: Set-NetFirewallHyperVVMSetting -Name '{40E0AC32-...}' -DefaultInboundAction Allow. Nothing is in
    # the local store on a clean host, but WSL registered its creator: Set- is right, New- only its fallback.
    action = make_action(
        {"default_inbound_action": "allow"},
        read=fixture("vm_setting_read_clean_host.json"),
        write=fixture("vm_setting_write_inbound_allow.json"),
    )
    result = action.run(task_vars={})
    assert phases(action) == ["read", "write"]
    assert write_calls(action) == [
        (
            "Set-NetFirewallHyperVVMSetting",
            {"Name": WSL, "DefaultInboundAction": "Allow"},
            "New-NetFirewallHyperVVMSetting",
        )
    ]
    assert result["changed"] is True
    assert result["changed_keys"] == ["default_inbound_action"]
    assert result["creator_registered"] is True
    assert result["cmdlets"] == ["Set-NetFirewallHyperVVMSetting"]
    assert result["created"] == []
    assert result["vm_setting"]["default_inbound_action"] == "allow"
    assert result["effective"]["vm_setting"]["default_inbound_action"] == "allow"


def test_unregistered_creator_without_settings_uses_new():
    action = make_action({"loopback_enabled": True}, read=fixture("vm_setting_read_unregistered.json"), check_mode=True)
    result = action.run(task_vars={})
    assert phases(action) == ["read"]  # check mode never writes
    assert result["changed"] is True
    assert result["cmdlets"] == ["New-NetFirewallHyperVVMSetting"]
    assert result["created"] == ["NetFirewallHyperVVMSetting"]
    assert result["vm_setting"]["loopback_enabled"] is True


def test_allow_local_firewall_rules_goes_to_each_profile_in_check_mode():
    action = make_action(
        {"allow_local_firewall_rules": True, "vm_creator_id": "40e0ac32-46a5-438a-a0b2-2b479e8f2e90"},
        read=fixture("vm_setting_read_clean_host.json"),
        check_mode=True,
        diff=True,
    )
    result = action.run(task_vars={})
    assert result["cmdlets"] == ["Set-NetFirewallHyperVProfile"] * 3
    assert result["changed_keys"] == ["allow_local_firewall_rules"]
    assert result["diff"]["before"]["profiles"]["public"] is None
    assert result["diff"]["after"]["profiles"]["public"]["allow_local_firewall_rules"] is True
    assert "warnings" not in result


def test_a_missing_parameter_fails_before_any_write():
    # This host's Set-NetFirewallHyperVVMSetting lacks -AllowHostPolicyMerge (its documented syntax line):
    # the whole task is refused before the first write, not after the profile changes were made.
    action = make_action(
        {"allow_host_policy_merge": False, "default_inbound_action": "block", "allow_local_firewall_rules": True},
        read=fixture("vm_setting_read_configured.json"),
    )
    result = action.run(task_vars={})
    assert phases(action) == ["read"]
    assert result["failed"] is True
    assert result["msg"] == (
        "this Windows build cannot apply the request, nothing was changed: "
        "Set-NetFirewallHyperVVMSetting has no parameter -AllowHostPolicyMerge"
    )


def test_unchanged_values_make_no_call():
    action = make_action({"default_inbound_action": "BLOCK"}, read=fixture("vm_setting_read_configured.json"))
    result = action.run(task_vars={})
    assert phases(action) == ["read"]
    assert result["changed"] is False
    assert result["cmdlets"] == []


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
    ({"_phase": "write"}, ["unsupported option(s) _phase"]),
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
    action = make_action({}, read=fixture("vm_setting_read_configured.json"))
    result = action.run(task_vars={})
    assert result["changed"] is False
    assert "AllowLocalFirewallRules is False for the public profile" in result["warnings"][0]


def test_module_failure_is_passed_through():
    failure = {"failed": True, "msg": "Get-NetFirewallHyperVVMSetting is not available: ..."}
    result = make_action({"enabled": True}, read=failure).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == failure["msg"]


def test_write_failure_is_passed_through():
    failure = {"failed": True, "msg": "Set-NetFirewallHyperVVMSetting failed after 0 earlier change(s) were applied"}
    action = make_action(
        {"default_inbound_action": "allow"}, read=fixture("vm_setting_read_clean_host.json"), write=failure
    )
    result = action.run(task_vars={})
    assert phases(action) == ["read", "write"]
    assert result["failed"] is True
    assert result["msg"] == failure["msg"]
