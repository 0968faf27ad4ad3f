"""effective.wsl.interop inside the WSL simulator: site.yml without WinRM, the refusals, the elevation guard.

powershell.exe is the simulator's shim (tests/wslsim/shims/powershell.exe): it records every call and answers
Ansible's module protocol with constructed results (docs/testing.md). What runs for real is ours: the connection
plugin, the action plugins, the roles and site.yml, the transfers through the simulated C: drive.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ansible.release import __version__ as ansible_core_version

REPO = Path(__file__).resolve().parents[2]
# ansible-core 2.19 changed the PowerShell module protocol (executor/powershell/module_manifest.py): the module's
# standard input starts with a JSON line naming exec_wrapper, and the remote temp folder comes from the exec wrapper
# script powershell_mkdtemp.ps1. Before, the standard input starts with exec_wrapper.ps1's source, and the shell
# plugin's mkdtemp() script makes the folder (tests/wslsim/shims/powershell.exe records it as "mkdtemp").
NEW_PROTOCOL = tuple(int(part) for part in ansible_core_version.split(".")[:2]) >= (2, 19)
POWERSHELL = "/mnt/c/Windows/System32/WindowsPowerShell/v1.0/powershell.exe"
PING_PLAY = """
- name: Reach Windows over interop
  hosts: windows
  connection: effective.wsl.interop
  gather_facts: false
  tasks:
    - name: Ping
      ansible.windows.win_ping:
"""
INVENTORY = "windows ansible_host=localhost\n"


def refused(sim, match: str, inventory: str = INVENTORY, env: dict | None = None) -> str:
    result = sim.playbook(PING_PLAY, inventory=inventory, env=env)
    assert result.rc != 0, result.output
    ping = result.task("Ping", host="windows")
    assert ping["unreachable"], result.output
    assert match in ping["msg"], ping["msg"]
    assert sim.calls("powershell.exe") == [], "a refusal comes before anything runs"
    return ping["msg"]


@pytest.fixture(scope="module")
def site_run(simulator_available):
    """playbooks/site.yml for real (no check mode) with no WinRM user configured."""
    import wslsim

    with wslsim.Simulator(mode="nat") as sim:
        result = sim.playbook(REPO / "playbooks" / "site.yml", inventory=REPO / "playbooks" / "inventory" / "hosts.yml")
        yield sim, result


class TestSiteWithoutWinrm:
    def test_runs_green_over_interop(self, site_run):
        _sim, result = site_run
        assert result.rc == 0, result.output
        assert result.stats["windows"]["failures"] == 0 and result.stats["windows"]["unreachable"] == 0
        added = result.task("Add the Windows host to the inventory (WSL interop)")
        assert added["add_host"]["host_vars"]["ansible_connection"] == "effective.wsl.interop"
        assert added["changed"] is False  # an in-memory inventory entry: a re-run reports no change
        assert result.task("Add the Windows host to the inventory (WinRM)")["skipped"]
        assert "{{" not in result.stdout, "no WinRM-only inventory value (ansible_user) leaks untemplated"

    def test_host_facts_and_downloads_link(self, site_run):
        sim, result = site_run
        facts = result.task("Gather WSL facts of the Windows host", host="windows")["ansible_facts"]["wsl_host"]
        assert facts["known_folders"]["downloads"] == "C:\\Users\\steff\\Downloads"
        assert facts["elevated"] is False
        # The links are made by the task that plans them (one task run, no loop task): the Downloads link changed.
        links = result.task("Gather WSL facts of the distro and link Windows folders")["link_results"]
        assert [(link["dest"], link["changed"]) for link in links] == [("/root/downloads", True)]
        assert sim.run(["readlink", "/root/downloads"], check=True).stdout == "/mnt/c/Users/steff/Downloads\n"

    def test_wslconfig_written_through_the_c_drive(self, site_run):
        sim, result = site_run
        assert result.task("Configure .wslconfig", host="windows")["changed"]
        assert sim.read_file("/mnt/c/Users/steff/.wslconfig") == "[wsl2]\ndnsTunneling=true\nautoProxy=true\n"

    def test_says_what_it_left_for_an_elevated_run(self, site_run):
        _sim, result = site_run
        message = result.task("Say which tasks are left for an elevated or WinRM run", host="windows")["msg"]
        assert "Hyper-V firewall" in message and "administrator" in message and "WinRM" in message
        assert result.task("Manage Hyper-V firewall rules for the WSL VM", host="windows")["skipped"]

    def test_what_reached_powershell(self, site_run):
        sim, _result = site_run
        calls = sim.calls("powershell.exe")
        assert calls, "the Windows play ran through powershell.exe"
        assert {call["path"] for call in calls} == {POWERSHELL}, "called by its full path, never through PATH"
        assert {call["cwd"] for call in calls} == {"/mnt/c"}
        assert all("WSLENV" not in call["env"] for call in calls)
        modules = [call["protocol"].get("module") for call in calls if "protocol" in call]
        assert modules[:2] == ["ansible.windows.win_ping", "effective.wsl.wsl_host_facts"]
        assert modules.count("effective.wsl.wsl_config_windows") == 2, "read, then compare-and-swap write"
        module_call = calls[0]
        assert module_call["argv"][:4] == ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted"]
        assert module_call["argv"][4] == "-EncodedCommand"
        assert "$input" in module_call["script"], "ansible-core's bootstrap wrapper reads the payload from stdin"
        if NEW_PROTOCOL:
            bootstrap, _nul, manifest = module_call["stdin"].partition("\n\0\0\0\0\n")
            assert json.loads(bootstrap)["name"] == "exec_wrapper"
            assert json.loads(manifest)["actions"][-1]["name"] == "module_wrapper.ps1"
        else:
            exec_wrapper, _nul, manifest = module_call["stdin"].partition("\0\0\0\0")
            assert "$json_raw" in exec_wrapper, "exec_wrapper.ps1 reads the manifest after the NUL characters"
            assert json.loads(manifest)["actions"] == ["module_powershell_wrapper"]


def test_site_check_mode_with_winrm_user_keeps_winrm(wsl_nat):
    result = wsl_nat.playbook(
        REPO / "playbooks" / "site.yml",
        inventory=REPO / "playbooks" / "inventory" / "hosts.yml",
        extra_vars={"wsl_windows_user": "dev", "vault_wsl_windows_password": "x"},
        check=True,
        args=["--limit", "localhost"],
    )
    added = result.task("Add the Windows host to the inventory (WinRM)")
    assert not added["skipped"] and added["add_host"]["host_name"], result.output
    assert result.task("Add the Windows host to the inventory (WSL interop)")["skipped"]


class TestRefusals:
    def test_interop_disabled_in_wsl_conf(self, wsl_simulator):
        sim = wsl_simulator(interop=False, wsl_conf="[interop]\nenabled = false\n")
        refused(sim, "/etc/wsl.conf sets [interop] enabled=false")

    def test_no_interop_binfmt_entry(self, wsl_simulator):
        sim = wsl_simulator(interop_binfmt=False)
        refused(sim, "WSL interop is not registered")

    def test_powershell_missing(self, wsl_simulator):
        sim = wsl_simulator(automount_root="/srv/win/", wsl_conf="[automount]\nroot = /srv/win\n")
        sim.run(["rm", "/srv/win/c/Windows/System32/WindowsPowerShell/v1.0/powershell.exe"], check=True)
        message = refused(sim, "powershell.exe not found")
        assert "/srv/win/c/Windows/System32/WindowsPowerShell/v1.0/powershell.exe" in message

    def test_other_host(self, wsl_nat):
        refused(wsl_nat, "host '192.0.2.10' is not the Windows host", inventory="windows ansible_host=192.0.2.10\n")

    def test_not_inside_wsl(self, wsl_nat):
        # A private mount namespace for this one command hides the WSL kernel name and the binfmt entry, and the
        # WSL variables are removed: the distro is the simulator's, its evidence of WSL is gone.
        wsl_nat.write_file("/tmp/not-wsl-version", "Linux version 6.8.0-45-generic (buildd@lcy02) #45 SMP\n")
        playbook = "/tmp/not-wsl.yml"
        wsl_nat.write_file(playbook, PING_PLAY)
        wsl_nat.write_file("/tmp/not-wsl.ini", INVENTORY)
        command = (
            "mount --bind /tmp/not-wsl-version /proc/version && mount -t tmpfs none /proc/sys/fs/binfmt_misc && "
            f"ansible-playbook -i /tmp/not-wsl.ini {playbook}"
        )
        done = wsl_nat.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", command],
            env={"WSL_DISTRO_NAME": None, "WSL_INTEROP": None, "ANSIBLE_NOCOLOR": "1"},
        )
        assert done.returncode != 0
        assert "UNREACHABLE" in done.stdout and "only from inside a WSL distro" in done.stdout, done.stdout
        assert wsl_nat.calls("powershell.exe") == []
        assert "microsoft" in wsl_nat.read_file("/proc/version"), "the distro itself is untouched"


COPY_PLAY = """
- name: Copy over interop
  hosts: windows
  connection: effective.wsl.interop
  gather_facts: false
  tasks:
    - name: Copy
      ansible.windows.win_copy:
        content: "interop \u00e9\\n"
        dest: C:\\Users\\steff\\Documents\\note.txt
"""


def test_file_transfer_through_the_c_drive(wsl_nat):
    """ansible.windows.win_copy: remote temp folder, put_file, the module, the cleanup."""
    result = wsl_nat.playbook(COPY_PLAY, inventory=INVENTORY)
    assert result.task("Copy", host="windows")["changed"], result.output
    assert wsl_nat.read_file("/mnt/c/Users/steff/Documents/note.txt") == "interop \u00e9\n"
    protocol = [call.get("protocol", {}) for call in wsl_nat.calls("powershell.exe")]
    assert protocol[0]["module"] == "ansible.windows.win_copy" and protocol[0]["args"]["_copy_mode"] == "query"
    mkdtemp = "powershell_mkdtemp.ps1" if NEW_PROTOCOL else "mkdtemp"
    assert protocol[1]["script"] == mkdtemp and protocol[1]["params"]["Directory"] == "%TEMP%"
    assert protocol[2]["module"] == "ansible.windows.win_copy" and protocol[2]["args"]["_copy_mode"] == "single"
    assert protocol[2]["args"]["src"].startswith("C:\\Users\\steff\\AppData\\Local\\Temp\\ansible-tmp-")
    temp = wsl_nat.run(["ls", "-A", "/mnt/c/Users/steff/AppData/Local/Temp"], check=True).stdout
    assert temp == "", "the remote temp folder is removed (Remove-Item through powershell.exe)"


FIREWALL_PLAY = """
- name: Hyper-V firewall over interop
  hosts: windows
  connection: effective.wsl.interop
  gather_facts: false
  tasks:
    - name: Remove a rule
      effective.wsl.hyperv_firewall_rule:
        name: effective-wsl-dev-http
        state: absent
      ignore_errors: true
"""


def test_elevation_needed_but_not_there(wsl_simulator):
    sim = wsl_simulator()
    result = sim.playbook(FIREWALL_PLAY, inventory=INVENTORY)
    task = result.task("Remove a rule", host="windows")
    assert task["failed"] and "is not elevated" in task["msg"] and "WinRM" in task["msg"]
    (probe,) = sim.calls("powershell.exe")
    assert "IsInRole" in probe["script"] and "protocol" not in probe, "only the probe ran, no module"


def test_elevated_session_runs_the_module(wsl_simulator):
    sim = wsl_simulator(windows_elevated=True)
    report = json.loads((REPO / "tests/unit/fixtures/hyperv_firewall/rule_remove.json").read_text())
    sim.set_powershell_module_result("effective.wsl.hyperv_firewall_rule", report)
    result = sim.playbook(FIREWALL_PLAY, inventory=INVENTORY)
    task = result.task("Remove a rule", host="windows")
    assert not task["failed"], result.output
    modules = [call.get("protocol", {}).get("module") for call in sim.calls("powershell.exe")]
    assert modules == [None, "effective.wsl.hyperv_firewall_rule"]
