"""The restart matrix: topologies x policies x changes, through the action plugin with recorded connections.

Each case runs the tasks a run would (the .wslconfig change, the wsl.conf change, in either order, on the hosts
the topology uses), keeps the facts they set per host as Ansible does, then the summary task. It asserts each
decision, the exact wsl.exe argv that ran (or none) and the summary. The distro-side topologies also run for real
in the simulator (tests/integration/test_restart_topologies.py).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from unittest import mock

import pytest

from ansible_collections.effective.wsl.plugins.action import wsl_restart as wsl_restart_action
from ansible_collections.effective.wsl.tests.unit.plugins.restart_fixtures import (
    MIRRORED_FIB_TRIE,
    MIRRORED_ROUTE,
    NAT_ROUTE,
    PLAIN_PROC_VERSION,
    WSL_PROC_VERSION,
)

NAT_CONTROLLER = {"/proc/version": WSL_PROC_VERSION, "/proc/net/route": NAT_ROUTE}
MIRRORED_CONTROLLER = {
    "/proc/version": WSL_PROC_VERSION,
    "/proc/net/route": MIRRORED_ROUTE,
    "/proc/net/fib_trie": MIRRORED_FIB_TRIE,
}
CENTRAL_CONTROLLER = {"/proc/version": PLAIN_PROC_VERSION}
INSTALL_LOCATION = "C:\\Program Files\\WSL\\"
REAL_WSL_EXE = r"C:\Program Files\WSL\wsl.exe"
NAMES = {"winhost.corp.example": frozenset({"172.24.208.1"}), "ws042.corp.example": frozenset({"10.1.2.42"})}


@dataclass
class Host:
    """An inventory host (or the implicit localhost) and how the play reaches it."""

    name: str
    transport: str
    shell: str = "sh"
    remote_addr: str | None = None
    remote_user: str | None = None
    facts: dict = field(default_factory=dict)


class HostVars:
    """Ansible's hostvars: iterating lists inventory hosts only; raw_get also creates the implicit localhost."""

    def __init__(self, inventory: list[str], hosts: dict[str, Host]):
        self.inventory = inventory
        self.hosts = hosts

    def __iter__(self):
        return iter(self.inventory)

    def raw_get(self, name):
        host = self.hosts.get(name)
        return {"ansible_facts": host.facts} if host else {}


class Run:
    """One ansible-playbook run: tasks on hosts, facts kept per host, every module call recorded."""

    def __init__(
        self, monkeypatch, controller_files, inventory, check=False, install_location=INSTALL_LOCATION, answer=None
    ):
        monkeypatch.setattr(wsl_restart_action, "read_text", controller_files.get)
        environ = {"WSL_DISTRO_NAME": "Ubuntu"} if "WSL2" in controller_files["/proc/version"] else {}
        monkeypatch.setattr(wsl_restart_action.os, "environ", environ)
        # raising=False: run against an older plugin without these, a case fails on its decision, not on the harness.
        monkeypatch.setattr(wsl_restart_action, "resolve", lambda name: NAMES.get(name, frozenset()), raising=False)
        monkeypatch.setattr(socket, "gethostname", lambda: "DESKTOP-DEV1")
        monkeypatch.setattr(wsl_restart_action, "run_id", lambda: "run-1", raising=False)
        self.inventory = inventory
        self.hosts: dict[str, Host] = {}
        self.check = check
        self.answer = answer or {"rc": 0, "stdout": "", "stderr": ""}
        self.registry = {"exists": True, "type": "REG_SZ", "value": install_location} if install_location else {}
        self.calls: list[tuple[str, str, dict]] = []
        self.results: list[dict] = []

    def task(self, host: Host, **args) -> dict:
        self.hosts.setdefault(host.name, host)
        host = self.hosts[host.name]
        connection = mock.MagicMock()
        connection._shell.SHELL_FAMILY = host.shell
        connection._shell.tmpdir = "/tmp"
        connection.transport = host.transport
        connection._load_name = host.transport
        options = {"remote_addr": host.remote_addr, "remote_user": host.remote_user}
        connection.get_option.side_effect = options.__getitem__
        task = mock.MagicMock(async_val=0, check_mode=self.check, environment=[], action="effective.wsl.wsl_restart")
        task.args = args
        action = wsl_restart_action.ActionModule(
            task, connection, mock.MagicMock(), mock.MagicMock(), mock.MagicMock(), mock.MagicMock()
        )

        def execute_module(module_name, module_args, task_vars):
            self.calls.append((host.name, module_name, module_args))
            if module_name == "ansible.windows.win_reg_stat":
                return {"exists": bool(self.registry), **self.registry}
            return self.answer

        action._execute_module = execute_module
        task_vars = {
            "inventory_hostname": host.name,
            "ansible_facts": dict(host.facts),
            "hostvars": HostVars(self.inventory, self.hosts),
        }
        result = action.run(task_vars=task_vars)
        assert not result.get("failed") or self.answer.get("rc"), result
        host.facts.update(result.get("ansible_facts") or {})
        self.results.append(result)
        return result

    def wsl_exe_calls(self) -> list[tuple[str, list[str]]]:
        return [(host, args["argv"]) for host, module, args in self.calls if "command" in module]


CONTROLLER_DISTRO = Host("localhost", "ansible.builtin.local")


@dataclass
class Topology:
    controller: dict
    inventory: list[str]
    wslconfig: tuple[Host, dict]  # where .wslconfig is changed, and the extra task arguments there
    wslconf: tuple[Host, dict]
    expected: dict  # policy -> (shutdown action, terminate action)
    shutdown_argv: list[str]
    terminate_argv: list[str]
    summary_where: tuple[str, str]  # where the summary says to run a pending shutdown, a pending terminate


WINDOWS_AUTO_DEFERS = {"auto": ("defer", "defer"), "now": ("run", "run"), "never": ("skip", "skip")}


def winrm(address, user="dev", name="windows"):
    return Host(name, "ansible.builtin.winrm", "powershell", address, user)


def own_distro(inventory: list[str], host: Host) -> Topology:
    """The controller configures its own distro over the local connection, .wslconfig through /mnt/c."""
    return Topology(
        NAT_CONTROLLER,
        inventory,
        (host, {}),
        (host, {}),
        WINDOWS_AUTO_DEFERS,
        ["wsl.exe", "--shutdown"],
        ["wsl.exe", "--terminate", "Ubuntu"],
        ("in PowerShell on this controller's Windows host",) * 2,
    )


def own_windows(controller: dict, windows: Host, as_user: str = " as dev") -> Topology:
    """The controller's own Windows host for .wslconfig, its own distro (local) for wsl.conf."""
    return Topology(
        controller,
        ["localhost", windows.name],
        (windows, {}),
        (CONTROLLER_DISTRO, {}),
        WINDOWS_AUTO_DEFERS,
        [REAL_WSL_EXE, "--shutdown"],
        ["wsl.exe", "--terminate", "Ubuntu"],
        (
            f"in PowerShell on this controller's Windows host ({windows.name}){as_user}",
            "in PowerShell on this controller's Windows host",
        ),
    )


TOPOLOGIES = {
    "implicit-localhost": own_distro([], CONTROLLER_DISTRO),
    "inventory-localhost": own_distro(["localhost"], CONTROLLER_DISTRO),
    "inventory-host-local": own_distro(["devbox"], Host("devbox", "local")),
    "winrm-nat-gateway": own_windows(NAT_CONTROLLER, winrm("172.24.208.1")),
    "winrm-loopback": own_windows(MIRRORED_CONTROLLER, winrm("127.0.0.1")),
    "winrm-host-name": own_windows(NAT_CONTROLLER, winrm("winhost.corp.example")),
    "winrm-mirrored-lan-address": own_windows(MIRRORED_CONTROLLER, winrm("192.168.178.73")),
    "interop": own_windows(
        MIRRORED_CONTROLLER, Host("windows", "effective.wsl.interop", "powershell", None, None), as_user=""
    ),
    "winrm-other-host-and-ssh-distro": Topology(
        CENTRAL_CONTROLLER,
        ["ws042", "ws042-ubuntu"],
        (winrm("ws042.corp.example", name="ws042"), {}),
        (
            Host("ws042-ubuntu", "ansible.builtin.ssh", remote_addr="10.1.2.42"),
            {"windows_host": "ws042", "windows_user": "dev"},
        ),
        {"auto": ("run", "defer"), "now": ("run", "run"), "never": ("skip", "skip")},
        [REAL_WSL_EXE, "--shutdown"],
        ["wsl.exe", "--terminate", "Ubuntu"],
        ("in PowerShell on ws042 as dev",) * 2,
    ),
    "ssh-distro-only": Topology(
        CENTRAL_CONTROLLER,
        ["ws042-ubuntu"],
        (Host("ws042-ubuntu", "ansible.builtin.ssh", remote_addr="10.1.2.42"), {}),
        (Host("ws042-ubuntu", "ansible.builtin.ssh", remote_addr="10.1.2.42"), {}),
        {"auto": ("defer", "defer"), "now": ("run", "run"), "never": ("skip", "skip")},
        ["wsl.exe", "--shutdown"],
        ["wsl.exe", "--terminate", "Ubuntu"],
        ("in PowerShell on the Windows host of ws042-ubuntu",) * 2,
    ),
    "wsl_host_user-is-not-the-connection-user": Topology(
        CENTRAL_CONTROLLER,
        ["ws042", "ws042-ubuntu"],
        (winrm("ws042.corp.example", user="CORP\\admin", name="ws042"), {"windows_user": "alice"}),
        (
            Host("ws042-ubuntu", "ansible.builtin.ssh", remote_addr="10.1.2.42"),
            {"windows_host": "ws042", "windows_user": "alice"},
        ),
        {"auto": ("defer", "defer"), "now": ("defer", "run"), "never": ("skip", "skip")},
        [REAL_WSL_EXE, "--shutdown"],
        ["wsl.exe", "--terminate", "Ubuntu"],
        ("in PowerShell on ws042 as alice",) * 2,
    ),
}
CHANGES = ["wslconfig", "wslconf", "wslconfig-then-wslconf", "wslconf-then-wslconfig"]


def perform(run: Run, topology: Topology, change: str, policy: str) -> list[tuple[str, dict]]:
    steps = {"wslconfig": ["wsl_shutdown"], "wslconf": ["distro_terminate"]}
    order = change.split("-then-")
    done = []
    for item in order:
        host, extra = topology.wslconfig if item == "wslconfig" else topology.wslconf
        if not host.facts and host.shell != "powershell":
            host.facts.setdefault("wsl", {"distro_name": "Ubuntu"})
        result = run.task(host, required=steps[item], policy=policy, **extra)
        done.append((item, result))
    return done


def expected_pending(topology: Topology, change: str, policy: str) -> list[str]:
    """A pending shutdown covers the terminate; a shutdown that ran applies a terminate recorded before it."""
    shutdown_action, terminate_action = topology.expected[policy]
    order = change.split("-then-")
    shutdown_pending = "wslconfig" in order and shutdown_action != "run"
    terminate_pending = "wslconf" in order and terminate_action != "run"
    if shutdown_pending:
        return ["wsl.exe --shutdown"]
    if terminate_pending and not (order == ["wslconf", "wslconfig"] and shutdown_action == "run"):
        return ["wsl.exe --terminate Ubuntu"]
    return []


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("policy", ["auto", "now", "never"])
@pytest.mark.parametrize("name", list(TOPOLOGIES))
def test_restart_matrix(monkeypatch, name, policy, change, check):
    topology = TOPOLOGIES[name]
    for host in (topology.wslconfig[0], topology.wslconf[0]):
        host.facts = {}
    run = Run(monkeypatch, topology.controller, topology.inventory, check=check)
    done = perform(run, topology, change, policy)

    expected_calls = []
    for item, result in done:
        action = topology.expected[policy][0 if item == "wslconfig" else 1]
        assert result["action"] == action, (item, result["msg"])
        assert result["changed"] is (action == "run")
        argv = topology.shutdown_argv if item == "wslconfig" else topology.terminate_argv
        if action == "run":
            assert result["command"] == argv
            host = (topology.wslconfig if item == "wslconfig" else topology.wslconf)[0].name
            expected_calls.append((host, argv))
        assert result["record"]["action"] == action
        assert result["record"]["check_mode"] is check
    assert run.wsl_exe_calls() == ([] if check else expected_calls)

    last_host = topology.wslconf[0] if change.endswith("wslconf") else topology.wslconfig[0]
    summary = run.task(last_host, summarize=True)
    pending = expected_pending(topology, change, policy)
    assert [command for item in summary["pending"] for command in item["commands"]] == pending
    assert summary["changed"] is False
    message = summary["msg"].removeprefix("Check mode, nothing was run. ") if check else summary["msg"]
    assert summary["msg"].startswith("Check mode, nothing was run. ") is check
    if pending:
        assert summary["action"] == "defer"
        where = topology.summary_where[0 if pending[0] == "wsl.exe --shutdown" else 1]
        assert f"- {where}: {pending[0]} - " in message, message
        reasons = " ".join(summary["pending"][0]["reasons"])
        assert ("restart policy 'never'" in reasons) is (policy == "never")
    else:
        assert message.startswith("No WSL restart is pending."), message
    ran = [line for line in message.splitlines() if line.startswith("Ran: ")]
    assert len(ran) == sum(1 for _item, result in done if result["action"] == "run")


def test_the_real_wsl_exe_is_read_from_the_registry_before_running_on_windows(monkeypatch):
    run = Run(monkeypatch, CENTRAL_CONTROLLER, ["ws042"])
    run.task(winrm("ws042.corp.example", name="ws042"), required=["wsl_shutdown"])
    assert run.calls == [
        (
            "ws042",
            "ansible.windows.win_reg_stat",
            {"path": r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi", "name": "InstallLocation"},
        ),
        ("ws042", "ansible.windows.win_command", {"argv": [REAL_WSL_EXE, "--shutdown"]}),
    ]


def test_inbox_wsl_without_the_msi_key_runs_system32_wsl_exe(monkeypatch):
    run = Run(monkeypatch, CENTRAL_CONTROLLER, ["ws042"], install_location=None)
    result = run.task(winrm("ws042.corp.example", name="ws042"), required=["wsl_shutdown"])
    assert run.wsl_exe_calls() == [("ws042", ["wsl.exe", "--shutdown"])]
    assert result["command"] == ["wsl.exe", "--shutdown"]


def test_wsl_exe_path_from_host_facts_saves_the_registry_read(monkeypatch):
    run = Run(monkeypatch, CENTRAL_CONTROLLER, ["ws042"])
    host = winrm("ws042.corp.example", name="ws042")
    host.facts = {"wsl_host": {"wsl_exe_path": r"D:\WSL\wsl.exe"}}
    run.task(host, required=["wsl_shutdown"])
    assert run.calls == [("ws042", "ansible.windows.win_command", {"argv": [r"D:\WSL\wsl.exe", "--shutdown"]})]


def test_policy_now_warns_when_the_vm_belongs_to_another_user(monkeypatch):
    run = Run(monkeypatch, CENTRAL_CONTROLLER, ["ws042"])
    result = run.task(
        winrm("ws042.corp.example", user="admin", name="ws042"),
        required=["wsl_shutdown"],
        policy="now",
        windows_user="alice",
    )
    assert result["action"] == "defer"
    assert run.calls == []
    assert result["warnings"][0].startswith("Restart policy 'now' could not run the restart: the VM belongs to 'alice'")


def test_validate_plans_without_recording_or_running(monkeypatch):
    run = Run(monkeypatch, NAT_CONTROLLER, [])
    host = Host("remote-distro", "ansible.builtin.ssh", remote_addr="10.0.0.5")
    with pytest.raises(AssertionError, match="distro: a distro_terminate restart needs the distro name"):
        run.task(host, required=["distro_terminate"], validate=True)
    host.facts = {"wsl": {"distro_name": "Ubuntu"}}
    result = run.task(host, required=["distro_terminate"], validate=True)
    assert result["msg"].startswith("The restart can be planned: WSL restart deferred:")
    assert "ansible_facts" not in result
    assert run.calls == []


def test_failing_wsl_exe_reports_its_decoded_message_and_stays_pending(monkeypatch):
    message = "There is no distribution with the supplied name.\r\n".encode("utf-16-le").decode("latin-1")
    run = Run(monkeypatch, CENTRAL_CONTROLLER, ["windows"], answer={"rc": 1, "stdout": message, "stderr": ""})
    result = run.task(winrm("ws1"), required=["distro_terminate"], distro="Nope")
    assert (result["failed"], result["changed"]) == (True, False)
    assert result["msg"] == ("wsl.exe --terminate Nope failed (rc=1): There is no distribution with the supplied name.")
    assert result["record"]["outcome"] == "failed"
    summary = run.task(winrm("ws1"), summarize=True)
    assert summary["pending"][0]["commands"] == ["wsl.exe --terminate Nope"]
    assert "Not run because wsl.exe failed: wsl.exe --terminate Nope failed (rc=1)" in summary["msg"]
