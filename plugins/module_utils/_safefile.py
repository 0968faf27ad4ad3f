# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading and replacing files on a Linux target without symlink tricks, lost updates or half-written files.

PRIVATE to the effective.wsl collection: the API may change at any time. Standard library only (this file
ships to targets).

- ``read_regular`` opens with ``O_NOFOLLOW | O_NONBLOCK`` and checks ``fstat`` before reading a byte: a
  symbolic link, a FIFO (which would block forever), a device or a directory is refused, never read.
- ``locked`` holds ``flock`` on a directory while a run reads, decides and writes, so that two runs of
  this collection never interleave (where the file system has no flock, the compare-and-swap below
  still holds).
- ``write_atomically`` writes a temporary file in the same directory (an unnamed ``O_TMPFILE`` where the
  file system has it, so a killed run leaves nothing), gives it the mode, owner and group of the file it
  replaces, fsyncs it, compares the file on disk with what was read (``FileChanged`` when somebody else
  wrote it meanwhile) and renames it into place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass

TEMP_SUFFIX = ".effective-wsl.tmp"
NEW_FILE_MODE = 0o644
NEW_DIRECTORY_MODE = 0o755
LOCK_TIMEOUT = 300  # seconds: far above any edit (milliseconds); only a stuck run holds the lock that long
_NO_LOCK_ERRNOS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS}
_KINDS = (
    (stat.S_ISLNK, "symbolic link"),
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "FIFO (named pipe)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


class FileRefused(Exception):
    """The path is something this collection does not read or write; nothing was read or written."""


class FileChanged(Exception):
    """The file on disk is no longer what was read: somebody else wrote it in between."""


class LockTimeout(Exception):
    """Another run held the lock for longer than LOCK_TIMEOUT."""


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "regular file" if stat.S_ISREG(mode) else "special file")


@dataclass(frozen=True)
class Snapshot:
    """A file as read: ``data`` and ``status`` are None when it does not exist."""

    path: str
    data: bytes | None
    status: os.stat_result | None

    @property
    def sha256(self) -> str | None:
        return None if self.data is None else hashlib.sha256(self.data).hexdigest()


def _refuse_link(path: str, follow: bool) -> str:
    """The regular file that the symbolic link ``path`` points to, when ``follow`` allows it; else refuse."""
    if not follow:
        raise FileRefused(
            f"{path} is a symbolic link; it is neither read nor written (a link could aim this run at any file). "
            "Give the real path, or set follow: true to edit a regular file that the owner of the link owns"
        )
    link = os.lstat(path)
    target = os.path.realpath(path)
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        raise FileRefused(f"{path} is a symbolic link to {target}, which does not exist; nothing was written") from None
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused(f"{path} is a symbolic link to {target}, a {kind_of(status.st_mode)}, not a regular file")
    if status.st_uid != link.st_uid:
        raise FileRefused(
            f"{path} is a symbolic link owned by uid {link.st_uid} to {target}, owned by uid {status.st_uid}; "
            "follow: true follows a link only to a file that the owner of the link owns"
        )
    return target


def read_regular(path: str, follow: bool = False) -> Snapshot:
    """The file at ``path`` (absent: data None). Raises FileRefused for anything but a regular file, OSError
    (with errno) for a read that failed for another reason than the file not existing."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):  # a dangling link
            return read_regular(_refuse_link(path, follow))
        return Snapshot(path, None, None)
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENXIO, errno.EMLINK):
            raise
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            return read_regular(_refuse_link(path, follow))
        if stat.S_ISREG(status.st_mode):
            raise  # ELOOP from the folders above (a link loop there): the error as it is
        raise FileRefused(f"{path} is a {kind_of(status.st_mode)}, not a regular file; nothing was read") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused(f"{path} is a {kind_of(status.st_mode)}, not a regular file; nothing was read")
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return Snapshot(path, b"".join(chunks), status)


@contextlib.contextmanager
def locked(directory: str, timeout: float = LOCK_TIMEOUT):
    """Hold an exclusive flock on ``directory``; yields False (and holds nothing) where there is no flock."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield False  # a missing or unreadable directory: the write reports the real problem
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                acquired = True
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"another run has held the lock on {directory} for more than {timeout:.0f} seconds"
                    ) from None
                time.sleep(0.05)
            except OSError as error:
                if error.errno not in _NO_LOCK_ERRNOS:
                    raise
                acquired = False
                break
        yield acquired
    finally:
        os.close(descriptor)


def _temp_pattern(name: str) -> re.Pattern:
    return re.compile(r"^\." + re.escape(name) + r"\..+" + re.escape(TEMP_SUFFIX) + "$")  # backups too


def remove_stale_temps(path: str) -> list[str]:
    """Remove temporary files a killed run left beside ``path``. Call only while holding ``locked``."""
    directory, name = os.path.split(path)
    pattern = _temp_pattern(name)
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory or "."):
            if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(entry.path)
    return removed


def _check_writable_in_place(path: str) -> None:
    """An unprivileged run replaces only a file it could also write in place (mode bits and ACLs decide)."""
    if os.geteuid() == 0:
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC))
    except PermissionError:
        raise FileRefused(
            f"{path} is not writable for uid {os.geteuid()}; it was not replaced (use become to edit it)"
        ) from None


class _TempFile:
    """A complete file under a hidden temporary name in the folder of its destination.

    It is written unnamed (O_TMPFILE) and named only once complete, so a run killed while writing leaves
    nothing; where the file system has no O_TMPFILE or cannot link it (drvfs, 9p, overlayfs), it is written
    under its hidden name directly, and a later run removes it (``remove_stale_temps``).
    """

    def __init__(self, path: str, data: bytes, mode: int, uid: int, gid: int):
        directory, name = os.path.split(path)
        directory = directory or "."
        self.name = os.path.join(directory, f".{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            descriptor = os.open(directory, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        except (AttributeError, OSError):
            descriptor = None
        if descriptor is not None:
            try:
                _fill(descriptor, data, mode, uid, gid)
                os.link(f"/proc/self/fd/{descriptor}", self.name)  # open(2): linkat of an O_TMPFILE file
                return
            except OSError:
                pass  # write it again under its name below
            finally:
                os.close(descriptor)
        descriptor = os.open(self.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            _fill(descriptor, data, mode, uid, gid)
        except BaseException:
            os.close(descriptor)
            self.discard()
            raise
        os.close(descriptor)

    def publish(self, destination: str, replace: bool) -> None:
        """Rename over ``destination``, or link to it (FileExistsError when it exists)."""
        if replace:
            os.replace(self.name, destination)
        else:
            os.link(self.name, destination)
            os.unlink(self.name)
        self.name = None

    def discard(self) -> None:
        if self.name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.name)
            self.name = None


def _fill(descriptor: int, data: bytes, mode: int, uid: int, gid: int) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
    os.fchmod(descriptor, mode)
    status = os.fstat(descriptor)
    if (uid, gid) != (-1, -1) and (status.st_uid, status.st_gid) != (uid, gid):
        try:
            os.fchown(descriptor, uid, gid)
        except PermissionError:
            raise FileRefused(
                f"cannot keep owner {uid} and group {gid} of the file as uid {os.geteuid()}, so it was not "
                "replaced (use become)"
            ) from None
        os.fchmod(descriptor, mode)  # chown clears set-id bits
    os.fsync(descriptor)


def _fsync_directory(directory: str) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        with contextlib.suppress(OSError):  # some file systems (9p) refuse fsync on a directory
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup_name(path: str) -> str:
    """``<path>.<pid>.<YYYYmmdd-HHMMSS>.bak``: no ':' (not allowed on NTFS, so not under /mnt/c either)."""
    return f"{path}.{os.getpid()}.{time.strftime('%Y%m%d-%H%M%S')}.bak"


def write_atomically(
    path: str,
    data: bytes,
    expected: Snapshot | None = None,
    mode: int | None = None,
    uid: int = -1,
    gid: int = -1,
    backup: bool = False,
) -> str | None:
    """Replace (or create) ``path`` with ``data``; returns the backup file, if one was made.

    With ``expected`` the write is a compare-and-swap: FileChanged when the file is no longer what
    ``expected`` holds (including appearing or disappearing), and the mode, owner and group of
    ``expected`` are kept. Without it the file gets ``mode`` (default 0644) and ``uid``/``gid``.
    """
    previous = expected.status if expected is not None else None
    if previous is not None:
        _check_writable_in_place(path)
        mode, uid, gid = stat.S_IMODE(previous.st_mode), previous.st_uid, previous.st_gid
    temp = _TempFile(path, data, NEW_FILE_MODE if mode is None else mode, uid, gid)
    try:
        made_backup = None
        if expected is not None:
            if read_regular(path).sha256 != expected.sha256:
                raise FileChanged(f"{path} was changed by somebody else while this run edited it")
            if backup and expected.data is not None:
                made_backup = _write_backup(path, expected)
        temp.publish(path, replace=True)
    finally:
        temp.discard()
    _fsync_directory(os.path.dirname(path) or ".")
    return made_backup


def _write_backup(path: str, original: Snapshot) -> str:
    status = original.status
    for attempt in range(100):
        name = backup_name(path) + (f".{attempt}" if attempt else "")
        temp = _TempFile(name, original.data, stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid)
        try:
            temp.publish(name, replace=False)
            return name
        except FileExistsError:
            continue
        finally:
            temp.discard()
    raise FileExistsError(errno.EEXIST, "no free backup file name", backup_name(path))


def ensure_directory(path: str, mode: int = NEW_DIRECTORY_MODE) -> list[str]:
    """Create ``path`` and its missing parents with exactly ``mode`` (whatever the umask); returns those made."""
    missing = []
    current = path
    while not os.path.isdir(current):
        missing.append(current)
        current = os.path.dirname(current)
    for directory in reversed(missing):
        try:
            os.mkdir(directory, mode)
        except FileExistsError:
            if not os.path.isdir(directory):
                raise
            continue
        os.chmod(directory, mode)
    return list(reversed(missing))
