# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of effective.wsl.wsl_config, shared by the module and its action plugin.

PRIVATE to the effective.wsl collection. Kept apart from the module so that the action plugin, which Ansible
imports on the controller for every run of a play with this task (skipped or not), does not compile the module's
file locking and writing code, nor the wsl.conf engine (docs/performance.md).
"""

from __future__ import annotations

ARGUMENT_SPEC = {
    "path": {"type": "str"},
    "type": {"type": "str", "choices": ["wslconfig", "wslconf"]},  # _wslconf.FILE_TYPES, not imported for it
    "settings": {"type": "dict", "required": True},
    "unknown_keys": {"type": "str", "default": "error", "choices": ["error", "warn"]},
    "backup": {"type": "bool", "default": False},
    "create": {"type": "bool", "default": True},
    "follow": {"type": "bool", "default": False},
    "policy": {"type": "dict"},
}
LINUX_DEFAULT_PATH = "/etc/wsl.conf"
ATTEMPTS = 3  # reads and decisions before giving up on a file that other programs keep changing
