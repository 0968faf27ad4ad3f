"""effective.wsl.interop against ansible-core's connection contract, with a recording stand-in for powershell.exe.

No Windows here: the stand-in (a Python script at the place powershell.exe has under the automount root)
records argv, standard input, working directory and environment, and answers as told. What is tested is
ours: the refusals, what reaches powershell.exe, exit codes, stderr, and the transfers.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from io import StringIO

import pytest
import yaml
from ansible import constants as C
from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.playbook.play_context import PlayContext

from ansible_collections.effective.wsl.plugins.connection import interop
from ansible_collections.effective.wsl.tests.unit.plugins import powershell_commands

# What the plugin loader does when it loads the plugin: register its documented options under its name.
C.config.initialize_plugin_configuration_definitions(
    "connection", "effective.wsl.interop", yaml.safe_load(interop.DOCUMENTATION)["options"]
)
WSL2_PROC_VERSION = "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@buildhost) #1 SMP\n"
BINFMT = "enabled\ninterpreter /init\nflags: PF\noffset 0\nmagic 4d5a\n"
STAND_IN = textwrap.dedent(
    f"""\
    #!{sys.executable}
    import json, os, sys
    here = os.path.dirname(os.path.abspath(__file__))
    stdin = sys.stdin.buffer.read()
    with open(os.path.join(here, "calls.jsonl"), "a") as log:
        log.write(json.dumps({{"argv": sys.argv[1:], "stdin": stdin.decode("latin-1"), "cwd": os.getcwd(),
                              "env": sorted(os.environ)}}) + "\\n")
    answer = json.load(open(os.path.join(here, "answer.json")))
    sys.stdout.buffer.write(answer.get("stdout", "").encode("latin-1") or stdin)
    sys.stderr.buffer.write(answer.get("stderr", "").encode("utf-8"))
    sys.exit(answer.get("rc", 0))
    """
)


class Windows:
    """A fake automount root with C: and a recording powershell.exe."""

    def __init__(self, root):
        self.root = root
        self.bin = root / "c" / "Windows" / "System32" / "WindowsPowerShell" / "v1.0"
        self.bin.mkdir(parents=True)
        self.exe = self.bin / "powershell.exe"
        self.exe.write_text(STAND_IN)
        self.exe.chmod(0o755)
        self.answer()

    def answer(self, stdout="", stderr="", rc=0):
        (self.bin / "answer.json").write_text(json.dumps({"stdout": stdout, "stderr": stderr, "rc": rc}))

    def calls(self):
        path = self.bin / "calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def windows(tmp_path, monkeypatch):
    win = Windows(tmp_path / "win")
    files = {
        interop.PROC_VERSION_PATH: WSL2_PROC_VERSION,
        interop.WSL_CONF_PATH: f"[automount]\nroot = {win.root}\n",
        f"{interop.BINFMT_DIR}/WSLInterop": BINFMT,
    }
    win.files = files
    monkeypatch.setattr(interop, "read_text", files.get)
    monkeypatch.setattr(interop, "is_mount", lambda path: path == f"{win.root}/c")
    monkeypatch.setenv("WSLENV", "USERPROFILE/p")
    return win


def connect(**options):
    connection = interop.Connection(PlayContext(), StringIO())
    connection._load_name = "effective.wsl.interop"
    connection.set_options(var_options={"ansible_host": "localhost", **options})
    return connection


def test_loads_with_the_powershell_shell():
    connection = connect()
    assert connection.transport == "effective.wsl.interop"
    assert connection._shell.SHELL_FAMILY == "powershell"
    assert connection.is_pipelining_enabled() and connection.is_pipelining_enabled(wrap_async=True)
    assert connection.module_implementation_preferences[0] == ".ps1"


def test_module_payload_reaches_powershell_on_stdin(windows):
    # The command and input this ansible-core builds for a pipelined PowerShell module (module_common.py).
    connection = connect()
    command, words, payload = powershell_commands.pipelined_module(connection._shell)
    windows.answer(stdout='{"changed": false}\r\n')
    rc, stdout, stderr = connection.exec_command(command, in_data=payload)
    assert (rc, stdout, stderr) == (0, b'{"changed": false}\r\n', b"")
    (call,) = windows.calls()
    assert call["argv"] == words[1:]
    assert call["stdin"].encode("latin-1") == payload
    assert call["cwd"] == f"{windows.root}/c"
    assert "WSLENV" not in call["env"]


def test_exit_code_and_clixml_stderr(windows):
    windows.answer(stderr='#< CLIXML\n<Objs Version="1.1.0.1"><S S="Error">denied_x000A_</S></Objs>', rc=5)
    connection = connect()
    rc, _stdout, stderr = connection.exec_command("Get-Item HKLM:\\SECURITY")
    assert (rc, stderr) == (5, b"denied\n")


def test_stdin_closed_without_input(windows):
    connect().exec_command("Get-Date")
    assert windows.calls()[0]["stdin"] == ""


def test_put_and_fetch_through_the_mounted_drive(windows, tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(bytes(range(256)) * 3)
    target_dir = windows.root / "c" / "Users" / "steff" / "AppData" / "Local" / "Temp" / "ansible-tmp-1"
    target_dir.mkdir(parents=True)
    connection = connect()
    connection.put_file(str(source), "C:\\Users\\steff\\AppData\\Local\\Temp\\ansible-tmp-1\\source")
    assert (target_dir / "source").read_bytes() == source.read_bytes()
    assert os.listdir(target_dir) == ["source"], "no temporary file left behind"
    fetched = tmp_path / "fetched.bin"
    connection.fetch_file("c:/Users/steff/AppData/Local/Temp/ansible-tmp-1/source", str(fetched))
    assert fetched.read_bytes() == source.read_bytes()
    assert windows.calls() == [], "a mounted drive needs no powershell.exe"


def test_put_into_a_missing_folder_says_where(windows, tmp_path):
    source = tmp_path / "s"
    source.write_text("x")
    with pytest.raises(AnsibleError, match=r"could not write C:\\nowhere\\s \(as .*/c/nowhere/s in this distro\)"):
        connect().put_file(str(source), "C:\\nowhere\\s")


def test_put_missing_source(windows, tmp_path):
    with pytest.raises(AnsibleFileNotFound):
        connect().put_file(str(tmp_path / "absent"), "C:\\x")


def test_transfers_outside_the_mounts_go_through_powershell(windows, tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(b"\x00\xff\r\n payload")
    connection = connect()
    connection.put_file(str(source), "\\\\server\\share\\x.bin")
    put = windows.calls()[0]
    assert put["stdin"].encode("latin-1") == source.read_bytes()
    assert "'\\\\server\\share\\x.bin'" in decode(put["argv"])
    windows.answer(stdout="\x00\xff fetched")
    fetched = tmp_path / "fetched"
    connection.fetch_file("E:\\not-mounted.bin", str(fetched))
    assert fetched.read_bytes() == b"\x00\xff fetched"
    assert windows.calls()[1]["argv"][3:6] == ["Unrestricted", "-InputFormat", "None"]
    windows.answer(stderr="no such share", rc=1)
    with pytest.raises(AnsibleError, match=r"could not transfer \\\\server\\share\\x.bin .*rc 1.*no such share"):
        connection.put_file(str(source), "\\\\server\\share\\x.bin")


def decode(argv):
    import base64

    return base64.b64decode(argv[argv.index("-EncodedCommand") + 1]).decode("utf-16-le")


def test_elevation_is_probed_once(windows):
    windows.answer(stdout="False\r\n")
    connection = connect()
    assert connection.session_is_elevated() is False
    assert connection.session_is_elevated() is False
    (call,) = windows.calls()
    assert "IsInRole" in decode(call["argv"])


class TestRefusalsBeforeAnythingRuns:
    def refused(self, windows, match, **options):
        with pytest.raises(AnsibleConnectionFailure, match=match):
            connect(**options).exec_command("Get-Date")
        assert windows.calls() == []

    def test_not_wsl(self, windows, monkeypatch):
        windows.files[interop.PROC_VERSION_PATH] = "Linux version 6.8.0-45-generic\n"
        del windows.files[f"{interop.BINFMT_DIR}/WSLInterop"]
        monkeypatch.delenv("WSL_DISTRO_NAME", raising=False)
        monkeypatch.delenv("WSL_INTEROP", raising=False)
        self.refused(windows, "only from inside a WSL distro")

    def test_interop_disabled_in_wsl_conf(self, windows):
        windows.files[interop.WSL_CONF_PATH] += "[interop]\nenabled = false\n"
        self.refused(windows, r"\[interop\] enabled=false")

    def test_no_binfmt_entry(self, windows):
        del windows.files[f"{interop.BINFMT_DIR}/WSLInterop"]
        self.refused(windows, "not registered")

    def test_powershell_missing(self, windows):
        windows.exe.unlink()
        self.refused(windows, "powershell.exe not found")

    def test_other_host(self, windows):
        self.refused(windows, "'192.0.2.10' is not the Windows host", ansible_host="192.0.2.10")

    def test_alias_is_accepted(self, windows):
        connect(ansible_host="me.example", ansible_wsl_interop_host_aliases=["me.example"]).exec_command("1")
        assert len(windows.calls()) == 1

    def test_cwd_must_be_on_a_mounted_drive(self, windows):
        self.refused(windows, "cwd: '/home/x' is not a folder", ansible_wsl_interop_cwd="/home/x")


def test_a_program_that_cannot_start_names_the_machine_wide_switch(windows):
    windows.exe.chmod(0o644)  # exists, but exec fails (as with interop off for every distro: Exec format error)
    with pytest.raises(AnsibleConnectionFailure, match=r"could not start .*powershell.exe.*LxssManager"):
        connect().exec_command("Get-Date")
