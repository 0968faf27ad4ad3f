# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Documentation only: the Windows implementation is wsl_config_windows.ps1, which effective.wsl.wsl_config runs.

DOCUMENTATION = r"""
module: wsl_config_windows
short_description: The Windows half of effective.wsl.wsl_config - read C(.wslconfig), or replace it by compare-and-swap
version_added: 0.1.0
description:
  - M(effective.wsl.wsl_config) runs this module on a Windows target; use that module in playbooks. This one decides
    nothing and validates no setting.
  - Without O(write), it reports whether the file at O(path) exists, its SHA-256 and its bytes (base64).
  - With O(write=true), it writes O(content) only if the file still has O(expected_sha256) (an empty O(expected_sha256)
    means the file must still be absent). Otherwise it returns C(conflict=true) with the file as it is now, and writes
    nothing. The write holds a named mutex per path, writes a temporary file in the same folder, flushes it to disk
    and replaces the file with C([System.IO.File]::Replace), which keeps the attributes and ACLs of the replaced file.
  - A directory or a reparse point (symbolic link, junction) at O(path) fails the module before anything is read.
options:
  path:
    description: The file; C(%VARIABLES%) are expanded on the target.
    type: str
    required: true
  write:
    description: V(false) reports the file; V(true) replaces it with O(content) if it still has O(expected_sha256).
    type: bool
    default: false
  expected_sha256:
    description: Lower-case hex SHA-256 of the bytes the new content was computed from; empty when the file was absent.
    type: str
    default: ''
  content:
    description: The new bytes, base64.
    type: str
    default: ''
  backup:
    description: Keep the replaced file as C(<path>.<pid>.<yyyyMMdd-HHmmss>.bak) (no C(:), which NTFS does not allow).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reports the file.
  diff_mode:
    support: none
    details: M(effective.wsl.wsl_config) computes the diff.
  platform:
    platforms: windows
notes:
  - Verified by a PowerShell parse check and unit tests of M(effective.wsl.wsl_config) that pin its calls and answers;
    not run against a real Windows host here.
seealso:
  - module: effective.wsl.wsl_config
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Read the connection user's .wslconfig (effective.wsl.wsl_config does this for you)
  effective.wsl.wsl_config_windows:
    path: '%USERPROFILE%\.wslconfig'
  register: wslconfig_state
"""

RETURN = r"""
path:
  description: O(path) with the environment variables expanded.
  returned: always
  type: str
  sample: C:\Users\alice\.wslconfig
exists:
  description: Whether the file exists (when reporting, or on a conflict).
  returned: without O(write), or on a conflict
  type: bool
sha256:
  description: Lower-case hex SHA-256 of the file; empty when it does not exist.
  returned: without O(write), or on a conflict
  type: str
content:
  description: The bytes of the file, base64.
  returned: without O(write), or on a conflict
  type: str
conflict:
  description: The file no longer had O(expected_sha256); nothing was written.
  returned: with O(write=true) when the file changed
  type: bool
backup_file:
  description: The copy of the replaced file.
  returned: with O(backup=true) when the file was replaced
  type: str
  sample: C:\Users\alice\.wslconfig.4242.20260101-093000.bak
"""
