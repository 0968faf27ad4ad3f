# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters to_wsl_path and to_windows_path; documented in to_wsl_path.yml and to_windows_path.yml."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.effective.wsl.plugins.module_utils import _winpath


def to_wsl_path(path, automount_root=_winpath.DEFAULT_AUTOMOUNT_ROOT, distro=None):
    try:
        return _winpath.to_wsl_path(path, automount_root, distro)
    except _winpath.WinPathError as error:
        raise AnsibleFilterError(f"to_wsl_path: {error}") from error


def to_windows_path(path, automount_root=_winpath.DEFAULT_AUTOMOUNT_ROOT, distro=None, separator="\\"):
    try:
        return _winpath.to_windows_path(path, automount_root, distro, separator)
    except _winpath.WinPathError as error:
        raise AnsibleFilterError(f"to_windows_path: {error}") from error


class FilterModule:
    def filters(self):
        return {"to_wsl_path": to_wsl_path, "to_windows_path": to_windows_path}
