# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_distro_plan: the wsl_distro role's facts, every decision that is data, and
the links.

One task run instead of a chain of set_fact, debug and fail tasks and a loop: gather effective.wsl.wsl_facts,
refuse a target that is not WSL, check that a wsl.conf change could be followed by its restart
(effective.wsl.wsl_restart with validate, before anything is written), work out the links and, with make_links,
make each of them with effective.wsl.wsl_symlink. Notes come back as this task's warnings.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

# Imported here, not through the action loader in the worker: the strategy loads this plugin in the main process,
# so every forked worker inherits wsl_restart and its engine already imported.
from ansible_collections.effective.wsl.plugins.action.wsl_restart import ActionModule as RestartAction
from ansible_collections.effective.wsl.plugins.plugin_utils._module_results import failure_detail

DEFAULT_AUTOMOUNT_ROOT = "/mnt/"
SYMLINK_MODULE = "effective.wsl.wsl_symlink"
LINK_OPTIONS = ("src", "dest", "state", "force", "require_target", "parents", "owner", "group")

ARGUMENT_SPEC = {
    "gather": {"type": "bool", "default": True},
    "windows_host": {"type": "str", "default": ""},
    "windows_user": {"type": "str", "default": ""},
    "downloads_link": {"type": "str", "default": ""},
    "symlinks": {"type": "list", "elements": "dict", "default": []},
    "project_paths": {"type": "list", "elements": "str", "default": []},
    "restart": {"type": "dict"},
    "make_links": {"type": "bool", "default": False},
}

NO_DOWNLOADS = (
    "No Downloads link: the Windows Downloads folder is unknown. Set wsl_distro_windows_host to the inventory name "
    "of the Windows host (its facts give known_folders.downloads) or wsl_distro_windows_user to the Windows user "
    "name; set wsl_distro_downloads_link to '' to silence this."
)


def not_wsl_message(host: str) -> str:
    return (
        f"{host} is not a WSL distro (ansible_facts.wsl.is_wsl is false): the wsl_distro role configures "
        "/etc/wsl.conf and links to Windows folders, which only mean something inside WSL."
    )


def automount_root(wsl_facts: dict) -> str:
    automount = wsl_facts.get("automount") or {}
    return automount.get("root") or DEFAULT_AUTOMOUNT_ROOT


def downloads_folder(known_folders: dict, windows_user: str) -> str:
    """The host facts' Downloads folder (it may be redirected, e.g. to OneDrive), else the user's default one."""
    found = known_folders.get("downloads") if isinstance(known_folders, dict) else None
    if found:
        return str(found)
    return f"C:/Users/{windows_user}/Downloads" if windows_user else ""


def project_path_warnings(project_paths: list[str], root: str) -> list[str]:
    return [
        f"{path} is on the Windows file system (under {root}). Linux tools reach it through the 9p/drvfs bridge, many "
        "times slower than the Linux file system: keep the project in the Linux home and reach Windows files through "
        "links."
        for path in project_paths
        if f"{path}/".startswith(root)
    ]


def plan_links(downloads_link: str, downloads_src: str, symlinks: list[dict], root: str) -> list[dict]:
    """wsl_symlink options for each link: the Downloads link first, then the given ones (unset options left out)."""
    links = []
    if downloads_link and downloads_src:
        links.append({"src": downloads_src, "dest": downloads_link})
    for link in symlinks:
        links.append({name: link[name] for name in LINK_OPTIONS if link.get(name) is not None})
    return [dict(link, automount_root=root) for link in links]


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result["changed"] = False
        facts = dict(task_vars.get("ansible_facts") or {})
        if args["gather"]:
            gathered = self._execute_module(module_name="effective.wsl.wsl_facts", module_args={}, task_vars=task_vars)
            if gathered.get("failed"):
                result.update(failed=True, msg=f"effective.wsl.wsl_facts failed: {gathered.get('msg', 'no message')}")
                return result
            facts.update(gathered.get("ansible_facts") or {})
            result["ansible_facts"] = gathered.get("ansible_facts") or {}
            if gathered.get("warnings"):
                result["warnings"] = list(gathered["warnings"])
        wsl_facts = facts.get("wsl") if isinstance(facts.get("wsl"), dict) else {}
        if not wsl_facts.get("is_wsl"):
            result.update(failed=True, msg=not_wsl_message(task_vars.get("inventory_hostname", "this host")))
            return result

        root = automount_root(wsl_facts)
        downloads_src = downloads_folder(self._known_folders(task_vars, args["windows_host"]), args["windows_user"])
        warnings = project_path_warnings(args["project_paths"], root)
        if args["downloads_link"] and not downloads_src:
            warnings.append(NO_DOWNLOADS)
        if warnings:
            result["warnings"] = result.get("warnings", []) + warnings

        if args["restart"] is not None:
            # Before anything is written: a wsl.conf change needs `wsl --terminate <distro>`, which needs its name.
            # Whose VM the distro is in: this task's own windows_user and windows_host unless the restart names others.
            restart = {"windows_user": args["windows_user"], "windows_host": args["windows_host"], **args["restart"]}
            check = self._check_restart(restart, dict(task_vars, ansible_facts=facts))
            if check.get("failed"):
                result.update(failed=True, msg=check.get("msg"))
                return result
            result["restart_check"] = check.get("msg")
        links = plan_links(args["downloads_link"], downloads_src, args["symlinks"], root)
        result.update(automount_root=root, downloads_src=downloads_src, links=links)
        if args["make_links"]:
            self._make_links(result, links, task_vars)
        return result

    def _make_links(self, result: dict, links: list[dict], task_vars: dict) -> None:
        """effective.wsl.wsl_symlink for each link, as a loop over them would: every link is tried, one result each
        in link_results, their diffs and warnings lifted to this task's, and the task fails if one link failed."""
        outcomes, diffs, failures = [], [], []
        for link in links:
            outcome = self._execute_module(module_name=SYMLINK_MODULE, module_args=dict(link), task_vars=task_vars)
            outcomes.append(outcome)
            if outcome.get("failed"):
                failures.append(f"{link['dest']}: {failure_detail(outcome)}")
                continue
            result["changed"] = result["changed"] or bool(outcome.get("changed"))
            if outcome.get("diff"):
                diffs.append(outcome["diff"])
            if outcome.get("warnings"):
                result["warnings"] = result.get("warnings", []) + list(outcome["warnings"])
        result["link_results"] = outcomes
        if diffs:
            result["diff"] = diffs
        if failures:
            result.update(
                failed=True,
                msg=f"effective.wsl.wsl_symlink failed for {len(failures)} of {len(links)} "
                "links: " + "; ".join(failures),
            )

    @staticmethod
    def _known_folders(task_vars: dict, windows_host: str) -> dict:
        hostvars = task_vars.get("hostvars")
        if not windows_host or hostvars is None or windows_host not in hostvars:
            return {}
        variables = hostvars.raw_get(windows_host) if hasattr(hostvars, "raw_get") else hostvars[windows_host]
        host_facts = (variables.get("ansible_facts") or {}).get("wsl_host") or {}
        return host_facts.get("known_folders") or {}

    def _check_restart(self, restart: dict, task_vars: dict) -> dict:
        """The wsl_restart action itself decides (validate=true): one model of a restart, nothing recorded."""
        task = self._task.copy()
        task.args = {
            **{key: value for key, value in restart.items() if value not in (None, "")},
            "required": ["distro_terminate"],
            "validate": True,
        }
        action = RestartAction(
            task, self._connection, self._play_context, self._loader, self._templar, self._shared_loader_obj
        )
        return action.run(task_vars=task_vars)
