"""effective.wsl.wsl_restart run by ansible-playbook on the local connection, with a stand-in wsl.exe on PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]

# Writes its argv and the WSL_* environment it got, then answers in UTF-16LE like inbox wsl.exe
# (microsoft/WSL src/windows/common/WslClient.cpp).
FAKE_WSL_EXE = """#!/bin/sh
printf '%s\\n' "$*" "WSL_UTF8=${WSL_UTF8:-} WSLENV=${WSLENV:-}" > "$WSL_EXE_LOG"
printf 'D\\000o\\000n\\000e\\000\\r\\000\\n\\000'
"""

SUMMARY_TASKS = """
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

PLAYBOOK = (
    """
- name: Exercise wsl_restart
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Restart
      effective.wsl.wsl_restart:
        required: "{{ required }}"
        policy: "{{ policy }}"
        distro: Debian
        report: "{{ report | default(false) }}"
      register: restart_result"""
    + SUMMARY_TASKS
)


def run_playbook(
    tmp_path: Path,
    extra_vars: dict,
    environ: dict[str, str],
    check: bool = False,
    playbook_text: str = PLAYBOOK,
    inventory: list[str] | None = None,
) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "wsl.exe"
    fake.write_text(FAKE_WSL_EXE)
    fake.chmod(0o755)
    playbook = tmp_path / "play.yml"
    playbook.write_text(playbook_text)
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
        *(["-i", "localhost,", "-c", "local"] if inventory is None else inventory),
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
    assert results["restart"]["msg"] == "Check mode: would run wsl.exe --shutdown on the Windows host of localhost."
    assert not (tmp_path / "wsl_exe.log").exists()


def test_controller_in_wsl_defers_and_summary_reports_it_once(tmp_path):
    results = run_playbook(tmp_path, {"required": ["wsl_shutdown"], "policy": "auto"}, {"WSL_DISTRO_NAME": "Debian"})
    restart = results["restart"]
    assert (restart["action"], restart["changed"], restart["controller_affected"]) == ("defer", False, True)
    [record] = restart["ansible_facts"]["wsl_restart_records"]
    assert (record["restart"], record["action"], record["host_key"]) == ("wsl_shutdown", "defer", "controller")
    assert not (tmp_path / "wsl_exe.log").exists()
    summary = results["summary"]
    assert summary["restart"] == "wsl_shutdown"
    assert summary["msg"].count("wsl.exe --shutdown") == 1
    assert (
        "- in PowerShell on this controller's Windows host: wsl.exe --shutdown - .wslconfig changed" in summary["msg"]
    )


def test_never_reports_without_running_and_the_summary_lists_it(tmp_path):
    results = run_playbook(tmp_path, {"required": ["wsl_shutdown"], "policy": "never"}, {})
    assert results["restart"]["action"] == "skip"
    assert results["restart"]["changed"] is False
    assert not (tmp_path / "wsl_exe.log").exists()
    summary = results["summary"]
    assert summary["action"] == "defer"
    assert "wsl.exe --shutdown" in summary["msg"]
    assert "Not run because restart policy 'never'." in summary["msg"]


@pytest.mark.parametrize(
    ("policy", "environ", "report", "warned"),
    [
        ("never", {}, True, True),
        ("auto", {"WSL_DISTRO_NAME": "Debian"}, True, True),
        ("never", {}, False, False),
        ("auto", {}, True, False),  # run: nothing is left to do, nothing to report
    ],
)
def test_report_returns_a_deferred_or_skipped_restart_as_the_tasks_warning(tmp_path, policy, environ, report, warned):
    results = run_playbook(tmp_path, {"required": ["distro_terminate"], "policy": policy, "report": report}, environ)
    restart = results["restart"]
    assert restart["action"] == {"never": "skip", "auto": "defer" if environ else "run"}[policy]
    assert restart.get("warnings", []) == ([restart["msg"]] if warned else [])


def test_check_mode_deferral_says_nothing_was_changed(tmp_path):
    results = run_playbook(
        tmp_path, {"required": ["distro_terminate"], "policy": "auto"}, {"WSL_DISTRO_NAME": "Debian"}, check=True
    )
    restart = results["restart"]
    assert restart["action"] == "defer"
    assert restart["msg"].startswith("Check mode, nothing was changed. If applied: WSL restart deferred: /etc/wsl.conf")
    assert results["summary"]["msg"].startswith("Check mode, nothing was run. WSL restarts still to do (1).")
    assert "wsl.exe --terminate Debian" in results["summary"]["msg"]


IMPLICIT_LOCALHOST_PLAYBOOK = PLAYBOOK.replace("hosts: localhost", "hosts: localhost\n  connection: local")


def test_implicit_localhost_deferral_reaches_the_summary(tmp_path):
    """hosts: localhost with no inventory at all: the implicit localhost is not among the inventory's hosts."""
    results = run_playbook(
        tmp_path,
        {"required": ["wsl_shutdown"], "policy": "auto"},
        {"WSL_DISTRO_NAME": "Debian"},
        playbook_text=IMPLICIT_LOCALHOST_PLAYBOOK,
        inventory=[],
    )
    assert results["restart"]["action"] == "defer"
    assert results["summary"]["action"] == "defer"
    assert "wsl.exe --shutdown" in results["summary"]["msg"]


TWO_RESTARTS_PLAYBOOK = (
    """
- name: A .wslconfig change, then a wsl.conf change, both deferred
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Shutdown
      effective.wsl.wsl_restart:
        required: [wsl_shutdown]
    - name: Terminate
      effective.wsl.wsl_restart:
        required: [distro_terminate]
      register: restart_result"""
    + SUMMARY_TASKS
)


def test_a_deferred_shutdown_is_kept_when_a_terminate_follows(tmp_path):
    results = run_playbook(tmp_path, {}, {"WSL_DISTRO_NAME": "Debian"}, playbook_text=TWO_RESTARTS_PLAYBOOK)
    assert [record["restart"] for record in results["restart"]["ansible_facts"]["wsl_restart_records"]] == [
        "wsl_shutdown",
        "distro_terminate",
    ]
    summary = results["summary"]
    assert summary["restart"] == "wsl_shutdown"
    assert [item["commands"] for item in summary["pending"]] == [["wsl.exe --shutdown"]]
    assert "It also applies /etc/wsl.conf of Debian." in summary["msg"]
