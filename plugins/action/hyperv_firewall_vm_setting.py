# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.hyperv_firewall_vm_setting: validate, read, decide in Python, then write."""

from __future__ import annotations

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import (
    FirewallHostError,
    build_vm_setting_request,
    plan_vm_setting,
    vm_setting_result,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import WindowsStateAction


class ActionModule(WindowsStateAction):
    module_name = "effective.wsl.hyperv_firewall_vm_setting"
    # Unverified: no Microsoft page found says which Hyper-V firewall cmdlets need an administrator; they change
    # machine-wide firewall policy, so an unelevated interop session is refused before the .ps1 runs.
    needs_elevation = True

    def module_args(self, task_args):
        return build_vm_setting_request(task_args)

    def execute(self, module_args, task_vars):
        # The .ps1 runs twice: it reports what exists and what the cmdlets accept, Python plans every call and
        # checks its parameters, and only then the .ps1 writes (never in check mode).
        read = super().execute({**module_args, "_phase": "read"}, task_vars)
        if read.get("failed"):
            return read
        try:
            plan = plan_vm_setting(module_args, read)
        except FirewallHostError as error:
            return {"failed": True, "msg": str(error), "changed": False}
        write = None
        if plan["calls"] and not self._task.check_mode:
            write = super().execute({**module_args, "_phase": "write", "_calls": plan["calls"]}, task_vars)
            if write.get("failed"):
                return write
        return {"read": read, "plan": plan, "write": write}

    def interpret(self, module_args, module_result):
        return vm_setting_result(
            module_args,
            module_result["read"],
            module_result["plan"],
            module_result["write"],
            want_diff=bool(self._task.diff),
            check_mode=bool(self._task.check_mode),
        )
