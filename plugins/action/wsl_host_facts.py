# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.wsl_host_facts: run the read-only .ps1, interpret its raw data in Python."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.plugin_utils._wslhost import interpret_host_facts


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if getattr(self._connection._shell, "SHELL_FAMILY", "") != "powershell":
            result.update(
                failed=True,
                msg="effective.wsl.wsl_host_facts runs on the Windows host (a PowerShell connection such as winrm or "
                "psrp); inside a distro use effective.wsl.wsl_facts",
            )
            return result
        module_result = self._execute_module(
            module_name="effective.wsl.wsl_host_facts", module_args=dict(self._task.args), task_vars=task_vars
        )
        if module_result.get("failed"):
            result.update(module_result)
            return result
        result.update(changed=False, ansible_facts={"wsl_host": interpret_host_facts(module_result["raw"])})
        return result
