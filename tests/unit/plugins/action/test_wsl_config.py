"""wsl_config action plugin: the exact module calls and bytes it sends (no Windows host here)."""

from __future__ import annotations

import base64
import codecs
import hashlib
import ntpath
import posixpath
from unittest import mock

import pytest

from ansible_collections.effective.wsl.plugins.action.wsl_config import ActionModule, infer_file_type


def slurped(data: bytes) -> dict:
    return {"changed": False, "content": base64.b64encode(data).decode(), "encoding": "base64"}


class Harness:
    """An ActionModule whose remote side is mocked: records module calls and transferred bytes."""

    def __init__(self, args, read_result, windows=True, check_mode=False, diff=True, write_result=None):
        task = mock.MagicMock(args=args, async_val=0, check_mode=check_mode, diff=diff)
        connection = mock.MagicMock()
        connection._shell.SHELL_FAMILY = "powershell" if windows else "sh"
        connection._shell.tmpdir = None
        connection._shell.join_path = ntpath.join if windows else posixpath.join
        self.action = ActionModule(
            task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None
        )
        self.tmpdir = "C:\\Users\\alice\\AppData\\Local\\Temp\\ansible-tmp-1" if windows else "/tmp/ansible-tmp-1"

        def make_tmp(*_args, **_kwargs):
            connection._shell.tmpdir = self.tmpdir
            return self.tmpdir

        self.transferred: dict[str, bytes] = {}
        self.action._make_tmp_path = mock.MagicMock(side_effect=make_tmp)
        self.action._transfer_data = mock.MagicMock(
            side_effect=lambda path, data: self.transferred.update({path: data})
        )
        self.action._fixup_perms2 = mock.MagicMock()
        self.action._remove_tmp_path = mock.MagicMock()
        results = [read_result, write_result or {"changed": True}]
        self.action._execute_module = mock.MagicMock(side_effect=results)

    def run(self, task_vars=None):
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            return self.action.run(task_vars=task_vars or {})

    @property
    def calls(self):
        return [(c.kwargs["module_name"], c.kwargs["module_args"]) for c in self.action._execute_module.call_args_list]


WIN_PATH = "%USERPROFILE%\\.wslconfig"


def test_windows_no_change_is_one_read():
    data = b"[wsl2]\r\nnetworkingMode = Mirrored\r\n"
    harness = Harness({"settings": {"wsl2": {"networkingMode": "mirrored"}}}, slurped(data))
    result = harness.run()
    assert harness.calls == [("ansible.windows.slurp", {"src": WIN_PATH})]
    assert result["changed"] is False
    assert result["changed_keys"] == [] and result["restart_required"] == "none"
    assert result["path"] == WIN_PATH and "diff" not in result
    harness.action._make_tmp_path.assert_not_called()
    harness.action._transfer_data.assert_not_called()


def test_windows_change_writes_same_bom_and_crlf_with_win_copy():
    data = codecs.BOM_UTF8 + b"# mine\r\n[wsl2]\r\nmemory=4GB\r\n"
    harness = Harness(
        {"settings": {"wsl2": {"networkingMode": "mirrored", "memory": "8gb"}}, "backup": True},
        slurped(data),
        write_result={"changed": True, "backup_file": "C:\\Users\\alice\\.wslconfig.1234.bak"},
    )
    result = harness.run()
    source = harness.tmpdir + "\\source"
    assert harness.calls == [
        ("ansible.windows.slurp", {"src": WIN_PATH}),
        (
            "ansible.windows.win_copy",
            {
                "src": source,
                "dest": WIN_PATH,
                "backup": True,
                "_original_basename": ".wslconfig",
                "_copy_mode": "single",
            },
        ),
    ]
    assert harness.transferred == {
        source: codecs.BOM_UTF8 + b"# mine\r\n[wsl2]\r\nmemory=8GB\r\nnetworkingMode=mirrored\r\n"
    }
    assert result["changed"] is True
    assert result["restart_required"] == "wsl_shutdown"
    assert result["backup_file"] == "C:\\Users\\alice\\.wslconfig.1234.bak"
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
    harness.action._fixup_perms2.assert_not_called()


def test_windows_utf16_file_is_written_back_in_utf16():
    data = codecs.BOM_UTF16_LE + "[wsl2]\r\nswap=0\r\n".encode("utf-16-le")
    harness = Harness({"settings": {"wsl2": {"swap": "2GB"}}}, slurped(data))
    harness.run()
    assert list(harness.transferred.values()) == [codecs.BOM_UTF16_LE + "[wsl2]\r\nswap=2GB\r\n".encode("utf-16-le")]


def test_windows_check_mode_reads_only():
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, slurped(b"[wsl2]\n"), check_mode=True)
    result = harness.run()
    assert harness.calls == [("ansible.windows.slurp", {"src": WIN_PATH})]
    assert result["changed"] is True and result["restart_required"] == "wsl_shutdown"
    assert result["diff"]["after"] == "[wsl2]\nswap=0\n"
    harness.action._transfer_data.assert_not_called()


def test_windows_creates_a_missing_file():
    missing = {"failed": True, "msg": "Path C:\\Users\\alice\\.wslconfig is not found"}
    harness = Harness({"settings": {"wsl2": {"networkingMode": "mirrored"}}}, missing)
    result = harness.run()
    assert [call[0] for call in harness.calls] == ["ansible.windows.slurp", "ansible.windows.win_copy"]
    assert list(harness.transferred.values()) == [b"[wsl2]\r\nnetworkingMode=mirrored\r\n"]
    assert result["changed"] is True
    assert result["diff"]["before"] == "" and result["diff"]["before_header"] == f"{WIN_PATH} (absent)"


def test_missing_file_with_create_false_fails():
    missing = {"failed": True, "msg": "Path C:\\x is not found"}
    harness = Harness({"settings": {"wsl2": {"swap": 0}}, "create": False}, missing)
    result = harness.run()
    assert result["failed"] is True and "create=false" in result["msg"]
    assert len(harness.calls) == 1


def test_read_error_other_than_missing_fails():
    harness = Harness({"settings": {"wsl2": {"swap": 0}}}, {"failed": True, "msg": "Access to the path is denied"})
    result = harness.run()
    assert result == {"failed": True, "msg": f"could not read {WIN_PATH}: Access to the path is denied"}


def test_write_failure_is_reported():
    harness = Harness(
        {"settings": {"wsl2": {"swap": 0}}}, slurped(b""), write_result={"failed": True, "msg": "disk full"}
    )
    result = harness.run()
    assert result["failed"] is True and result["msg"] == f"could not write {WIN_PATH}: disk full"


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
def test_bad_input_runs_nothing_on_the_host(args, message):
    harness = Harness(args, slurped(b""))
    result = harness.run()
    assert result["failed"] is True and message in result["msg"]
    harness.action._execute_module.assert_not_called()
    harness.action._transfer_data.assert_not_called()


def test_linux_default_is_etc_wsl_conf_with_slurp_and_copy():
    data = b"[boot]\nsystemd=false\n"
    harness = Harness({"settings": {"boot": {"systemd": True}}}, slurped(data), windows=False)
    result = harness.run()
    source = "/tmp/ansible-tmp-1/source"
    written = b"[boot]\nsystemd=true\n"
    assert harness.calls == [
        ("ansible.builtin.slurp", {"src": "/etc/wsl.conf"}),
        (
            "ansible.builtin.copy",
            {
                "src": source,
                "dest": "/etc/wsl.conf",
                "backup": False,
                "follow": True,
                "checksum": hashlib.sha1(written).hexdigest(),
                "_original_basename": "wsl.conf",
            },
        ),
    ]
    assert harness.transferred == {source: written}
    harness.action._fixup_perms2.assert_called_once_with(("/tmp/ansible-tmp-1", source))
    assert result["restart_required"] == "distro_terminate"
    assert result["changed_keys"] == [{"section": "boot", "key": "systemd", "before": False, "after": True}]


def test_linux_wslconfig_under_mnt_c_is_inferred():
    path = "/mnt/c/Users/alice/.wslconfig"
    harness = Harness({"path": path, "settings": {"wsl2": {"memory": "8GB"}}}, slurped(b"[wsl2]\r\n"), windows=False)
    result = harness.run()
    assert harness.calls[0] == ("ansible.builtin.slurp", {"src": path})
    assert harness.transferred == {"/tmp/ansible-tmp-1/source": b"[wsl2]\r\nmemory=8GB\r\n"}
    assert result["type"] == "wslconfig" and result["restart_required"] == "wsl_shutdown"


def test_wslconf_line_after_stop_is_refused_without_writing():
    harness = Harness(
        {"settings": {"interop": {"enabled": False}}}, slurped(b"bad line\n[interop]\nenabled=true\n"), windows=False
    )
    result = harness.run()
    assert result["failed"] is True and "WSL stops reading wsl.conf at line 1" in result["msg"]
    assert len(harness.calls) == 1
    harness.action._transfer_data.assert_not_called()


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
    assert harness.calls == [("ansible.windows.slurp", {"src": "C:\\Users\\alice\\.wslconfig"})]
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
