"""failure_detail: the detail of a failed module result, whatever field ansible-core put it in."""

from __future__ import annotations

import pytest

from ansible_collections.effective.wsl.plugins.plugin_utils._module_results import failure_detail


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"failed": True, "msg": "disk full"}, "disk full"),
        ({"failed": True, "msg": None, "module_stderr": "Permission denied\n"}, "Permission denied"),
        ({"failed": True, "msg": "", "module_stderr": "", "module_stdout": "Traceback ..."}, "Traceback ..."),
        ({"failed": True, "exception": "OSError: [Errno 28]"}, "OSError: [Errno 28]"),
        ({"failed": True}, "the module failed without a message"),
    ],
)
def test_failure_detail(result, expected):
    assert failure_detail(result) == expected
