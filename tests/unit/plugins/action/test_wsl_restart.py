"""effective.wsl.wsl_restart run by ansible-playbook on the local connection, with a stand-in wsl.exe on PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from ansible_collections.effective.wsl.plugins.action import wsl_restart as wsl_restart_action

REPO = Path(__file__).resolve().parents[4]

# Writes its argv and the WSL_* environment it got, then answers in UTF-16LE like inbox wsl.exe (wsl-reference §5.2).
FAKE_WSL_EXE = """#!/bin/sh
printf '%s\\n' "$*" "WSL_UTF8=${WSL_UTF8:-} WSLENV=${WSLENV:-}" > "$WSL_EXE_LOG"
printf 'D\\000o\\000n\\000e\\000\\r\\000\\n\\000'
"""

PLAYBOOK = """
- name: Exercise wsl_restart
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Restart
      effective.wsl.wsl_restart:
        required: "{{ required }}"
        policy: "{{ policy }}"
        distro: Debian
      register: restart_result
    - name: Summarize
      effective.wsl.wsl_restart:
        summarize: true
      register: summary_result
    - name: Write results
      ansible.builtin.copy:
        content: "{{ {'restart': restart_result, 'summary': summary_result} | to_json }}"
        dest: "{{ out }}"
        mode: "0644"
      check_mode: false
"""


def run_playbook(tmp_path: Path, extra_vars: dict, environ: dict[str, str], check: bool = False) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "wsl.exe"
    fake.write_text(FAKE_WSL_EXE)
    fake.chmod(0o755)
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK)
    out = tmp_path / "out.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("WSL")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        PATH=f"{bin_dir}:{os.path.dirname(sys.executable)}:{env.get('PATH', '')}",
        WSL_EXE_LOG=str(tmp_path / "wsl_exe.log"),
        **environ,
    )
    command = [
        os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
        "-i",
        "localhost,",
        "-c",
        "local",
        str(playbook),
        "-e",
        json.dumps({**extra_vars, "out": str(out)}),
    ]
    if check:
        command.append("--check")
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(out.read_text())


def test_runs_wsl_exe_with_utf8_env_and_decodes_utf16(tmp_path):
    results = run_playbook(tmp_path, {"required": ["none", "distro_terminate"], "policy": "auto"}, {})
    restart = results["restart"]
    assert restart["action"] == "run"
    assert restart["changed"] is True
    assert restart["controller_in_wsl"] is False
    assert restart["stdout"] == "Done\n"
    assert restart["rc"] == 0
    log = (tmp_path / "wsl_exe.log").read_text().splitlines()
    assert log == ["--terminate Debian", "WSL_UTF8=1 WSLENV=WSL_UTF8"]
    assert results["summary"]["action"] == "none"


def test_check_mode_does_not_run_wsl_exe(tmp_path):
    results = run_playbook(tmp_path, {"required": ["wsl_shutdown"], "policy": "now"}, {}, check=True)
    assert results["restart"]["changed"] is True
    assert results["restart"]["msg"] == "Check mode: would run wsl.exe --shutdown."
    assert not (tmp_path / "wsl_exe.log").exists()


def test_controller_in_wsl_defers_and_summary_reports_it_once(tmp_path):
    results = run_playbook(tmp_path, {"required": ["wsl_shutdown"], "policy": "auto"}, {"WSL_DISTRO_NAME": "Debian"})
    restart = results["restart"]
    assert (restart["action"], restart["changed"], restart["controller_affected"]) == ("defer", False, True)
    assert restart["ansible_facts"]["wsl_restart_deferred"]["restart"] == "wsl_shutdown"
    assert not (tmp_path / "wsl_exe.log").exists()
    summary = results["summary"]
    assert summary["restart"] == "wsl_shutdown"
    assert summary["msg"] == restart["msg"]
    assert "run in PowerShell or cmd on Windows: wsl.exe --shutdown" in summary["msg"]


@pytest.mark.parametrize("policy", ["never"])
def test_never_reports_without_running(tmp_path, policy):
    results = run_playbook(tmp_path, {"required": ["wsl_shutdown"], "policy": policy}, {})
    assert results["restart"]["action"] == "skip"
    assert results["restart"]["changed"] is False
    assert not (tmp_path / "wsl_exe.log").exists()


def test_check_mode_deferral_says_nothing_was_changed(tmp_path):
    results = run_playbook(
        tmp_path, {"required": ["distro_terminate"], "policy": "auto"}, {"WSL_DISTRO_NAME": "Debian"}, check=True
    )
    restart = results["restart"]
    assert restart["action"] == "defer"
    assert restart["msg"].startswith("Check mode, nothing was changed. If applied: WSL restart deferred: /etc/wsl.conf")
    assert results["summary"]["msg"].startswith("Check mode, nothing was changed. If applied: WSL restart deferred")
    assert "wsl.exe --terminate Debian" in results["summary"]["msg"]


# ----- the Windows branch, with a mocked WinRM connection (no Windows here)

WSL_PROC_VERSION = "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@x) #1 SMP"
NAT_ROUTE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01D018AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
)


class FakeWindowsRun:
    """Builds the action plugin on a WinRM-like connection and records the module it executes."""

    def __init__(self, monkeypatch, remote_addr, controller_files, environ, module_result=None):
        monkeypatch.setattr(wsl_restart_action, "_read_controller_file", controller_files.get)
        monkeypatch.setattr(wsl_restart_action.os, "environ", environ)
        self.calls = []
        self.module_result = module_result or {"rc": 0, "stdout": "", "stderr": ""}
        connection = mock.MagicMock()
        connection._shell.SHELL_FAMILY = "powershell"
        connection._shell.tmpdir = "C:\\tmp"
        connection.transport = "ansible.builtin.winrm"
        connection.get_option.side_effect = {"remote_addr": remote_addr}.__getitem__
        self.task = mock.MagicMock(async_val=0, check_mode=False, environment=[], action="effective.wsl.wsl_restart")
        self.action = wsl_restart_action.ActionModule(
            self.task, connection, mock.MagicMock(), mock.MagicMock(), mock.MagicMock()
        )
        self.action._execute_module = self._execute_module

    def _execute_module(self, module_name, module_args, task_vars):
        self.calls.append((module_name, module_args, [dict(item) for item in self.task.environment]))
        return self.module_result

    def run(self, **args):
        self.task.args = args
        return self.action.run(task_vars={"inventory_hostname": "ws1"})


def test_windows_target_runs_win_command_with_wsl_utf8_and_decodes_utf16(monkeypatch):
    utf16_as_text = "T\x00h\x00e\x00 \x00o\x00p\x00e\x00r\x00a\x00t\x00i\x00o\x00n\x00\r\x00\n\x00"
    run = FakeWindowsRun(monkeypatch, "ws1.corp.example", {}, {}, {"rc": 0, "stdout": utf16_as_text, "stderr": ""})
    result = run.run(required=["wsl_shutdown"])
    assert run.calls == [("ansible.windows.win_command", {"argv": ["wsl.exe", "--shutdown"]}, [{"WSL_UTF8": "1"}])]
    assert run.task.environment == []
    assert (result["action"], result["changed"], result["stdout"]) == ("run", True, "The operation\n")
    assert result["controller_in_wsl"] is False


def test_windows_target_reached_through_the_nat_gateway_defers(monkeypatch):
    files = {"/proc/version": WSL_PROC_VERSION, "/proc/net/route": NAT_ROUTE}
    run = FakeWindowsRun(monkeypatch, "172.24.208.1", files, {"WSL_DISTRO_NAME": "Ubuntu"})
    result = run.run(required=["wsl_shutdown"])
    assert run.calls == []
    assert (result["action"], result["changed"], result["controller_affected"]) == ("defer", False, True)
    assert result["ansible_facts"]["wsl_restart_deferred"]["command"] == "wsl.exe --shutdown"


def test_windows_target_reached_through_loopback_defers(monkeypatch):
    run = FakeWindowsRun(monkeypatch, "127.0.0.1", {"/proc/version": WSL_PROC_VERSION}, {})
    assert run.run(required=["wsl_shutdown"])["action"] == "defer"
    assert run.calls == []


def test_windows_target_address_given_by_wsl_facts_defers(monkeypatch):
    run = FakeWindowsRun(monkeypatch, "winhost", {"/proc/version": WSL_PROC_VERSION}, {})
    assert run.run(required=["wsl_shutdown"], windows_host_addresses=["winhost"])["action"] == "defer"


def test_another_windows_host_is_restarted_from_inside_wsl(monkeypatch):
    files = {"/proc/version": WSL_PROC_VERSION, "/proc/net/route": NAT_ROUTE}
    run = FakeWindowsRun(monkeypatch, "10.1.2.3", files, {"WSL_DISTRO_NAME": "Ubuntu"})
    result = run.run(required=["distro_terminate"], distro="Ubuntu")
    assert result["action"] == "run"
    assert run.calls[0][1] == {"argv": ["wsl.exe", "--terminate", "Ubuntu"]}


def test_failing_wsl_exe_reports_its_decoded_message(monkeypatch):
    message = "There is no distribution with the supplied name.\r\n".encode("utf-16-le").decode("latin-1")
    run = FakeWindowsRun(monkeypatch, "ws1", {}, {}, {"rc": 1, "stdout": message, "stderr": ""})
    result = run.run(required=["distro_terminate"], distro="Nope")
    assert result["failed"] is True
    assert result["msg"] == ("wsl.exe --terminate Nope failed (rc=1): There is no distribution with the supplied name.")
