"""What ansible-core builds for the ``powershell`` shell, for every ansible-core of the test matrix.

Command lines: ansible-core 2.21 builds them in ``ansible._internal._powershell._script`` and single-quotes every
word that needs it; before (2.16-2.20), ``plugins/shell/powershell.py`` ``_encode_script`` joins ``PowerShell
-NoProfile ... -EncodedCommand <base64>`` with bare words.
Standard input of a module: from ansible-core 2.19 a JSON line naming exec_wrapper, four NUL characters, the exec
manifest (``executor/powershell/module_manifest.py`` ``_get_bootstrap_input``); before, exec_wrapper.ps1's source,
four NUL characters, the manifest (``_create_powershell_wrapper``).

Import as ``from ansible_collections.effective.wsl.tests.unit.plugins import powershell_commands``.
"""

from __future__ import annotations

import pkgutil

from ansible.executor.powershell import module_manifest

try:
    from ansible._internal._powershell import _script
except ImportError:  # ansible-core < 2.21
    _script = None

QUOTES_WORDS = _script is not None


def _module_input() -> bytes:
    if hasattr(module_manifest, "_bootstrap_powershell_script"):  # ansible-core 2.19 and later
        return module_manifest._bootstrap_powershell_script(
            "powershell_mkdtemp.ps1", {"Directory": "%TEMP%", "Name": "t"}
        )[1]
    # ansible-core 2.16-2.18's positional signature; pylint checks the call against the installed release, where
    # the function (unused on 2.19+, see above) takes keyword-only arguments.
    return module_manifest._create_powershell_wrapper(  # pylint: disable=missing-kwoa
        b"#!powershell\n", "win_ping.ps1", {}, {}, 0, False, None, None, None, None, "powershell", {}, "win_ping"
    )


def pipelined_module(shell) -> tuple[str, list[str], bytes]:
    """The command line, its words and the standard input of one pipelined PowerShell module run."""
    if _script is not None:
        script = module_manifest._get_powershell_script("bootstrap_wrapper.ps1").decode()
        words = _script.get_pwsh_encoded_cmdline(script, override_execution_policy=True)
        return shell.join(words), words, _module_input()
    # action/__init__.py _execute_module: a pipelined module's command is build_module_command with an empty cmd.
    command = shell.build_module_command("", "#!powershell", "")
    if hasattr(module_manifest, "_get_powershell_script"):  # ansible-core 2.19 and later
        bootstrap = module_manifest._get_powershell_script("bootstrap_wrapper.ps1")
    else:
        bootstrap = pkgutil.get_data("ansible.executor.powershell", "bootstrap_wrapper.ps1")
    words = shell._encode_script(bootstrap, as_list=True, strict_mode=False, preserve_rc=False)
    return command, words, _module_input()


def mkdtemp_command(shell) -> str:
    """The command that creates a remote temporary directory."""
    if hasattr(shell, "_mkdtemp2"):  # ansible-core 2.19 and later
        return shell._mkdtemp2().command
    return shell.mkdtemp("ansible-tmp-1", tmpdir="%TEMP%")
