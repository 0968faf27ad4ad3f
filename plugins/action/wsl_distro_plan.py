# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_distro_plan: the wsl_distro role's facts, every decision that is data, and
the links, in one task run and one module execution.

The module (plugins/modules/wsl_distro_plan.py) gathers effective.wsl.wsl_facts and makes the links on the target;
this plugin adds what only the controller knows: the Windows host's Downloads folder from its facts, the refusal of
a target that is not WSL (naming it) and the restart check (effective.wsl.wsl_restart with validate). Notes come
back as this task's warnings.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.module_utils._distroplan import ARGUMENT_SPEC, automount_root, plan
from ansible_collections.effective.wsl.plugins.plugin_utils._module_results import failure_detail

MODULE = "effective.wsl.wsl_distro_plan"


def not_wsl_message(host: str) -> str:
    return (
        f"{host} is not a WSL distro (ansible_facts.wsl.is_wsl is false): the wsl_distro role configures "
        "/etc/wsl.conf and links to Windows folders, which only mean something inside WSL."
    )


def is_wsl(facts: dict) -> bool:
    wsl_facts = facts.get("wsl")
    return isinstance(wsl_facts, dict) and bool(wsl_facts.get("is_wsl"))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result["changed"] = False
        host = task_vars.get("inventory_hostname", "this host")
        facts = dict(task_vars.get("ansible_facts") or {})
        if not args["downloads_folder"]:
            args["downloads_folder"] = str(self._known_folders(task_vars, args["windows_host"]).get("downloads") or "")

        if not args["gather"] and not is_wsl(facts):
            result.update(failed=True, msg=not_wsl_message(host))
            return result
        if args["gather"] or args["make_links"]:
            module_args = {name: value for name, value in args.items() if name != "restart"}
            outcome = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
            facts.update(outcome.get("ansible_facts") or {})
            if outcome.get("failed") and "link_results" not in outcome:
                result.update(failed=True, msg=f"{MODULE} failed: {failure_detail(outcome)}")
                return result
            result.update(outcome)
            if not is_wsl(facts):
                result.update(failed=True, msg=not_wsl_message(host))
                return result
        else:
            planned = plan(args, automount_root(facts.get("wsl") or {}))
            if planned["warnings"]:
                result["warnings"] = planned["warnings"]
            result.update({key: value for key, value in planned.items() if key != "warnings"})
            result["wsl_conf_current"] = False  # /etc/wsl.conf unread: effective.wsl.wsl_config decides

        if args["restart"] is not None and not result.get("failed") and not result.get("wsl_conf_current"):
            # Before /etc/wsl.conf is written: a change there needs `wsl --terminate <distro>`, which needs its name.
            # A file that already holds the settings is not written and needs no restart.
            # Whose VM the distro is in: this task's own windows_user and windows_host unless the restart names others.
            restart = {"windows_user": args["windows_user"], "windows_host": args["windows_host"], **args["restart"]}
            check = self._check_restart(restart, dict(task_vars, ansible_facts=facts))
            if check.get("failed"):
                result.update(failed=True, msg=check.get("msg"))
                return result
            result["restart_check"] = check.get("msg")
        return result

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
        # Imported only when /etc/wsl.conf is to change: the strategy loads this plugin in the main process on every
        # run, and ansible-core compiles a collection's Python from source each time
        # (ansible/utils/collection_loader/_collection_finder.py, get_code). A re-run whose file is current does not
        # compile the restart model; a converge compiles it in each host's worker (docs/performance.md).
        from ansible_collections.effective.wsl.plugins.action.wsl_restart import ActionModule as RestartAction

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
