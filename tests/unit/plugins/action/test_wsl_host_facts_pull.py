"""wsl_host_facts reads the pull records (effective.wsl.wsl_pull) from the user's profile: the action interprets them.

The raw ``pull_status`` is what wsl_host_facts.ps1 returns for the files it found (the file bytes are built by the
engine the callback effective.wsl.wsl_pull_status writes with).
"""

from __future__ import annotations

import base64
import copy
import json
import pathlib
from datetime import datetime, timezone
from unittest import mock

from ansible_collections.effective.wsl.plugins.action.wsl_host_facts import ActionModule
from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import build_record, dump_record

FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "wsl_host_facts" / "win11_nat.json"
FAILURES = [{"host": "localhost", "task": "Configure /etc/wsl.conf", "msg": "boom"}]
STATUS = build_record(
    started=datetime(2026, 12, 1, 8, 1, 40, tzinfo=timezone.utc),
    finished=datetime(2026, 12, 1, 8, 2, 11, tzinfo=timezone.utc),
    distro="Ubuntu",
    ref="v1.4.0",
    commit=None,
    stats={"ok": 12, "failed": 1},
    failures=FAILURES,
    restarts=[],
    restart_policy="auto",
    facts={"version": 2, "networking": {"mode": "nat"}},
)


def run_action(raw_changes: dict) -> dict:
    module_result = json.loads(FIXTURE.read_text())
    module_result["raw"] = copy.deepcopy(module_result["raw"]) | raw_changes
    task = mock.MagicMock(args={}, async_val=0, check_mode=False, diff=False)
    connection = mock.MagicMock()
    connection._shell.SHELL_FAMILY = "powershell"
    action = ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = mock.MagicMock(return_value=module_result)
    with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
        return action.run(task_vars={})["ansible_facts"]["wsl_host"]


def test_records_found_become_facts():
    content = base64.b64encode(dump_record(STATUS)).decode()
    directory = "C:\\Users\\alice\\AppData\\Local\\effective.wsl\\pull"
    files = [{"name": "status-Ubuntu.json", "content_base64": content}]
    pull = run_action({"pull_status": {"dir": directory, "files": files}})["pull"]
    assert (pull["dir"], pull["last_run"], pull["failed"], pull["pending_restart"]) == (
        directory,
        "2026-12-01T08:02:11Z",
        True,
        "none",
    )
    assert pull["distros"][0]["failures"] == FAILURES
    assert pull["distros"][0]["facts"]["networking_mode"] == "nat"


def test_no_pull_directory_gives_null():
    assert run_action({"pull_status": None})["pull"] is None


def test_a_module_without_the_read_gives_null():
    assert run_action({})["pull"] is None


def test_winrm_cmd_shell_is_a_windows_target():
    """ansible-core 2.21's winrm connection uses the cmd shell; the Windows actions must not refuse it."""
    from ansible.plugins.shell.cmd import ShellModule as CmdShell
    from ansible.plugins.shell.sh import ShellModule as ShShell

    from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import is_windows_connection

    assert is_windows_connection(mock.MagicMock(_shell=CmdShell())) is True
    assert is_windows_connection(mock.MagicMock(_shell=ShShell())) is False
