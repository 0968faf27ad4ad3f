"""effective.wsl.wsl_pull_task and the role effective.wsl.wsl_pull against bench/fakewin.py's stand-in Windows host.

The stand-in keeps each registered task's arguments and the copied files, so a second run shows idempotence; the
arguments it received are compared with the engine's (tests/unit/plugins/plugin_utils/test__pulltask.py pins those).
"""

from __future__ import annotations

import base64
from pathlib import Path
from unittest import mock

from ansible_collections.effective.wsl.plugins.action.wsl_pull_task import ActionModule
from ansible_collections.effective.wsl.plugins.plugin_utils._pulltask import task_arguments, validate
from ansible_collections.effective.wsl.tests.unit.plugins.fakewin_run import REPO, fake_state, run_playbook

INVENTORY = """
[wsl_windows]
ws-0001 ansible_host=192.0.2.21 ansible_connection=psrp ansible_user=fleet ansible_password=not-used
"""
PLAYBOOK = """
- name: Pull mode
  hosts: wsl_windows
  gather_facts: false
  roles:
    - role: effective.wsl.wsl_pull
      vars:
        wsl_pull_users: ['CORP\\alice', 'CORP\\bob']
        wsl_pull_distros: [Ubuntu]
        wsl_pull_url: https://git.corp.example/platform/wsl-config.git
        wsl_pull_ref: v1.4.0
        wsl_pull_state: "{{ state | default('present') }}"
"""


def playbook(tmp_path: Path) -> Path:
    path = tmp_path / "pull.yml"
    path.write_text(PLAYBOOK)
    return path


def changed(tasks: list[dict]) -> list[str]:
    """'task: item' of every changed loop item."""
    return [f"{task['task']}: {item['item']}" for task in tasks for item in task.get("results", []) if item["changed"]]


def test_role_registers_one_task_per_user_and_is_idempotent(tmp_path):
    run, tasks = run_playbook(tmp_path, playbook(tmp_path), INVENTORY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(changed(tasks)) == 4  # two scripts, two tasks
    state = fake_state(tmp_path, "192.0.2.21")
    stored = state["scheduled_tasks"]
    assert sorted(stored) == ["\\effective.wsl\\wsl_pull-corp_alice", "\\effective.wsl\\wsl_pull-corp_bob"]
    expected = task_arguments(
        validate(
            {
                "user": "CORP\\alice",
                "distros": ["Ubuntu"],
                "url": "https://git.corp.example/platform/wsl-config.git",
                "ref": "v1.4.0",
                "playbook": "local.yml",
                "restart_policy": "auto",
                "ansible_core": "ansible-core>=2.16",
                "script_dir": "C:\\Program Files\\effective.wsl\\pull",
                "task_path": "\\effective.wsl\\",
                "daily_at": "12:30",
                "random_delay": "PT30M",
                "logon_delay": "PT2M",
                "time_limit": "PT1H",
                "state": "present",
            }
        )
    )
    assert stored["\\effective.wsl\\wsl_pull-corp_alice"] == expected
    script = REPO / "roles" / "wsl_pull" / "files" / "wsl_pull.sh"
    copied = state["files"]["c:\\program files\\effective.wsl\\pull\\wsl_pull.sh"]
    assert base64.b64decode(copied) == script.read_bytes()

    again, tasks = run_playbook(tmp_path, playbook(tmp_path), INVENTORY)
    assert again.returncode == 0, again.stdout + again.stderr
    assert changed(tasks) == []


def test_check_mode_registers_nothing(tmp_path):
    run, _tasks = run_playbook(tmp_path, playbook(tmp_path), INVENTORY, check=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert fake_state(tmp_path, "192.0.2.21").get("scheduled_tasks", {}) == {}


def test_role_without_users_stops_before_touching_the_host(tmp_path):
    path = tmp_path / "pull.yml"
    path.write_text("".join(line for line in PLAYBOOK.splitlines(keepends=True) if "wsl_pull_users" not in line))
    assert "wsl_pull_users" not in path.read_text()
    run, _tasks = run_playbook(tmp_path, path, INVENTORY)
    assert run.returncode != 0
    assert "missing required arguments: wsl_pull_users" in run.stdout + run.stderr
    assert fake_state(tmp_path, "192.0.2.21") == {"files": {}, "applied": [], "uploads": {}}


def test_absent_removes_the_tasks(tmp_path):
    run_playbook(tmp_path, playbook(tmp_path), INVENTORY)
    run, tasks = run_playbook(tmp_path, playbook(tmp_path), INVENTORY, {"state": "absent"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert fake_state(tmp_path, "192.0.2.21")["scheduled_tasks"] == {}
    assert len(changed(tasks)) == 2


def action(args: dict, windows: bool = True) -> ActionModule:
    task = mock.MagicMock(args=args, async_val=0, check_mode=False, diff=False)
    connection = mock.MagicMock()
    connection._shell.SHELL_FAMILY = "cmd" if windows else "sh"
    connection.transport = "winrm" if windows else "ssh"
    plugin = ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    plugin._execute_module = mock.MagicMock(return_value={"changed": True})
    return plugin


def test_action_runs_win_scheduled_task_with_the_engine_arguments():
    args = {"user": "alice", "distros": ["Ubuntu"], "url": "https://git.corp/x.git", "ref": "v1"}
    plugin = action(args)
    with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
        result = plugin.run(task_vars={})
    plugin._execute_module.assert_called_once_with(
        module_name="community.windows.win_scheduled_task", module_args=task_arguments(validate(args)), task_vars={}
    )
    assert result["task_name"] == "\\effective.wsl\\wsl_pull-alice"
    assert result["command_line"].startswith("-NoProfile -NonInteractive -ExecutionPolicy Bypass")


def test_action_refuses_bad_input_before_contacting_the_host():
    plugin = action({"user": "alice", "distros": ["Ubuntu"], "url": "https://git.corp/x.git", "ref": "v 1"})
    with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
        result = plugin.run(task_vars={})
    assert result["failed"] and result["msg"].startswith("ref: 'v 1' is not allowed")
    plugin._execute_module.assert_not_called()


def test_action_refuses_a_linux_target():
    plugin = action({"user": "alice", "state": "absent"}, windows=False)
    with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
        result = plugin.run(task_vars={})
    assert result["failed"] and result["msg"].startswith("effective.wsl.wsl_pull_task runs on the Windows host")
    assert result["msg"].endswith("not over 'ssh'; it registers a Windows scheduled task")
    plugin._execute_module.assert_not_called()
