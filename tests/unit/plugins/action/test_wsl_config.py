"""wsl_config action plugin: the exact module calls and bytes it sends (no Windows host here)."""

from __future__ import annotations

import base64
import codecs
import hashlib
from unittest import mock

import pytest

from ansible_collections.effective.wsl.plugins.action.wsl_config import ActionModule, infer_file_type


def slurped(data: bytes) -> dict:
    """What wsl_config_windows reports for an existing file."""
    return {
        "changed": False,
        "exists": True,
        "sha256": hashlib.sha256(data).hexdigest(),
        "content": base64.b64encode(data).decode(),
    }


ABSENT = {"changed": False, "exists": False, "sha256": "", "content": ""}


def write_args(path: str, before: bytes | None, after: bytes, backup: bool = False) -> dict:
    return {
        "path": path,
        "write": True,
        "expected_sha256": hashlib.sha256(before).hexdigest() if before is not None else "",
        "content": base64.b64encode(after).decode(),
        "backup": backup,
    }


class Harness:
    """An ActionModule whose remote side is mocked: records the module calls and answers them in order."""

    def __init__(self, args, read_result, windows=True, check_mode=False, diff=True, write_result=None, more=()):
        task = mock.MagicMock(args=args, async_val=0, check_mode=check_mode, diff=diff)
        connection = mock.MagicMock()
        connection._shell.SHELL_FAMILY = "powershell" if windows else "sh"
        connection._shell.tmpdir = None
        self.action = ActionModule(
            task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None
        )
        self.action._remote_expand_user = mock.MagicMock(side_effect=lambda p: p.replace("~", "/home/alice", 1))
        self.action._transfer_data = mock.MagicMock()
        results = [read_result, write_result or {"changed": True}, *more]
        self.action._execute_module = mock.MagicMock(side_effect=results)

    def run(self, task_vars=None):
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            return self.action.run(task_vars=task_vars or {})

    @property
    def calls(self):
        return [(c.kwargs["module_name"], c.kwargs["module_args"]) for c in self.action._execute_module.call_args_list]


WIN_PATH = "%USERPROFILE%\\.wslconfig"
WINDOWS = "effective.wsl.wsl_config_windows"
LINUX = "effective.wsl.wsl_config"


def test_windows_no_change_is_one_read():
    data = b"[wsl2]\r\nnetworkingMode = Mirrored\r\n"
    harness = Harness({"settings": {"wsl2": {"networkingMode": "mirrored"}}}, slurped(data))
    result = harness.run()
    assert harness.calls == [(WINDOWS, {"path": WIN_PATH})]
    assert result["changed"] is False
    assert result["changed_keys"] == [] and result["restart_required"] == "none"
    assert result["path"] == WIN_PATH and "diff" not in result


def test_windows_change_is_a_compare_and_swap_with_same_bom_and_crlf():
    data = codecs.BOM_UTF8 + b"# mine\r\n[wsl2]\r\nmemory=4GB\r\n"
    after = codecs.BOM_UTF8 + b"# mine\r\n[wsl2]\r\nmemory=8GB\r\nnetworkingMode=mirrored\r\n"
    harness = Harness(
        {"settings": {"wsl2": {"networkingMode": "mirrored", "memory": "8gb"}}, "backup": True},
        slurped(data),
        write_result={"changed": True, "backup_file": "C:\\Users\\alice\\.wslconfig.1234.20260101-093000.bak"},
    )
    result = harness.run()
    assert harness.calls == [(WINDOWS, {"path": WIN_PATH}), (WINDOWS, write_args(WIN_PATH, data, after, backup=True))]
    assert result["changed"] is True
    assert result["restart_required"] == "wsl_shutdown"
    assert result["backup_file"] == "C:\\Users\\alice\\.wslconfig.1234.20260101-093000.bak"
    assert result["changed_keys"] == [
        {"section": "wsl2", "key": "networkingMode", "before": None, "after": "mirrored"},
        {"section": "wsl2", "key": "memory", "before": 4 << 30, "after": 8 << 30},
    ]
    assert result["diff"] == {
        "before": "# mine\r\n[wsl2]\r\nmemory=4GB\r\n",
        "after": "# mine\r\n[wsl2]\r\nmemory=8GB\r\nnetworkingMode=mirrored\r\n",
        "before_header": WIN_PATH,
        "after_header": WIN_PATH,
    }
    harness.action._transfer_data.assert_not_called()


def test_windows_conflict_is_decided_again_on_what_the_host_found():
    """Another run added a key between the read and the write: the write is refused, the new state re-decided."""
    data = b"[wsl2]\r\n"
    theirs = b"[wsl2]\r\nswap=0\r\n"
    conflict = dict(slurped(theirs), conflict=True)
    harness = Harness({"settings": {"wsl2": {"memory": "8GB"}}}, slurped(data), write_result=conflict, more=[{}])
    result = harness.run()
    assert harness.calls == [
        (WINDOWS, {"path": WIN_PATH}),
        (WINDOWS, write_args(WIN_PATH, data, b"[wsl2]\r\nmemory=8GB\r\n")),
        (WINDOWS, write_args(WIN_PATH, theirs, b"[wsl2]\r\nswap=0\r\nmemory=8GB\r\n")),
    ]
    assert result["changed"] is True and "failed" not in result
    assert result["diff"]["before"] == "[wsl2]\r\nswap=0\r\n"


def test_windows_conflict_where_the_other_run_made_the_same_change_is_unchanged():
    data = b"[wsl2]\r\n"
    theirs = b"[wsl2]\r\nmemory=8GB\r\n"
    conflict = dict(slurped(theirs), conflict=True)
    harness = Harness({"settings": {"wsl2": {"memory": "8GB"}}}, slurped(data), write_result=conflict)
    result = harness.run()
    assert len(harness.calls) == 2
    assert result["changed"] is False and result["restart_required"] == "none" and "diff" not in result


def test_windows_file_that_keeps_changing_fails_without_a_restart():
    conflicts = [dict(slurped(f"[wsl2]\r\nswap={n}\r\n".encode()), conflict=True) for n in range(3)]
    harness = Harness(
        {"settings": {"wsl2": {"memory": "8GB"}}}, slurped(b""), write_result=conflicts[0], more=conflicts[1:]
    )
    result = harness.run()
    assert len(harness.calls) == 4
    assert result["failed"] is True and "during each of 3 attempts" in result["msg"]
    assert result["changed"] is False and result["restart_required"] == "none"


def test_windows_utf16_file_is_written_back_in_utf16():
    data = codecs.BOM_UTF16_LE + "[wsl2]\r\nswap=0\r\n".encode("utf-16-le")
    harness = Harness({"settings": {"wsl2": {"swap": "2GB"}}}, slurped(data))
    harness.run()
    sent = base64.b64decode(harness.calls[1][1]["content"])
    assert sent == codecs.BOM_UTF16_LE + "[wsl2]\r\nswap=2GB\r\n".encode("utf-16-le")


def test_windows_check_mode_reads_only():
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, slurped(b"[wsl2]\n"), check_mode=True)
    result = harness.run()
    assert harness.calls == [(WINDOWS, {"path": WIN_PATH})]
    assert result["changed"] is True and result["restart_required"] == "wsl_shutdown"
    assert result["diff"]["after"] == "[wsl2]\nswap=0\n"


def test_windows_creates_a_missing_file_only_if_it_is_still_missing():
    harness = Harness({"settings": {"wsl2": {"networkingMode": "mirrored"}}}, ABSENT)
    result = harness.run()
    assert harness.calls[1] == (WINDOWS, write_args(WIN_PATH, None, b"[wsl2]\r\nnetworkingMode=mirrored\r\n"))
    assert harness.calls[1][1]["expected_sha256"] == ""
    assert result["changed"] is True
    assert result["diff"]["before"] == "" and result["diff"]["before_header"] == f"{WIN_PATH} (absent)"


def test_missing_file_with_create_false_fails():
    harness = Harness({"settings": {"wsl2": {"swap": 0}}, "create": False}, ABSENT)
    result = harness.run()
    assert result["failed"] is True and "create=false" in result["msg"]
    assert len(harness.calls) == 1


def test_a_read_failure_is_never_taken_for_a_missing_file():
    """Any failure of the read is an error, whatever its text says ("not found" included)."""
    failure = {"failed": True, "msg": "The term 'powershell' is not found"}
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, failure, check_mode=True)
    result = harness.run()
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == f"could not read {WIN_PATH}: The term 'powershell' is not found"
    assert len(harness.calls) == 1


def test_read_refusal_of_a_reparse_point_is_reported():
    refusal = {"failed": True, "msg": "C:\\Users\\alice\\.wslconfig is a reparse point (a symbolic link or junction)"}
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, refusal)
    result = harness.run()
    assert result["failed"] is True and "reparse point" in result["msg"] and len(harness.calls) == 1


def test_write_failure_is_unchanged_without_restart_and_keeps_the_detail():
    crashed = {"failed": True, "msg": None, "module_stderr": "Access to the path is denied.", "module_stdout": ""}
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, slurped(b""), write_result=crashed)
    result = harness.run()
    assert result["failed"] is True and result["msg"] == f"could not write {WIN_PATH}: Access to the path is denied."
    assert result["changed"] is False and result["restart_required"] == "none"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("\\\\.\\PhysicalDrive0", "is a device path"),
        ("C:\\Users\\alice\\CON", "names a Windows device"),
        ("C:\\Users\\alice\\nul.wslconfig", "names a Windows device"),
    ],
)
def test_windows_device_paths_are_refused_before_anything_runs(path, message):
    harness = Harness({"settings": {"wsl2": {"swap": 0}}, "path": path, "type": "wslconfig"}, ABSENT)
    result = harness.run()
    assert result["failed"] is True and message in result["msg"]
    harness.action._execute_module.assert_not_called()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"settings": {"wsl2": {"networkMode": "mirrored"}}}, "did you mean networkingMode"),
        ({"settings": {"wsl2": {"memory": "4XB"}}}, "[wsl2] memory: '4XB' is not a size"),
        ({"settings": ["wsl2"]}, "settings: must be a dict"),
        ({"settings": {"boot": {"systemd": True}}}, "unknown section [boot] for .wslconfig"),
        ({"settings": {"wsl2": {"swap": 0}}, "path": "C:\\cfg\\wsl.ini"}, "type: cannot tell the file type"),
        ({"settings": {"boot": {"systemd": "yes"}}, "type": "wslconf", "path": "C:\\x"}, "WSL rejects yes/no"),
    ],
)
@pytest.mark.parametrize("windows", [True, False])
def test_bad_input_runs_nothing_on_the_host(args, message, windows):
    if not windows:
        path = args.get("path", "/mnt/c/Users/alice/.wslconfig")
        args = dict(args, path=path.replace("C:\\", "/srv/").replace("\\", "/"))
    harness = Harness(args, slurped(b""), windows=windows)
    result = harness.run()
    assert result["failed"] is True and message in result["msg"]
    assert result["changed"] is False and result["restart_required"] == "none"
    harness.action._execute_module.assert_not_called()


def test_linux_is_one_module_run_with_every_option_and_the_policy():
    facts = {"ansible_facts": {"wsl_host": {"policy": {"AllowNetworkingModeUserSetting": 0}}}}
    module_result = {"changed": True, "path": "/etc/wsl.conf", "restart_required": "distro_terminate"}
    harness = Harness({"settings": {"boot": {"systemd": True}}}, module_result, windows=False)
    result = harness.run(facts)
    assert harness.calls == [
        (
            LINUX,
            {
                "path": "/etc/wsl.conf",
                "type": "wslconf",
                "settings": {"boot": {"systemd": True}},
                "unknown_keys": "error",
                "backup": False,
                "create": True,
                "follow": False,
                "policy": {"AllowNetworkingModeUserSetting": 0},
            },
        )
    ]
    assert result["changed"] is True and result["restart_required"] == "distro_terminate"


def test_linux_home_is_expanded_on_the_target_and_the_type_inferred():
    harness = Harness(
        {"path": "~/.wslconfig", "settings": {"wsl2": {"memory": "8GB"}}}, {"changed": False}, windows=False
    )
    result = harness.run()
    assert harness.calls[0][1]["path"] == "/home/alice/.wslconfig" and harness.calls[0][1]["type"] == "wslconfig"
    assert result["path"] == "~/.wslconfig"


def test_linux_module_crash_keeps_its_detail_and_reports_no_change():
    crashed = {"failed": True, "msg": "", "module_stderr": "/bin/sh: 1: /usr/bin/python3: not found", "rc": 127}
    harness = Harness({"settings": {"boot": {"systemd": True}}}, crashed, windows=False)
    result = harness.run()
    assert result["failed"] is True and result["msg"] == "/bin/sh: 1: /usr/bin/python3: not found"
    assert result["changed"] is False and result["restart_required"] == "none"


def test_policy_and_host_facts_path():
    facts = {
        "ansible_facts": {
            "wsl_host": {
                "policy": {"AllowNetworkingModeUserSetting": 0},
                "wslconfig": {"path": "C:\\Users\\alice\\.wslconfig"},
            }
        }
    }
    harness = Harness({"settings": {"wsl2": {"networkingMode": "mirrored"}}}, slurped(b""), check_mode=True)
    result = harness.run(facts)
    assert harness.calls == [(WINDOWS, {"path": "C:\\Users\\alice\\.wslconfig"})]
    assert any("overridden by policy AllowNetworkingModeUserSetting=0" in w for w in result["warnings"])


def test_mode_warning_is_returned():
    harness = Harness(
        {"settings": {"wsl2": {"networkingMode": "mirrored"}}}, slurped(b"[wsl2]\nlocalhostForwarding=true\n")
    )
    result = harness.run()
    assert result["warnings"] == [
        "[wsl2] localhostForwarding only applies in NAT, bridged or consomme (virtioproxy) mode; networkingMode is "
        "mirrored, so WSL ignores it"
    ]


@pytest.mark.parametrize(
    ("path", "windows", "expected"),
    [
        ("%USERPROFILE%\\.wslconfig", True, "wslconfig"),
        ("C:\\Users\\Bob\\.WSLCONFIG", True, "wslconfig"),
        ("/mnt/c/Users/bob/.wslconfig", False, "wslconfig"),
        ("/etc/wsl.conf", False, "wslconf"),
        ("/srv/backup/wsl.conf.orig", False, None),
        ("C:\\cfg\\settings.ini", True, None),
    ],
)
def test_infer_file_type(path, windows, expected):
    assert infer_file_type(path, windows) == expected


def test_an_explicit_policy_wins_over_the_host_facts():
    facts = {"ansible_facts": {"wsl_host": {"policy": {"AllowNetworkingModeUserSetting": 1}}}}
    args = {"settings": {"wsl2": {"networkingMode": "mirrored"}}, "policy": {"AllowNetworkingModeUserSetting": 0}}
    result = Harness(args, slurped(b""), check_mode=True).run(facts)
    assert any("overridden by policy AllowNetworkingModeUserSetting=0" in w for w in result["warnings"])
