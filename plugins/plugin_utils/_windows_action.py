# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller half shared by the .ps1 modules that read or write Windows state.

Architecture rule 2: Python validates the task options into the module's (canonical) arguments, the
.ps1 runs once and reports raw observations, Python interprets them into the task result.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

INTEROP_TRANSPORT = "effective.wsl.interop"
# The shells that run PowerShell modules: ansible-core 2.21's winrm talks WinRS, whose shell plugin is cmd (a
# subclass of powershell); psrp, ssh with ansible_shell_type=powershell and interop use powershell.
WINDOWS_SHELL_FAMILIES = ("powershell", "cmd")


def is_windows_connection(connection) -> bool:
    return getattr(connection._shell, "SHELL_FAMILY", "") in WINDOWS_SHELL_FAMILIES


def windows_connection_refusal(connection, module_name: str, hint: str = "") -> str | None:
    """The failure message of a task that only runs on the Windows host, or None over a Windows connection."""
    if is_windows_connection(connection):
        return None
    return (
        f"{module_name} runs on the Windows host (a PowerShell connection such as winrm, psrp or "
        f"effective.wsl.interop), not over {connection.transport!r}{hint}"
    )


class WindowsStateAction(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    module_name = ""  # the .ps1 module of the same name, e.g. "effective.wsl.hyperv_firewall_rule"
    other_side_hint = ""  # appended to the refusal of a non-Windows connection
    needs_elevation = False  # True: refused over an unelevated WSL interop session before the .ps1 runs

    def module_args(self, task_args: dict) -> dict:
        """The arguments of the .ps1; raise ValueError (naming option, value and what is allowed) for bad input."""
        raise NotImplementedError

    def interpret(self, module_args: dict, module_result: dict) -> dict:
        """The task result from the .ps1's raw report."""
        raise NotImplementedError

    def execute(self, module_args: dict, task_vars: dict) -> dict:
        """Run the .ps1 once; an action that reads before it writes runs it more than once here."""
        return self._execute_module(module_name=self.module_name, module_args=module_args, task_vars=task_vars)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            module_args = self.module_args(dict(self._task.args))
        except ValueError as error:
            result.update(failed=True, msg=str(error))  # nothing has reached the host
            return result
        refusal = windows_connection_refusal(self._connection, self.module_name, self.other_side_hint)
        if refusal:
            result.update(failed=True, msg=refusal)
            return result
        if self.needs_elevation and self._connection.transport == INTEROP_TRANSPORT:
            # Imported here: the interop connection plugin has already imported it, and the actions that only ask
            # is_windows_connection (wsl_config, wsl_restart) are loaded on the controller of every run.
            from ansible_collections.effective.wsl.plugins.plugin_utils._interop import elevation_refusal

            refusal = elevation_refusal(self.module_name, self._connection.session_is_elevated())
            if refusal:
                result.update(failed=True, msg=refusal)
                return result
        module_result = self.execute(module_args, task_vars)
        if module_result.get("failed"):
            result.update(module_result)
            return result
        result.update(self.interpret(module_args, module_result))
        return result
