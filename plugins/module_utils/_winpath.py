# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows path <-> distro path translation, like ``wslpath`` (private engine).

This module is private to effective.wsl and may change at any time. It is pure (no file system
access) and needs only the standard library, because it ships to the distro with the modules.

Rules (microsoft/WSL src/linux/init/wslpath.cpp, and automount.root in src/linux/init/WslDistributionConfig.cpp):

- A drive path ``C:\\Users\\x`` lives under the automount root: ``/mnt/c/Users/x`` (drive letter
  lower-cased). The root defaults to ``/mnt/`` and always ends with ``/`` (WSL adds it).
- ``\\\\wsl$\\<distro>\\...`` and ``\\\\wsl.localhost\\<distro>\\...`` name a path inside a distro.
- The reverse: a path under ``<root><letter>`` becomes ``C:\\...``; every other Linux path becomes
  ``\\\\wsl.localhost\\<distro>\\...``. ``separator='/'`` gives the ``wslpath -m`` form.

Results are canonical: separators collapsed, ``.`` dropped, ``..`` resolved lexically and trailing
separators removed. Symlinks are never resolved (that needs the file system).
"""

from __future__ import annotations

import posixpath
import re

from ansible_collections.effective.wsl.plugins.module_utils._typename import builtin_type_name

DEFAULT_AUTOMOUNT_ROOT = "/mnt/"
WSL_UNC_HOSTS = ("wsl.localhost", "wsl$")
WINDOWS_SEPARATORS = ("\\", "/")

_SEPARATOR_RE = re.compile(r"[\\/]+")
_DRIVE_RE = re.compile(r"^(?P<letter>[^\\/]):(?P<rest>.*)$", re.DOTALL)
_CMD_VARIABLE_RE = re.compile(r"%[A-Za-z_][A-Za-z0-9_()#$@{}\[\]~.-]*%")
_POWERSHELL_VARIABLE_RE = re.compile(r"\$env:[A-Za-z_][A-Za-z0-9_]*", re.IGNORECASE)
_DEVICE_PREFIXES = ("\\\\?\\", "\\\\.\\", "//?/", "//./", "\\??\\")
_KNOWN_FOLDERS_HINT = (
    "expand it first, for example with the real folder from ansible_facts.wsl_host.known_folders "
    "(effective.wsl.wsl_host_facts)"
)


class WinPathError(ValueError):
    """A path that cannot be translated; the message names the path and what is allowed."""


def normalize_automount_root(root: str) -> str:
    """Return the automount root the way WSL uses it: absolute, normalised, ending with ``/``.

    ``[automount] root`` gets a trailing ``/`` when it has none (microsoft/WSL src/linux/init/WslDistributionConfig.cpp,
    DrvFsPrefix).
    """
    if not isinstance(root, str) or not root.strip():
        raise WinPathError(f"automount root must be an absolute Linux path such as '/mnt/', got {root!r}")
    if not root.startswith("/"):
        raise WinPathError(f"automount root must be an absolute Linux path such as '/mnt/', got '{root}'")
    normalized = posixpath.normpath(root)
    if normalized.startswith("//"):
        normalized = "/" + normalized.lstrip("/")
    return normalized if normalized.endswith("/") else normalized + "/"


def drive_mount_point(letter: str, automount_root: str = DEFAULT_AUTOMOUNT_ROOT) -> str:
    """Return where drive ``letter`` is mounted: ``/mnt/c`` for ``C``."""
    return normalize_automount_root(automount_root) + _checked_drive_letter(letter, letter + ":").lower()


def drive_letter_of(distro_path: str, automount_root: str = DEFAULT_AUTOMOUNT_ROOT) -> str | None:
    """Return the upper-case drive letter when ``distro_path`` lies under a drive mount, else None.

    Only a lower-case single letter right below the root is a drive mount (``/mnt/c``, not ``/mnt/C``
    or ``/mnt/cd``): WSL mounts drives with lower-case names.
    """
    root = normalize_automount_root(automount_root)
    path = _normalize_linux_path(distro_path)
    if not (path + "/").startswith(root) or path + "/" == root:
        return None
    first = path[len(root) :].split("/", 1)[0]
    if len(first) == 1 and "a" <= first <= "z":
        return first.upper()
    return None


def to_wsl_path(path: str, automount_root: str = DEFAULT_AUTOMOUNT_ROOT, distro: str | None = None) -> str:
    """Translate a Windows path to the path inside the distro, like ``wslpath -u``.

    An absolute Linux path is returned normalised. ``distro``, when given, must match the distro
    named by a ``\\\\wsl$\\<distro>`` or ``\\\\wsl.localhost\\<distro>`` path (case-insensitively).
    """
    if not isinstance(path, str):
        raise WinPathError(f"path must be a string, got {builtin_type_name(path)} {path!r}")
    root = normalize_automount_root(automount_root)
    if not path:
        raise WinPathError("path is empty; give an absolute Windows path such as 'C:\\Users' or a Linux path")
    if path.startswith("/") and not path.startswith("//"):
        return _normalize_linux_path(path)
    _reject_unexpanded_variables(path)
    if path.startswith(_DEVICE_PREFIXES):
        raise WinPathError(
            f"path '{path}' is a Windows device path ('\\\\?\\' or '\\\\.\\'); "
            "give the plain form such as 'C:\\Users\\name'"
        )
    if path.startswith(("\\\\", "//", "\\/", "/\\")):
        return _unc_to_linux(path, distro)
    drive = _DRIVE_RE.match(path)
    if drive:
        return _drive_to_linux(path, drive.group("letter"), drive.group("rest"), root)
    if path.startswith("\\"):
        raise WinPathError(
            f"path '{path}' has no drive letter (it is relative to the current drive); write it with one, "
            "such as 'C:\\Users\\name'"
        )
    if path.startswith("~"):
        raise WinPathError(f"path '{path}' starts with '~'; expand it to an absolute path first")
    raise WinPathError(
        f"path '{path}' is relative; give an absolute Windows path such as 'C:\\Users\\name' "
        "or an absolute Linux path such as '/home/name'"
    )


def to_windows_path(
    path: str,
    automount_root: str = DEFAULT_AUTOMOUNT_ROOT,
    distro: str | None = None,
    separator: str = "\\",
) -> str:
    """Translate a distro path to a Windows path, like ``wslpath -w`` (``separator='/'``: ``-m``).

    Paths under a drive mount become ``C:\\...``; other paths become ``\\\\wsl.localhost\\<distro>\\...``,
    which needs ``distro``. A Windows path is accepted and returned in canonical form.
    """
    if separator not in WINDOWS_SEPARATORS:
        raise WinPathError(f"separator must be '\\' or '/', got {separator!r}")
    if distro is not None:
        _check_distro_name(distro)
    root = normalize_automount_root(automount_root)
    linux_path = to_wsl_path(path, root, distro)
    letter = drive_letter_of(linux_path, root)
    if letter:
        below_drive = linux_path[len(root) + 1 :].lstrip("/")
        return f"{letter}:{separator}" + below_drive.replace("/", separator)
    if distro is None:
        raise WinPathError(
            f"path '{linux_path}' is not under a drive mount of the automount root '{root}'; "
            "give distro (the WSL distribution name) to translate it to \\\\wsl.localhost\\<distro>\\..."
        )
    unc = f"{separator * 2}wsl.localhost{separator}{distro}{separator}"
    return unc + linux_path.lstrip("/").replace("/", separator)


def parse_windows_mounts(proc_mounts: str) -> list[str]:
    """Return the mount points of Windows file systems listed in ``/proc/mounts`` text.

    WSL 1 shows drives as ``drvfs``; WSL 2 as ``9p`` with the option ``aname=drvfs;path=C:\\;...``.
    Other 9p mounts (``aname=drivers`` for /usr/lib/wsl/drivers) are not Windows folders.
    """
    mount_points = []
    for line in proc_mounts.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        mount_point, fs_type, options = fields[1], fields[2], fields[3]
        if fs_type == "drvfs" or (fs_type == "9p" and any(o.startswith("aname=drvfs") for o in options.split(","))):
            mount_points.append(_unescape_mount_field(mount_point))
    return mount_points


def windows_mount_of(
    distro_path: str,
    automount_root: str = DEFAULT_AUTOMOUNT_ROOT,
    windows_mounts: list[str] | tuple[str, ...] = (),
) -> str | None:
    """Return the Windows mount ``distro_path`` lives on (a drive under the root or a drvfs/9p mount)."""
    path = _normalize_linux_path(distro_path)
    letter = drive_letter_of(path, automount_root)
    if letter:
        return drive_mount_point(letter, automount_root)
    for mount_point in sorted(windows_mounts, key=len, reverse=True):
        if mount_point == "/" or path == mount_point or path.startswith(mount_point.rstrip("/") + "/"):
            return mount_point
    return None


def _normalize_linux_path(path: str) -> str:
    normalized = posixpath.normpath(path)
    # POSIX keeps a leading '//' in normpath; on Linux it is the same directory as '/'.
    return "/" + normalized.lstrip("/") if normalized.startswith("//") else normalized


def _reject_unexpanded_variables(path: str) -> None:
    variable = _CMD_VARIABLE_RE.search(path) or _POWERSHELL_VARIABLE_RE.search(path)
    if variable:
        raise WinPathError(
            f"path '{path}' contains the unexpanded Windows environment variable {variable.group(0)}; "
            + _KNOWN_FOLDERS_HINT
        )


def _checked_drive_letter(letter: str, path: str) -> str:
    if len(letter) != 1 or not ("A" <= letter.upper() <= "Z"):
        raise WinPathError(f"drive letter '{letter}' in path '{path}' is not a letter A-Z")
    return letter


def _canonical_parts(segments: list[str]) -> list[str]:
    parts: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        parts.append(segment)
    return parts


def _drive_to_linux(path: str, letter: str, rest: str, root: str) -> str:
    _checked_drive_letter(letter, path)
    if rest and rest[0] not in WINDOWS_SEPARATORS:
        raise WinPathError(
            f"path '{path}' is relative to the current directory of drive {letter.upper()}:; "
            f"write it from the drive root, such as '{letter.upper()}:\\{rest}'"
        )
    parts = _canonical_parts(_SEPARATOR_RE.split(rest))
    return "/".join([root + letter.lower(), *parts])


def _unc_to_linux(path: str, distro: str | None) -> str:
    host, *segments = _SEPARATOR_RE.split(path.strip("\\/"))
    if host.casefold() not in WSL_UNC_HOSTS:
        raise WinPathError(
            f"path '{path}' is a UNC share that is not inside a WSL distro; it cannot be translated. "
            "Mount the share in the distro (for example with drvfs in /etc/fstab) and give the mount path, "
            "or use a drive letter path"
        )
    if not segments or not segments[0]:
        raise WinPathError(f"path '{path}' names no distro; write it as '\\\\wsl.localhost\\<distro>\\path'")
    named_distro = segments[0]
    if distro is not None and named_distro.casefold() != distro.casefold():
        raise WinPathError(f"path '{path}' is in distro '{named_distro}', not in this distro '{distro}'")
    return "/" + "/".join(_canonical_parts(segments[1:]))


def _check_distro_name(distro: str) -> None:
    if not isinstance(distro, str) or not distro or any(c in distro for c in "\\/") or distro != distro.strip():
        raise WinPathError(f"distro must be a WSL distribution name such as 'Ubuntu', got {distro!r}")


def _unescape_mount_field(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as \040, \011, \012 and \134.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)
