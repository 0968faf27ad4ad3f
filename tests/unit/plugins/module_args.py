"""Running a module's ``main()`` in-process, for every ansible-core of the test matrix (2.16 has no
ansible.module_utils.testing).

Import as ``from ansible_collections.effective.wsl.tests.unit.plugins.module_args import patch_module_args`` (or
``run_main``, ``run_as_target``, ``warning_messages``).
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings

try:
    from ansible.module_utils import _internal as ansible_internal
except ImportError:  # ansible-core < 2.19: module warnings always go to the module result
    ansible_internal = None

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 reads the arguments from basic._ANSIBLE_ARGS, as JSON bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        serialized = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", serialized):
            yield


def run_as_target(monkeypatch) -> None:
    """Module warnings start empty and go to the module result, as on a target, even when controller code was
    imported by other tests in this process (otherwise they go to the controller's Display)."""
    # A dict since ansible-core 2.19, a list before.
    monkeypatch.setattr(ansible_warnings, "_global_warnings", type(ansible_warnings._global_warnings)())
    if ansible_internal is not None:
        monkeypatch.setattr(ansible_internal, "is_controller", False)


def run_main(main, capsys, check_mode=False, diff=False, **args) -> dict:
    """The result ``main()`` prints for ``args``, with ``failed`` set from its exit code."""
    args = {"_ansible_check_mode": check_mode, "_ansible_diff": diff, **args}
    with patch_module_args(args), pytest.raises(SystemExit) as exit_info:
        main()
    result = json.loads(capsys.readouterr().out)
    result["failed"] = exit_info.value.code != 0
    return result


def warning_messages(result: dict) -> list[str]:
    """ansible-core 2.19 and later report warnings as structured events (the controller prints their msg),
    older releases as plain strings."""
    return [warning if isinstance(warning, str) else warning["event"]["msg"] for warning in result["warnings"]]


__all__ = ["patch_module_args", "run_as_target", "run_main", "warning_messages"]
