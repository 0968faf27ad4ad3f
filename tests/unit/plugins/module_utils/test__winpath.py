from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.effective.wsl.plugins.module_utils._winpath import (
    WinPathError,
    drive_letter_of,
    drive_mount_point,
    normalize_automount_root,
    parse_windows_mounts,
    to_windows_path,
    to_wsl_path,
    windows_mount_of,
)

DOWNLOADS = "C:\\Users\\Steff\\Downloads"


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("/mnt/", "/mnt/"),
        ("/mnt", "/mnt/"),
        ("/", "/"),
        ("/win", "/win/"),
        ("/win/", "/win/"),
        ("//mnt//x/", "/mnt/x/"),
        ("/mnt/./drives/../", "/mnt/"),
    ],
)
def test_automount_root_gets_one_trailing_slash(root, expected):
    assert normalize_automount_root(root) == expected


@pytest.mark.parametrize("root", ["", "   ", "mnt/", "./mnt", "~/mnt", None, 5])
def test_automount_root_must_be_absolute(root):
    with pytest.raises(WinPathError, match="automount root must be an absolute Linux path"):
        normalize_automount_root(root)


@pytest.mark.parametrize(
    ("windows", "root", "expected"),
    [
        (DOWNLOADS, "/mnt/", "/mnt/c/Users/Steff/Downloads"),
        (DOWNLOADS, "/mnt", "/mnt/c/Users/Steff/Downloads"),
        (DOWNLOADS, "/", "/c/Users/Steff/Downloads"),
        (DOWNLOADS, "/win", "/win/c/Users/Steff/Downloads"),
        (DOWNLOADS, "/win/", "/win/c/Users/Steff/Downloads"),
        ("c:/Users/Steff/Downloads", "/mnt/", "/mnt/c/Users/Steff/Downloads"),
        ("C:\\Users/Steff\\Downloads", "/mnt/", "/mnt/c/Users/Steff/Downloads"),
        ("C:\\Users\\Steff\\Downloads\\", "/mnt/", "/mnt/c/Users/Steff/Downloads"),
        ("C:/Users/Steff/Downloads//", "/mnt/", "/mnt/c/Users/Steff/Downloads"),
        ("C:\\\\Users\\\\Steff", "/mnt/", "/mnt/c/Users/Steff"),
        ("C:", "/mnt/", "/mnt/c"),
        ("C:\\", "/mnt/", "/mnt/c"),
        ("c:/", "/", "/c"),
        ("D:\\src\\.\\app\\..\\lib", "/mnt/", "/mnt/d/src/lib"),
        ("C:\\..\\..\\Windows", "/mnt/", "/mnt/c/Windows"),
        ("z:\\Mixed Case\\Dir", "/win", "/win/z/Mixed Case/Dir"),
        ("C:\\Users\\Steff\\OneDrive - Contoso\\Downloads", "/mnt/", "/mnt/c/Users/Steff/OneDrive - Contoso/Downloads"),
    ],
)
def test_drive_paths_go_under_the_automount_root_with_a_lower_case_letter(windows, root, expected):
    assert to_wsl_path(windows, root) == expected


@pytest.mark.parametrize(
    ("windows", "distro", "expected"),
    [
        ("\\\\wsl$\\Ubuntu\\home\\steff", None, "/home/steff"),
        ("\\\\wsl.localhost\\Ubuntu\\home\\steff\\", None, "/home/steff"),
        ("\\\\WSL.LOCALHOST\\Ubuntu\\etc\\wsl.conf", "Ubuntu", "/etc/wsl.conf"),
        ("//wsl.localhost/Ubuntu/home/steff", "ubuntu", "/home/steff"),
        ("//wsl$/Debian", "DEBIAN", "/"),
        ("\\\\wsl$\\Ubuntu\\", None, "/"),
        ("\\\\wsl.localhost\\Ubuntu-24.04\\mnt\\c", "Ubuntu-24.04", "/mnt/c"),
    ],
)
def test_wsl_unc_paths_become_linux_paths(windows, distro, expected):
    assert to_wsl_path(windows, "/mnt/", distro) == expected


@pytest.mark.parametrize(
    ("linux", "expected"),
    [("/home/steff/", "/home/steff"), ("/home//steff/./x/..", "/home/steff"), ("/", "/"), ("/mnt/c/", "/mnt/c")],
)
def test_linux_paths_are_returned_normalised(linux, expected):
    assert to_wsl_path(linux) == expected


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "path is empty"),
        ("Users\\Steff", "is relative; give an absolute Windows path"),
        ("downloads", "is relative"),
        ("./x", "is relative"),
        ("~/downloads", "starts with '~'; expand it"),
        ("\\Users\\Steff", "has no drive letter"),
        ("C:Users\\Steff", "relative to the current directory of drive C:"),
        ("1:\\x", "drive letter '1' in path '1:.x' is not a letter A-Z"),
        ("é:\\x", "drive letter 'é' .* is not a letter A-Z"),
        (
            "%USERPROFILE%\\Downloads",
            "unexpanded Windows environment variable %USERPROFILE%; expand it first.*known_folders",
        ),
        ("C:\\Users\\%USERNAME%\\Downloads", "unexpanded Windows environment variable %USERNAME%"),
        ("%ProgramFiles(x86)%\\Tool", "unexpanded Windows environment variable %ProgramFiles\\(x86\\)%"),
        ("$env:USERPROFILE\\Downloads", "unexpanded Windows environment variable \\$env:USERPROFILE"),
        ("\\\\server\\share\\dir", "UNC share that is not inside a WSL distro; it cannot be translated"),
        ("//nas/backup", "UNC share that is not inside a WSL distro"),
        ("\\\\", "UNC share"),
        ("\\\\?\\C:\\Users", "device path"),
        ("\\\\.\\PhysicalDrive0", "device path"),
        ("//?/C:/Users", "device path"),
        ("\\\\wsl$", "names no distro"),
        ("\\\\wsl.localhost\\", "names no distro"),
    ],
)
def test_bad_windows_paths_are_refused_with_a_clear_message(bad, message):
    with pytest.raises(WinPathError, match=message):
        to_wsl_path(bad)


def test_a_wsl_path_of_another_distro_is_refused():
    with pytest.raises(WinPathError, match=r"path '.*' is in distro 'Debian', not in this distro 'Ubuntu'"):
        to_wsl_path("\\\\wsl$\\Debian\\home\\x", distro="Ubuntu")


def test_non_string_path_is_refused():
    with pytest.raises(WinPathError, match="path must be a string, got int 5"):
        to_wsl_path(5)


@pytest.mark.parametrize(
    ("linux", "root", "distro", "separator", "expected"),
    [
        ("/mnt/c/Users/Steff/Downloads", "/mnt/", None, "\\", DOWNLOADS),
        ("/mnt/c/Users/Steff/Downloads/", "/mnt", None, "\\", DOWNLOADS),
        ("/mnt/c/Users/Steff/Downloads", "/mnt/", None, "/", "C:/Users/Steff/Downloads"),
        ("/mnt/c", "/mnt/", None, "\\", "C:\\"),
        ("/mnt/c/", "/mnt/", None, "/", "C:/"),
        ("/c/Users", "/", None, "\\", "C:\\Users"),
        ("/win/d/src", "/win", None, "\\", "D:\\src"),
        ("/win/d/src", "/win/", None, "/", "D:/src"),
        ("/home/steff/project", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\home\\steff\\project"),
        ("/home/steff/project", "/mnt/", "Ubuntu", "/", "//wsl.localhost/Ubuntu/home/steff/project"),
        ("/", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\"),
        ("/mnt", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\mnt"),
        ("/mnt/C/x", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\mnt\\C\\x"),
        ("/mnt/cd/x", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\mnt\\cd\\x"),
        ("/mnt/c/x", "/win/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\mnt\\c\\x"),
        ("/mnt/wslg", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\mnt\\wslg"),
        ("c:/Users/", "/mnt/", None, "\\", "C:\\Users"),
        ("\\\\wsl$\\Ubuntu\\home", "/mnt/", "Ubuntu", "\\", "\\\\wsl.localhost\\Ubuntu\\home"),
    ],
)
def test_to_windows_path(linux, root, distro, separator, expected):
    assert to_windows_path(linux, root, distro, separator) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "/home/steff"}, "not under a drive mount of the automount root '/mnt/'; give distro"),
        ({"path": "/mnt/c/x", "separator": "|"}, "separator must be"),
        ({"path": "/mnt/c/x", "distro": "Ub/untu"}, "distro must be a WSL distribution name"),
        ({"path": "/mnt/c/x", "distro": ""}, "distro must be a WSL distribution name"),
        ({"path": "home/steff", "distro": "Ubuntu"}, "is relative"),
        ({"path": "~/x", "distro": "Ubuntu"}, "starts with '~'"),
        ({"path": "/mnt/c/x", "automount_root": "mnt"}, "automount root must be an absolute Linux path"),
        ({"path": "\\\\server\\share"}, "UNC share"),
    ],
)
def test_to_windows_path_refuses_bad_input(kwargs, message):
    with pytest.raises(WinPathError, match=message):
        to_windows_path(**kwargs)


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/mnt/c", "/mnt/", "C"),
        ("/mnt/z/deep/er", "/mnt", "Z"),
        ("/mnt", "/mnt/", None),
        ("/mnt/", "/mnt/", None),
        ("/mnt/cc", "/mnt/", None),
        ("/mnt/C", "/mnt/", None),
        ("/mnt/1", "/mnt/", None),
        ("/c/x", "/", "C"),
        ("/", "/", None),
        ("/home", "/", None),
        ("/win/e", "/win", "E"),
        ("/mnt/e", "/win", None),
    ],
)
def test_drive_letter_of(path, root, expected):
    assert drive_letter_of(path, root) == expected


def test_drive_mount_point():
    assert drive_mount_point("C") == "/mnt/c"
    assert drive_mount_point("d", "/") == "/d"
    assert drive_mount_point("E", "/win") == "/win/e"
    with pytest.raises(WinPathError, match="not a letter A-Z"):
        drive_mount_point("7")


PROC_MOUNTS = r"""none /mnt/wsl tmpfs rw,relatime 0 0
drivers /usr/lib/wsl/drivers 9p ro,nosuid,nodev,noatime,dirsync,aname=drivers;fmask=222;dmask=222,trans=fd 0 0
/dev/sdc / ext4 rw,relatime,discard,errors=remount-ro,data=ordered 0 0
C:\134 /win/c 9p rw,noatime,dirsync,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/win/,mmap,trans=fd 0 0
D:\134 /data/My\040Drive 9p rw,noatime,aname=drvfs;path=D:\;uid=1000,trans=fd 0 0
C:\134 /mnt/old drvfs rw,noatime,uid=1000,gid=1000,case=off 0 0
truncated line
"""


def test_parse_windows_mounts_keeps_only_drvfs():
    assert parse_windows_mounts(PROC_MOUNTS) == ["/win/c", "/data/My Drive", "/mnt/old"]
    assert parse_windows_mounts("") == []


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/mnt/c/Users/Steff/src", "/mnt/", "/mnt/c"),
        ("/win/d", "/win/", "/win/d"),
        ("/data/My Drive/project", "/mnt/", "/data/My Drive"),
        ("/data/My Drive", "/mnt/", "/data/My Drive"),
        ("/data/My Drivers", "/mnt/", None),
        ("/home/steff/src", "/mnt/", None),
        ("/mnt/wsl/x", "/mnt/", None),
    ],
)
def test_windows_mount_of(path, root, expected):
    assert windows_mount_of(path, root, ["/data/My Drive", "/win/c"]) == expected


DRIVE_LETTERS = st.sampled_from(string.ascii_letters)
COMPONENT = st.text(alphabet=string.ascii_letters + string.digits + " -_.()'", min_size=1, max_size=12).filter(
    lambda c: c not in (".", "..")
)
ROOTS = st.sampled_from(["/mnt/", "/", "/win/", "/mnt/drives"])


@given(letter=DRIVE_LETTERS, parts=st.lists(COMPONENT, max_size=5), root=ROOTS, separator=st.sampled_from("\\/"))
def test_round_trip_windows_drive_paths(letter, parts, root, separator):
    windows = f"{letter.upper()}:{separator}" + separator.join(parts)
    linux = to_wsl_path(windows, root)
    assert linux.startswith(normalize_automount_root(root) + letter.lower())
    assert to_windows_path(linux, root, separator=separator) == windows


@given(parts=st.lists(COMPONENT, max_size=5), root=ROOTS)
def test_round_trip_linux_paths(parts, root):
    linux = "/" + "/".join(["home", *parts])
    windows = to_windows_path(linux, root, "Ubuntu")
    assert windows.startswith("\\\\wsl.localhost\\Ubuntu\\home")
    assert to_wsl_path(windows, root, "Ubuntu") == linux
