"""plugins/action/wsl_distro_plan.py: what only the controller knows, around one run of the module.

In-process tests replace _execute_module (the module answers from a dict) and the wsl_restart action. The module
itself is tests/unit/plugins/modules/test_wsl_distro_plan.py; the role's run in the WSL simulator is
tests/integration/test_roles.py.
"""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible_collections.effective.wsl.plugins.action import wsl_distro_plan
from ansible_collections.effective.wsl.plugins.action.wsl_distro_plan import ActionModule
from ansible_collections.effective.wsl.plugins.module_utils._distroplan import NO_DOWNLOADS

WSL_FACTS = {"wsl": {"is_wsl": True, "distro_name": "Debian", "automount": {"root": "/win/"}, "user": {"uid": 1000}}}
PLANNED = {"changed": False, "automount_root": "/win/", "downloads_src": "", "links": []}


class Harness:
    def __init__(self, answer=None, restart_result=None, hostvars=None):
        self.answer = {**PLANNED, "ansible_facts": WSL_FACTS} if answer is None else answer
        self.restart_result = restart_result or {"msg": "The restart can be planned: WSL restart deferred ..."}
        self.hostvars = hostvars or {}
        self.module_runs = []
        self.restart_args = []

    def run(self, task_vars=None, **args):
        task = MagicMock(args=args, async_val=0, check_mode=False, action="effective.wsl.wsl_distro_plan")
        action = ActionModule(task, MagicMock(), MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        action._execute_module = self._execute_module
        action._check_restart = self._check_restart
        variables = {"inventory_hostname": "box", "hostvars": self.hostvars, **(task_vars or {})}
        return action.run(task_vars=variables)

    def _execute_module(self, module_name, module_args, task_vars):
        self.module_runs.append((module_name, module_args))
        return dict(self.answer)

    def _check_restart(self, restart, task_vars):
        self.restart_args.append((restart, task_vars["ansible_facts"]))
        return self.restart_result


def test_one_module_run_gets_the_options_with_the_downloads_folder_and_without_the_restart():
    hostvars = {"win": {"ansible_facts": {"wsl_host": {"known_folders": {"downloads": "D:\\OneDrive\\Downloads"}}}}}
    harness = Harness(hostvars=hostvars)
    symlinks = [{"src": "D:\\work", "dest": "~/work"}]
    harness.run(
        windows_host="win",
        windows_user="steff",
        downloads_link="~/dl",
        symlinks=symlinks,
        make_links=True,
        restart={"policy": "auto"},
        wsl_conf_settings={"boot": {"systemd": True}},
    )
    [(name, args)] = harness.module_runs
    assert name == "effective.wsl.wsl_distro_plan"
    assert args == {
        "gather": True,
        "windows_host": "win",
        "windows_user": "steff",
        "downloads_link": "~/dl",
        "downloads_folder": "D:\\OneDrive\\Downloads",
        "symlinks": symlinks,
        "project_paths": [],
        "make_links": True,
        "wsl_conf_settings": {"boot": {"systemd": True}},
        "wsl_conf_unknown_keys": "error",
    }


def test_a_given_downloads_folder_wins_over_the_windows_hosts_one():
    hostvars = {"win": {"ansible_facts": {"wsl_host": {"known_folders": {"downloads": "D:\\OneDrive\\Downloads"}}}}}
    harness = Harness(hostvars=hostvars)
    harness.run(windows_host="win", downloads_folder="E:\\dl", downloads_link="~/dl")
    assert harness.module_runs[0][1]["downloads_folder"] == "E:\\dl"
    Harness().run(windows_host="absent", downloads_link="~/dl")  # an unknown Windows host is no error


def test_the_modules_result_is_the_tasks():
    answer = {
        **PLANNED,
        "ansible_facts": WSL_FACTS,
        "changed": True,
        "links": [{"src": "C:/x", "dest": "~/x", "automount_root": "/win/"}],
        "link_results": [{"changed": True, "dest": "/home/dev/x"}],
        "diff": [{"before": "", "after": "x"}],
        "warnings": ["~/x is on the Windows file system"],
    }
    result = Harness(answer=answer).run(make_links=True)
    assert {key: result[key] for key in answer} == answer
    assert "failed" not in result


def test_a_target_that_is_not_wsl_is_refused_naming_the_host():
    harness = Harness(answer={"changed": False, "ansible_facts": {"wsl": {"is_wsl": False}}})
    result = harness.run(restart={"policy": "auto"}, downloads_link="~/downloads", windows_user="steff")
    assert result["failed"] is True
    assert result["msg"] == wsl_distro_plan.not_wsl_message("box")
    assert result["msg"].startswith("box is not a WSL distro (ansible_facts.wsl.is_wsl is false)")
    assert harness.restart_args == []


def test_gather_false_without_links_plans_on_the_controller_from_the_facts_gathered_earlier():
    harness = Harness()
    result = harness.run(
        gather=False,
        task_vars={"ansible_facts": WSL_FACTS},
        windows_user="steff",
        downloads_link="~/downloads",
        project_paths=["/home/dev/app", "/win/c/src/app"],
        wsl_conf_settings={"boot": {"systemd": True}},
    )
    assert harness.module_runs == []
    assert "ansible_facts" not in result
    assert result["wsl_conf_current"] is False  # /etc/wsl.conf was not read: effective.wsl.wsl_config decides
    assert result["automount_root"] == "/win/"
    assert result["links"] == [{"src": "C:/Users/steff/Downloads", "dest": "~/downloads", "automount_root": "/win/"}]
    assert [warning.split(" is on ")[0] for warning in result["warnings"]] == ["/win/c/src/app"]
    assert Harness().run(gather=False, task_vars={"ansible_facts": WSL_FACTS}, downloads_link="~/dl")["warnings"] == [
        NO_DOWNLOADS
    ]
    # No facts at all: as for a host that is not WSL, the role stops here.
    assert Harness().run(gather=False)["msg"] == wsl_distro_plan.not_wsl_message("box")


def test_gather_false_with_links_refuses_a_host_that_is_not_wsl_before_the_module():
    harness = Harness()
    result = harness.run(gather=False, make_links=True, downloads_link="~/downloads", windows_user="steff")
    assert result["msg"] == wsl_distro_plan.not_wsl_message("box")
    assert harness.module_runs == []
    harness.run(gather=False, make_links=True, task_vars={"ansible_facts": WSL_FACTS})
    assert harness.module_runs[0][1]["gather"] is False


def test_a_module_that_failed_before_any_link_fails_the_task_with_its_message():
    result = Harness(answer={"failed": True, "msg": "boom"}).run(restart={"policy": "auto"})
    assert result["failed"] is True
    assert result["msg"] == "effective.wsl.wsl_distro_plan failed: boom"
    crashed = Harness(answer={"failed": True, "module_stderr": "Traceback ..."}).run()
    assert crashed["msg"] == "effective.wsl.wsl_distro_plan failed: Traceback ..."


def test_failed_links_fail_the_task_with_each_result_and_no_restart_check():
    answer = {
        **PLANNED,
        "ansible_facts": WSL_FACTS,
        "failed": True,
        "msg": "1 of 2 links failed: /home/dev/a: exists",
        "link_results": [{"failed": True, "msg": "exists"}, {"changed": True}],
    }
    harness = Harness(answer=answer)
    result = harness.run(make_links=True, restart={"policy": "auto"})
    assert result["failed"] is True
    assert result["msg"] == answer["msg"]
    assert result["link_results"] == answer["link_results"]
    assert harness.restart_args == []


def test_the_restart_check_sees_the_gathered_facts_and_its_failure_fails_the_task():
    harness = Harness(restart_result={"failed": True, "msg": "distro: a distro_terminate restart needs the name"})
    result = harness.run(restart={"policy": "never", "distro": ""})
    assert result["failed"] is True
    assert result["msg"] == "distro: a distro_terminate restart needs the name"
    assert harness.restart_args == [
        ({"windows_user": "", "windows_host": "", "policy": "never", "distro": ""}, WSL_FACTS)
    ]

    passed = Harness().run(restart={"policy": "auto"})
    assert passed["restart_check"].startswith("The restart can be planned")
    assert "restart_check" not in Harness().run()


def test_the_restart_check_is_about_the_tasks_windows_user_and_host_unless_it_names_others():
    harness = Harness()
    harness.run(windows_user="steff", windows_host="win", restart={"policy": "auto", "distro": "Ubuntu"})
    harness.run(windows_user="steff", windows_host="win", restart={"windows_user": "dev", "windows_host": "other"})
    assert [args for args, _facts in harness.restart_args] == [
        {"windows_user": "steff", "windows_host": "win", "policy": "auto", "distro": "Ubuntu"},
        {"windows_user": "dev", "windows_host": "other"},
    ]


def test_no_restart_check_when_wsl_conf_already_holds_the_settings():
    harness = Harness(answer={**PLANNED, "ansible_facts": WSL_FACTS, "wsl_conf_current": True})
    result = harness.run(restart={"policy": "never", "distro": ""}, wsl_conf_settings={"boot": {"systemd": True}})
    assert not result.get("failed") and result["wsl_conf_current"] is True
    assert harness.restart_args == [] and "restart_check" not in result
    changing = Harness(answer={**PLANNED, "ansible_facts": WSL_FACTS, "wsl_conf_current": False})
    changing.run(restart={"policy": "never"}, wsl_conf_settings={"boot": {"systemd": True}})
    assert len(changing.restart_args) == 1
