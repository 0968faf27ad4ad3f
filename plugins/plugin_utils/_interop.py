# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of the ``effective.wsl.interop`` connection, as pure functions (private engine).

PRIVATE: this module is internal to effective.wsl and may change at any time.

The connection runs ``powershell.exe`` of the Windows host that runs this WSL distro, through WSL
interop. Everything it decides before and around that call lives here, over plain data: whether it
may run at all (the refusals), which argument vector reaches ``powershell.exe`` for a command
ansible-core's ``powershell`` shell plugin built, how Windows paths map onto the drives mounted in the
distro, and how PowerShell's CLIXML error stream reads as text.
"""

from __future__ import annotations

import base64
import ntpath
import re
import xml.etree.ElementTree as ET

from ansible_collections.effective.wsl.plugins.module_utils._winpath import (
    WinPathError,
    drive_letter_of,
    to_wsl_path,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslnet import detect_wsl, parse_binfmt_entry

DEFAULT_POWERSHELL_PATH = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
# microsoft/WSL src/linux/init/binfmt.h: LX_INIT_BINFMT_NAME "WSLInterop" and LX_INIT_BINFMT_NAME_LATE
# "WSLInterop-late" (registered again by the wsl-binfmt systemd unit, after systemd-binfmt).
BINFMT_NAMES = ("WSLInterop", "WSLInterop-late")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# What the powershell shell plugin writes as the program of the commands it builds, compared case-insensitively
# (ansible-core 2.21 ansible/_internal/_powershell/_script.py get_pwsh_encoded_cmdline: pwsh_path defaults to
# 'powershell', module_common takes it from the '#!powershell' shebang; 2.16-2.20 plugins/shell/powershell.py
# _common_args: 'PowerShell').
POWERSHELL_NAMES = ("powershell", "powershell.exe")
COMMON_ARGUMENTS = ("-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted")
ELEVATION_ALTERNATIVES = (
    "use a WinRM connection with an administrator account (docs/winrm-from-wsl.md), or run the same play "
    "from a WSL terminal that was started as administrator (the interop connection has exactly the rights "
    "of the Windows process that started WSL)"
)

# A bare PowerShell argument as the shell plugin leaves it unquoted: ansible-core 2.21 quotes any word outside its
# _PWSH_BARE_CMD set of characters (ansible/_internal/_powershell/_script.py); 2.16-2.20 join the words of
# `PowerShell ... -EncodedCommand <base64>` with spaces and quote none, so the base64 word keeps its `+` and `=`
# (lib/ansible/plugins/shell/powershell.py _encode_script). In PowerShell's argument mode both are literal.
_BARE_TOKEN = re.compile(r"[\w\-\\.\[\]/~!%^:+=]+")
# PowerShell treats these four as single quotes too (SpecialChars.QuoteSingleLeft, QuoteSingleRight, QuoteSingleBase,
# QuoteReversed in PowerShell/PowerShell src/System.Management.Automation/engine/parser/CharTraits.cs); inside a
# quoted string each is escaped by doubling.
_QUOTES = "'\u2018\u2019\u201a\u201b"
_CLIXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CLIXML_HEADER = b"#< CLIXML"


class InteropRefusal(Exception):
    """The connection must not run: the message says why and what to do instead."""


def refuse_outside_wsl(proc_version: str | None, env: dict, binfmt_texts: dict[str, str | None]) -> None:
    """Raise unless this controller runs inside a WSL distro (``detect_wsl``: kernel name, WSL_DISTRO_NAME set by
    microsoft/WSL src/linux/init/config.cpp, the WSLInterop binfmt entry)."""
    binfmt = next((text for text in binfmt_texts.values() if text), None)
    if not detect_wsl(proc_version, env, binfmt)["is_wsl"]:
        raise InteropRefusal(
            "the effective.wsl.interop connection works only from inside a WSL distro (no Microsoft kernel in "
            "/proc/version, no WSL_DISTRO_NAME/WSL_INTEROP, no WSLInterop binfmt entry here); reach a Windows host "
            "from elsewhere with ansible.builtin.winrm, ansible.builtin.psrp or ansible.builtin.ssh"
        )


def refuse_without_interop(wsl_conf_interop_enabled: bool, binfmt_texts: dict[str, str | None]) -> None:
    """Raise when interop is off for this distro or not registered in the VM ([interop] enabled of wsl.conf, the
    WSLInterop binfmt entry: microsoft/WSL doc/docs/technical-documentation/interop.md)."""
    if not wsl_conf_interop_enabled:
        raise InteropRefusal(
            "WSL interop is turned off for this distro: /etc/wsl.conf sets [interop] enabled=false. Set it to true "
            "(effective.wsl.wsl_config) and restart the distro (wsl --terminate <distro>), or use a WinRM "
            "connection instead"
        )
    entries = {name: parse_binfmt_entry(text) for name, text in binfmt_texts.items()}
    if not any(entry and entry["enabled"] for entry in entries.values()):
        state = "disabled" if any(entries.values()) else "not registered"
        raise InteropRefusal(
            f"WSL interop is {state}: no enabled {' or '.join(BINFMT_NAMES)} entry in /proc/sys/fs/binfmt_misc, so "
            "Windows programs cannot start from this distro. A systemd shutdown can remove it ([boot] protectBinfmt "
            "in /etc/wsl.conf); wsl --shutdown and a new WSL session register it again. Or use a WinRM connection"
        )


def refuse_other_host(host: str | None, aliases: list[str], hostname: str | None) -> None:
    """Raise unless ``host`` names the Windows host of this distro.

    Interop reaches exactly one Windows: the one running this distro. Accepted are the loopback names,
    this distro's host name (the name the Windows side sends unless ``[network] hostname`` sets one: microsoft/WSL
    src/linux/init/config.cpp) and the names the inventory lists in ``host_aliases``; anything else is
    another machine that must not silently get this machine's Windows instead.
    """
    accepted = [*LOOPBACK_NAMES, *(name for name in [hostname] if name), *aliases]
    if host and host.strip().lower().rstrip(".") in {name.lower().rstrip(".") for name in accepted}:
        return
    raise InteropRefusal(
        f"host {host!r} is not the Windows host of this WSL distro: the effective.wsl.interop connection can only "
        f"reach the Windows that runs this distro, reached as one of {', '.join(accepted)}. Set ansible_host to "
        "localhost (or list the name in ansible_wsl_interop_host_aliases) for this machine; use "
        "ansible.builtin.winrm or ansible.builtin.psrp for other hosts"
    )


def powershell_location(powershell_path: str, automount_root: str) -> str:
    """Where ``powershell.exe`` (a Windows path) lives in the distro, under the automount root."""
    try:
        location = to_wsl_path(powershell_path, automount_root)
    except WinPathError as error:
        raise InteropRefusal(f"powershell_path: {error}") from None
    if not drive_letter_of(location, automount_root):
        raise InteropRefusal(
            f"powershell_path: {powershell_path!r} is not on a Windows drive; give the Windows path of "
            f"powershell.exe, such as {DEFAULT_POWERSHELL_PATH!r}"
        )
    return location


def refuse_missing_powershell(powershell_path: str, location: str, automount_root: str, is_file: bool) -> None:
    if not is_file:
        raise InteropRefusal(
            f"powershell.exe not found: {powershell_path} should be {location} in this distro (automount root "
            f"{automount_root!r} from /etc/wsl.conf). Check that [automount] enabled is true and the drive is "
            "mounted, or set ansible_wsl_interop_powershell_path to where Windows PowerShell 5.1 is"
        )


def mounted_location(windows_path: str, automount_root: str) -> str | None:
    """The distro path of a Windows drive path (``C:\\...``); None for UNC and other paths."""
    try:
        location = to_wsl_path(windows_path, automount_root)
    except WinPathError:
        return None
    if windows_path.startswith("/") or not drive_letter_of(location, automount_root):
        return None
    return location


def split_statement(command: str) -> list[str] | None:
    """Split a PowerShell command statement built by the shell plugin into its words.

    The shell plugin joins a program and its arguments into one statement: each word bare or in
    single quotes (quotes doubled inside), a quoted program behind the call operator ``&``
    (ansible/_internal/_powershell/_script.py ``build_pwsh_cmd_statement``; before 2.21 every word
    bare, see ``_BARE_TOKEN``). Anything else (a script, a pipeline, a variable) returns None: it is run
    as a script instead.
    """
    words: list[str] = []
    position = 0
    text = command.strip()
    if text.startswith("& ") and text[2:3] in _QUOTES:
        position = 2
    while position < len(text):
        if text[position] in _QUOTES:
            word, position = _quoted_word(text, position + 1)
            if word is None:
                return None
        else:
            end = text.find(" ", position)
            end = len(text) if end < 0 else end
            word = text[position:end]
            if not _BARE_TOKEN.fullmatch(word):
                return None
            position = end
        words.append(word)
        if position < len(text):
            if text[position] != " ":
                return None
            position += 1
    return words or None


def _quoted_word(text: str, position: int) -> tuple[str | None, int]:
    word = []
    while position < len(text):
        char = text[position]
        if char in _QUOTES:
            if position + 1 < len(text) and text[position + 1] in _QUOTES:
                word.append(char)
                position += 2
                continue
            return "".join(word), position + 1
        word.append(char)
        position += 1
    return None, position


def encode_script(script: str) -> str:
    """``-EncodedCommand`` takes base64 of the UTF-16LE script (powershell.exe -Help; about_PowerShell_exe)."""
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def script_argv(powershell: str, script: str, no_input: bool = False) -> list[str]:
    argv = [powershell, *COMMON_ARGUMENTS]
    if no_input:
        argv += ["-InputFormat", "None"]
    return [*argv, "-EncodedCommand", encode_script(script)]


def command_argv(powershell: str, command: str) -> list[str]:
    """The argument vector for one command the action layer hands to ``exec_command``.

    A ``powershell ...`` statement (every module run, temp directory and cleanup the shell plugin
    builds) starts ``powershell.exe`` with exactly those arguments, as the remote shell of an SSH
    connection would: the module payload then arrives on standard input. Any other command (``raw``)
    runs as the script of one ``powershell.exe``, with UTF-8 output and its failure as exit code.
    """
    words = split_statement(command)
    if words and ntpath.basename(words[0]).lower() in POWERSHELL_NAMES:
        return [powershell, *words[1:]]
    return script_argv(powershell, raw_command_script(command))


def raw_command_script(command: str) -> str:
    # Unverified: the console code page powershell.exe writes with when started through interop (no source found);
    # the script sets UTF-8 itself rather than rely on it.
    return (
        "try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch {}\n"
        f"{command}\n"
        "if (-not $?) { if ($LASTEXITCODE) { exit $LASTEXITCODE } exit 1 }\n"
    )


def quote(value: str) -> str:
    """A PowerShell single-quoted string literal of ``value``."""
    return "'" + re.sub(f"([{_QUOTES}])", r"\1\1", value) + "'"


def write_file_script(windows_path: str) -> str:
    """Copy standard input, byte for byte, into ``windows_path`` (transfers outside the mounted drives)."""
    return (
        "$ErrorActionPreference = 'Stop'\n"
        f"$target = [System.IO.File]::Create({quote(windows_path)})\n"
        "try { [Console]::OpenStandardInput().CopyTo($target) } finally { $target.Dispose() }\n"
    )


def read_file_script(windows_path: str) -> str:
    """Copy ``windows_path``, byte for byte, to standard output."""
    return (
        "$ErrorActionPreference = 'Stop'\n"
        f"$source = [System.IO.File]::OpenRead({quote(windows_path)})\n"
        "try { $out = [Console]::OpenStandardOutput(); $source.CopyTo($out); $out.Flush() } "
        "finally { $source.Dispose() }\n"
    )


# The Windows process of an interop call is started by the user's wsl.exe or wslhost.exe (microsoft/WSL
# doc/docs/technical-documentation/interop.md), so its elevation is theirs; read it at run time.
ELEVATION_SCRIPT = (
    "([System.Security.Principal.WindowsPrincipal][System.Security.Principal.WindowsIdentity]::GetCurrent())"
    ".IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)\n"
)


def parse_elevation(rc: int, stdout: bytes) -> bool | None:
    """True/False from the elevation probe; None when it did not answer clearly."""
    answer = stdout.decode("utf-8", errors="replace").strip().lower()
    if rc != 0 or answer not in ("true", "false"):
        return None
    return answer == "true"


def elevation_refusal(what: str, elevated: bool | None) -> str | None:
    """The failure message for a task that needs an elevated session, or None when it may run."""
    if elevated:
        return None
    state = "is not elevated" if elevated is False else "could not be checked for elevation"
    return f"{what} needs an elevated (administrator) session, and this WSL interop session {state}: " + (
        ELEVATION_ALTERNATIVES
    )


def clixml_to_text(stderr: bytes) -> bytes:
    """PowerShell serialises its error stream as CLIXML (``#< CLIXML`` then ``<Objs>``) on a redirected stderr.

    Return the text of its ``<S S="Error">`` strings (``_xHHHH_`` escapes decoded, as in MS-PSRP
    2.2.5.3.2); other streams (progress, verbose) are dropped. Anything that is not such a document is
    returned unchanged.
    """
    start = stderr.find(_CLIXML_HEADER)
    if start < 0:
        return stderr
    document = stderr[start + len(_CLIXML_HEADER) :].strip()
    try:
        root = ET.fromstring(document)
    except ET.ParseError:
        return stderr
    errors = [
        element.text or ""
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "S" and element.get("S") == "Error"
    ]
    text = "".join(_CLIXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line) for line in errors)
    return stderr[:start] + text.encode("utf-8")
