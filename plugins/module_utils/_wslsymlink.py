# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine of effective.wsl.wsl_symlink: translate a Windows path and converge one link, without following a
symbolic link it was not asked to. Shared by the wsl_symlink module and the links of effective.wsl.wsl_distro_plan.

``module`` arguments are an AnsibleModule (check_mode, _diff, warn); ``params`` are one link's options.
"""

from __future__ import annotations

import grp
import os
import posixpath
import pwd
import stat
import uuid
from typing import TYPE_CHECKING

from ansible_collections.effective.wsl.plugins.module_utils._winpath import (
    DEFAULT_AUTOMOUNT_ROOT,
    WinPathError,
    drive_letter_of,
    drive_mount_point,
    normalize_automount_root,
    parse_windows_mounts,
    to_wsl_path,
    windows_mount_of,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf import effective_settings

if TYPE_CHECKING:
    from ansible.module_utils.basic import AnsibleModule

WSL_CONF_PATH = "/etc/wsl.conf"
PROC_MOUNTS_PATH = "/proc/mounts"
MAX_SYMLINK_HOPS = 40
SLOW_ACCESS_ADVICE = (
    "access across the Windows and Linux file systems is slow (a git status there can take half a minute); "
    "keep source code and build trees on the Linux file system, for example under ~/src"
)


# The options of one link, as effective.wsl.wsl_symlink takes them (automount_root and project_paths are the module's
# own); the links of effective.wsl.wsl_distro_plan are validated with the same spec.
LINK_SPEC = {
    "src": {"type": "path"},
    "dest": {"type": "path", "required": True},
    "state": {"type": "str", "choices": ["link", "absent"], "default": "link"},
    "force": {"type": "bool", "default": False},
    "require_target": {"type": "bool", "default": True},
    "parents": {"type": "bool", "default": False},
    "owner": {"type": "str"},
    "group": {"type": "str"},
}
LINK_REQUIRED_IF = [("state", "link", ("src",))]


class SymlinkError(Exception):
    """Bad input or a state the module refuses to touch; nothing has been changed."""


def read_automount_root(wsl_conf_path: str) -> str:
    """Return ``[automount] root`` of wsl.conf, or the WSL default when the file or key is missing."""
    try:
        with open(wsl_conf_path, encoding="utf-8", errors="surrogateescape") as wsl_conf:
            text = wsl_conf.read()
    except FileNotFoundError:
        return DEFAULT_AUTOMOUNT_ROOT
    except OSError as error:
        raise SymlinkError(f"cannot read {wsl_conf_path} for the automount root: {error.strerror}") from error
    root = effective_settings(text, "wslconf").get("automount", {}).get("root")
    return root or DEFAULT_AUTOMOUNT_ROOT


def distro_automount_root() -> str:
    """The automount root of this distro's wsl.conf, normalized (trailing slash)."""
    try:
        return normalize_automount_root(read_automount_root(WSL_CONF_PATH))
    except WinPathError as error:
        raise SymlinkError(f"[automount] root in {WSL_CONF_PATH}: {error}") from error


def read_windows_mounts(proc_mounts_path: str) -> list[str]:
    try:
        with open(proc_mounts_path, encoding="utf-8", errors="surrogateescape") as mounts:
            return parse_windows_mounts(mounts.read())
    except OSError:
        return []


def check_home_expanded(value: str, option: str) -> str:
    """Options of type path arrive with ~ and ~user expanded; a ~ left over names a user that does not exist."""
    if value.startswith("~"):
        user = value[1:].split("/", 1)[0]
        raise SymlinkError(f"{option}: cannot expand '{value}': there is no user '{user}' on the target")
    return value


def translate(value: str, option: str, automount_root: str, distro: str | None) -> str:
    try:
        return to_wsl_path(check_home_expanded(value, option), automount_root, distro)
    except WinPathError as error:
        raise SymlinkError(f"{option}: {error}") from error


def resolve_id(name: str | None, option: str) -> int:
    if name is None:
        return -1
    lookup = pwd.getpwnam if option == "owner" else grp.getgrnam
    try:
        entry = lookup(name)
    except KeyError:
        if name.isdigit():
            return int(name)
        kind = "user" if option == "owner" else "group"
        raise SymlinkError(
            f"{option}: there is no {kind} '{name}' on the target (give a name or a numeric id)"
        ) from None
    return entry.pw_uid if option == "owner" else entry.gr_gid


def describe(parent: Parent) -> tuple[str, str | None]:
    """Return (kind, link target) of the entry: kind is absent, link, directory, file or special file."""
    if parent.missing:
        return "absent", None
    try:
        mode = parent.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "absent", None
    if stat.S_ISLNK(mode):
        return "link", parent.call(os.readlink, parent.name, dir_fd=parent.fd)
    if stat.S_ISDIR(mode):
        return "directory", None
    return ("file" if stat.S_ISREG(mode) else "special file"), None


def points_to(dest: str, link_target: str, src: str) -> bool:
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), link_target)) == src


def resolved_location(path: str) -> str:
    """Where ``path`` itself lives with the symlinks of its parents resolved (the last component kept)."""
    return posixpath.join(os.path.realpath(posixpath.dirname(path)), posixpath.basename(path))


def resolution_passes(path: str, location: str) -> bool:
    """True when resolving ``path`` (following every symlink on the way) reaches ``location``."""
    pending = [part for part in path.split("/") if part]
    current = "/"
    followed = 0
    while pending:
        part = pending.pop(0)
        if part == ".":
            continue
        if part == "..":
            current = posixpath.dirname(current)
            continue
        candidate = posixpath.join(current, part)
        if candidate == location:
            return True
        if not os.path.islink(candidate):
            current = candidate
            continue
        followed += 1
        if followed > MAX_SYMLINK_HOPS:
            return False
        target = os.readlink(candidate)
        current = "/" if target.startswith("/") else current
        pending = [part for part in target.split("/") if part] + pending
    return False


_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


def controlled_by_another_user(link: os.stat_result, folder: os.stat_result) -> bool:
    """Whether someone other than root owns the link, or could replace it (owns or may write its folder)."""
    if link.st_uid != 0 or folder.st_uid != 0:
        return True
    others_may_write = folder.st_mode & 0o002 or (folder.st_mode & 0o020 and folder.st_gid != 0)
    return bool(others_may_write) and not folder.st_mode & stat.S_ISVTX


class Parent:
    """The folder of ``dest``, held open: every change is made relative to it (``dir_fd``), so nothing a user
    renames or links afterwards redirects the change. Missing folders below the deepest existing one are listed
    in ``missing`` (then ``fd`` is that deepest folder)."""

    def __init__(self, dest: str):
        self.dest = dest
        self.name = posixpath.basename(dest)
        self.fd, self.path, self.missing = self._walk(posixpath.dirname(dest))

    def _walk(self, directory: str) -> tuple[int, str, list[str]]:
        """Follow the path from / one folder at a time. As root, a symbolic link that another user controls is
        refused instead of followed (it could aim the change at any folder); other links are followed."""
        pending = [part for part in directory.split("/") if part]
        descriptor, current, followed = os.open("/", _DIRECTORY_FLAGS), "/", 0
        try:
            while pending:
                part = pending.pop(0)
                if part == ".":
                    continue
                if part == "..":
                    current = posixpath.dirname(current)
                    descriptor = self._reopen(descriptor, current)
                    continue
                here = posixpath.join(current, part)
                try:
                    status = os.lstat(part, dir_fd=descriptor)
                except FileNotFoundError:
                    missing = [here]
                    for rest in pending:
                        missing.append(posixpath.normpath(posixpath.join(missing[-1], rest)))
                    return descriptor, current, missing
                if stat.S_ISLNK(status.st_mode):
                    if os.geteuid() == 0 and controlled_by_another_user(status, os.fstat(descriptor)):
                        raise SymlinkError(
                            f"dest: '{here}' is a symbolic link that user {user_name(status.st_uid)} controls (owns "
                            f"it, or may replace it in '{current}'); run as root, wsl_symlink does not follow it, "
                            "because it could aim the change at any folder. Give the real path, or run the task as "
                            "that user (become_user)"
                        )
                    followed += 1
                    if followed > MAX_SYMLINK_HOPS:
                        raise SymlinkError(f"dest: too many levels of symbolic links in '{directory}'")
                    target = os.readlink(part, dir_fd=descriptor)
                    if target.startswith("/"):
                        current = "/"
                        descriptor = self._reopen(descriptor, current)
                    pending = [item for item in target.split("/") if item] + pending
                    continue
                if not stat.S_ISDIR(status.st_mode):
                    raise SymlinkError(
                        f"dest: '{here}' is not a directory, so '{self.dest}' cannot be created below it"
                    )
                opened = os.open(part, _DIRECTORY_FLAGS | os.O_NOFOLLOW, dir_fd=descriptor)
                os.close(descriptor)
                descriptor, current = opened, here
            return descriptor, current, []
        except BaseException:
            os.close(descriptor)
            raise

    @staticmethod
    def _reopen(descriptor: int, path: str) -> int:
        os.close(descriptor)
        return os.open(path, _DIRECTORY_FLAGS)

    def call(self, function, *args, **kwargs):
        """Run an os function relative to the folder; errors name the full path."""
        try:
            return function(*args, **kwargs)
        except OSError as error:
            raise OSError(error.errno, error.strerror, posixpath.join(self.path, self.name)) from None

    def lstat(self) -> os.stat_result:
        return os.lstat(self.name, dir_fd=self.fd)

    def make_missing(self, uid: int, gid: int) -> None:
        """Create the missing folders (mode 0755 whatever the umask), each opened without following links."""
        for directory in self.missing:
            name = posixpath.basename(directory)
            self.path = directory
            os.mkdir(name, 0o755, dir_fd=self.fd)
            if uid != -1 or gid != -1:
                os.chown(name, uid, gid, dir_fd=self.fd, follow_symlinks=False)
            opened = os.open(name, _DIRECTORY_FLAGS | os.O_NOFOLLOW, dir_fd=self.fd)
            os.fchmod(opened, 0o755)
            os.close(self.fd)
            self.fd = opened
        self.missing = []

    def close(self) -> None:
        os.close(self.fd)


def check_src(src: str, dest: str, automount_root: str) -> None:
    letter = drive_letter_of(src, automount_root)
    if letter and not os.path.isdir(drive_mount_point(letter, automount_root)):
        raise SymlinkError(
            f"src: drive {letter}: is not mounted ({drive_mount_point(letter, automount_root)} does not exist); "
            f"the link to '{src}' would not work"
        )
    if resolution_passes(src, resolved_location(dest)):
        raise SymlinkError(
            f"dest: '{dest}' is src '{src}' or lies on its path (symlinks resolved); the link would point to itself"
        )


def diff_text(kind: str, target: str | None, ownership: list[str]) -> str:
    return "\n".join([target if kind == "link" else kind, *ownership]) + "\n"


def current_ownership(status: os.stat_result, owner: str | None, group: str | None, uid: int, gid: int) -> list[str]:
    """Diff lines for the owner/group asked for, as they are on the link now."""
    lines = []
    if owner is not None:
        lines.append(f"owner: {owner if status.st_uid == uid else user_name(status.st_uid)}")
    if group is not None:
        lines.append(f"group: {group if status.st_gid == gid else group_name(status.st_gid)}")
    return lines


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def create_link(src: str, parent: Parent, uid: int, gid: int) -> None:
    """Write the link at a temporary name and rename it over the entry; uid/gid -1 keep the creator's."""
    temporary = f".{parent.name}.{uuid.uuid4().hex}.wsl_symlink"
    os.symlink(src, temporary, dir_fd=parent.fd)
    try:
        created = os.lstat(temporary, dir_fd=parent.fd)
        if uid not in (-1, created.st_uid) or gid not in (-1, created.st_gid):
            os.chown(temporary, uid, gid, dir_fd=parent.fd, follow_symlinks=False)
        parent.call(os.replace, temporary, parent.name, src_dir_fd=parent.fd, dst_dir_fd=parent.fd)
    except BaseException:
        os.unlink(temporary, dir_fd=parent.fd)
        raise


def slow_paths(dest: str, project_paths: list[str], automount_root: str, distro: str | None) -> list[str]:
    windows_mounts = read_windows_mounts(PROC_MOUNTS_PATH)
    candidates = [resolved_location(dest)]
    candidates += [os.path.realpath(translate(path, "project_paths", automount_root, distro)) for path in project_paths]
    return [path for path in candidates if windows_mount_of(path, automount_root, windows_mounts)]


def run(module: AnsibleModule, params: dict) -> dict:
    state = params["state"]
    if params["automount_root"]:
        try:
            automount_root = normalize_automount_root(params["automount_root"])
        except WinPathError as error:
            raise SymlinkError(f"automount_root: {error}") from error
    else:
        automount_root = distro_automount_root()
    distro = os.environ.get("WSL_DISTRO_NAME") or None
    dest = translate(params["dest"], "dest", automount_root, distro)
    if dest == "/":
        raise SymlinkError("dest: '/' cannot be a link")
    src = translate(params["src"], "src", automount_root, distro) if state == "link" else None
    uid = resolve_id(params["owner"], "owner")
    gid = resolve_id(params["group"], "group")
    parent = Parent(dest)
    try:
        return converge(module, params, parent, src, uid, gid, automount_root, distro)
    finally:
        parent.close()


def converge(module: AnsibleModule, params: dict, parent: Parent, src, uid, gid, automount_root, distro) -> dict:
    state = params["state"]
    dest = parent.dest
    kind, previous_target = describe(parent)
    result = {
        "changed": False,
        "src": src,
        "dest": dest,
        "previous_target": previous_target,
        "automount_root": automount_root,
        "windows_fs_paths": slow_paths(dest, params["project_paths"], automount_root, distro),
        "created_directories": [],
    }
    for path in result["windows_fs_paths"]:
        module.warn(f"'{path}' is on the Windows file system: {SLOW_ACCESS_ADVICE}")

    if state == "link":
        check_src(src, dest, automount_root)
    if kind in ("directory", "file", "special file"):
        refusal = "never replaces" if state == "link" else "removes only a symbolic link, never"
        raise SymlinkError(
            f"dest: '{dest}' is a {kind}, not a symbolic link; wsl_symlink {refusal} a file or a directory "
            "(move it away first)"
        )

    if state == "absent":
        before = diff_text(kind, previous_target, [])
        if kind == "link":
            result["changed"] = True
            if not module.check_mode:
                parent.call(os.unlink, parent.name, dir_fd=parent.fd)
        return finish(module, result, before, diff_text("absent", None, []))

    if kind == "link" and not points_to(dest, previous_target, src) and not params["force"]:
        raise SymlinkError(
            f"dest: '{dest}' is a symbolic link to '{previous_target}', not to '{src}'; set force: true to replace it"
        )
    if params["require_target"] and not os.path.exists(src):
        raise SymlinkError(
            f"src: '{src}' does not exist; create it first or set require_target: false to link it anyway"
        )
    parents_to_make = parent.missing
    if parents_to_make and not params["parents"]:
        raise SymlinkError(
            f"dest: the parent directory '{parents_to_make[-1]}' of '{dest}' does not exist; "
            "create it first or set parents: true"
        )

    wanted_ownership = [f"{name}: {params[name]}" for name in ("owner", "group") if params[name] is not None]
    before_ownership = (
        [] if kind == "absent" else current_ownership(parent.lstat(), params["owner"], params["group"], uid, gid)
    )
    relink = kind != "link" or not points_to(dest, previous_target, src)
    chown_only = not relink and before_ownership != wanted_ownership
    result["changed"] = relink or chown_only
    result["created_directories"] = parents_to_make
    if result["changed"] and not module.check_mode:
        parent.make_missing(uid, gid)
        if not relink:
            parent.call(os.chown, parent.name, uid, gid, dir_fd=parent.fd, follow_symlinks=False)
        else:
            if kind == "link" and os.geteuid() == 0:
                # A replaced link keeps the owner and group of the old one unless others are asked for.
                replaced = parent.lstat()
                uid = replaced.st_uid if uid == -1 else uid
                gid = replaced.st_gid if gid == -1 else gid
            create_link(src, parent, uid, gid)
    before = diff_text(kind, previous_target, before_ownership)
    return finish(module, result, before, diff_text("link", src, wanted_ownership))


def finish(module: AnsibleModule, result: dict, before: str, after: str) -> dict:
    if module._diff:
        result["diff"] = {
            "before": before,
            "after": after,
            "before_header": result["dest"],
            "after_header": result["dest"],
        }
    return result


def link(module: AnsibleModule, params: dict) -> dict:
    """The result of one link: what run() returns, or failed and msg when it refused or the system said no."""
    try:
        return run(module, params)
    except SymlinkError as error:
        return {"failed": True, "msg": str(error)}
    except OSError as error:
        return {"failed": True, "msg": f"cannot change '{error.filename}': {error.strerror}"}
