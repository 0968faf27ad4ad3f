# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read a .wslconfig or wsl.conf on a Linux target and decide its edit: the one read-and-decide step of
effective.wsl.wsl_config, shared with effective.wsl.wsl_distro_plan, which asks the same question read-only.

PRIVATE to the effective.wsl collection: the API may change at any time.
"""

from __future__ import annotations

import errno

from ansible_collections.effective.wsl.plugins.module_utils._safefile import Snapshot, read_regular
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import Requested, Result, update


class Failure(Exception):
    """Nothing was written; the message says why."""


def failure_text(path: str, action: str, error: OSError) -> str:
    name = errno.errorcode.get(error.errno, "") if error.errno else ""
    return f"could not {action} {path}: {error.strerror or error}" + (f" ({name})" if name else "")


def read_and_decide(path: str, params: dict, requested: list[Requested]) -> tuple[Snapshot, Result]:
    """The file as read (symbolic links refused unless ``params["follow"]``) and the engine's decision on it.
    Raises Failure, or _safefile.FileRefused for anything but a regular file."""
    try:
        snapshot = read_regular(path, follow=params["follow"])
    except OSError as error:
        raise Failure(failure_text(path, "read", error)) from None
    if snapshot.data is None and not params["create"]:
        raise Failure(f"{path} does not exist and create=false")
    try:
        decision = update(snapshot.data, params["type"], requested, params["policy"])
    except WslConfError as error:
        raise Failure(f"{path}: {error}") from None
    return snapshot, decision
