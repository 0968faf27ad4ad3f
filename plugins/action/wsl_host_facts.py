# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller half of effective.wsl.wsl_host_facts: run the read-only .ps1, interpret its raw data in Python."""

from __future__ import annotations

from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import interpret_pull
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import WindowsStateAction
from ansible_collections.effective.wsl.plugins.plugin_utils._wslhost import interpret_host_facts


class ActionModule(WindowsStateAction):
    module_name = "effective.wsl.wsl_host_facts"
    other_side_hint = "; inside a distro use effective.wsl.wsl_facts"

    def module_args(self, task_args):
        return task_args

    def interpret(self, module_args, module_result):
        facts = interpret_host_facts(module_result["raw"])
        facts["pull"] = interpret_pull(module_result["raw"].get("pull_status"))
        return {"changed": False, "ansible_facts": {"wsl_host": facts}}
