# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the result of a module that an action plugin ran (controller side)."""

from __future__ import annotations


def failure_detail(module_result: dict) -> str:
    """The most specific text a failed module result carries.

    A module that crashed, or whose interpreter is missing, may come back with an empty or missing ``msg``
    and the detail in ``module_stderr`` / ``module_stdout`` / ``exception``; no ansible-core version is
    relied on to fold those into ``msg``.
    """
    for key in ("msg", "module_stderr", "module_stdout", "exception"):
        text = str(module_result.get(key) or "").strip()
        if text:
            return text
    return "the module failed without a message"
