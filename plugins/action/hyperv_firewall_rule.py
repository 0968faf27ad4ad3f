# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.hyperv_firewall_rule: validate in Python, then run the .ps1."""

from __future__ import annotations

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import build_rule_request, rule_result
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import WindowsStateAction


class ActionModule(WindowsStateAction):
    module_name = "effective.wsl.hyperv_firewall_rule"
    # Unverified: no Microsoft page found says which Hyper-V firewall cmdlets need an administrator; they change
    # machine-wide firewall policy, so an unelevated interop session is refused before the .ps1 runs.
    needs_elevation = True

    def module_args(self, task_args):
        return build_rule_request(task_args)

    def interpret(self, module_args, module_result):
        return rule_result(module_args, module_result, want_diff=bool(self._task.diff))
