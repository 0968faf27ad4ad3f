"""The decisions of the interop connection: refusals, argument vectors, path mapping, CLIXML."""

from __future__ import annotations

import base64

import pytest
from ansible.plugins.loader import shell_loader

from ansible_collections.effective.wsl.plugins.plugin_utils import _interop
from ansible_collections.effective.wsl.tests.unit.plugins import powershell_commands

WSL2_PROC_VERSION = "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@buildhost) #1 SMP"
ENABLED_BINFMT = "enabled\ninterpreter /init\nflags: PF\noffset 0\nmagic 4d5a\n"
PS = "/mnt/c/Windows/System32/WindowsPowerShell/v1.0/powershell.exe"


def decoded(argv: list[str]) -> str:
    return base64.b64decode(argv[argv.index("-EncodedCommand") + 1]).decode("utf-16-le")


class TestRefusals:
    def test_outside_wsl(self):
        with pytest.raises(_interop.InteropRefusal, match=r"only from inside a WSL distro.*winrm"):
            _interop.refuse_outside_wsl("Linux version 6.8.0-45-generic", {}, {"WSLInterop": None})

    @pytest.mark.parametrize(
        ("proc_version", "env", "binfmt"),
        [
            (WSL2_PROC_VERSION, {}, None),
            ("Linux version 6.8.0-custom", {"WSL_DISTRO_NAME": "Ubuntu"}, None),
            ("Linux version 6.8.0-custom", {}, ENABLED_BINFMT),
        ],
    )
    def test_inside_wsl(self, proc_version, env, binfmt):
        _interop.refuse_outside_wsl(proc_version, env, {"WSLInterop": None, "WSLInterop-late": binfmt})

    def test_wsl_conf_turns_interop_off(self):
        with pytest.raises(_interop.InteropRefusal, match=r"\[interop\] enabled=false"):
            _interop.refuse_without_interop(False, {"WSLInterop": ENABLED_BINFMT})

    def test_binfmt_not_registered(self):
        with pytest.raises(_interop.InteropRefusal, match=r"interop is not registered.*protectBinfmt"):
            _interop.refuse_without_interop(True, {"WSLInterop": None, "WSLInterop-late": None})

    def test_binfmt_disabled(self):
        disabled = ENABLED_BINFMT.replace("enabled", "disabled", 1)
        with pytest.raises(_interop.InteropRefusal, match="interop is disabled"):
            _interop.refuse_without_interop(True, {"WSLInterop": disabled, "WSLInterop-late": None})

    def test_late_entry_is_enough(self):
        _interop.refuse_without_interop(True, {"WSLInterop": None, "WSLInterop-late": ENABLED_BINFMT})

    @pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "::1", "Desktop-7Q2K1", "laptop.corp."])
    def test_own_host(self, host):
        _interop.refuse_other_host(host, ["laptop.corp"], "desktop-7q2k1")

    @pytest.mark.parametrize("host", ["10.1.2.3", "windows", "", None, "build-server"])
    def test_other_host(self, host):
        with pytest.raises(_interop.InteropRefusal, match=r"not the Windows host of this WSL distro.*localhost"):
            _interop.refuse_other_host(host, [], "desktop-7q2k1")

    def test_powershell_location_uses_automount_root(self):
        assert _interop.powershell_location(_interop.DEFAULT_POWERSHELL_PATH, "/win") == (
            "/win/c/Windows/System32/WindowsPowerShell/v1.0/powershell.exe"
        )

    @pytest.mark.parametrize("path", ["powershell.exe", "\\\\server\\share\\powershell.exe", "/usr/bin/pwsh"])
    def test_powershell_path_must_be_on_a_drive(self, path):
        with pytest.raises(_interop.InteropRefusal, match="powershell_path"):
            _interop.powershell_location(path, "/mnt/")

    def test_missing_powershell_names_both_paths(self):
        with pytest.raises(_interop.InteropRefusal, match=r"C:\\Windows.*should be /mnt/c/Windows.*'/mnt/'"):
            _interop.refuse_missing_powershell(_interop.DEFAULT_POWERSHELL_PATH, PS, "/mnt/", False)


class TestCommandArgv:
    shell = shell_loader.get("powershell")

    def test_module_command_runs_powershell_with_its_own_arguments(self):
        # What this ansible-core builds for a pipelined PowerShell module (bootstrap_wrapper.ps1).
        command, words, _payload = powershell_commands.pipelined_module(self.shell)
        if powershell_commands.QUOTES_WORDS:
            assert "'" in command, "the base64 word needs quoting: the test must cover quoted words"
        else:
            assert set(words[-1]) & set("+="), "the bare base64 word must have a + or =: the test must cover them"
        assert _interop.command_argv(PS, command) == [PS, *words[1:]]

    def test_shell_plugin_commands(self):
        remove = self.shell.remove("C:\\Users\\O'Brien\\tmp", recurse=True)
        for command in (remove, powershell_commands.mkdtemp_command(self.shell)):
            argv = _interop.command_argv(PS, command)
            assert argv[0] == PS and argv[1:5] == ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted"]
            assert argv[5] == "-EncodedCommand" and "-EncodedCommand" not in decoded(argv), "run as built, not wrapped"

    @pytest.mark.skipif(
        not powershell_commands.QUOTES_WORDS,
        reason="before ansible-core 2.21 the powershell shell plugin has no join() of its own and never builds a "
        "quoted program behind &",
    )
    def test_quoted_program_and_arguments(self):
        command = self.shell.join(["C:\\Program Files\\PowerShell\\powershell.exe", "it's", "a b", "\u2019x"])
        assert command.startswith("& '")
        assert _interop.command_argv(PS, command) == [PS, "it's", "a b", "\u2019x"]

    @pytest.mark.parametrize(
        "command",
        ["Get-ChildItem C:\\ | Select-Object Name", "whoami.exe /groups", "pwsh -NoProfile -Command 1", "$x = 1"],
    )
    def test_other_commands_run_as_a_script(self, command):
        argv = _interop.command_argv(PS, command)
        assert argv[:-2] == [PS, "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted"]
        script = decoded(argv)
        assert command in script.splitlines()
        assert "OutputEncoding" in script and "exit" in script

    @pytest.mark.parametrize("command", ["", "powershell 'unterminated", "powershell a  b", "powershell a'b'"])
    def test_split_refuses_what_the_shell_plugin_never_builds(self, command):
        assert _interop.split_statement(command) is None

    def test_quote_round_trips_through_split(self):
        value = "C:\\a b\\it's \u2018here\u2019"
        assert _interop.split_statement("x " + _interop.quote(value)) == ["x", value]

    def test_script_argv_without_input(self):
        argv = _interop.script_argv(PS, "1", no_input=True)
        assert argv[5:7] == ["-InputFormat", "None"] and decoded(argv) == "1"


class TestTransfers:
    @pytest.mark.parametrize(
        ("windows", "expected"),
        [
            (
                "C:\\Users\\steff\\AppData\\Local\\Temp\\ansible-tmp-1\\source",
                "/mnt/c/Users/steff/AppData/Local/Temp/ansible-tmp-1/source",
            ),
            ("d:/data/x.txt", "/mnt/d/data/x.txt"),
            ("\\\\server\\share\\x", None),
            ("\\\\wsl.localhost\\Ubuntu\\etc\\hosts", None),
            ("relative\\x", None),
            ("%TEMP%\\x", None),
            ("/etc/hosts", None),
        ],
    )
    def test_mounted_location(self, windows, expected):
        assert _interop.mounted_location(windows, "/mnt") == expected

    def test_scripts_quote_the_path(self):
        for script in (_interop.write_file_script("C:\\it's"), _interop.read_file_script("C:\\it's")):
            assert "'C:\\it''s'" in script


class TestElevation:
    @pytest.mark.parametrize(
        ("rc", "stdout", "expected"),
        [(0, b"True\r\n", True), (0, b"False\r\n", False), (1, b"True", None), (0, b"", None), (0, b"yes", None)],
    )
    def test_parse(self, rc, stdout, expected):
        assert _interop.parse_elevation(rc, stdout) is expected

    def test_refusal_names_the_alternatives(self):
        message = _interop.elevation_refusal("effective.wsl.hyperv_firewall_rule", False)
        assert "hyperv_firewall_rule needs an elevated" in message and "is not elevated" in message
        assert "WinRM" in message and "administrator" in message
        assert "could not be checked" in _interop.elevation_refusal("x", None)
        assert _interop.elevation_refusal("x", True) is None


class TestClixml:
    # Shape of PowerShell's serialised error stream (MS-PSRP 2.2.5.3.2 string escapes), constructed.
    RECORD = (
        b'#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
        b'<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN>'
        b'<MS><I64 N="SourceId">1</I64></MS></Obj>'
        b'<S S="Error">Access is denied._x000D__x000A_</S><S S="Error">At line:1 char:1_x000D__x000A_</S></Objs>'
    )

    def test_error_strings_become_text(self):
        assert _interop.clixml_to_text(self.RECORD) == b"Access is denied.\r\nAt line:1 char:1\r\n"

    def test_text_before_the_document_is_kept(self):
        assert _interop.clixml_to_text(b"warning\n" + self.RECORD).startswith(b"warning\nAccess is denied.")

    @pytest.mark.parametrize("stderr", [b"", b"plain error\n", b"#< CLIXML\n<Objs><broken"])
    def test_other_stderr_unchanged(self, stderr):
        assert _interop.clixml_to_text(stderr) == stderr
