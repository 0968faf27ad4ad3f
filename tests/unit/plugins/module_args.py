"""``patch_module_args`` for every ansible-core of the test matrix (2.16 has no ansible.module_utils.testing).

Import as ``from ansible_collections.effective.wsl.tests.unit.plugins.module_args import patch_module_args``.
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 reads the arguments from basic._ANSIBLE_ARGS, as JSON bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        serialized = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", serialized):
            yield


__all__ = ["patch_module_args"]
