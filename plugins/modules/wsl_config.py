#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# The action plugin plugins/action/wsl_config.py validates every option first. On a Linux target it runs this
# module once: read, decide and write under a lock. On a Windows target it runs effective.wsl.wsl_config_windows
# (read, then a compare-and-swap write) and decides in between.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_config
short_description: Edit C(.wslconfig) or C(/etc/wsl.conf) key by key, the way WSL reads them
version_added: 0.1.0
description:
  - Sets or removes keys in the global WSL 2 settings file C(%UserProfile%\.wslconfig) (Windows target, or from
    inside WSL as C(/mnt/c/Users/<user>/.wslconfig)) or in a distro's C(/etc/wsl.conf).
  - Every option is validated on the controller before anything runs on the target. The decision is made by a model
    of WSL's own parser. On a Linux target one module run reads the file, decides and writes it, holding a lock on its
    folder; on a Windows target one module run reads it and, only when something changes, a second one writes it.
  - Only a regular file is read or written. A symbolic link (unless O(follow) allows it), a FIFO, a device or a
    directory at O(path) is refused before a byte is read; a Windows reparse point (symbolic link, junction) is always
    refused.
  - Writes are atomic and a compare-and-swap - a temporary file in the same folder gets the mode, owner and group of
    the file it replaces and is renamed into place only if the file still has the bytes that were read (SHA-256).
    When another program changed it in between, the task reads it again and decides again (3 times at most), so no
    update of a concurrent run is lost. A run without root never replaces a file it could not write in place.
  - Edits are minimal. A changed value is replaced in place (the key's spelling, the spacing around C(=) and an inline
    comment stay); a new key goes after the last line of its section; a missing section is appended at the end;
    V(null) removes every occurrence of a key. No other line is touched; comments, unknown keys, order, a UTF-8 or
    UTF-16 byte order mark and CRLF or LF line endings are kept. A new file is UTF-8 without BOM, with CRLF for
    C(.wslconfig) and LF for C(wsl.conf).
  - A key whose value WSL already reads as the requested one is not rewritten, even when spelled differently
    (C(memory=8192MB) satisfies V(8GB), C(networkingmode = Mirrored) satisfies V(mirrored)). A key that is absent is
    always written, even when the request equals WSL's default, because defaults differ between WSL versions.
  - Values are validated against the schema of every documented and undocumented key before anything is read, and
    written in WSL's canonical spelling. Booleans become C(true)/C(false). Sizes become the largest exact binary unit
    in upper case (V(8gb), V(8 GB), V(8192MB) and V(8589934592) all become C(8GB); C(1000) stays bytes); WSL rejects
    lower-case units. Windows paths get their backslashes escaped (C(C:\temp\k) is written C(C:\\temp\\k)). Enums get
    WSL's spelling (C(mirrored), C(NAT), C(dropCache)); C(consomme) is written C(virtioproxy), which every WSL with
    that mode reads (WSL before 2.9 rejects C(consomme)). Strings are quoted when they
    have leading or trailing blanks or a C(#), and backslashes and quotes are escaped.
  - Returns warnings for lines WSL ignores (invalid lines, unknown keys, duplicates, keys outside any section or after
    a broken section header, values WSL rejects, C(ignoredPorts) items WSL skips, non-ASCII C(.wslconfig) values),
    for what WSL turns off (everything C(safeMode) disables, bridged mode without C(vmSwitch), consomme without
    virtio), for keys that do nothing in the effective networking mode (for example C(localhostForwarding) in
    mirrored mode, C(ignoredPorts) in NAT mode, C(ipv6) outside bridged mode), for a C(hostname) WSL would clean
    (with the name WSL uses), and for requested keys that a WSL policy under
    C(HKLM\Software\Policies\WSL) overrides, when C(ansible_facts.wsl_host.policy) from
    M(effective.wsl.wsl_host_facts) is present.
  - In C(wsl.conf) WSL stops reading at the first invalid line and every later key keeps its default. This is reported
    loudly with the keys that are lost, and a request that would need a key after such a line is refused.
options:
  path:
    description:
      - The file to edit.
      - Defaults to C(%USERPROFILE%\.wslconfig) on a Windows target (the profile of the connection user, expanded on
        the target; when C(ansible_facts.wsl_host.wslconfig.path) from M(effective.wsl.wsl_host_facts) is known, that
        path), and to C(/etc/wsl.conf) on a Linux target.
      - WSL runs one VM per Windows user and reads that user's C(.wslconfig). When Ansible connects as another
        account than the desktop user, set O(path) to the desktop user's file, for example C(C:\Users\alice\.wslconfig).
    type: str
  type:
    description:
      - V(wslconfig) for a C(.wslconfig), V(wslconf) for a C(wsl.conf).
      - Inferred from the file name C(.wslconfig) or C(wsl.conf); required for any other name.
    type: str
    choices: [wslconfig, wslconf]
  settings:
    description:
      - Section name to a dict of key to value, for example C(wsl2) to C(networkingMode) to C(mirrored).
      - Section and key names are matched case-insensitively and written in WSL's spelling. The legacy
        C([experimental]) spellings of C(networkingMode), C(dnsTunneling), C(firewall) and C(autoProxy) address
        the same setting as C([wsl2]).
      - A value of V(null) removes the key.
      - C(ignoredPorts) takes a list or a comma-separated string of single ports 1-65535; ranges are refused because
        WSL would read only their first port.
      - Values for C(.wslconfig) must be ASCII (WSL reads one byte per character and would mangle the rest); values
        for C(wsl.conf) may be UTF-8.
    type: dict
    required: true
  unknown_keys:
    description:
      - V(error) refuses keys and sections WSL does not know, with the closest known name.
      - V(warn) writes them anyway with one warning when they are written (for settings newer than this
        collection); a later run that finds them in place does not warn again. Names must still be
        letters and digits starting with a letter, or WSL would treat the line as invalid.
    type: str
    choices: [error, warn]
    default: error
  follow:
    description:
      - With V(false), a symbolic link at O(path) is refused.
      - With V(true), a link is followed when its target is a regular file that the owner of the link also owns
        (so a link planted by a user can only aim at that user's own files); the target is edited and the link
        stays. Linux targets only; on a Windows target a reparse point is always refused.
    type: bool
    default: false
  policy:
    description:
      - The values under C(HKLM\Software\Policies\WSL) (name to integer), for the policy warnings.
      - Defaults to C(ansible_facts.wsl_host.policy) from M(effective.wsl.wsl_host_facts) when that is present.
    type: dict
  backup:
    description:
      - Keep a copy of the original file when it changes, named C(<path>.<pid>.<YYYYmmdd-HHMMSS>.bak) (no C(:), which
        NTFS does not allow), with the mode, owner and group of the original.
    type: bool
    default: false
  create:
    description: Create the file when it does not exist; with V(false) a missing file is an error.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The file is read and the decision is reported; nothing is written.
  diff_mode:
    support: full
    details: The diff shows the whole file before and after, decoded.
  platform:
    platforms: [windows, posix]
    details: Windows targets run M(effective.wsl.wsl_config_windows) (over WinRM or PSRP); Linux targets (a WSL
      distro, or any host that mounts the Windows profile) run this Python module.
notes:
  - Changes to C(.wslconfig) apply after C(wsl --shutdown); changes to C(wsl.conf) after C(wsl --terminate <distro>).
    RV(restart_required) says which; pass it to M(effective.wsl.wsl_restart).
  - The Windows branch is verified by unit tests that check the exact module calls and bytes and by a PowerShell parse
    check, not against a real Windows host.
  - The lock is C(flock) on the folder of the file (Linux) or a named mutex per path (Windows); it orders runs of this
    collection. Other programs are caught by the compare-and-swap.
seealso:
  - module: effective.wsl.wsl_config_windows
  - module: effective.wsl.wsl_restart
  - module: effective.wsl.wsl_host_facts
  - name: WSL advanced settings configuration
    description: Microsoft's reference for .wslconfig and wsl.conf.
    link: https://learn.microsoft.com/windows/wsl/wsl-config
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Switch WSL to mirrored networking (Windows target)
  effective.wsl.wsl_config:
    settings:
      wsl2:
        networkingMode: mirrored
      experimental:
        hostAddressLoopback: true
  register: wslconfig_result

- name: Restart WSL when the file changed
  effective.wsl.wsl_restart:
    required:
      - "{{ wslconfig_result.restart_required }}"

- name: Give the VM 8 GB of memory and no swap, and drop a custom kernel
  effective.wsl.wsl_config:
    path: C:\Users\alice\.wslconfig
    settings:
      wsl2:
        memory: 8GB
        swap: 0
        kernel: null
    backup: true

- name: Enable systemd and stop adding the Windows PATH (inside the distro)
  become: true
  effective.wsl.wsl_config:
    path: /etc/wsl.conf
    settings:
      boot:
        systemd: true
      interop:
        appendWindowsPath: false
  register: wslconf_result

- name: Edit the Windows user's .wslconfig from inside WSL
  effective.wsl.wsl_config:
    path: /mnt/c/Users/alice/.wslconfig
    settings:
      wsl2:
        networkingMode: mirrored
        dnsTunneling: true
      experimental:
        ignoredPorts: [3000, 9000]
"""

RETURN = r"""
path:
  description: The file that was read (and written), as given or defaulted; C(%VAR%) is expanded on the target.
  returned: always
  type: str
  sample: /etc/wsl.conf
type:
  description: The file type used, V(wslconfig) or V(wslconf).
  returned: always
  type: str
  sample: wslconfig
changed_keys:
  description:
    - One entry per key that changes, with C(section) and C(key) in WSL's spelling and C(before)/C(after) as typed
      values (sizes in bytes, booleans, integers, strings, port lists).
    - C(before) is V(null) when the key was absent (or the raw text when WSL rejected it); C(after) is V(null) when the
      key is removed.
  returned: always
  type: list
  elements: dict
  sample:
    - {section: wsl2, key: networkingMode, before: NAT, after: mirrored}
    - {section: wsl2, key: memory, before: null, after: 8589934592}
restart_required:
  description: V(wsl_shutdown) after a C(.wslconfig) change, V(distro_terminate) after a C(wsl.conf) change,
    else V(none).
  returned: always
  type: str
  sample: wsl_shutdown
diff:
  description: The file before and after, with the path as header.
  returned: when changed and diff mode is on
  type: dict
backup_file:
  description: The copy of the original file.
  returned: when O(backup=true) and the file changed (not in check mode)
  type: str
  sample: C:\Users\alice\.wslconfig.4242.20260101-093000.bak
warnings:
  description: Lines WSL ignores, where C(wsl.conf) parsing stops, keys without effect in the networking mode, policy
    overrides, unknown keys let through by O(unknown_keys=warn).
  returned: when there is something to say
  type: list
  elements: str
"""

import contextlib
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.effective.wsl.plugins.module_utils._safefile import (
    FileChanged,
    FileRefused,
    LockTimeout,
    locked,
    remove_stale_temps,
    write_atomically,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import validate_settings
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_file import Failure, failure_text, read_and_decide
from ansible_collections.effective.wsl.plugins.module_utils._wslconfspec import (
    ARGUMENT_SPEC,
    ATTEMPTS,
    LINUX_DEFAULT_PATH,
)


def edit(module: AnsibleModule) -> tuple[dict, list[str]]:
    """Read, decide and (unless in check mode) write the file; every attempt holds the folder's lock."""
    params = module.params
    path = params["path"] or LINUX_DEFAULT_PATH
    result = {"changed": False, "path": path, "type": params["type"], "changed_keys": [], "restart_required": "none"}
    try:
        requested, warnings = validate_settings(params["settings"], params["type"], params["unknown_keys"])
    except WslConfError as error:
        raise Failure(str(error)) from None
    directory = os.path.dirname(os.path.realpath(path) if params["follow"] else os.path.abspath(path))
    for _attempt in range(ATTEMPTS):
        with contextlib.nullcontext(False) if module.check_mode else locked(directory) as have_lock:
            if have_lock:
                remove_stale_temps(path)
            snapshot, decision = read_and_decide(path, params, requested)
            decided = {
                **result,
                "changed": decision.changed,
                "changed_keys": decision.changed_keys,
                "restart_required": decision.restart_required,
            }
            all_warnings = warnings + decision.warnings
            if module._diff and decision.changed:
                decided["diff"] = {
                    "before": decision.before,
                    "after": decision.after,
                    "before_header": path if snapshot.data is not None else f"{path} (absent)",
                    "after_header": path,
                }
            if not decision.changed or module.check_mode:
                return decided, all_warnings
            try:
                backup_file = write_atomically(snapshot.path, decision.data, expected=snapshot, backup=params["backup"])
            except FileChanged:
                continue
            except OSError as error:
                raise Failure(failure_text(path, "write", error)) from None
            if backup_file:
                decided["backup_file"] = backup_file
            return decided, all_warnings
    raise Failure(
        f"{path} was changed by another program during each of {ATTEMPTS} attempts to edit it; nothing was written"
    )


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    failed = {"changed": False, "restart_required": "none", "path": module.params["path"] or LINUX_DEFAULT_PATH}
    if module.params["type"] is None:
        module.fail_json(msg="type: set type to wslconfig or wslconf", **failed)
    try:
        result, warnings = edit(module)
    except (Failure, FileRefused, LockTimeout) as error:
        module.fail_json(msg=str(error), **failed)
    for warning in warnings:
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
