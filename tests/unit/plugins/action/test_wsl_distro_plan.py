"""plugins/action/wsl_distro_plan.py: the wsl_distro role's decisions, made in one task on the controller.

In-process tests replace _execute_module (wsl_facts answers from a dict) and the wsl_restart action; the role's
run in the WSL simulator is tests/integration/test_roles.py.
"""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible_collections.effective.wsl.plugins.action import wsl_distro_plan
from ansible_collections.effective.wsl.plugins.action.wsl_distro_plan import ActionModule

WSL_FACTS = {"wsl": {"is_wsl": True, "distro_name": "Debian", "automount": {"root": "/win/"}, "user": {"uid": 1000}}}


class Harness:
    def __init__(self, gathered=None, restart_result=None, hostvars=None):
        self.gathered = {"ansible_facts": WSL_FACTS} if gathered is None else gathered
        self.restart_result = restart_result or {"msg": "The restart can be planned: WSL restart deferred ..."}
        self.hostvars = hostvars or {}
        self.modules = []
        self.restart_args = []

    def run(self, task_vars=None, **args):
        task = MagicMock(args=args, async_val=0, check_mode=False, action="effective.wsl.wsl_distro_plan")
        action = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        action._execute_module = self._execute_module
        action._check_restart = self._check_restart
        variables = {"inventory_hostname": "box", "hostvars": self.hostvars, **(task_vars or {})}
        return action.run(task_vars=variables)

    def _execute_module(self, module_name, module_args, task_vars):
        self.modules.append(module_name)
        return self.gathered

    def _check_restart(self, restart, task_vars):
        self.restart_args.append((restart, task_vars["ansible_facts"]))
        return self.restart_result


def test_gathers_the_facts_and_plans_the_downloads_link_then_the_given_links():
    harness = Harness()
    result = harness.run(
        windows_user="steff",
        downloads_link="~/downloads",
        symlinks=[{"src": "D:\\work", "dest": "~/work", "force": True, "owner": None}],
    )
    assert harness.modules == ["effective.wsl.wsl_facts"]
    assert result["ansible_facts"] == WSL_FACTS
    assert result["changed"] is False and "failed" not in result
    assert result["automount_root"] == "/win/"
    assert result["links"] == [
        {"src": "C:/Users/steff/Downloads", "dest": "~/downloads", "automount_root": "/win/"},
        {"src": "D:\\work", "dest": "~/work", "force": True, "automount_root": "/win/"},
    ]
    assert "warnings" not in result


def test_the_windows_hosts_known_folder_wins_over_the_user_name():
    hostvars = {"win": {"ansible_facts": {"wsl_host": {"known_folders": {"downloads": "D:\\OneDrive\\Downloads"}}}}}
    result = Harness(hostvars=hostvars).run(windows_host="win", windows_user="steff", downloads_link="~/dl")
    assert result["downloads_src"] == "D:\\OneDrive\\Downloads"
    assert result["links"][0]["src"] == "D:\\OneDrive\\Downloads"


def test_unknown_downloads_folder_is_a_warning_and_no_link():
    result = Harness().run(windows_host="absent", downloads_link="~/downloads")
    assert result["links"] == []
    assert result["warnings"] == [wsl_distro_plan.NO_DOWNLOADS]


def test_project_paths_under_the_automount_root_warn_once_each():
    result = Harness().run(project_paths=["/home/dev/app", "/win/c/src/app", "/win", "/windows/x"])
    assert [warning.split(" is on ")[0] for warning in result["warnings"]] == ["/win/c/src/app", "/win"]


def test_a_target_that_is_not_wsl_is_refused_naming_the_host():
    harness = Harness(gathered={"ansible_facts": {"wsl": {"is_wsl": False}}})
    result = harness.run(restart={"policy": "auto"}, downloads_link="~/downloads", windows_user="steff")
    assert result["failed"] is True
    assert result["msg"] == wsl_distro_plan.not_wsl_message("box")
    assert result["msg"].startswith("box is not a WSL distro (ansible_facts.wsl.is_wsl is false)")
    assert harness.restart_args == []
    assert "links" not in result


def test_gather_false_uses_the_facts_gathered_earlier():
    harness = Harness()
    result = harness.run(gather=False, task_vars={"ansible_facts": WSL_FACTS})
    assert harness.modules == []
    assert "ansible_facts" not in result
    assert result["automount_root"] == "/win/"
    # No facts at all: as for a host that is not WSL, the role stops here.
    assert Harness().run(gather=False)["msg"] == wsl_distro_plan.not_wsl_message("box")


def test_a_failing_facts_module_fails_the_task():
    result = Harness(gathered={"failed": True, "msg": "boom"}).run()
    assert result["failed"] is True
    assert result["msg"] == "effective.wsl.wsl_facts failed: boom"


def test_the_restart_check_sees_the_gathered_facts_and_its_failure_fails_the_task():
    harness = Harness(restart_result={"failed": True, "msg": "distro: a distro_terminate restart needs the name"})
    result = harness.run(restart={"policy": "never", "distro": ""})
    assert result["failed"] is True
    assert result["msg"] == "distro: a distro_terminate restart needs the name"
    assert harness.restart_args == [({"policy": "never", "distro": ""}, WSL_FACTS)]

    passed = Harness().run(restart={"policy": "auto"})
    assert passed["restart_check"].startswith("The restart can be planned")
    assert "restart_check" not in Harness().run()
