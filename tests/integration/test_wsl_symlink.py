"""effective.wsl.wsl_symlink run by ansible-playbook inside the WSL simulator (local connection, as root).

The simulated distro has C: mounted under the automount root with C:\\Users\\<windows user>\\{Downloads,Documents};
a Linux user `steff` is added inside (its /etc and /home are private to the simulator).
"""

from __future__ import annotations

import json
import os

import pytest

WINDOWS_DOWNLOADS = "C:\\Users\\steff\\Downloads"


def link_play(name: str, **args) -> str:
    """A one-task playbook; arguments go through JSON so Windows backslashes arrive unchanged."""
    return (
        "- name: Symlink play\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        f"    - name: {name}\n"
        f"      effective.wsl.wsl_symlink: {json.dumps(args)}\n"
    )


def lstat_inside(sim, path: str) -> os.stat_result | None:
    try:
        return os.lstat(sim.host_path(path))
    except FileNotFoundError:
        return None


def readlink_inside(sim, path: str) -> str | None:
    status = lstat_inside(sim, path)
    return os.readlink(sim.host_path(path)) if status and os.path.islink(sim.host_path(path)) else None


def snapshot(sim) -> str:
    """What a bad-input task could touch: its dest names in /root, steff's home and the Windows user folders.

    /root is an overlay on the host's /root, whose other entries other processes may change at any time.
    """
    dests = ["find", "/root", "-maxdepth", "1", "(", "-name", "bad-input", "-o", "-name", "new", ")"]
    trees = ["find", "/home/steff", "/mnt/c/Users", "-not", "-path", "*/.ansible*"]
    return "".join(sim.run([*command, "-printf", "%p %y %l %s\\n"], check=True).stdout for command in (dests, trees))


@pytest.fixture(scope="module")
def sim(wsl_nat):
    wsl_nat.run(["useradd", "--create-home", "--shell", "/bin/bash", "steff"], check=True)
    return wsl_nat


def test_downloads_link_check_mode_then_created_then_unchanged(sim):
    play = link_play("Link Downloads", src=WINDOWS_DOWNLOADS, dest="~steff/downloads", owner="steff", group="steff")

    checked = sim.playbook(play, check=True, diff=True)
    result = checked.task("Link Downloads")
    assert checked.rc == 0, checked.output
    assert result["changed"] is True
    assert result["src"] == "/mnt/c/Users/steff/Downloads"
    assert result["dest"] == "/home/steff/downloads"
    assert result["diff"]["before"] == "absent\n"
    assert result["diff"]["after"] == "/mnt/c/Users/steff/Downloads\nowner: steff\ngroup: steff\n"
    assert lstat_inside(sim, "/home/steff/downloads") is None

    created = sim.playbook(play)
    result = created.task("Link Downloads")
    assert created.rc == 0, created.output
    assert result["changed"] is True
    assert result["previous_target"] is None
    assert readlink_inside(sim, "/home/steff/downloads") == "/mnt/c/Users/steff/Downloads"
    steff = sim.run(["id", "-u", "steff"], check=True).stdout.strip()
    assert lstat_inside(sim, "/home/steff/downloads").st_uid == int(steff)
    sim.run(["touch", "/mnt/c/Users/steff/Downloads/report.pdf"], check=True)
    assert "report.pdf" in sim.run(["ls", "/home/steff/downloads/"], check=True).stdout

    again = sim.playbook(play, diff=True)
    result = again.task("Link Downloads")
    assert again.rc == 0, again.output
    assert result["changed"] is False
    assert result["previous_target"] == "/mnt/c/Users/steff/Downloads"
    assert again.changed == 0


def test_force_replaces_only_a_link_pointing_elsewhere(sim):
    sim.run(["ln", "-s", "/mnt/c/Users/steff/Documents", "/root/inbox"], check=True)

    refused = sim.playbook(link_play("Relink", src=WINDOWS_DOWNLOADS, dest="~/inbox"))
    assert refused.rc != 0
    assert refused.task("Relink")["msg"] == (
        "dest: '/root/inbox' is a symbolic link to '/mnt/c/Users/steff/Documents', "
        "not to '/mnt/c/Users/steff/Downloads'; set force: true to replace it"
    )
    assert readlink_inside(sim, "/root/inbox") == "/mnt/c/Users/steff/Documents"

    checked = sim.playbook(link_play("Relink", src=WINDOWS_DOWNLOADS, dest="~/inbox", force=True), check=True)
    assert checked.task("Relink")["changed"] is True
    assert readlink_inside(sim, "/root/inbox") == "/mnt/c/Users/steff/Documents"

    forced = sim.playbook(link_play("Relink", src=WINDOWS_DOWNLOADS, dest="~/inbox", force=True), diff=True)
    result = forced.task("Relink")
    assert forced.rc == 0, forced.output
    assert result["changed"] is True
    assert result["previous_target"] == "/mnt/c/Users/steff/Documents"
    assert readlink_inside(sim, "/root/inbox") == "/mnt/c/Users/steff/Downloads"


@pytest.mark.parametrize("kind", ["file", "directory"])
def test_force_never_replaces_a_file_or_directory(sim, kind):
    path = f"/root/keep-{kind}"
    if kind == "file":
        sim.write_file(path, "notes\n")
    else:
        sim.run(["mkdir", "-p", f"{path}/sub"], check=True)

    result = sim.playbook(link_play("Link over", src=WINDOWS_DOWNLOADS, dest=path, force=True))

    assert result.rc != 0
    assert result.task("Link over")["msg"].startswith(f"dest: '{path}' is a {kind}, not a symbolic link")
    if kind == "file":
        assert sim.read_file(path) == "notes\n"
    else:
        assert os.path.isdir(sim.host_path(f"{path}/sub"))


def test_absent_removes_only_a_symlink(sim):
    sim.run(["ln", "-s", "/mnt/c/Users/steff/Desktop", "/root/desktop"], check=True)
    sim.write_file("/root/desktop.txt", "keep\n")

    removed = sim.playbook(link_play("Unlink", dest="~/desktop", state="absent"))
    assert removed.rc == 0, removed.output
    assert removed.task("Unlink")["changed"] is True
    assert removed.task("Unlink")["previous_target"] == "/mnt/c/Users/steff/Desktop"
    assert lstat_inside(sim, "/root/desktop") is None
    assert os.path.isdir(sim.host_path("/mnt/c/Users/steff/Desktop"))

    again = sim.playbook(link_play("Unlink", dest="~/desktop", state="absent"))
    assert again.task("Unlink")["changed"] is False

    refused = sim.playbook(link_play("Unlink", dest="~/desktop.txt", state="absent"))
    assert refused.rc != 0
    assert "is a file, not a symbolic link" in refused.task("Unlink")["msg"]
    assert sim.read_file("/root/desktop.txt") == "keep\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"src": "%USERPROFILE%\\Downloads"}, "contains the unexpanded Windows environment variable %USERPROFILE%"),
        ({"src": "Z:\\Data"}, "src: drive Z: is not mounted (/mnt/z does not exist)"),
        ({"src": "C:\\Users\\steff\\Nowhere"}, "src: '/mnt/c/Users/steff/Nowhere' does not exist"),
        ({"src": "\\\\fileserver\\share"}, "is a UNC share that is not inside a WSL distro"),
        ({"src": "\\\\wsl$\\Debian\\home"}, "is in distro 'Debian', not in this distro 'Ubuntu'"),
        ({"src": WINDOWS_DOWNLOADS, "dest": "~/new/downloads"}, "the parent directory '/root/new'"),
    ],
)
def test_bad_input_fails_and_changes_nothing(sim, args, message):
    args = {"dest": "~/bad-input", **args}
    before = snapshot(sim)

    result = sim.playbook(link_play("Bad input", **args))

    assert result.rc != 0
    assert message in result.task("Bad input")["msg"]
    assert snapshot(sim) == before


def test_cross_file_system_warning(sim):
    result = sim.playbook(
        link_play(
            "Link with checks",
            src=WINDOWS_DOWNLOADS,
            dest="~/warned-downloads",
            project_paths=["/mnt/c/Users/steff/Documents", "~"],
        )
    )
    task = result.task("Link with checks")
    assert result.rc == 0, result.output
    assert task["windows_fs_paths"] == ["/mnt/c/Users/steff/Documents"]
    assert task["warnings"] == [
        "'/mnt/c/Users/steff/Documents' is on the Windows file system: access across the Windows and Linux file "
        "systems is slow (a git status there can take half a minute); keep source code and build trees on the Linux "
        "file system, for example under ~/src"
    ]


def test_automount_root_read_from_wsl_conf(wsl_simulator):
    # The simulator can only create a new root below one of its private directories; /srv/win stands for /win.
    sim = wsl_simulator(windows_user="Steff", automount_root="/srv/win", wsl_conf="[automount]\nroot = /srv/win\n")

    result = sim.playbook(link_play("Link Downloads", src="C:\\Users\\Steff\\Downloads", dest="~/downloads"))

    task = result.task("Link Downloads")
    assert result.rc == 0, result.output
    assert task["automount_root"] == "/srv/win/"
    assert task["src"] == "/srv/win/c/Users/Steff/Downloads"
    assert readlink_inside(sim, "/root/downloads") == "/srv/win/c/Users/Steff/Downloads"
