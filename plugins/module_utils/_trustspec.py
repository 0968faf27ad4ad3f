# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of effective.wsl.wsl_ca_import, shared by the module and its action plugin.

PRIVATE to the effective.wsl collection. Kept apart from ``_trust`` so that the action plugin, which Ansible
imports on the controller for every run of a play with this task (skipped or not), does not compile the
target-side trust-store engine (docs/performance.md).
"""

from __future__ import annotations

FAMILIES = ("debian", "redhat", "suse", "arch", "alpine")
AUTO_FAMILY = "auto"  # detected from /etc/os-release
STATES = ("present", "absent", "exact")

ARGUMENT_SPEC = {
    "certificates": {"type": "list", "elements": "raw", "default": []},
    "windows_certificates": {"type": "list", "elements": "dict", "default": []},
    "src": {"type": "list", "elements": "str", "default": []},
    "select": {
        "type": "dict",
        "options": {
            "subject": {"type": "list", "elements": "str"},
            "issuer": {"type": "list", "elements": "str"},
            "thumbprints": {"type": "list", "elements": "str"},
        },
    },
    "allow_non_ca": {"type": "bool", "default": False},
    "allow_expired": {"type": "bool", "default": False},
    "state": {"type": "str", "choices": list(STATES), "default": "present"},
    "allow_empty": {"type": "bool", "default": False},
    "family": {"type": "str", "choices": [AUTO_FAMILY, *FAMILIES], "default": AUTO_FAMILY},
    "name": {"type": "str", "default": "effective-wsl"},
    "runtime_env": {"type": "bool"},
}
