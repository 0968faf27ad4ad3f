"""playbooks/fleet_report.yml end to end against bench/fakewin.py's stand-in Windows hosts (no WinRM is opened).

The hosts use the winrm connection as docs/fleet.md does: from ansible-core 2.21 its shell is cmd, which the
Windows actions must accept (plugins/plugin_utils/_windows_action.py).

Three hosts: one that has never pulled, one whose profile holds a failed pull record, one that does not answer.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import build_record, dump_record
from ansible_collections.effective.wsl.tests.unit.plugins.fakewin_run import REPO, run_playbook, save_fake_state

PLAYBOOK = REPO / "playbooks" / "fleet_report.yml"
INVENTORY = """
[wsl_windows]
ws-new ansible_host=192.0.2.11
ws-failed ansible_host=192.0.2.12
ws-gone ansible_host=ws-gone.invalid

[wsl_windows:vars]
ansible_connection=winrm
ansible_port=5986
ansible_user=fleet
ansible_password=not-used
ansible_winrm_transport=ntlm
"""
STATUS_PATH = "c:\\users\\alice\\appdata\\local\\effective.wsl\\pull\\status-ubuntu.json"


def failed_record() -> bytes:
    now = datetime.now(timezone.utc)
    record = build_record(
        started=now,
        finished=now,
        distro="Ubuntu",
        ref="v1.4.0",
        commit=None,
        stats={"ok": 3, "failed": 1},
        failures=[{"host": "localhost", "task": "Install the CA", "msg": "no space left"}],
        restarts=[],
        restart_policy="auto",
        facts=None,
    )
    return dump_record(record)


def test_report_lists_every_host_with_its_state(tmp_path):
    save_fake_state(
        tmp_path,
        "192.0.2.12",
        {"files": {STATUS_PATH: base64.b64encode(failed_record()).decode()}, "applied": [], "uploads": {}},
    )
    run, tasks = run_playbook(tmp_path, PLAYBOOK, INVENTORY, {"wsl_fleet_report_dir": str(tmp_path / "out")})
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((tmp_path / "out" / "wsl-fleet.json").read_text())
    states = {row["host"]: row["state"] for row in report["hosts"]}
    assert states == {"ws-gone": "unreachable", "ws-failed": "pull failed", "ws-new": "never pulled"}
    failed = next(row for row in report["hosts"] if row["host"] == "ws-failed")
    assert failed["failures"] == ["Ubuntu: Install the CA: no space left"]
    assert (failed["networking_mode"], failed["wsl_version"]) == ("nat", "2.6.1")
    gone = next(row for row in report["hosts"] if row["host"] == "ws-gone")
    assert "does not resolve" in gone["reason"]

    page = (tmp_path / "out" / "wsl-fleet.html").read_text()
    assert all(f">{host}<" in page for host in states)
    result = next(task for task in tasks if task["task"] == "Write the fleet report")
    assert result["msg"] == "3 hosts: 1 unreachable, 1 pull failed, 1 never pulled"


def test_check_mode_writes_nothing(tmp_path):
    run, tasks = run_playbook(tmp_path, PLAYBOOK, INVENTORY, {"wsl_fleet_report_dir": str(tmp_path / "out")}, True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "out").exists()
    result = next(task for task in tasks if task["task"] == "Write the fleet report")
    assert result["msg"].startswith("Check mode, nothing written. 3 hosts")
