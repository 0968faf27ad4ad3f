"""_safefile: reads that follow nothing and never block, the lock, compare-and-swap writes, kills mid-write."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._safefile import (
    FileChanged,
    FileRefused,
    Snapshot,
    backup_name,
    ensure_directory,
    locked,
    read_regular,
    remove_stale_temps,
    write_atomically,
)

NOBODY = 65534
COLLECTIONS = next(entry for entry in sys.path if Path(entry, "ansible_collections", "effective", "wsl").exists())


def test_absent_file_reads_as_none(tmp_path):
    assert read_regular(str(tmp_path / "missing")) == Snapshot(str(tmp_path / "missing"), None, None)


def test_regular_file_is_read_with_its_status(tmp_path):
    path = tmp_path / "wsl.conf"
    path.write_bytes(b"[boot]\n")
    snapshot = read_regular(str(path))
    assert snapshot.data == b"[boot]\n" and stat.S_ISREG(snapshot.status.st_mode)


def test_a_symbolic_link_is_refused_without_reading_it(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$hash:19000:0:99999:7:::\n")
    os.symlink(secret, tmp_path / ".wslconfig")
    with pytest.raises(FileRefused) as refused:
        read_regular(str(tmp_path / ".wslconfig"))
    assert "is a symbolic link; it is neither read nor written" in str(refused.value)
    assert "root:" not in str(refused.value)


def test_a_dangling_link_is_refused(tmp_path):
    os.symlink(tmp_path / "nowhere", tmp_path / ".wslconfig")
    with pytest.raises(FileRefused):
        read_regular(str(tmp_path / ".wslconfig"))


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_special_files_are_refused_at_once(tmp_path, kind):
    path = tmp_path / ".wslconfig"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        os.symlink("/dev/zero", path)
        path = Path("/dev/zero")
    outcome = {}

    def read():
        try:
            read_regular(str(path))
        except FileRefused as error:
            outcome["error"] = str(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)  # a blocking open of a FIFO would never return
    assert not reader.is_alive(), "reading a FIFO must not block"
    assert "not a regular file" in outcome["error"]


def test_follow_reaches_a_file_the_owner_of_the_link_owns(tmp_path):
    target = tmp_path / "real.wslconfig"
    target.write_bytes(b"[wsl2]\n")
    os.symlink(target, tmp_path / ".wslconfig")
    snapshot = read_regular(str(tmp_path / ".wslconfig"), follow=True)
    assert snapshot.path == str(target) and snapshot.data == b"[wsl2]\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the link another owner")
def test_follow_refuses_a_link_whose_owner_does_not_own_the_target(tmp_path):
    target = tmp_path / "shadow"
    target.write_text("secret\n")
    link = tmp_path / ".wslconfig"
    os.symlink(target, link)
    os.lchown(link, NOBODY, NOBODY)
    with pytest.raises(FileRefused) as refused:
        read_regular(str(link), follow=True)
    assert "the owner of the link owns" in str(refused.value)


def test_write_keeps_mode_owner_and_group(tmp_path):
    path = tmp_path / "wsl.conf"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    owner = (NOBODY, NOBODY) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    if os.geteuid() == 0:
        os.chown(path, *owner)
    write_atomically(str(path), b"new\n", expected=read_regular(str(path)))
    status = path.stat()
    assert path.read_bytes() == b"new\n"
    assert (stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid) == (0o640, *owner)


def test_new_file_is_0644_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        write_atomically(str(tmp_path / "new"), b"x", expected=read_regular(str(tmp_path / "new")))
        made = ensure_directory(str(tmp_path / "a" / "b"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o644
    assert made == [str(tmp_path / "a"), str(tmp_path / "a" / "b")]
    assert all(stat.S_IMODE(Path(folder).stat().st_mode) == 0o755 for folder in made)


def test_compare_and_swap_refuses_a_file_that_changed(tmp_path):
    path = tmp_path / "wsl.conf"
    path.write_bytes(b"read\n")
    snapshot = read_regular(str(path))
    path.write_bytes(b"somebody else\n")
    with pytest.raises(FileChanged):
        write_atomically(str(path), b"mine\n", expected=snapshot)
    assert path.read_bytes() == b"somebody else\n"
    assert os.listdir(tmp_path) == ["wsl.conf"]


def test_compare_and_swap_refuses_a_file_that_appeared(tmp_path):
    path = tmp_path / "wsl.conf"
    snapshot = read_regular(str(path))
    path.write_bytes(b"created meanwhile\n")
    with pytest.raises(FileChanged):
        write_atomically(str(path), b"mine\n", expected=snapshot)


def test_backup_has_no_colon_and_the_original_mode(tmp_path):
    path = tmp_path / ".wslconfig"
    path.write_bytes(b"original\n")
    os.chmod(path, 0o600)
    backup = write_atomically(str(path), b"new\n", expected=read_regular(str(path)), backup=True)
    assert ":" not in os.path.basename(backup) and backup.startswith(str(path) + ".")
    assert Path(backup).read_bytes() == b"original\n" and stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert ":" not in backup_name("/mnt/c/Users/a/.wslconfig")


@pytest.fixture
def shared_dir():
    """A folder nobody can reach (pytest's tmp_path lies under a folder only root may enter)."""
    directory = Path(tempfile.mkdtemp(prefix="safefile-"))
    os.chmod(directory, 0o777)
    yield directory
    shutil.rmtree(directory)


def unprivileged(function, *args):
    """Run function(*args) as nobody in a child process; its exception type name, or '' on success."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.close(read_end)
        outcome = b""
        try:
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
            function(*args)
        except BaseException as error:
            outcome = f"{type(error).__name__}: {error}".encode()
        os.write(write_end, outcome)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(child, 0)
    return outcome


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")
@pytest.mark.parametrize(("owner", "mode"), [(NOBODY, 0o444), (0, 0o644)])
def test_an_unprivileged_run_never_replaces_a_file_it_cannot_write(shared_dir, owner, mode):
    path = shared_dir / "wsl.conf"
    path.write_bytes(b"keep\n")
    os.chown(path, owner, owner)
    os.chmod(path, mode)
    before = path.stat()
    outcome = unprivileged(lambda: write_atomically(str(path), b"x\n", expected=read_regular(str(path))))
    assert outcome.startswith("FileRefused: ") and "is not writable for uid 65534" in outcome
    after = path.stat()
    assert (after.st_ino, after.st_mode, after.st_uid, path.read_bytes()) == (
        before.st_ino,
        before.st_mode,
        before.st_uid,
        b"keep\n",
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")
def test_an_unprivileged_run_does_not_take_over_a_file_of_another_owner(shared_dir):
    """Writable for the group, but the new file could not get the owner back: refused, not given away."""
    path = shared_dir / "wsl.conf"
    path.write_bytes(b"keep\n")
    os.chown(path, 0, NOBODY)
    os.chmod(path, 0o664)
    outcome = unprivileged(lambda: write_atomically(str(path), b"x\n", expected=read_regular(str(path))))
    assert outcome.startswith("FileRefused: cannot keep owner 0")
    assert (path.stat().st_uid, path.read_bytes()) == (0, b"keep\n")
    assert os.listdir(shared_dir) == ["wsl.conf"]


def test_the_lock_makes_a_second_holder_wait(tmp_path):
    order = []
    with locked(str(tmp_path)) as have_lock:
        assert have_lock is True

        def second():
            with locked(str(tmp_path)):
                order.append("second")

        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(0.5)
        order.append("first")
    waiting.join(30)
    assert order == ["first", "second"]


def test_no_flock_means_no_lock_not_a_failure(tmp_path, monkeypatch):
    def unsupported(*_args):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(fcntl, "flock", unsupported)
    with locked(str(tmp_path)) as have_lock:
        assert have_lock is False


def test_stale_temporary_files_are_removed_but_nothing_else(tmp_path):
    path = tmp_path / ".wslconfig"
    # ".<name>.<random>.effective-wsl.tmp", and the same for a backup of it
    stale = [tmp_path / "..wslconfig.1a2b3c.effective-wsl.tmp", tmp_path / "..wslconfig.1.2.bak.ab12.effective-wsl.tmp"]
    keep = [tmp_path / ".wslconfig", tmp_path / "..other.1a2b3c.effective-wsl.tmp", tmp_path / "notes.tmp"]
    for file in stale + keep:
        file.write_text("x")
    assert sorted(remove_stale_temps(str(path))) == sorted(map(str, stale))
    assert sorted(os.listdir(tmp_path)) == sorted(file.name for file in keep)


WRITER = """
import os, sys
sys.path.insert(0, sys.argv[3])
from ansible_collections.effective.wsl.plugins.module_utils import _safefile
if sys.argv[2] == "named":
    del os.O_TMPFILE  # as on drvfs or 9p: a named temporary file
payloads = [bytes([letter]) * (4 << 20) for letter in b"AB"]
print("ready", flush=True)
count = 0
while True:
    path = sys.argv[1]
    with _safefile.locked(os.path.dirname(path)) as have_lock:
        if have_lock:
            _safefile.remove_stale_temps(path)
        _safefile.write_atomically(path, payloads[count % 2], expected=_safefile.read_regular(path))
    count += 1
    if count == int(sys.argv[4]):
        break
"""


@pytest.mark.parametrize("temporary", ["unnamed", "named"])
def test_sigkill_while_writing_leaves_a_whole_file_and_the_next_run_no_temporary_file(tmp_path, temporary):
    path = tmp_path / ".wslconfig"
    path.write_bytes(b"A" * (4 << 20))
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    payloads = {b"A" * (4 << 20), b"B" * (4 << 20)}
    for delay in (0.02, 0.05, 0.08, 0.11, 0.15, 0.2, 0.3, 0.4):
        writer = subprocess.Popen(
            [sys.executable, str(script), str(path), temporary, COLLECTIONS, "0"], stdout=subprocess.PIPE
        )
        assert writer.stdout.readline() == b"ready\n"
        try:
            writer.wait(delay)
        except subprocess.TimeoutExpired:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
        writer.stdout.close()
        assert path.read_bytes() in payloads
    subprocess.run([sys.executable, str(script), str(path), temporary, COLLECTIONS, "1"], check=True)
    assert sorted(os.listdir(tmp_path)) == [".wslconfig", "writer.py"]
