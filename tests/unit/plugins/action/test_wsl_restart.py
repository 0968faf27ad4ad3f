"""effective.wsl.wsl_restart run by ansible-playbook on the local connection, with a stand-in wsl.exe on PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
