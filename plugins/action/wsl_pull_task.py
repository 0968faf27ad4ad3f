# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_pull_task: compute the task in Python, register it with win_scheduled_task."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.plugin_utils._pulltask import (
    PullTaskError,
    command_line,
    runner_arguments,
    task_arguments,
    validate,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import windows_connection_refusal

SCHEDULED_TASK_MODULE = "community.windows.win_scheduled_task"


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            options = validate(self._task.args)
        except PullTaskError as error:
            result.update(failed=True, msg=str(error))  # nothing has reached the host
            return result
        refusal = windows_connection_refusal(
            self._connection, "effective.wsl.wsl_pull_task", "; it registers a Windows scheduled task"
        )
        if refusal:
            result.update(failed=True, msg=refusal)
            return result
        module_args = task_arguments(options)
        module_result = self._execute_module(
            module_name=SCHEDULED_TASK_MODULE, module_args=module_args, task_vars=task_vars
        )
        result.update(module_result)
        result["task_name"] = f"{module_args['path']}{module_args['name']}"
        if options["state"] == "present":
            result["command_line"] = command_line(runner_arguments(options))
        return result
