from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

import pytest

from ansible_collections.effective.wsl.plugins.module_utils import _wslsymlink
from ansible_collections.effective.wsl.plugins.modules import wsl_symlink
from ansible_collections.effective.wsl.tests.unit.plugins.module_args import run_as_target, run_main, warning_messages

NOBODY = pwd.getpwnam("nobody")
NOGROUP = grp.getgrgid(NOBODY.pw_gid)


class Machine:
    """A distro laid out under tmp_path: <tmp>/mnt/c/Users/Steff/Downloads, <tmp>/home/steff, wsl.conf, mounts."""

    def __init__(self, root: Path):
        self.root = root
        self.mnt = root / "mnt"
        self.downloads = self.mnt / "c" / "Users" / "Steff" / "Downloads"
        self.downloads.mkdir(parents=True)
        (self.downloads / "setup.exe").write_bytes(b"MZ")
        self.home = root / "home" / "steff"
        self.home.mkdir(parents=True)
        self.wsl_conf = root / "wsl.conf"
        self.proc_mounts = root / "mounts"
        self.proc_mounts.write_text("/dev/sdc / ext4 rw,relatime 0 0\n")

    @property
    def link(self) -> Path:
        return self.home / "downloads"


@pytest.fixture
def machine(tmp_path, monkeypatch):
    machine = Machine(tmp_path)
    monkeypatch.setattr(_wslsymlink, "WSL_CONF_PATH", str(machine.wsl_conf))
    monkeypatch.setattr(_wslsymlink, "PROC_MOUNTS_PATH", str(machine.proc_mounts))
    run_as_target(monkeypatch)
    monkeypatch.setenv("HOME", str(machine.home))
    monkeypatch.delenv("WSL_DISTRO_NAME", raising=False)
    # The automount root comes from wsl.conf, as on a real distro.
    machine.wsl_conf.write_text(f"[automount]\nroot = {machine.mnt}\n")
    return machine


def run(capsys, check_mode=False, diff=False, **args):
    return run_main(wsl_symlink.main, capsys, check_mode, diff, **args)


def temporary_links(directory: Path) -> list[str]:
    return [entry.name for entry in directory.iterdir() if entry.name.endswith(".wsl_symlink")]


def tree(path: Path) -> dict[str, str]:
    """Every entry under path with its link target or file content, to prove nothing changed."""
    entries = {}
    for entry in sorted(path.rglob("*")):
        if ".ansible" in entry.parts:
            continue  # ansible-core's own ~/.ansible/tmp, made on first use when controller code shares the process
        if entry.is_symlink():
            entries[str(entry)] = "-> " + os.readlink(entry)
        elif entry.is_file():
            entries[str(entry)] = entry.read_bytes().decode("latin-1")
        else:
            entries[str(entry)] = "dir"
    return entries


def test_creates_the_downloads_link_from_a_windows_path(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads")

    assert not result["failed"], result
    assert result["changed"] is True
    assert result["src"] == str(machine.downloads)
    assert result["dest"] == str(machine.link)
    assert result["previous_target"] is None
    assert result["automount_root"] == str(machine.mnt) + "/"
    assert os.readlink(machine.link) == str(machine.downloads)
    assert (machine.link / "setup.exe").read_bytes() == b"MZ"
    assert temporary_links(machine.home) == []


def test_second_run_changes_nothing(machine, capsys):
    run(capsys, src="c:/Users/Steff/Downloads/", dest="~/downloads")
    before = os.lstat(machine.link)

    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), diff=True)

    assert result["changed"] is False
    assert result["previous_target"] == str(machine.downloads)
    assert result["diff"]["before"] == result["diff"]["after"] == f"{machine.downloads}\n"
    assert os.lstat(machine.link).st_ino == before.st_ino


def test_a_link_written_differently_to_the_same_place_is_kept(machine, capsys):
    os.symlink(f"{machine.downloads}/", machine.link)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link))
    assert result["changed"] is False
    assert os.readlink(machine.link) == f"{machine.downloads}/"


def test_relative_link_to_the_same_place_is_kept(machine, capsys):
    os.symlink(os.path.relpath(machine.downloads, machine.home), machine.link)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link))
    assert result["changed"] is False


def test_check_mode_creates_nothing(machine, capsys):
    before = tree(machine.root)
    result = run(
        capsys,
        check_mode=True,
        diff=True,
        src="C:\\Users\\Steff\\Downloads",
        dest="~/links/win/downloads",
        parents=True,
    )

    assert result["changed"] is True
    assert result["created_directories"] == [str(machine.home / "links"), str(machine.home / "links" / "win")]
    assert result["diff"] == {
        "before": "absent\n",
        "after": f"{machine.downloads}\n",
        "before_header": str(machine.home / "links" / "win" / "downloads"),
        "after_header": str(machine.home / "links" / "win" / "downloads"),
    }
    assert tree(machine.root) == before


def test_parents_are_created_with_the_owner(machine, capsys):
    dest = machine.home / "links" / "downloads"
    result = run(
        capsys, src="C:\\Users\\Steff\\Downloads", dest=str(dest), parents=True, owner="nobody", group=NOGROUP.gr_name
    )

    assert result["changed"] is True
    assert result["created_directories"] == [str(machine.home / "links")]
    assert os.readlink(dest) == str(machine.downloads)
    assert (os.lstat(dest).st_uid, os.lstat(dest).st_gid) == (NOBODY.pw_uid, NOGROUP.gr_gid)
    links_dir = os.stat(machine.home / "links")
    assert (links_dir.st_uid, links_dir.st_gid) == (NOBODY.pw_uid, NOGROUP.gr_gid)


def test_missing_parent_is_an_error_without_parents(machine, capsys):
    before = tree(machine.root)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.home / "links" / "downloads"))
    assert result["failed"]
    assert result["msg"] == (
        f"dest: the parent directory '{machine.home / 'links'}' of '{machine.home / 'links' / 'downloads'}' "
        "does not exist; create it first or set parents: true"
    )
    assert tree(machine.root) == before


def test_parent_that_is_a_file_is_an_error(machine, capsys):
    (machine.home / "notes").write_text("x")
    result = run(
        capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.home / "notes" / "downloads"), parents=True
    )
    assert result["failed"]
    assert "is not a directory" in result["msg"]
    assert (machine.home / "notes").read_text() == "x"


def test_a_link_elsewhere_is_an_error_without_force(machine, capsys):
    old = machine.mnt / "c" / "Users" / "Steff" / "OldDownloads"
    old.mkdir()
    os.symlink(old, machine.link)

    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link))

    assert result["failed"]
    assert result["msg"] == (
        f"dest: '{machine.link}' is a symbolic link to '{old}', not to '{machine.downloads}'; "
        "set force: true to replace it"
    )
    assert os.readlink(machine.link) == str(old)


@pytest.mark.parametrize("dangling", [False, True])
def test_force_replaces_a_link_elsewhere(machine, capsys, dangling):
    old = machine.mnt / "c" / "Users" / "Steff" / "OldDownloads"
    if not dangling:
        old.mkdir()
    os.symlink(old, machine.link)

    result = run(capsys, diff=True, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), force=True)

    assert result["changed"] is True
    assert result["previous_target"] == str(old)
    assert result["diff"]["before"] == f"{old}\n"
    assert result["diff"]["after"] == f"{machine.downloads}\n"
    assert os.readlink(machine.link) == str(machine.downloads)
    assert temporary_links(machine.home) == []


def test_force_keeps_the_owner_of_the_replaced_link(machine, capsys):
    os.symlink("/old/target", machine.link)
    os.lchown(machine.link, NOBODY.pw_uid, NOGROUP.gr_gid)

    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), force=True)

    assert result["changed"] is True
    status = os.lstat(machine.link)
    assert os.readlink(machine.link) == str(machine.downloads)
    assert (status.st_uid, status.st_gid) == (NOBODY.pw_uid, NOGROUP.gr_gid)


def test_force_with_owner_sets_the_new_owner(machine, capsys):
    os.symlink("/old/target", machine.link)
    os.lchown(machine.link, NOBODY.pw_uid, NOGROUP.gr_gid)

    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), force=True, owner="root")

    assert result["changed"] is True
    assert (os.lstat(machine.link).st_uid, os.lstat(machine.link).st_gid) == (0, NOGROUP.gr_gid)


def test_force_in_check_mode_keeps_the_old_link(machine, capsys):
    os.symlink("/nowhere", machine.link)
    result = run(capsys, check_mode=True, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), force=True)
    assert result["changed"] is True
    assert os.readlink(machine.link) == "/nowhere"


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("state", ["link", "absent"])
@pytest.mark.parametrize("kind", ["file", "empty directory", "directory"])
def test_files_and_directories_are_never_replaced_or_removed(machine, capsys, force, state, kind):
    if kind == "file":
        machine.link.write_bytes(b"keep me\r\n")
    else:
        machine.link.mkdir()
        if kind == "directory":
            (machine.link / "photo.jpg").write_bytes(b"\xff\xd8")
    before = tree(machine.root)

    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", force=force, state=state)

    assert result["failed"]
    shown = "file" if kind == "file" else "directory"
    assert result["msg"].startswith(f"dest: '{machine.link}' is a {shown}, not a symbolic link; wsl_symlink ")
    assert tree(machine.root) == before


def test_absent_removes_only_the_link(machine, capsys):
    os.symlink(machine.downloads, machine.link)
    result = run(capsys, diff=True, dest="~/downloads", state="absent")

    assert result["changed"] is True
    assert result["previous_target"] == str(machine.downloads)
    assert result["src"] is None
    assert result["diff"]["before"] == f"{machine.downloads}\n"
    assert result["diff"]["after"] == "absent\n"
    assert not os.path.lexists(machine.link)
    assert (machine.downloads / "setup.exe").read_bytes() == b"MZ"


def test_absent_in_check_mode_keeps_the_link(machine, capsys):
    os.symlink(machine.downloads, machine.link)
    result = run(capsys, check_mode=True, dest="~/downloads", state="absent")
    assert result["changed"] is True
    assert os.readlink(machine.link) == str(machine.downloads)


def test_absent_when_nothing_is_there(machine, capsys):
    result = run(capsys, dest="~/downloads", state="absent")
    assert result["changed"] is False
    assert result["previous_target"] is None


def test_owner_and_group_are_set_on_the_link_itself(machine, capsys):
    result = run(
        capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", owner="nobody", group=str(NOGROUP.gr_gid)
    )
    assert result["changed"] is True
    status = os.lstat(machine.link)
    assert (status.st_uid, status.st_gid) == (NOBODY.pw_uid, NOGROUP.gr_gid)
    assert os.stat(machine.downloads).st_uid == 0  # the target is not touched

    again = run(
        capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", owner=str(NOBODY.pw_uid), group=NOGROUP.gr_name
    )
    assert again["changed"] is False


def test_owner_change_only(machine, capsys):
    os.symlink(machine.downloads, machine.link)
    inode = os.lstat(machine.link).st_ino

    result = run(capsys, diff=True, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", owner="nobody")

    assert result["changed"] is True
    assert result["diff"]["before"] == f"{machine.downloads}\nowner: root\n"
    assert result["diff"]["after"] == f"{machine.downloads}\nowner: nobody\n"
    assert os.lstat(machine.link).st_uid == NOBODY.pw_uid
    assert os.lstat(machine.link).st_ino == inode


def test_owner_change_in_check_mode(machine, capsys):
    os.symlink(machine.downloads, machine.link)
    result = run(capsys, check_mode=True, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", owner="nobody")
    assert result["changed"] is True
    assert os.lstat(machine.link).st_uid == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("owner", "no-such-user-x", "owner: there is no user 'no-such-user-x' on the target"),
        ("group", "no-such-group-x", "group: there is no group 'no-such-group-x' on the target"),
    ],
)
def test_unknown_owner_or_group(machine, capsys, option, value, message):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", **{option: value})
    assert result["failed"]
    assert result["msg"].startswith(message)
    assert not os.path.lexists(machine.link)


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("Users\\Steff\\Downloads", "src: path 'Users\\Steff\\Downloads' is relative"),
        ("downloads", "src: path 'downloads' is relative"),
        ("\\\\fileserver\\share\\Downloads", "src: path '\\\\fileserver\\share\\Downloads' is a UNC share"),
        (
            "%USERPROFILE%\\Downloads",
            "src: path '%USERPROFILE%\\Downloads' contains the unexpanded Windows environment variable %USERPROFILE%; "
            "expand it first, for example with the real folder from ansible_facts.wsl_host.known_folders "
            "(effective.wsl.wsl_host_facts)",
        ),
        ("\\\\?\\C:\\Users", "src: path '\\\\?\\C:\\Users' is a Windows device path"),
        ("1:\\Users", "src: drive letter '1' in path '1:\\Users' is not a letter A-Z"),
        ("C:\\Users\\Steff\\Nowhere", "src: '{mnt}/c/Users/Steff/Nowhere' does not exist; create it first or set"),
        ("Z:\\Data", "src: drive Z: is not mounted ({mnt}/z does not exist)"),
        ("~nosuchuser-x/Downloads", "src: cannot expand '~nosuchuser-x/Downloads': there is no user 'nosuchuser-x'"),
    ],
)
def test_bad_src_fails_and_changes_nothing(machine, capsys, src, message):
    before = tree(machine.root)
    result = run(capsys, src=src, dest="~/downloads")
    assert result["failed"]
    assert result["msg"].startswith(message.format(mnt=machine.mnt)), result["msg"]
    assert tree(machine.root) == before


def test_unmounted_drive_is_an_error_even_without_require_target(machine, capsys):
    result = run(capsys, src="Z:\\Data", dest="~/data", require_target=False)
    assert result["failed"]
    assert result["msg"].startswith(f"src: drive Z: is not mounted ({machine.mnt}/z does not exist)")
    assert not os.path.lexists(machine.home / "data")


def test_without_require_target_a_missing_folder_on_a_mounted_drive_is_linked(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Later", dest="~/later", require_target=False)
    assert result["changed"] is True
    assert os.readlink(machine.home / "later") == str(machine.mnt / "c" / "Users" / "Steff" / "Later")


def test_wsl_path_of_another_distro_is_refused(machine, capsys, monkeypatch):
    monkeypatch.setenv("WSL_DISTRO_NAME", "Ubuntu")
    result = run(capsys, src="\\\\wsl$\\Debian\\home\\steff", dest="~/debian")
    assert result["failed"]
    assert "is in distro 'Debian', not in this distro 'Ubuntu'" in result["msg"]


def test_wsl_path_of_this_distro_is_translated(machine, capsys, monkeypatch):
    monkeypatch.setenv("WSL_DISTRO_NAME", "Ubuntu")
    target = machine.root / "srv"
    target.mkdir()
    result = run(capsys, src=f"\\\\wsl.localhost\\ubuntu{str(target).replace('/', chr(92))}", dest="~/srv")
    assert result["src"] == str(target)
    assert os.readlink(machine.home / "srv") == str(target)


def test_dest_equal_to_src_is_refused(machine, capsys):
    before = tree(machine.root)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.downloads) + "/")
    assert result["failed"]
    assert result["msg"] == (
        f"dest: '{machine.downloads}' is src '{machine.downloads}' or lies on its path (symlinks resolved); "
        "the link would point to itself"
    )
    assert tree(machine.root) == before


def test_dest_reached_from_src_through_symlinks_is_refused(machine, capsys):
    # ~/alias -> ~/downloads: linking ~/downloads to ~/alias/inbox would make a loop.
    os.symlink(machine.link, machine.home / "alias")
    result = run(capsys, src=str(machine.home / "alias" / "inbox"), dest="~/downloads", require_target=False)
    assert result["failed"]
    assert "lies on its path (symlinks resolved)" in result["msg"]
    assert not os.path.lexists(machine.link)


def test_dest_equal_to_src_through_a_parent_symlink_is_refused(machine, capsys):
    os.symlink(machine.downloads.parent, machine.home / "winhome")
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.home / "winhome" / "Downloads"))
    assert result["failed"]
    assert "the link would point to itself" in result["msg"]


def test_relative_dest_is_refused(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="downloads")
    assert result["failed"]
    assert result["msg"].startswith("dest: path 'downloads' is relative")


def test_state_link_needs_src(machine, capsys):
    result = run(capsys, dest="~/downloads")
    assert result["failed"]
    assert "state is link but all of the following are missing: src" in result["msg"]


def test_automount_root_from_wsl_conf_is_honoured(machine, capsys):
    win = machine.root / "win"
    (win / "d" / "Shared").mkdir(parents=True)
    machine.wsl_conf.write_text(f"[boot]\nsystemd = true\n\n[automount]\nenabled = true\nroot = {win}\n")

    result = run(capsys, src="D:\\Shared", dest="~/shared")

    assert result["automount_root"] == f"{win}/"
    assert os.readlink(machine.home / "shared") == str(win / "d" / "Shared")


def test_explicit_automount_root_overrides_wsl_conf(machine, capsys):
    machine.wsl_conf.write_text("[automount]\nroot = /elsewhere/\n")
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", automount_root=str(machine.mnt))
    assert result["src"] == str(machine.downloads)


def test_without_wsl_conf_the_root_is_mnt(machine, capsys):
    machine.wsl_conf.unlink()
    result = run(capsys, src="Q:\\x", dest="~/q", require_target=False)
    assert result["failed"]
    assert result["msg"].startswith("src: drive Q: is not mounted (/mnt/q does not exist)")


@pytest.mark.parametrize(
    ("conf", "automount_root", "message"),
    [
        ("[automount]\nroot = win\n", None, "[automount] root in {conf}: automount root must be an absolute"),
        ("", "relative/root", "automount_root: automount root must be an absolute Linux path such as '/mnt/'"),
    ],
)
def test_bad_automount_root(machine, capsys, conf, automount_root, message):
    machine.wsl_conf.write_text(conf)
    args = {"automount_root": automount_root} if automount_root else {}
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", **args)
    assert result["failed"]
    assert result["msg"].startswith(message.format(conf=machine.wsl_conf)), result["msg"]


def test_no_warning_for_a_link_in_the_linux_home(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", project_paths=["~"])
    assert result["windows_fs_paths"] == []
    assert "warnings" not in result


def test_warns_when_dest_or_project_paths_are_on_windows(machine, capsys):
    (machine.mnt / "c" / "src").mkdir()
    os.symlink(machine.mnt / "c" / "src", machine.home / "src")  # code "in the home" that really is on C:
    drvfs = machine.root / "data"
    drvfs.mkdir()
    machine.proc_mounts.write_text(
        "/dev/sdc / ext4 rw,relatime 0 0\n"
        f"D:\\134 {drvfs} 9p rw,noatime,aname=drvfs;path=D:\\;uid=1000;gid=1000,trans=fd 0 0\n"
    )

    result = run(
        capsys,
        src=str(machine.home),
        dest="C:\\Users\\Steff\\Downloads\\wsl-home",
        project_paths=["~/src", str(drvfs / "project"), "~", "C:\\Users\\Steff"],
    )

    link_on_c = str(machine.downloads / "wsl-home")
    assert result["windows_fs_paths"] == [
        link_on_c,
        str(machine.mnt / "c" / "src"),
        str(drvfs / "project"),
        str(machine.mnt / "c" / "Users" / "Steff"),
    ]
    messages = warning_messages(result)
    assert len(messages) == 4
    assert messages[0].startswith(f"'{link_on_c}' is on the Windows file system: access across")
    assert "git status there can take half a minute" in messages[0]
    assert messages[2].startswith(f"'{drvfs / 'project'}' is on the Windows file system")
    assert os.readlink(link_on_c) == str(machine.home)


def test_failed_rename_leaves_dest_and_no_temporary_link(machine, capsys, monkeypatch):
    os.symlink("/old/target", machine.link)

    def failing_replace(source, target, **_dir_fds):
        raise PermissionError(13, "Permission denied", target)

    monkeypatch.setattr(_wslsymlink.os, "replace", failing_replace)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", force=True)

    assert result["failed"]
    assert result["msg"] == f"cannot change '{machine.link}': Permission denied"
    assert os.readlink(machine.link) == "/old/target"
    assert temporary_links(machine.home) == []


def test_dest_in_the_home_of_a_named_user_is_expanded(machine, capsys):
    # nobody's home does not exist on Debian, so the expanded path shows up in the parent error; nothing is written.
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~nobody/downloads")
    assert result["failed"]
    assert result["msg"].startswith(f"dest: the parent directory '{NOBODY.pw_dir}' of '{NOBODY.pw_dir}/downloads'")


def test_unknown_user_in_dest(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~nosuchuser-x/downloads")
    assert result["failed"]
    assert (
        result["msg"] == "dest: cannot expand '~nosuchuser-x/downloads': there is no user 'nosuchuser-x' on the target"
    )


def test_relative_project_path_is_refused(machine, capsys):
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/downloads", project_paths=["src"])
    assert result["failed"]
    assert result["msg"].startswith("project_paths: path 'src' is relative")
    assert not os.path.lexists(machine.link)


@pytest.fixture
def user_home(machine):
    """steff's home as another user owns it: the folder and what the user plants in it belong to nobody."""
    if os.geteuid() != 0:
        pytest.skip("needs root: the case is a root run in another user's tree")
    os.chown(machine.home, NOBODY.pw_uid, NOBODY.pw_gid)
    protected = machine.root / "etc"
    protected.mkdir()
    (protected / "passwd").write_text("root:x:0:0\n")
    return protected


def test_as_root_a_link_the_user_planted_in_a_parent_is_not_followed(machine, capsys, user_home):
    os.symlink(user_home, machine.home / "links")
    os.lchown(machine.home / "links", NOBODY.pw_uid, NOBODY.pw_gid)
    before = tree(user_home)
    for extra in ({}, {"force": True}, {"state": "absent"}):
        args = {"src": "C:\\Users\\Steff\\Downloads", **extra} if extra.get("state") != "absent" else extra
        result = run(capsys, dest=str(machine.home / "links" / "passwd"), **args)
        assert result["failed"], extra
        assert f"'{machine.home / 'links'}' is a symbolic link that user nobody controls" in result["msg"]
        assert tree(user_home) == before


def test_as_root_a_root_owned_link_in_the_users_folder_is_not_followed_either(machine, capsys, user_home):
    """The user cannot change the link, but may replace it: the folder is theirs."""
    os.symlink(user_home, machine.home / "links")
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.home / "links" / "new"), force=True)
    assert result["failed"] and "may replace it in" in result["msg"]
    assert not os.path.lexists(user_home / "new")


def test_as_root_a_link_only_root_controls_is_followed(machine, capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root")
    alias = machine.root / "home-alias"
    os.symlink(machine.home, alias)
    os.chmod(machine.root, 0o755)
    result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest=str(alias / "downloads"))
    assert not result["failed"], result
    assert os.readlink(machine.link) == str(machine.downloads)


def test_as_root_the_users_own_folder_is_still_served(machine, capsys, user_home):
    """Creating a link inside the user's real home (no link on the way) works, with the owner asked for."""
    result = run(
        capsys, src="C:\\Users\\Steff\\Downloads", dest=str(machine.link), owner="nobody", group=NOGROUP.gr_name
    )
    assert not result["failed"], result
    assert os.lstat(machine.link).st_uid == NOBODY.pw_uid


def test_new_parent_folders_are_0755_under_umask_077(machine, capsys):
    previous = os.umask(0o077)
    try:
        result = run(capsys, src="C:\\Users\\Steff\\Downloads", dest="~/a/b/downloads", parents=True)
    finally:
        os.umask(previous)
    assert not result["failed"], result
    for folder in (machine.home / "a", machine.home / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
