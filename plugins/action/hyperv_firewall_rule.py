# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.hyperv_firewall_rule: validate in Python, then run the .ps1."""

from __future__ import annotations

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import build_rule_request, rule_result
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import WindowsStateAction


class ActionModule(WindowsStateAction):
    module_name = "effective.wsl.hyperv_firewall_rule"
    needs_elevation = True  # wsl-reference §4.1: the Hyper-V firewall cmdlets need an administrator

    def module_args(self, task_args):
        return build_rule_request(task_args)

    def interpret(self, module_args, module_result):
        return rule_result(module_args, module_result, want_diff=bool(self._task.diff))
