"""What each path imports of the collection, in a fresh interpreter.

ansible-core compiles a collection's Python from source on every run: on the controller
(ansible/utils/collection_loader/_collection_finder.py, get_code) and on the target (AnsiballZ ships no bytecode).
The strategy loads every task's action plugin in the main process, skipped tasks included. So a re-run must not
import what only a change needs (docs/performance.md).
"""

import os
import pathlib
import subprocess
import sys
import textwrap

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import FILE_TYPES
from ansible_collections.effective.wsl.plugins.module_utils._wslconfspec import ARGUMENT_SPEC

# The child interpreter imports the collection from the same path as this test run.
ENVIRONMENT = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if pathlib.Path(p).is_dir()))

# loaded(*names): which of these collection modules the child has imported so far, sorted.
PRELUDE = """
import sys

def loaded(*names):
    return sorted(name.rsplit(".", 1)[-1] for name in sys.modules if name.rsplit(".", 1)[-1] in names)
"""


def child_output(code: str) -> list[str]:
    program = PRELUDE + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, env=ENVIRONMENT)
    return done.stdout.splitlines()


def test_gathering_wsl_facts_loads_only_the_reading_half():
    """wsl_facts (and wsl_distro_plan) read /etc/wsl.conf: the editor, the byte codecs and the .wslconfig schema stay
    unloaded while they gather. The .wslconfig schema is loaded on the first .wslconfig lookup."""
    output = child_output(
        r"""
        from ansible_collections.effective.wsl.plugins.module_utils import _wslconf, _wslfacts

        files = {
            "/proc/version": "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@host) #1 SMP\n",
            "/etc/wsl.conf": "[automount]\nroot = /win\n[boot]\nsystemd=1\n",
        }
        _wslfacts.read_text = files.get  # a WSL distro's files, whatever this machine is

        class NoCommands:
            def get_bin_path(self, name):
                return None

        optional = ("_wslconf_edit", "_wslconf_codec", "_wslconfig_schema")
        facts = _wslfacts.gather(NoCommands())
        print(facts["is_wsl"], facts["automount"]["root"], facts["systemd"]["enabled_in_wsl_conf"])
        print(loaded(*optional))
        print(_wslconf.effective_settings("[wsl2]\nmemory=1GB\n", "wslconfig"))
        print(loaded(*optional))
        """
    )
    assert output == [
        "True /win/ True",
        "[]",
        "{'wsl2': {'memory': 1073741824}}",
        "['_wslconfig_schema']",
    ]


def test_editing_wsl_conf_leaves_the_wslconfig_only_modules_unloaded():
    """The plan's check of /etc/wsl.conf and wsl_config on it validate and decide without the .wslconfig schema and
    the .wslconfig effect rules; the first .wslconfig edit with a policy loads both."""
    output = child_output(
        """
        from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import update, validate_settings

        optional = ("_wslconf_effect", "_wslconfig_schema")
        requested, _warnings = validate_settings({"boot": {"systemd": True}}, "wslconf", "error")
        result = update(b"[boot]\\nsystemd=false\\n", "wslconf", requested, {"AllowNetworkingModeUserSetting": 0})
        print(repr(result.after))
        print(loaded(*optional))
        requested, _warnings = validate_settings({"wsl2": {"networkingMode": "mirrored"}}, "wslconfig", "error")
        result = update(b"", "wslconfig", requested, {"AllowNetworkingModeUserSetting": 0})
        print(len(result.warnings), loaded(*optional))
        """
    )
    assert output == ["'[boot]\\nsystemd=true\\n'", "[]", "1 ['_wslconf_effect', '_wslconfig_schema']"]


def test_loading_the_roles_action_plugins_compiles_neither_engine_nor_restart_model():
    """What the strategy loads in the main process for a re-run of the distro side (roles wsl_distro and
    wsl_ca_trust): the plan's, wsl_config's and the CA import's action plugins. The wsl.conf engine is imported when
    wsl_config runs, the restart model when the plan checks a restart for a changing /etc/wsl.conf."""
    output = child_output(
        """
        from ansible_collections.effective.wsl.plugins.action import wsl_ca_import, wsl_config, wsl_distro_plan

        print(loaded("_wslconf", "_wslconf_edit", "_wslconf_codec", "wsl_restart", "_restart", "_wslnet", "_trust"))
        """
    )
    assert output == ["[]"]


def test_wsl_configs_type_choices_are_the_engines_file_types():
    assert ARGUMENT_SPEC["type"]["choices"] == list(FILE_TYPES)
