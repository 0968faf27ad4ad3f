# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.hyperv_firewall_vm_setting: validate in Python, then run the .ps1."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import (
    FirewallOptionError,
    build_vm_setting_request,
    vm_setting_result,
)


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            module_args = build_vm_setting_request(dict(self._task.args))
        except FirewallOptionError as error:
            # Nothing has reached the host.
            result.update(failed=True, msg=str(error))
            return result

        module_result = self._execute_module(
            module_name="effective.wsl.hyperv_firewall_vm_setting", module_args=module_args, task_vars=task_vars
        )
        if module_result.get("failed"):
            result.update(module_result)
            return result
        result.update(
            vm_setting_result(
                module_args,
                module_result,
                want_diff=bool(self._task.diff),
                check_mode=bool(self._task.check_mode),
            )
        )
        return result
