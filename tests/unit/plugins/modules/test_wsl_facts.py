"""Unit tests of the wsl_facts module: files, commands and the kernel's rtnetlink answers are faked, the module
runs for real."""

from __future__ import annotations

import json
import os
import pathlib
import pwd

import pytest
from ansible.module_utils import basic

from ansible_collections.effective.wsl.plugins.module_utils import _wslfacts
from ansible_collections.effective.wsl.plugins.modules import wsl_facts
from ansible_collections.effective.wsl.tests.unit.plugins.module_args import patch_module_args

PROC_VERSION = "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP\n"
IP_ADDR = [
    {
        "ifindex": 1,
        "ifname": "lo",
        "flags": ["LOOPBACK", "UP"],
        "mtu": 65536,
        "operstate": "UNKNOWN",
        "address": "00:00:00:00:00:00",
        "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host"}],
    },
    {
        "ifindex": 2,
        "ifname": "eth0",
        "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
        "mtu": 1492,
        "operstate": "UP",
        "address": "00:15:5d:a1:b2:c3",
        "addr_info": [
            {"family": "inet", "local": "172.24.222.66", "prefixlen": 20, "broadcast": "172.24.223.255"},
        ],
    },
]
IP_ROUTE = [{"dst": "default", "gateway": "172.24.208.1", "dev": "eth0"}]
PROC_MOUNTS = (
    "none /mnt/wsl tmpfs rw,relatime 0 0\n"
    "drivers /usr/lib/wsl/drivers 9p ro,nosuid,nodev,noatime,dirsync,aname=drivers;fmask=222;dmask=222 0 0\n"
    "C:\\134 /win/c 9p rw,noatime,dirsync,aname=drvfs;path=C:\\;uid=1000;gid=1000 0 0\n"
    "D:\\134 /win/d 9p rw,noatime,dirsync,aname=drvfs;path=D:\\;uid=1000;gid=1000 0 0\n"
    "E:\\134 /mnt/e 9p rw,noatime 0 0\n"
)
WSL_CONF = "[boot]\nsystemd=true\n[automount]\nroot = /win\n[interop]\nappendWindowsPath = false\n"
BINFMT = "enabled\ninterpreter /init\nflags: PF\noffset 0\nmagic 4d5a\n"
WSL_FILES = {
    "/proc/version": PROC_VERSION,
    "/etc/resolv.conf": "nameserver 10.255.255.254\n",
    "/etc/wsl.conf": WSL_CONF,
    "/proc/mounts": PROC_MOUNTS,
    "/proc/sys/fs/binfmt_misc/WSLInterop": BINFMT,
    "/proc/1/comm": "systemd\n",
}
WSL_ENV = {"WSL_DISTRO_NAME": "Ubuntu-24.04", "WSL_INTEROP": "/run/WSL/1_interop", "PATH": "/usr/bin"}
OUTPUTS = {("wslinfo", "--networking-mode"): "nat\n"}


class FakeHost:
    """Files, environment, programs and kernel network state the module sees; records every command it runs and
    every rtnetlink read."""

    def __init__(self, monkeypatch, files, env, programs, network=(IP_ADDR, IP_ROUTE)):
        self.commands = []
        self.rtnetlink_reads = 0
        self.network = network
        monkeypatch.setattr(_wslfacts, "read_rtnetlink", self.read_rtnetlink)
        monkeypatch.setattr(_wslfacts, "read_text", files.get)
        monkeypatch.setattr(_wslfacts.os, "environ", dict(env))
        self.programs = programs
        monkeypatch.setattr(basic.AnsibleModule, "get_bin_path", self.get_bin_path)
        monkeypatch.setattr(basic.AnsibleModule, "run_command", self.run_command)

    def read_rtnetlink(self):
        self.rtnetlink_reads += 1
        return self.network

    def get_bin_path(self, name, *args, **kwargs):
        return f"/usr/bin/{name}" if name in self.programs else None

    def run_command(self, argv, **kwargs):
        self.commands.append(argv)
        key = (pathlib.PurePosixPath(argv[0]).name, *argv[1:])
        return 0, OUTPUTS[key], ""


def run_module(capsys, args=None):
    with patch_module_args(args or {}), pytest.raises(SystemExit):
        wsl_facts.main()
    return json.loads(capsys.readouterr().out)


def test_nat_distro(monkeypatch, capsys):
    host = FakeHost(monkeypatch, WSL_FILES, WSL_ENV, {"wslinfo"})
    result = run_module(capsys)
    facts = result["ansible_facts"]["wsl"]
    assert result["changed"] is False
    assert facts["is_wsl"] is True
    assert facts["version"] == 2
    assert facts["distro_name"] == "Ubuntu-24.04"
    assert facts["kernel"] == "5.15.167.4-microsoft-standard-WSL2"
    net = facts["networking"]
    assert (net["mode"], net["mode_source"]) == ("nat", "wslinfo")
    assert net["default_gateway"] == "172.24.208.1"
    assert net["windows_host_address"] == "172.24.208.1"
    assert net["eth0"]["mtu"] == 1492
    assert net["dns_tunneling"] is True
    assert facts["interop"] == {
        "enabled": True,
        "enabled_in_wsl_conf": True,
        "append_windows_path": False,
        "binfmt": {"enabled": True, "interpreter": "/init", "flags": "PF"},
    }
    assert facts["automount"] == {"enabled": True, "root": "/win/", "drives": {"c": "/win/c", "d": "/win/d"}}
    assert facts["systemd"] == {"enabled_in_wsl_conf": True, "running": True}
    assert facts["wsl_conf"] == {
        "path": "/etc/wsl.conf",
        "exists": True,
        "settings": {"boot": {"systemd": True}, "automount": {"root": "/win"}, "interop": {"appendWindowsPath": False}},
    }
    # "Cheap": one command and one read of the kernel's interfaces and routes, nothing else.
    assert [argv[1:] for argv in host.commands] == [["--networking-mode"]]
    assert host.rtnetlink_reads == 1


def test_at_most_one_command_and_defaults_without_wsl_conf(monkeypatch, capsys):
    files = dict(WSL_FILES, **{"/etc/wsl.conf": None, "/proc/1/comm": "init\n"})
    files.pop("/proc/sys/fs/binfmt_misc/WSLInterop")
    host = FakeHost(monkeypatch, files, WSL_ENV, {"wslinfo"})
    facts = run_module(capsys)["ansible_facts"]["wsl"]
    assert len(host.commands) == 1
    assert facts["wsl_conf"] == {"path": "/etc/wsl.conf", "exists": False, "settings": {}}
    assert facts["automount"] == {"enabled": True, "root": "/mnt/", "drives": {"e": "/mnt/e"}}
    assert facts["systemd"] == {"enabled_in_wsl_conf": False, "running": False}
    # No WSLInterop binfmt entry: Windows programs cannot start, whatever wsl.conf says.
    assert facts["interop"]["enabled"] is False
    assert facts["interop"]["enabled_in_wsl_conf"] is True


def test_without_wslinfo_the_mode_is_a_heuristic(monkeypatch, capsys):
    host = FakeHost(monkeypatch, WSL_FILES, WSL_ENV, set())
    net = run_module(capsys)["ansible_facts"]["wsl"]["networking"]
    assert host.commands == []
    assert (net["mode"], net["mode_source"]) == ("nat", "heuristic")
    assert net["windows_host_address"] == "172.24.208.1"


def test_unreadable_rtnetlink_is_a_note(monkeypatch, capsys):
    FakeHost(monkeypatch, WSL_FILES, WSL_ENV, {"wslinfo"}, network=(None, None))
    net = run_module(capsys)["ansible_facts"]["wsl"]["networking"]
    assert (net["mode"], net["mode_source"]) == ("nat", "wslinfo")
    assert (net["eth0"], net["default_gateway"], net["windows_host_address"]) == (None, None, None)
    assert any("rtnetlink" in note for note in net["notes"])


def test_non_wsl_linux_runs_nothing(monkeypatch, capsys):
    files = {"/proc/version": "Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) #1 SMP\n"}
    host = FakeHost(monkeypatch, files, {"PATH": "/usr/bin"}, {"wslinfo"})
    result = run_module(capsys)
    assert host.commands == []
    assert host.rtnetlink_reads == 0
    assert result["changed"] is False
    assert result["ansible_facts"]["wsl"]["is_wsl"] is False
    assert result["ansible_facts"]["wsl"]["networking"] is None
    assert result["ansible_facts"]["wsl"]["user"]["uid"] == os.geteuid()


def test_check_mode_gives_the_same_facts(monkeypatch, capsys):
    FakeHost(monkeypatch, WSL_FILES, WSL_ENV, {"wslinfo"})
    normal = run_module(capsys)
    checked = run_module(capsys, {"_ansible_check_mode": True})
    assert checked["changed"] is False
    assert checked["ansible_facts"] == normal["ansible_facts"]


def test_dns_tunneling_address_option(monkeypatch, capsys):
    files = dict(WSL_FILES, **{"/etc/resolv.conf": "nameserver 10.200.0.53\n"})
    FakeHost(monkeypatch, files, WSL_ENV, {"wslinfo"})
    assert run_module(capsys)["ansible_facts"]["wsl"]["networking"]["dns_tunneling"] is False
    net = run_module(capsys, {"dns_tunneling_address": "10.200.0.53"})["ansible_facts"]["wsl"]["networking"]
    assert net["dns_tunneling"] is True


def test_bad_dns_tunneling_address_is_refused(monkeypatch, capsys):
    host = FakeHost(monkeypatch, WSL_FILES, WSL_ENV, {"wslinfo"})
    result = run_module(capsys, {"dns_tunneling_address": "10.255.255"})
    assert result["failed"] is True
    assert result["msg"] == "dns_tunneling_address: '10.255.255' is not an IPv4 address (e.g. 10.255.255.254)"
    assert host.commands == []


@pytest.mark.skipif("microsoft" in pathlib.Path("/proc/version").read_text().lower(), reason="this machine is WSL")
def test_this_machine_is_not_wsl(capsys):
    """No fakes: on this (non-WSL) build machine the module must say is_wsl false and not fail."""
    result = run_module(capsys)
    assert result.get("failed") is not True
    assert result["ansible_facts"]["wsl"]["is_wsl"] is False
    user = result["ansible_facts"]["wsl"]["user"]
    account = pwd.getpwuid(os.geteuid())
    assert (user["uid"], user["name"], user["home"]) == (account.pw_uid, account.pw_name, account.pw_dir)
