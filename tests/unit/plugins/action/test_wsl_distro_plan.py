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
    def __init__(self, gathered=None, restart_result=None, hostvars=None, linked=None):
        self.gathered = {"ansible_facts": WSL_FACTS} if gathered is None else gathered
        self.restart_result = restart_result or {"msg": "The restart can be planned: WSL restart deferred ..."}
        self.hostvars = hostvars or {}
        # wsl_symlink's answer per dest; a dest not given comes back unchanged.
        self.linked = linked or {}
        self.modules = []
        self.link_args = []
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
        if module_name == "effective.wsl.wsl_symlink":
            self.link_args.append(module_args)
            return dict(self.linked.get(module_args["dest"], {"changed": False, "dest": module_args["dest"]}))
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
    assert harness.restart_args == [
        ({"windows_user": "", "windows_host": "", "policy": "never", "distro": ""}, WSL_FACTS)
    ]

    passed = Harness().run(restart={"policy": "auto"})
    assert passed["restart_check"].startswith("The restart can be planned")
    assert "restart_check" not in Harness().run()


def test_make_links_runs_wsl_symlink_for_each_planned_link_after_the_facts():
    linked = {
        "~/downloads": {"changed": True, "dest": "/home/dev/downloads", "diff": {"before": "", "after": "x"}},
        "~/work": {"changed": False, "dest": "/home/dev/work", "warnings": ["~/work is on the Windows file system"]},
    }
    harness = Harness(linked=linked)
    result = harness.run(
        windows_user="steff",
        downloads_link="~/downloads",
        symlinks=[{"src": "D:\\work", "dest": "~/work"}],
        make_links=True,
    )
    assert harness.modules == ["effective.wsl.wsl_facts", "effective.wsl.wsl_symlink", "effective.wsl.wsl_symlink"]
    # The module options are the planned links, exactly as the role's loop over them passed them.
    assert harness.link_args == result["links"]
    assert result["changed"] is True and "failed" not in result
    assert [outcome["dest"] for outcome in result["link_results"]] == ["/home/dev/downloads", "/home/dev/work"]
    assert result["diff"] == [{"before": "", "after": "x"}]
    assert result["warnings"] == ["~/work is on the Windows file system"]


def test_make_links_unchanged_links_leave_the_task_unchanged():
    result = Harness().run(windows_user="steff", downloads_link="~/downloads", make_links=True)
    assert result["changed"] is False
    assert "diff" not in result
    assert result["link_results"] == [{"changed": False, "dest": "~/downloads"}]


def test_a_failing_link_fails_the_task_after_every_link_was_tried():
    harness = Harness(linked={"~/a": {"failed": True, "msg": "~/a exists and is not a symbolic link"}})
    symlinks = [{"src": "/srv/a", "dest": "~/a"}, {"src": "/srv/b", "dest": "~/b"}]
    result = harness.run(symlinks=symlinks, make_links=True)
    assert [args["dest"] for args in harness.link_args] == ["~/a", "~/b"]
    assert result["failed"] is True
    assert result["msg"] == (
        "effective.wsl.wsl_symlink failed for 1 of 2 links: ~/a: ~/a exists and is not a symbolic link"
    )
    assert len(result["link_results"]) == 2


def test_no_link_is_made_when_the_restart_check_fails_or_the_target_is_not_wsl():
    refused = Harness(restart_result={"failed": True, "msg": "distro: a distro_terminate restart needs the name"})
    refused.run(restart={"policy": "auto"}, downloads_link="~/downloads", windows_user="steff", make_links=True)
    assert refused.link_args == []
    not_wsl = Harness(gathered={"ansible_facts": {"wsl": {"is_wsl": False}}})
    not_wsl.run(downloads_link="~/downloads", windows_user="steff", make_links=True)
    assert not_wsl.link_args == []


def test_without_make_links_nothing_is_linked():
    harness = Harness()
    result = harness.run(windows_user="steff", downloads_link="~/downloads")
    assert harness.link_args == []
    assert "link_results" not in result


def test_the_restart_check_is_about_the_tasks_windows_user_and_host_unless_it_names_others():
    harness = Harness()
    harness.run(windows_user="steff", windows_host="win", restart={"policy": "auto", "distro": "Ubuntu"})
    harness.run(windows_user="steff", windows_host="win", restart={"windows_user": "dev", "windows_host": "other"})
    assert [args for args, _facts in harness.restart_args] == [
        {"windows_user": "steff", "windows_host": "win", "policy": "auto", "distro": "Ubuntu"},
        {"windows_user": "dev", "windows_host": "other"},
    ]
