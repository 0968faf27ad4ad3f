"""The callback effective.wsl.wsl_pull_status, enabled in a real ansible-playbook run on the local connection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Stand in for wsl_facts
      ansible.builtin.set_fact:
        wsl: {is_wsl: true, version: 2, kernel: 6.6.87.2-microsoft-standard-WSL2,
              networking: {mode: mirrored, windows_host_address: 127.0.0.1, dns_tunneling: true}}

    - name: Change wsl.conf
      effective.wsl.wsl_config:
        path: "{{ conf }}"
        type: wslconf
        settings: {boot: {systemd: true}}
      notify: restart

    - name: A failure that is ignored
      ansible.builtin.command: /bin/false
      changed_when: false
      ignore_errors: true

    - name: Fail on purpose
      ansible.builtin.fail:
        msg: "stop here: {{ stop }}"
      when: stop | bool

  handlers:
    - name: restart
      effective.wsl.wsl_restart:
        required: [distro_terminate]
        policy: never
        distro: Ubuntu
"""


def pull(tmp_path: Path, stop: bool = False, check: bool = False, **environ) -> subprocess.CompletedProcess:
    playbook = tmp_path / "local.yml"
    playbook.write_text(PLAYBOOK)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("WSL", "EFFECTIVE_WSL"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_CALLBACKS_ENABLED="effective.wsl.wsl_pull_status",
        WSL_DISTRO_NAME="Ubuntu",
        EFFECTIVE_WSL_PULL_STATUS_DIR=str(tmp_path / "status"),
        EFFECTIVE_WSL_PULL_REF="v1.4.0",
    )
    env.update(environ)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local"]
    command += [str(playbook), "-e", json.dumps({"conf": str(tmp_path / "wsl.conf"), "stop": stop})]
    if check:
        command.append("--check")
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)


def status(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "status" / "status-Ubuntu.json").read_text())


def test_converged_run_records_counts_restart_and_facts(tmp_path):
    run = pull(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    record = status(tmp_path)
    assert (record["result"], record["changed"], record["failed"], record["failures"]) == ("changed", 1, 0, [])
    assert record["ref"] == "v1.4.0" and record["distro"] == "Ubuntu"
    assert record["restart"] == {
        "required": "distro_terminate",
        "command": ["wsl.exe", "--terminate", "Ubuntu"],
        "policy": "auto",
    }
    assert record["facts"]["networking_mode"] == "mirrored"
    assert "wsl_pull_status: changed, restart distro_terminate" in run.stdout

    again = pull(tmp_path)
    assert again.returncode == 0
    assert (status(tmp_path)["result"], status(tmp_path)["restart"]["required"]) == ("ok", "none")


def test_failed_run_records_the_failure_and_the_restart_its_handler_never_decided(tmp_path):
    run = pull(tmp_path, stop=True, EFFECTIVE_WSL_PULL_RESTART_POLICY="never")
    assert run.returncode == 2, run.stdout + run.stderr
    record = status(tmp_path)
    assert (record["result"], record["failed"]) == ("failed", 1)
    assert record["failures"] == [{"host": "localhost", "task": "Fail on purpose", "msg": "stop here: True"}]
    assert record["restart"]["required"] == "distro_terminate" and record["restart"]["policy"] == "never"


def test_check_mode_writes_nothing(tmp_path):
    run = pull(tmp_path, check=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "status").exists()
    assert "check mode, no status record written" in run.stdout


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"EFFECTIVE_WSL_PULL_STATUS_DIR": ""}, "status_dir is not set"),
        ({"WSL_DISTRO_NAME": ""}, "no status record written: distro: the distro name is empty"),
    ],
)
def test_missing_settings_warn_and_the_run_still_succeeds(tmp_path, environ, message):
    run = pull(tmp_path, **environ)
    assert run.returncode == 0, run.stdout + run.stderr
    assert message in " ".join(run.stderr.split())  # ansible-core 2.16 wraps warnings at the terminal width
    assert not (tmp_path / "status").exists()
