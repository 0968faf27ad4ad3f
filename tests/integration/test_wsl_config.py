"""effective.wsl.wsl_config run by ansible-playbook inside the WSL simulator (local connection, as root).

Edits the distro's own /etc/wsl.conf and the Windows user's .wslconfig through /mnt/c, for real.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

WSLCONFIG = "/mnt/c/Users/steff/.wslconfig"


def config_play(name: str, **args) -> str:
    """A one-task playbook; arguments go through JSON so that backslashes and types arrive unchanged."""
    return (
        "- name: Config play\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        f"    - name: {name}\n"
        f"      effective.wsl.wsl_config: {json.dumps(args)}\n"
    )


def put(sim, path: str, data: bytes) -> None:
    Path(sim.host_path(path)).write_bytes(data)


def get(sim, path: str) -> bytes:
    return Path(sim.host_path(path)).read_bytes()


@pytest.fixture(scope="module")
def sim(wsl_nat):
    return wsl_nat


def test_wsl_conf_check_mode_then_change_then_unchanged(sim):
    original = b"[boot]\nsystemd=false # off for now\n\n[automount]\nroot = /mnt/\n# mine\n"
    put(sim, "/etc/wsl.conf", original)
    play = config_play("Enable systemd", settings={"boot": {"systemd": True}, "interop": {"appendWindowsPath": False}})

    checked = sim.playbook(play, check=True, diff=True)
    assert checked.rc == 0, checked.output
    result = checked.task("Enable systemd")
    assert result["changed"] is True
    assert result["path"] == "/etc/wsl.conf" and result["restart_required"] == "distro_terminate"
    assert get(sim, "/etc/wsl.conf") == original
    assert result["diff"]["before"] == original.decode()
    assert result["diff"]["after"] == (
        "[boot]\nsystemd=true # off for now\n\n[automount]\nroot = /mnt/\n# mine\n"
        "\n[interop]\nappendWindowsPath=false\n"
    )
    assert "+systemd=true # off for now" in checked.stdout and "-systemd=false # off for now" in checked.stdout

    applied = sim.playbook(play)
    assert applied.rc == 0, applied.output
    result = applied.task("Enable systemd")
    assert result["changed"] is True
    assert result["changed_keys"] == [
        {"section": "boot", "key": "systemd", "before": False, "after": True},
        {"section": "interop", "key": "appendWindowsPath", "before": None, "after": False},
    ]
    expected = (
        b"[boot]\nsystemd=true # off for now\n\n[automount]\nroot = /mnt/\n# mine\n"
        b"\n[interop]\nappendWindowsPath=false\n"
    )
    assert get(sim, "/etc/wsl.conf") == expected

    again = sim.playbook(play)
    assert again.rc == 0, again.output
    assert again.task("Enable systemd")["changed"] is False
    assert again.task("Enable systemd")["restart_required"] == "none"
    assert get(sim, "/etc/wsl.conf") == expected


def test_wslconfig_through_mnt_c_keeps_bom_and_crlf(sim):
    original = codecs.BOM_UTF8 + b"# tuned by hand\r\n[wsl2]\r\nmemory = 4GB  # half\r\nlocalhostForwarding=true\r\n"
    put(sim, WSLCONFIG, original)
    play = config_play(
        "Mirrored",
        path=WSLCONFIG,
        backup=True,
        settings={"wsl2": {"networkingMode": "mirrored", "memory": "8gb", "kernel": "C:\\wsl\\kernel"}},
    )

    checked = sim.playbook(play, check=True, diff=True)
    assert checked.rc == 0, checked.output
    assert checked.task("Mirrored")["changed"] is True
    assert get(sim, WSLCONFIG) == original

    applied = sim.playbook(play)
    assert applied.rc == 0, applied.output
    result = applied.task("Mirrored")
    assert result["type"] == "wslconfig" and result["restart_required"] == "wsl_shutdown"
    assert get(sim, WSLCONFIG) == codecs.BOM_UTF8 + (
        b"# tuned by hand\r\n[wsl2]\r\nmemory = 8GB  # half\r\nlocalhostForwarding=true\r\n"
        b"networkingMode = mirrored\r\nkernel = C:\\\\wsl\\\\kernel\r\n"
    )
    assert get(sim, result["backup_file"]) == original
    assert any("localhostForwarding only applies in NAT, bridged or consomme" in w for w in result["warnings"])

    again = sim.playbook(config_play("Mirrored", path=WSLCONFIG, settings={"wsl2": {"memory": "8192MB"}}))
    assert again.rc == 0, again.output
    assert again.task("Mirrored")["changed"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"settings": {"wsl2": {"networkMode": "mirrored"}}}, "did you mean networkingMode"),
        ({"settings": {"wsl2": {"memory": "4XB"}}}, "[wsl2] memory: '4XB' is not a size"),
        ({"settings": {"experimental": {"ignoredPorts": "3000-3005"}}}, "ranges"),
        ({"settings": {"wsl2": {"kernel": "\\\\server\\share\\k"}}}, "UNC"),
        ({"settings": "wsl2.memory=4GB"}, "settings: must be a dict"),
    ],
)
def test_bad_input_leaves_wslconfig_byte_identical(sim, args, message):
    original = b"[wsl2]\r\nmemory=4GB\r\n"
    put(sim, WSLCONFIG, original)
    run = sim.playbook(config_play("Bad", path=WSLCONFIG, **args))
    assert run.rc != 0
    result = run.task("Bad")
    assert result["failed"] is True and message in result["msg"]
    assert get(sim, WSLCONFIG) == original


def test_wsl_conf_stop_line_is_reported_and_blocks_unreadable_settings(sim):
    original = b"[boot]\nsystemd=true\ncommand = echo C:\\foo\n[interop]\nappendWindowsPath=true\n"
    put(sim, "/etc/wsl.conf", original)

    refused = sim.playbook(config_play("After stop", settings={"interop": {"appendWindowsPath": False}}))
    assert refused.rc != 0
    assert "WSL stops reading wsl.conf at line 3" in refused.task("After stop")["msg"]
    assert get(sim, "/etc/wsl.conf") == original

    unchanged = sim.playbook(config_play("Before stop", settings={"boot": {"systemd": True}}))
    assert unchanged.rc == 0, unchanged.output
    result = unchanged.task("Before stop")
    assert result["changed"] is False
    assert any(
        "WSL STOPS READING wsl.conf AT LINE 3" in w and "[interop] appendWindowsPath (line 5)" in w
        for w in result["warnings"]
    )
    assert get(sim, "/etc/wsl.conf") == original


def test_missing_file_is_created_unless_create_is_false(sim):
    path = "/mnt/c/Users/steff/new.wslconfig"
    refused = sim.playbook(
        config_play("No create", path=path, type="wslconfig", create=False, settings={"wsl2": {"swap": 0}})
    )
    assert refused.rc != 0 and "create=false" in refused.task("No create")["msg"]
    assert not Path(sim.host_path(path)).exists()

    created = sim.playbook(config_play("Create", path=path, type="wslconfig", settings={"wsl2": {"swap": 0}}))
    assert created.rc == 0, created.output
    assert get(sim, path) == b"[wsl2]\r\nswap=0\r\n"
