# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_restart: decide on the controller, run wsl.exe on the target."""

from __future__ import annotations

import os

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.plugin_utils._restart import (
    ACTION_DEFER,
    ACTION_NONE,
    ACTION_RUN,
    POLICY_AUTO,
    POLICY_CHOICES,
    RESTART_CHOICES,
    WSL_EXE_ENV_LINUX,
    WSL_EXE_ENV_WINDOWS,
    ControllerContext,
    RestartInputError,
    RestartPlan,
    TargetContext,
    controller_in_wsl,
    decode_wsl_output,
    default_gateways_from_proc_net_route,
    plan_restart,
    summarize_deferred,
)

DEFERRED_FACT = "wsl_restart_deferred"
LOCAL_TRANSPORTS = ("local", "ansible.builtin.local")

ARGUMENT_SPEC = {
    "required": {"type": "list", "elements": "str", "default": [], "choices": list(RESTART_CHOICES)},
    "distro": {"type": "str"},
    "policy": {"type": "str", "default": POLICY_AUTO, "choices": list(POLICY_CHOICES)},
    "windows_host_addresses": {"type": "list", "elements": "str", "default": []},
    "summarize": {"type": "bool", "default": False},
}


def _read_controller_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)

        controller = self._controller_context(args["windows_host_addresses"])
        result["controller_in_wsl"] = controller.in_wsl

        try:
            if args["summarize"]:
                plan = summarize_deferred(self._deferred_in_this_run(task_vars))
            else:
                target = self._target_context(task_vars)
                plan = plan_restart(args["required"], args["policy"], controller, target, args["distro"])
        except RestartInputError as exc:
            result.update(failed=True, msg=str(exc))
            return result

        result.update(self._plan_result(plan))
        if self._task.check_mode and plan.action not in (ACTION_RUN, ACTION_NONE):
            result["msg"] = f"Check mode, nothing was changed. If applied: {plan.msg}"
        if args["summarize"]:
            result["changed"] = False
            return result
        if plan.action == ACTION_DEFER:
            deferred = {"restart": plan.restart, "distro": plan.argv[2] if len(plan.argv) > 2 else None}
            result["ansible_facts"] = {DEFERRED_FACT: deferred | {"command": plan.command_line, "msg": plan.msg}}
        if plan.action != ACTION_RUN:
            result["changed"] = False
            return result
        result["changed"] = True
        if self._task.check_mode:
            result["msg"] = f"Check mode: would run {plan.command_line}."
            return result
        result.update(self._run_wsl_exe(plan, task_vars))
        return result

    def _controller_context(self, windows_host_addresses: list[str]) -> ControllerContext:
        gateways = default_gateways_from_proc_net_route(_read_controller_file("/proc/net/route"))
        return ControllerContext(
            in_wsl=controller_in_wsl(_read_controller_file("/proc/version"), os.environ),
            distro_name=os.environ.get("WSL_DISTRO_NAME") or None,
            windows_host_addresses=frozenset(windows_host_addresses) | gateways,
        )

    def _target_context(self, task_vars: dict) -> TargetContext:
        is_windows = getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell"
        try:
            address = self._connection.get_option("remote_addr")
        except KeyError:
            address = None
        address = address or task_vars.get("ansible_host") or task_vars.get("inventory_hostname")
        facts = task_vars.get("ansible_facts") or {}
        wsl_facts = facts.get("wsl") or {}
        return TargetContext(
            is_windows=is_windows,
            is_controller=self._connection.transport in LOCAL_TRANSPORTS,
            address=str(address) if address else None,
            distro_name=wsl_facts.get("distro_name") if isinstance(wsl_facts, dict) else None,
        )

    def _deferred_in_this_run(self, task_vars: dict) -> list[dict]:
        hostvars = task_vars.get("hostvars")
        if hostvars is None:
            return []
        pending = []
        for host in hostvars:
            variables = hostvars.raw_get(host)
            if not isinstance(variables, dict):
                continue
            deferred = (variables.get("ansible_facts") or {}).get(DEFERRED_FACT) or variables.get(DEFERRED_FACT)
            if isinstance(deferred, dict):
                pending.append(deferred)
        return pending

    def _plan_result(self, plan: RestartPlan) -> dict:
        return {
            "restart": plan.restart,
            "action": plan.action,
            "command": list(plan.argv),
            "command_line": plan.command_line,
            "controller_affected": plan.controller_affected,
            "msg": plan.msg,
        }

    def _run_wsl_exe(self, plan: RestartPlan, task_vars: dict) -> dict:
        is_windows = getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell"
        module = "ansible.windows.win_command" if is_windows else "ansible.builtin.command"
        # wsl-reference §5.2: ask for UTF-8 output; decode_wsl_output still copes with UTF-16LE (inbox WSL).
        if not isinstance(self._task.environment, list):
            self._task.environment = [self._task.environment] if self._task.environment else []
        self._task.environment.append(WSL_EXE_ENV_WINDOWS if is_windows else WSL_EXE_ENV_LINUX)
        try:
            module_result = self._execute_module(
                module_name=module, module_args={"argv": list(plan.argv)}, task_vars=task_vars
            )
        except AnsibleConnectionFailure as exc:
            if plan.controller_affected:
                return {"msg": f"{plan.msg} Connection closed as expected: {exc}"}
            raise
        finally:
            self._task.environment.pop()
        outcome = {
            "rc": module_result.get("rc"),
            "stdout": decode_wsl_output(module_result.get("stdout")),
            "stderr": decode_wsl_output(module_result.get("stderr")),
        }
        if module_result.get("failed") or module_result.get("rc"):
            detail = outcome["stderr"].strip() or outcome["stdout"].strip() or module_result.get("msg", "")
            outcome.update(failed=True, msg=f"{plan.command_line} failed (rc={outcome['rc']}): {detail}")
        return outcome
