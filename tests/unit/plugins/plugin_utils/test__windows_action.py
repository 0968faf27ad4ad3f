"""The one refusal of a non-Windows connection, shared by the Windows-only actions."""

from __future__ import annotations

from unittest import mock

import pytest
from ansible.plugins.shell.cmd import ShellModule as CmdShell
from ansible.plugins.shell.powershell import ShellModule as PowerShell
from ansible.plugins.shell.sh import ShellModule as ShShell

from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import windows_connection_refusal


@pytest.mark.parametrize("shell", [CmdShell, PowerShell])
def test_a_windows_shell_is_not_refused(shell):
    assert windows_connection_refusal(mock.MagicMock(_shell=shell(), transport="winrm"), "effective.wsl.x") is None


def test_a_posix_shell_is_refused_with_module_transport_and_hint():
    connection = mock.MagicMock(_shell=ShShell(), transport="ssh")
    assert windows_connection_refusal(connection, "effective.wsl.x", "; use y") == (
        "effective.wsl.x runs on the Windows host (a PowerShell connection such as winrm, psrp or "
        "effective.wsl.interop), not over 'ssh'; use y"
    )
