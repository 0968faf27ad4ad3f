# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection plugin: the Windows host of this WSL distro, through WSL interop (no WinRM)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: interop
short_description: Run PowerShell modules on the Windows host of this WSL distro, through WSL interop
version_added: 0.1.0
description:
  - Runs Windows PowerShell modules (C(effective.wsl)'s and C(ansible.windows)') on the Windows host that runs the
    WSL distro the controller itself runs in, by starting C(powershell.exe) through WSL interop. Nothing has to be
    set up on Windows - no WinRM listener, certificate, firewall rule or password.
  - C(powershell.exe) is started by its full path under the automount root read from C(/etc/wsl.conf), never
    looked up in C(PATH), so C([interop] appendWindowsPath=false) does not matter.
  - Each module runs like ansible-core runs PowerShell modules over SSH, pipelined - C(powershell.exe) gets the
    command line the C(powershell) shell plugin built and the module payload on standard input.
  - File transfers write and read the Windows file through the drive mounted in the distro (C(C:\) is
    C(/mnt/c) by default); paths on drives that are not mounted go through standard input and output of
    C(powershell.exe).
  - It runs as the Windows user who started WSL, with that process's elevation - normally not elevated. Tasks that
    need an administrator (the Hyper-V firewall modules) fail before they run with a message that names the
    alternatives; C(effective.wsl.wsl_host_facts) reports C(elevated).
  - It refuses, before anything runs, when the controller is not inside WSL, when interop is off (C([interop]
    enabled=false) in C(/etc/wsl.conf), or no enabled C(WSLInterop)/C(WSLInterop-late) binfmt entry), when
    C(powershell.exe) is missing, and when the target is not this distro's own Windows host.
  - The working directory of every command is O(cwd); C(~) therefore means that folder, not the user profile
    (as it does over WinRM). Exit codes above 255 arrive modulo 256 (Linux exit status).
  - See C(docs/interop.md) for how it compares with WinRM.
author:
  - effective.wsl contributors (@effective-wsl)
options:
  remote_addr:
    description:
      - The target; it must name the Windows host of this distro - V(localhost), V(127.0.0.1), V(::1), this
        distro's host name (WSL's default is the Windows computer name) or one of O(host_aliases).
    type: str
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
  host_aliases:
    description:
      - Further names of this distro's Windows host that O(remote_addr) may have, for example its DNS name.
    type: list
    elements: str
    default: []
    vars:
      - name: ansible_wsl_interop_host_aliases
  powershell_path:
    description:
      - Windows path of C(powershell.exe) (Windows PowerShell 5.1), translated to the distro path under the
        automount root of C(/etc/wsl.conf).
    type: str
    default: C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe
    env:
      - name: ANSIBLE_WSL_INTEROP_POWERSHELL_PATH
    vars:
      - name: ansible_wsl_interop_powershell_path
  cwd:
    description:
      - Windows folder on a mounted drive to start C(powershell.exe) in.
      - Empty - the root of the drive of O(powershell_path), for example C(C:).
      - A folder of the distro's own file system is refused, it would reach Windows as a network path under
        C(wsl.localhost).
    type: str
    default: ""
    vars:
      - name: ansible_wsl_interop_cwd
notes:
  - Pipelining is always on; C(become) is not supported (the session's elevation is fixed by how WSL was started).
  - What only a real Windows host can confirm is listed in C(docs/interop.md).
seealso:
  - module: effective.wsl.wsl_host_facts
"""

EXAMPLES = r"""
# Inventory: this machine's Windows, from a playbook run inside WSL.
# all:
#   hosts:
#     windows:
#       ansible_host: localhost
#       ansible_connection: effective.wsl.interop

- name: Read the Windows side without WinRM
  hosts: windows
  gather_facts: false
  tasks:
    - name: Gather WSL facts of the Windows host
      effective.wsl.wsl_host_facts:

    - name: Say whether this session could change the Hyper-V firewall
      ansible.builtin.debug:
        msg: "elevated: {{ ansible_facts.wsl_host.elevated }}"

# Ad hoc:  ansible windows -i localhost, -c effective.wsl.interop -e ansible_host=localhost -m ansible.windows.win_ping
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

from ansible_collections.effective.wsl.plugins.module_utils._winpath import drive_letter_of, drive_mount_point
from ansible_collections.effective.wsl.plugins.module_utils._wslfacts import read_text
from ansible_collections.effective.wsl.plugins.plugin_utils import _interop

display = Display()

WSL_CONF_PATH = "/etc/wsl.conf"
PROC_VERSION_PATH = "/proc/version"
BINFMT_DIR = "/proc/sys/fs/binfmt_misc"


is_mount = os.path.ismount


def wsl_conf_settings(text: str | None) -> tuple[str, bool]:
    """Automount root and ``[interop] enabled`` as WSL reads them from wsl.conf (microsoft/WSL
    src/linux/init/WslDistributionConfig.cpp, with the parser of src/shared/configfile/configfile.cpp)."""
    from ansible_collections.effective.wsl.plugins.module_utils._wslconf import default_value, effective_settings

    settings = effective_settings(text or "", "wslconf")

    def setting(section: str, key: str):
        return settings.get(section, {}).get(key, default_value("wslconf", section, key))

    root = str(setting("automount", "root"))
    return (root if root.endswith("/") else root + "/"), bool(setting("interop", "enabled"))


class Connection(ConnectionBase):
    transport = "effective.wsl.interop"
    _shell_type = "powershell"
    has_pipelining = True
    always_pipeline_modules = True  # ansible-core before 2.19 reads this instead of is_pipelining_enabled
    module_implementation_preferences = (".ps1", ".exe", "")
    allow_executable = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._powershell = ""
        self._automount_root = "/mnt/"
        self._cwd = ""
        self._elevated: bool | None = None
        self._elevation_checked = False

    def _connect(self):
        if self._connected:
            return self
        try:
            self._check()
        except _interop.InteropRefusal as refusal:
            raise AnsibleConnectionFailure(str(refusal)) from None
        display.vvv(f"WSL INTEROP: {self._powershell}", host=self.get_option("remote_addr"))
        self._connected = True
        return self

    def _check(self) -> None:
        binfmt = {name: read_text(f"{BINFMT_DIR}/{name}") for name in _interop.BINFMT_NAMES}
        _interop.refuse_outside_wsl(read_text(PROC_VERSION_PATH), dict(os.environ), binfmt)
        _interop.refuse_other_host(
            self.get_option("remote_addr"), list(self.get_option("host_aliases") or []), socket.gethostname()
        )
        self._automount_root, interop_enabled = wsl_conf_settings(read_text(WSL_CONF_PATH))
        _interop.refuse_without_interop(interop_enabled, binfmt)
        powershell_path = self.get_option("powershell_path")
        self._powershell = _interop.powershell_location(powershell_path, self._automount_root)
        _interop.refuse_missing_powershell(
            powershell_path, self._powershell, self._automount_root, os.path.isfile(self._powershell)
        )
        self._cwd = self._working_directory(self.get_option("cwd"))

    def _working_directory(self, cwd: str) -> str:
        if not cwd:
            return drive_mount_point(drive_letter_of(self._powershell, self._automount_root), self._automount_root)
        location = _interop.mounted_location(cwd, self._automount_root)
        if location is None or not os.path.isdir(location):
            raise _interop.InteropRefusal(
                f"cwd: {cwd!r} is not a folder on a Windows drive mounted in this distro; give one such as 'C:\\'"
            )
        return location

    def _environment(self) -> dict:
        # WSLENV shares distro variables with Windows programs (microsoft/WSL src/linux/init/util.cpp, WSLENV_ENV);
        # without it powershell.exe gets the environment of the Windows session that started WSL and nothing of the
        # controller's.
        return {name: value for name, value in os.environ.items() if name != "WSLENV"}

    def _run(self, argv: list[str], in_data: bytes | None) -> tuple[int, bytes, bytes]:
        display.vvvv(f"WSL INTEROP EXEC {argv[:-1]} <{len(argv[-1])} characters>", host=self.get_option("remote_addr"))
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if in_data is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self._cwd,
                env=self._environment(),
            )
        except OSError as error:
            # microsoft/WSL doc/docs/technical-documentation/interop.md: besides [interop] in wsl.conf, the lowest bit
            # of HKLM\SYSTEM\CurrentControlSet\Services\LxssManager DistributionFlags turns interop off for all users.
            raise AnsibleConnectionFailure(
                f"could not start {argv[0]} through WSL interop: {error}. If Windows programs cannot start here, "
                "interop may be off for every distro (HKLM\\SYSTEM\\CurrentControlSet\\Services\\LxssManager "
                "DistributionFlags); use a WinRM connection instead"
            ) from None
        stdout, stderr = process.communicate(in_data)
        return process.returncode, stdout, stderr

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        rc, stdout, stderr = self._run(_interop.command_argv(self._powershell, cmd), in_data)
        return rc, stdout, _interop.clixml_to_text(stderr)

    def is_pipelining_enabled(self, wrap_async: bool = False) -> bool:
        return True  # like ansible.builtin.ssh to Windows: the payload always goes on standard input

    def _mounted(self, windows_path: str) -> str | None:
        location = _interop.mounted_location(windows_path, self._automount_root)
        if location is None:
            return None
        letter = drive_letter_of(location, self._automount_root)
        return location if is_mount(drive_mount_point(letter, self._automount_root)) else None

    def put_file(self, in_path: str, out_path: str) -> None:
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self.get_option("remote_addr"))
        if not os.path.isfile(in_path):
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}")
        location = self._mounted(out_path)
        if location is None:
            with open(in_path, "rb") as source:
                data = source.read()
            self._transfer(out_path, _interop.write_file_script(out_path), data)
            return
        try:
            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(location), prefix=".ansible-put-")
        except OSError as error:
            raise AnsibleError(f"could not write {out_path} (as {location} in this distro): {error}") from None
        try:
            with os.fdopen(descriptor, "wb") as target, open(in_path, "rb") as source:
                shutil.copyfileobj(source, target)
            os.replace(temporary, location)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise AnsibleError(f"could not write {out_path} (as {location} in this distro): {error}") from None

    def fetch_file(self, in_path: str, out_path: str) -> None:
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self.get_option("remote_addr"))
        location = self._mounted(in_path)
        if location is None:
            data = self._transfer(in_path, _interop.read_file_script(in_path), None)
        else:
            try:
                with open(location, "rb") as source:
                    data = source.read()
            except OSError as error:
                raise AnsibleError(f"could not read {in_path} (as {location} in this distro): {error}") from None
        with open(out_path, "wb") as target:
            target.write(data)

    def _transfer(self, windows_path: str, script: str, in_data: bytes | None) -> bytes:
        argv = _interop.script_argv(self._powershell, script, no_input=in_data is None)
        rc, stdout, stderr = self._run(argv, in_data)
        if rc != 0:
            message = _interop.clixml_to_text(stderr).decode("utf-8", errors="replace").strip()
            raise AnsibleError(f"could not transfer {windows_path} through powershell.exe (rc {rc}): {message}")
        return stdout

    def session_is_elevated(self) -> bool | None:
        """Whether this interop session runs elevated; None when the probe gives no clear answer."""
        if not self._elevation_checked:
            self._connect()
            rc, stdout, _stderr = self._run(_interop.script_argv(self._powershell, _interop.ELEVATION_SCRIPT), None)
            self._elevated = _interop.parse_elevation(rc, stdout)
            self._elevation_checked = True
        return self._elevated

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        self._connected = False
