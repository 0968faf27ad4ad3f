"""The collection tarball holds exactly the tracked files meant to ship (tools/build_collection.py, `make build`).

Each test builds from a throwaway git repository made of this checkout's files, so stray files can be put in
its working tree without touching the real one.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import tarfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
GALAXY = pathlib.Path(sys.executable).parent / "ansible-galaxy"
# Untracked files a user's checkout may hold; none may ship.
SECRETS = (
    "playbooks/inventory/group_vars/all/vault.yml",
    "playbooks/inventory/group_vars/wsl_windows/vault.yml",
    "playbooks/inventory/winrm-ca.pem",
    "tests/winrm-client.key",
    "notes/admin-password.txt",
)


def git(repo: pathlib.Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def checkout(tmp_path: pathlib.Path) -> pathlib.Path:
    repo = tmp_path / "effective.wsl"
    listing = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode & 0o777)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "snapshot")
    return repo


def build(repo: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(repo / "tools" / "build_collection.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def members(tarball: pathlib.Path) -> set[str]:
    with tarfile.open(tarball) as archive:
        return {member.name for member in archive.getmembers() if not member.isdir()}


def test_only_tracked_files_ship_while_secrets_lie_in_the_checkout(checkout, tmp_path):
    for name in SECRETS:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).write_text("secret\n")
    untracked = git(checkout, "ls-files", "--others", "--exclude-standard").split()
    assert set(SECRETS) <= set(untracked)

    done = build(checkout, str(tmp_path / "out"))

    assert done.returncode == 0, done.stdout + done.stderr
    (tarball,) = (tmp_path / "out").glob("effective-wsl-*.tar.gz")
    shipped = members(tarball)
    assert not shipped & set(SECRETS)
    assert {"plugins/modules/wsl_config.py", "roles/wsl_distro/tasks/main.yml", "meta/runtime.yml"} <= shipped
    assert not shipped & {"ansible.cfg", "Makefile", "requirements-dev.txt", "tools/build_collection.py"}


def test_the_check_refuses_a_tarball_with_an_untracked_file(checkout, tmp_path):
    """A plain ansible-galaxy build in the checkout packs an untracked file: the check names it and fails."""
    (checkout / "notes").mkdir()
    (checkout / "notes" / "admin-password.txt").write_text("secret\n")
    subprocess.run(
        [str(GALAXY), "collection", "build", "--output-path", str(tmp_path), str(checkout)],
        check=True,
        capture_output=True,
    )
    (tarball,) = tmp_path.glob("effective-wsl-*.tar.gz")
    assert "notes/admin-password.txt" in members(tarball)

    done = build(checkout, "--check", str(tarball))

    assert done.returncode == 1
    assert "notes/admin-password.txt: in the tarball but not a tracked, shipped file" in done.stderr
