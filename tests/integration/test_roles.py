"""The roles' argument specs reject bad input before any task runs; every playbook passes --syntax-check.

These run ansible-playbook on the local connection and need no simulator: argument validation is the first task of
each role, so nothing on the machine is touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
PLAYBOOKS = [
    REPO / "playbooks" / "site.yml",
    *sorted((REPO / "extensions" / "molecule").glob("*/*.yml")),
]
PLAYBOOKS = [path for path in PLAYBOOKS if path.name not in ("molecule.yml", "inventory.yml")]


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        PATH=f"{os.path.dirname(sys.executable)}:{env.get('PATH', '')}",
    )
    return env


def run_role(tmp_path: Path, role: str, role_vars: dict) -> subprocess.CompletedProcess:
    playbook = tmp_path / "role.yml"
    playbook.write_text(
        "- name: Apply one role\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  roles:\n"
        f"    - role: effective.wsl.{role}\n"
        f"      vars: {json.dumps(role_vars)}\n"
    )
    command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", "-c", "local", str(playbook)]
    return subprocess.run(command, env=ansible_env(), capture_output=True, text=True, check=False, timeout=120)


BAD_INPUT = [
    pytest.param(
        "wsl_host",
        {"wsl_host_networking_mode": "mirorred"},
        "value of wsl_host_networking_mode must be one of: , nat, mirrored, virtioproxy, consomme, none, got: mirorred",
        id="networking_mode-typo",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_restart_policy": "later"},
        "value of wsl_host_restart_policy must be one of: auto, now, never, got: later",
        id="host-restart_policy",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_firewall_rules": [{"display_name": "no name", "protocol": "TCP"}]},
        "missing required arguments: name found in wsl_host_firewall_rules",
        id="firewall-rule-without-name",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_firewall_vm_setting": {"default_inbound_action": "open"}},
        "value of default_inbound_action must be one of: allow, block, not_configured, got: open found in "
        "wsl_host_firewall_vm_setting",
        id="vm-setting-choice",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_symlinks": [{"src": "C:\\work"}]},
        "missing required arguments: dest found in wsl_distro_symlinks",
        id="symlink-without-dest",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_symlinks": [{"src": "/a", "dest": "~/a", "state": "present"}]},
        "value of state must be one of: link, absent, got: present found in wsl_distro_symlinks",
        id="symlink-state",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_conf_settings": ["boot"]},
        "argument 'wsl_distro_conf_settings' is of type list and we were unable to convert to dict",
        id="conf-settings-not-dict",
    ),
    pytest.param(
        "wsl_ca_trust",
        {"wsl_ca_trust_select": {"subjects": ["CN=Corp*"]}},
        "wsl_ca_trust_select.subjects. Supported parameters include: issuer, subject, thumbprints",
        id="ca-select-typo",
    ),
    pytest.param(
        "wsl_ca_trust",
        {"wsl_ca_trust_state": "latest"},
        "value of wsl_ca_trust_state must be one of: present, absent, exact, got: latest",
        id="ca-state",
    ),
]


@pytest.mark.parametrize(("role", "role_vars", "expected"), BAD_INPUT)
def test_bad_role_input_fails_in_argument_validation(tmp_path, role, role_vars, expected):
    completed = run_role(tmp_path, role, role_vars)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 2, output
    assert "Validation of arguments failed" in output, output
    assert expected in output, output
    # Validation is the first task: no task of the role ran.
    assert "Gather WSL facts" not in output


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=lambda path: str(path.relative_to(REPO)))
def test_playbook_syntax(playbook):
    inventory = REPO / "playbooks" / "inventory"
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), "--syntax-check", str(playbook)]
    completed = subprocess.run(command, env=ansible_env(), capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
