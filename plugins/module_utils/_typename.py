# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The builtin type name of a value, for error messages (private to effective.wsl)."""

from __future__ import annotations


def builtin_type_name(value) -> str:
    """``str`` for a task value that ansible-core's data tagging made a ``_AnsibleTaggedStr``, and so on."""
    return next((kind for kind in type(value).__mro__ if kind.__module__ == "builtins"), type(value)).__name__
