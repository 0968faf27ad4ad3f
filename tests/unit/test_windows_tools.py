"""tools/windows-setup.ps1 and tools/record-windows-fixtures.ps1: what they call, read from their syntax tree.

No PowerShell exists here, so the scripts are checked statically: both parse (tests/unit/test_powershell.py), the
setup does its steps in the order Windows needs and never opens WinRM to every address, the recorder only reads.
"""

from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import pscheck  # noqa: E402

SETUP = ROOT / "tools" / "windows-setup.ps1"
RECORDER = ROOT / "tools" / "record-windows-fixtures.ps1"
# Commands that change nothing on the host (Save-Json writes the recording itself, Invoke-Wsl runs wsl.exe with
# --version and --list --verbose only).
READ_ONLY = ("Get-", "Join-Path", "ConvertTo-Json", "ForEach-Object", "Write-Output", "Invoke-Recorded", "Invoke-Wsl")


def commands(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line, command) for every command the script runs, in order; dynamic names as their source text."""
    source = path.read_bytes()
    found = []

    def walk(node):
        if node.type == "command":
            name = next((child for child in node.children if child.type in ("command_name", "command_name_expr")), None)
            if name is not None:
                found.append((name.start_point[0] + 1, source[name.start_byte : name.end_byte].decode()))
        for child in node.children:
            walk(child)

    walk(pscheck.PARSER.parse(source).root_node)
    return found


def first_line(path: pathlib.Path, command: str) -> int:
    return next(line for line, name in commands(path) if name == command)


def test_setup_starts_winrm_before_it_creates_the_listener():
    assert first_line(SETUP, "Set-Service") < first_line(SETUP, "Start-Service") < first_line(SETUP, "New-Item")
    assert "Set-Service -Name WinRM -StartupType Automatic" in SETUP.read_text()


def test_setup_secures_the_listener_and_scopes_the_firewall_rule():
    text = SETUP.read_text()
    assert "-Transport HTTPS" in text and "-Transport HTTP " not in text
    assert "Set-Item -Path WSMan:\\localhost\\Service\\Auth\\Basic -Value $false" in text
    assert "Set-Item -Path WSMan:\\localhost\\Service\\AllowUnencrypted -Value $false" in text
    rule = next(line for line in text.splitlines() if "New-NetFirewallRule" in line)
    continuation = text[text.index(rule) :].split("\n\n", 1)[0]
    assert "-RemoteAddress $remoteAddresses" in continuation
    assert not re.search(r"-RemoteAddress\s+(Any|\*|0\.0\.0\.0)", text)
    # NAT: every vEthernet (WSL...) adapter (none, one or two) adds its subnet; mirrored: loopback.
    assert "$remoteAddresses = @('127.0.0.1')" in text
    assert "foreach ($adapter in $adapters)" in text


def test_setup_lifts_the_token_filter_only_for_a_local_administrator():
    text = SETUP.read_text()
    branch = text[text.index("if ($LocalAdministrator) {") :].split("\n}\n", 1)[0]
    assert "LocalAccountTokenFilterPolicy" in branch
    assert text.count("LocalAccountTokenFilterPolicy -Value 1") == 1


def test_setup_prints_the_inventory_and_the_ca_file():
    text = SETUP.read_text()
    for printed in (
        "ansible_winrm_transport: ntlm",
        "ansible_winrm_server_cert_validation: validate",
        "wsl_windows_user:",
    ):
        assert printed in text
    assert "Export-Certificate" in text and "-----BEGIN CERTIFICATE-----" in text


def test_recorder_only_reads():
    names = [name for _line, name in commands(RECORDER)]
    assert names, "the recorder runs commands"
    others = sorted({name for name in names if not name.startswith((*READ_ONLY, '"Get-'))})
    assert others == ["$Read", "New-Item", "Save-Json"]
    # New-Item only creates the output directory; dynamic calls are Get- cmdlets or the wsl.exe runner.
    assert [line for line in RECORDER.read_text().splitlines() if "New-Item " in line] == [
        "$null = New-Item -ItemType Directory -Path $target -Force"
    ]
    assert "foreach ($arguments in @('--version', '--list --verbose'))" in RECORDER.read_text()
    assert not re.search(r"--shutdown|--terminate|--unregister", RECORDER.read_text())


def test_recorder_writes_what_the_tests_load():
    text = RECORDER.read_text()
    for name in (
        "hyperv_firewall_vm_setting_read.json",
        "hyperv_firewall_stores.json",
        "cmdlet_parameters.json",
        "wsl_exe.json",
        "registry.json",
        "errors.json",
    ):
        assert f"Save-Json -Name '{name}'" in text
    for store in ("PersistentStore", "ActiveStore", "SystemDefaults"):
        assert f"'{store}'" in text


GUIDE = ROOT / "docs" / "winrm-from-wsl.md"


def test_guide_starts_winrm_before_the_listener_and_names_the_account_needs():
    text = GUIDE.read_text()
    assert text.index("Start-Service -Name WinRM") < text.index("New-Item -Path WSMan:\\localhost\\Listener")
    assert "LocalAccountTokenFilterPolicy" in text
    assert "HTTP/<name>" in text  # Kerberos needs a name with an SPN, not an IP
    assert "tools/windows-setup.ps1" in text


def test_guide_collects_every_wsl_adapter():
    text = GUIDE.read_text()
    # One or two vEthernet (WSL...) adapters, or none: a scalar .IPAddress / .PrefixLength breaks on two and on none.
    assert "$adapters = @(Get-NetIPAddress -InterfaceAlias 'vEthernet (WSL*'" in text
    assert not re.search(r"\(Get-NetIPAddress -InterfaceAlias 'vEthernet \(WSL\*'[^)]*\)\.IPAddress", text)
    assert "$wsl.PrefixLength" not in text
    assert "Public profile" not in text
