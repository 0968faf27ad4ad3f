"""The wsl_distro_plan module: facts and links in one run, on a distro laid out under tmp_path.

The files wsl_facts reads are faked (the kernel's /proc/version says WSL); the links are made for real under
tmp_path by the engine wsl_symlink uses. The action plugin around it is tests/unit/plugins/action/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ansible_collections.effective.wsl.plugins.module_utils import _wslfacts, _wslsymlink
from ansible_collections.effective.wsl.plugins.module_utils._distroplan import NO_DOWNLOADS
from ansible_collections.effective.wsl.plugins.modules import wsl_config, wsl_distro_plan
from ansible_collections.effective.wsl.tests.unit.plugins.module_args import run_as_target, run_main, warning_messages

WSL_PROC_VERSION = "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP\n"


class Distro:
    """<tmp>/mnt/c/Users/steff/Downloads, <tmp>/mnt/d/work, a home, and wsl.conf with [automount] root = <tmp>/mnt."""

    def __init__(self, root: Path, monkeypatch):
        self.mnt = root / "mnt"
        self.downloads = self.mnt / "c" / "Users" / "steff" / "Downloads"
        self.downloads.mkdir(parents=True)
        self.work = self.mnt / "d" / "work"
        self.work.mkdir(parents=True)
        self.home = root / "home"
        self.home.mkdir()
        self.wsl_conf = root / "wsl.conf"
        self.wsl_conf.write_text(f"[automount]\nroot = {self.mnt}\n")
        self.proc_version = WSL_PROC_VERSION
        mounts = root / "mounts"
        mounts.write_text("/dev/sdc / ext4 rw,relatime 0 0\n")
        monkeypatch.setattr(_wslfacts, "read_text", self.read_text)
        monkeypatch.setattr(_wslfacts, "read_rtnetlink", lambda: (None, None))
        monkeypatch.setattr(_wslsymlink, "WSL_CONF_PATH", str(self.wsl_conf))
        monkeypatch.setattr(wsl_distro_plan, "WSL_CONF_PATH", str(self.wsl_conf))
        monkeypatch.setattr(_wslsymlink, "PROC_MOUNTS_PATH", str(mounts))
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.setenv("WSL_DISTRO_NAME", "Debian")
        monkeypatch.setenv("PATH", str(root / "no-programs"))  # no wslinfo: the facts say so, nothing runs

    def read_text(self, path: str) -> str | None:
        return {"/proc/version": self.proc_version, "/etc/wsl.conf": self.wsl_conf.read_text()}.get(path)


@pytest.fixture
def distro(tmp_path, monkeypatch):
    run_as_target(monkeypatch)
    return Distro(tmp_path, monkeypatch)


def run(capsys, check_mode=False, diff=False, **args):
    return run_main(wsl_distro_plan.main, capsys, check_mode, diff, **args)


def test_gathers_the_facts_plans_the_downloads_link_first_and_makes_every_link(distro, capsys):
    result = run(
        capsys,
        windows_user="steff",
        downloads_link="~/downloads",
        symlinks=[{"src": "D:\\work", "dest": "~/work", "owner": None}],
        make_links=True,
    )
    assert not result["failed"], result
    root = f"{distro.mnt}/"
    assert result["ansible_facts"]["wsl"]["is_wsl"] is True
    assert result["ansible_facts"]["wsl"]["automount"]["root"] == root
    assert result["automount_root"] == root
    assert result["downloads_src"] == "C:/Users/steff/Downloads"
    assert result["links"] == [
        {"src": "C:/Users/steff/Downloads", "dest": "~/downloads", "automount_root": root},
        {"src": "D:\\work", "dest": "~/work", "automount_root": root},
    ]
    assert result["changed"] is True
    assert [outcome["dest"] for outcome in result["link_results"]] == [
        str(distro.home / "downloads"),
        str(distro.home / "work"),
    ]
    assert os.readlink(distro.home / "downloads") == str(distro.downloads)
    assert os.readlink(distro.home / "work") == str(distro.work)

    again = run(capsys, windows_user="steff", downloads_link="~/downloads", make_links=True, diff=True)
    assert again["changed"] is False and not again["failed"]
    assert all(diff["before"] == diff["after"] for diff in again["diff"])


def test_check_mode_makes_nothing_and_diff_mode_shows_each_link(distro, capsys):
    result = run(
        capsys, check_mode=True, diff=True, downloads_folder="D:\\work", downloads_link="~/dl", make_links=True
    )
    assert result["changed"] is True
    assert not (distro.home / "dl").is_symlink()
    [diff] = result["diff"]
    assert diff["after_header"] == str(distro.home / "dl")
    assert str(distro.work) in diff["after"]


def test_without_make_links_only_plans(distro, capsys):
    result = run(capsys, windows_user="steff", downloads_link="~/downloads")
    assert [link["dest"] for link in result["links"]] == ["~/downloads"]
    assert "link_results" not in result
    assert not (distro.home / "downloads").is_symlink()


def test_every_link_is_tried_and_the_failed_ones_are_named(distro, capsys):
    (distro.home / "a").mkdir()
    symlinks = [
        {"src": "D:\\work", "dest": "~/a"},
        {"src": "D:\\work", "dest": "~/b", "state": "present"},
        {"src": "D:\\work", "dest": "~/c"},
    ]
    result = run(capsys, symlinks=symlinks, make_links=True)
    assert result["failed"] is True
    assert result["msg"].startswith("2 of 3 links failed: ~/a: dest: '")
    assert "is a directory, not a symbolic link" in result["msg"]
    assert "; ~/b: value of state must be one of: link, absent, got: present" in result["msg"]
    assert [outcome.get("failed", False) for outcome in result["link_results"]] == [True, True, False]
    assert os.readlink(distro.home / "c") == str(distro.work)
    assert (distro.home / "a").is_dir() and not (distro.home / "b").exists()
    assert result["ansible_facts"]["wsl"]["is_wsl"] is True


def test_a_target_that_is_not_wsl_gets_its_facts_and_no_link(distro, capsys, monkeypatch):
    distro.proc_version = "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) #45-Ubuntu SMP\n"
    monkeypatch.delenv("WSL_DISTRO_NAME")
    result = run(capsys, windows_user="steff", downloads_link="~/downloads", make_links=True)
    assert not result["failed"]
    assert result["ansible_facts"]["wsl"]["is_wsl"] is False
    assert "links" not in result and "link_results" not in result
    assert not (distro.home / "downloads").is_symlink()


def test_without_gather_the_links_take_the_automount_root_of_wsl_conf(distro, capsys):
    result = run(capsys, gather=False, downloads_folder="D:\\work", downloads_link="~/dl", make_links=True)
    assert "ansible_facts" not in result
    assert result["automount_root"] == f"{distro.mnt}/"
    assert os.readlink(distro.home / "dl") == str(distro.work)
    distro.wsl_conf.write_text("[automount]\nroot = relative/path\n")
    broken = run(capsys, gather=False, downloads_link="~/dl", windows_user="steff", make_links=True)
    assert broken["failed"] is True
    assert broken["msg"].startswith(f"[automount] root in {distro.wsl_conf}: ")


def test_warnings_for_project_paths_and_an_unknown_downloads_folder(distro, capsys):
    inside = f"{distro.mnt}/c/src/app"
    result = run(capsys, downloads_link="~/downloads", project_paths=["/home/dev/app", inside])
    messages = warning_messages(result)
    assert [message.split(" is on ")[0] for message in messages[:1]] == [inside]
    assert messages[1:] == [NO_DOWNLOADS]
    assert result["links"] == []


def test_wsl_conf_current_reads_wsl_conf_and_never_writes_it(distro, capsys):
    held = distro.wsl_conf.read_bytes() + b"[boot]\r\nsystemd = true # the company default\r\n"
    distro.wsl_conf.write_bytes(held)
    result = run(capsys, wsl_conf_settings={"boot": {"systemd": True}})
    assert result["wsl_conf_current"] is True and "warnings" not in result
    changing = run(capsys, wsl_conf_settings={"boot": {"systemd": False}})
    assert changing["wsl_conf_current"] is False and not changing["failed"]
    assert distro.wsl_conf.read_bytes() == held
    assert run(capsys)["wsl_conf_current"] is False  # no settings: nothing was checked


# (content of /etc/wsl.conf or None for no file, settings, unknown_keys, whether it holds them). WSL stops reading
# wsl.conf at a BOM and uses the first of duplicate keys (docs/wsl-reference.md): wsl_config refuses the one and
# rewrites the other.
AGREEMENT = [
    pytest.param(b"[boot]\nsystemd=true\n", {"boot": {"systemd": True}}, "error", True, id="held"),
    pytest.param(b"[boot]\nsystemd=true\n", {"boot": {"systemd": False}}, "error", False, id="changed"),
    pytest.param(b"\xef\xbb\xbf[boot]\r\nsystemd=true\r\n", {"boot": {"systemd": True}}, "error", False, id="bom-crlf"),
    pytest.param(b"[boot]\nsystemd=false\nsystemd=true\n", {"boot": {"systemd": True}}, "error", False, id="duplicate"),
    pytest.param(b"[Boot]\nSystemd=TRUE\n", {"boot": {"systemd": True}}, "error", True, id="other-case"),
    pytest.param(b"[boot]\n# systemd=true\n", {"boot": {"systemd": True}}, "error", False, id="commented-out"),
    pytest.param(b"[network]\nhostname=box\n", {"network": {"hostname": "box"}}, "error", True, id="string"),
    pytest.param(b"[boot]\nmystery=1\n", {"boot": {"mystery": "1"}}, "warn", True, id="unknown-key-warned"),
    pytest.param(b"[boot]\nmystery=1\n", {"boot": {"mystery": "1"}}, "error", False, id="unknown-key-refused"),
    pytest.param(None, {"boot": {"systemd": True}}, "error", False, id="no-file"),
]


@pytest.mark.parametrize(("content", "settings", "unknown_keys", "held"), AGREEMENT)
def test_wsl_conf_current_is_what_wsl_config_decides(
    distro, capsys, monkeypatch, content, settings, unknown_keys, held
):
    """The plan's answer is effective.wsl.wsl_config's own check-mode decision on the same file, and when the role
    skips that task, the plan gives its warnings."""
    if content is None:
        distro.wsl_conf.unlink()
    else:
        distro.wsl_conf.write_bytes(content)
    plan = run(capsys, gather=False, wsl_conf_settings=settings, wsl_conf_unknown_keys=unknown_keys)
    assert not plan["failed"], plan
    assert plan["wsl_conf_current"] is held
    run_as_target(monkeypatch)
    config = run_main(
        wsl_config.main,
        capsys,
        check_mode=True,
        path=str(distro.wsl_conf),
        type="wslconf",
        settings=settings,
        unknown_keys=unknown_keys,
    )
    if plan["wsl_conf_current"]:
        assert config["changed"] is False and not config["failed"], config
        assert warning_messages(plan) == warning_messages(config) if "warnings" in config else "warnings" not in plan
    else:
        assert config["changed"] or config["failed"], config
        assert "warnings" not in plan
    assert (distro.wsl_conf.read_bytes() if content is not None else None) == content


def test_wsl_conf_current_leaves_a_file_wsl_config_refuses_to_wsl_config(distro, capsys, monkeypatch, tmp_path):
    """A symbolic link or a directory at /etc/wsl.conf: not read, and the plan does not fail; wsl_config refuses it
    with its own message."""
    target = tmp_path / "elsewhere.conf"
    target.write_text("[boot]\nsystemd=true\n")
    (tmp_path / "link.conf").symlink_to(target)
    (tmp_path / "folder.conf").mkdir()
    for refused in ("link.conf", "folder.conf"):
        monkeypatch.setattr(wsl_distro_plan, "WSL_CONF_PATH", str(tmp_path / refused))
        result = run(capsys, wsl_conf_settings={"boot": {"systemd": True}})
        assert result["wsl_conf_current"] is False and not result["failed"], result
