"""The hyperv_firewall_rule action plugin: validation before the host, exact .ps1 arguments, result shaping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from ansible_collections.effective.wsl.plugins.action.hyperv_firewall_rule import ActionModule

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "unit" / "fixtures" / "hyperv_firewall"
PS1 = REPO / "plugins" / "modules" / "hyperv_firewall_rule.ps1"
WSL = "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"


def make_action(args, module_result=None, check_mode=False, diff=False):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.diff = diff
    task.action = "effective.wsl.hyperv_firewall_rule"
    connection = MagicMock()
    connection._shell.tmpdir = "/remote/tmp"
    connection._shell.SHELL_FAMILY = "powershell"
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = MagicMock(return_value=module_result or {})
    return action


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def new_rule_parameters(module_args):
    """The parameters hyperv_firewall_rule.ps1 splats into New-NetFirewallHyperVRule for a missing rule:
    -Name, then _create_properties, then _properties on top (see the create branch of the .ps1)."""
    return {"Name": module_args["name"], **module_args["_create_properties"], **module_args["_properties"]}


def test_ps1_create_branch_is_the_one_modelled_above():
    # Keeps new_rule_parameters honest: the .ps1 builds exactly that splat, in that order.
    source = PS1.read_text()
    create = source.index("$parameters = @{ Name = $name }")
    assert create < source.index("foreach ($entry in $createProperties.GetEnumerator())", create)
    assert source.index("foreach ($entry in $createProperties.GetEnumerator())", create) < source.index(
        "foreach ($entry in $desired.GetEnumerator())", create
    )
    assert "@{ cmdlet = 'New-NetFirewallHyperVRule'; parameters = $parameters }" in source
    # Every call goes through one loop, after every planned call was checked against the host's cmdlets.
    probe = source.index("$absent = @($call.parameters.Keys")
    assert probe < source.index("& $call.cmdlet @parameters -WhatIf:$module.CheckMode -ErrorAction Stop")
    code_lines = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    removals = [line.strip() for line in code_lines if "Remove-NetFirewallHyperVRule" in line]
    assert removals == [
        "$null = $calls.Add(@{ cmdlet = 'Remove-NetFirewallHyperVRule'; parameters = @{ Name = $name } })"
    ]


def test_issue_example_new_rule_arguments():
    # New-NetFirewallHyperVRule -Name "MyWebServer" -DisplayName "My Web Server" -Direction Inbound
    #   -VMCreatorId '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' -Protocol TCP -LocalPorts 80
    action = make_action(
        {
            "name": "MyWebServer",
            "display_name": "My Web Server",
            "direction": "inbound",
            "protocol": "tcp",
            "local_ports": [80],
        },
        module_result=fixture("rule_create_mywebserver.json"),
    )
    result = action.run(task_vars={})
    action._execute_module.assert_called_once()
    call = action._execute_module.call_args.kwargs
    assert call["module_name"] == "effective.wsl.hyperv_firewall_rule"
    module_args = call["module_args"]
    assert module_args["name"] == "MyWebServer"
    assert module_args["state"] == "present"
    assert new_rule_parameters(module_args) == {
        "Name": "MyWebServer",
        "DisplayName": "My Web Server",
        "Direction": "Inbound",
        "VMCreatorId": WSL,
        "Protocol": "TCP",
        "LocalPorts": ["80"],
    }
    # Enforced on an existing rule: what the user gave, plus the creator (never "every VM creator").
    assert set(module_args["_properties"]) == {"DisplayName", "Direction", "VMCreatorId", "Protocol", "LocalPorts"}
    assert result["changed"] is True
    assert result["operation"] == "create"
    assert result["rule"]["local_ports"] == ["80"]
    assert result["enforcement_status"] == "NoApplicablePorts"


def test_every_wire_value_is_a_string_or_list_of_strings():
    action = make_action(
        {
            "name": "x",
            "enabled": True,
            "protocol": 6,
            "local_ports": [80, 443],
            "remote_addresses": ["10.0.0.0/8"],
            "profiles": ["public"],
        },
        module_result=fixture("rule_unchanged.json"),
    )
    action.run(task_vars={})
    properties = action._execute_module.call_args.kwargs["module_args"]["_properties"]
    for value in properties.values():
        assert isinstance(value, str) or all(isinstance(item, str) for item in value)
    assert properties["Enabled"] == "True"  # the enum string, not a boolean (Set-NetFirewallHyperVRule help)


BAD_INPUTS = [
    ({"local_ports": [0], "protocol": "tcp"}, ["local_ports", "0", "1-65535"]),
    ({"local_ports": [65536], "protocol": "tcp"}, ["local_ports", "65536", "1-65535"]),
    ({"local_ports": ["80-"], "protocol": "tcp"}, ["local_ports", "'80-'", "1-65535"]),
    ({"local_ports": ["90-80"], "protocol": "tcp"}, ["local_ports", "'90-80'", "range starts above its end"]),
    ({"local_ports": ["http"], "protocol": "tcp"}, ["local_ports", "'http'", "1-65535"]),
    ({"protocol": "tpc"}, ["protocol", "'tpc'", "tcp, udp, icmpv4, icmpv6, any"]),
    ({"protocol": "icmpv4", "local_ports": [256]}, ["local_ports", "256", "ICMP types 0-255"]),
    ({"protocol": "icmpv6", "remote_ports": [1]}, ["remote_ports", "ICMPv6", "ICMP types go in local_ports"]),
    ({"protocol": "any", "remote_ports": [80]}, ["remote_ports", "'any'", "only valid with protocol tcp or udp"]),
    ({"vm_creator_id": "{40E0AC32-46A5-438A-A0B2}"}, ["vm_creator_id", "{40E0AC32-46A5-438A-A0B2}", "8-4-4-4-12"]),
    ({"vm_creator_id": "not-a-guid"}, ["vm_creator_id", "'not-a-guid'", "GUID"]),
    ({"remote_addresses": ["300.1.1.1"]}, ["remote_addresses", "'300.1.1.1'", "IPv4/IPv6 address"]),
    ({"local_addresses": ["10.0.0.0/33"]}, ["local_addresses", "'10.0.0.0/33'", "CIDR subnet"]),
    ({"direction": "inboud"}, ["direction", "'inboud'", "inbound, outbound"]),
    ({"action": "allwo"}, ["action", "'allwo'", "allow, block"]),
    ({"name": ""}, ["name", "''", "non-empty string"]),
    ({"name": "WslCore-Allow-Inbound-ICMPv4-1-{x}"}, ["name", "WslCore", "belong to WSL itself"]),
    ({"name": "*"}, ["name", "'*'", "wildcard"]),
    ({"name": "web`1"}, ["name", "'web`1'", "escape character(s) `"]),
    ({"state": "absent", "protocol": "tcp"}, ["state=absent", "protocol"]),
    ({"profiles": ["home"]}, ["profiles", "'home'", "any, domain, private, public"]),
    ({"enabled": "perhaps"}, ["enabled", "'perhaps'", "true or false"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD_INPUTS)
def test_bad_input_fails_before_the_host(options, fragments):
    action = make_action({"name": "MyWebServer", **options})
    result = action.run(task_vars={})
    assert result["failed"] is True
    for fragment in fragments:
        assert fragment in result["msg"]
    action._execute_module.assert_not_called()


def test_module_failure_is_passed_through():
    failure = {"failed": True, "msg": "Failed to present the Hyper-V firewall rule 'x': Access is denied."}
    action = make_action({"name": "x"}, module_result=failure)
    result = action.run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == failure["msg"]
    assert "rule" not in result


def test_check_mode_and_diff():
    action = make_action(
        {"name": "MyWebServer", "protocol": "tcp", "local_ports": [443, 80]},
        module_result=fixture("rule_update_ports.json"),
        check_mode=True,
        diff=True,
    )
    result = action.run(task_vars={})
    assert result["changed"] is True
    assert result["changed_keys"] == ["local_ports"]
    assert result["diff"]["before"]["local_ports"] == ["80"]
    assert result["diff"]["after"]["local_ports"] == ["80", "443"]
    assert action._execute_module.call_args.kwargs["module_args"]["_properties"]["LocalPorts"] == ["80", "443"]


def test_absent_sends_only_name_and_state():
    action = make_action({"name": "MyWebServer", "state": "absent"}, module_result=fixture("rule_remove.json"))
    result = action.run(task_vars={})
    assert action._execute_module.call_args.kwargs["module_args"] == {"name": "MyWebServer", "state": "absent"}
    assert result["operation"] == "remove"
    assert result["rule"] is None


def test_action_is_resolved_by_ansible_and_fails_before_the_host(tmp_path):
    """ansible-playbook finds the action plugin by its FQCN; bad input never reaches a connection."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Bad port
      effective.wsl.hyperv_firewall_rule:
        name: MyWebServer
        protocol: tcp
        local_ports: [65536]
      register: bad_port
      ignore_errors: true
    - name: Save
      ansible.builtin.copy:
        content: "{{ bad_port | to_json }}"
        dest: "{{ out }}"
        mode: "0644"
"""
    )
    out = tmp_path / "out.json"
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        PATH=f"{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}",
    )
    completed = subprocess.run(
        [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-i",
            "localhost,",
            "-c",
            "local",
            str(playbook),
            "-e",
            f"out={out}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(out.read_text())
    assert result["failed"] is True
    assert result["msg"] == (
        "local_ports: 65536 (int): port 65536 is out of range; expected a port 1-65535, a range 'low-high' or 'any'"
    )


def test_posix_connection_is_refused_before_the_module_runs():
    action = make_action({"name": "MyWebServer", "display_name": "My Web Server"})
    action._connection._shell.SHELL_FAMILY = "sh"
    action._connection.transport = "ssh"
    result = action.run(task_vars={})
    assert result["failed"]
    assert result["msg"].startswith("effective.wsl.hyperv_firewall_rule runs on the Windows host")
    assert "not over 'ssh'" in result["msg"]
    action._execute_module.assert_not_called()


@pytest.mark.parametrize(
    ("elevated", "refused"), [(False, "is not elevated"), (None, "could not be checked"), (True, None)]
)
def test_interop_session_must_be_elevated(elevated, refused):
    action = make_action(
        {"name": "effective-wsl-dev-http", "state": "absent"}, module_result=fixture("rule_remove.json")
    )
    action._connection.transport = "effective.wsl.interop"
    action._connection.session_is_elevated.return_value = elevated
    result = action.run(task_vars={})
    if refused:
        assert result["failed"] and refused in result["msg"]
        assert "effective.wsl.hyperv_firewall_rule needs an elevated" in result["msg"] and "WinRM" in result["msg"]
        action._execute_module.assert_not_called()
    else:
        assert not result.get("failed"), result
        action._execute_module.assert_called_once()


def test_other_connections_are_not_probed():
    action = make_action(
        {"name": "effective-wsl-dev-http", "state": "absent"}, module_result=fixture("rule_remove.json")
    )
    action._connection.transport = "ansible.builtin.winrm"
    action.run(task_vars={})
    action._connection.session_is_elevated.assert_not_called()
    action._execute_module.assert_called_once()
