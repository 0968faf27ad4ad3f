"""wsl_facts inside the WSL simulator: real `ip`, real files, the simulated wslinfo, ansible-playbook with a local
connection; both networking modes (microsoft/WSL src/linux/init)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

FACTS_PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: facts
      effective.wsl.wsl_facts:
"""

CONNECT = (
    "import socket, sys\n"
    "with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as c:\n"
    "    print(c.makefile().readline().strip())\n"
)


def gather(sim, check=False) -> dict:
    result = sim.playbook(FACTS_PLAYBOOK, check=check)
    assert result.rc == 0, result.output
    task = result.task("facts")
    assert task["changed"] is False
    return task["ansible_facts"]["wsl"]


def assert_common(facts: dict, sim) -> None:
    assert facts["is_wsl"] is True
    assert facts["version"] == 2
    assert facts["distro_name"] == sim.distro_name
    assert facts["kernel"].endswith("-microsoft-standard-WSL2")
    net = facts["networking"]
    assert net["default_gateway"] == sim.gateway
    assert net["default_interface"] == "eth0"
    assert net["eth0"]["address"] == sim.distro_address
    assert net["windows_host_address"] == sim.windows_address


def test_nat(wsl_nat):
    facts = gather(wsl_nat)
    assert_common(facts, wsl_nat)
    net = facts["networking"]
    assert (net["mode"], net["mode_source"]) == ("nat", "wslinfo")
    assert net["windows_host_address"] == "172.24.208.1"
    assert (net["eth0"]["prefix"], net["eth0"]["mtu"], net["eth0"]["broadcast"]) == (20, 1492, "172.24.223.255")
    assert net["dns_servers"] == ["10.255.255.254"]
    assert net["dns_tunneling"] is True
    assert net["resolv_conf_generated"] is True
    assert "loopback0" not in net["interfaces"]
    assert facts["interop"]["enabled"] is True
    assert facts["automount"]["root"] == "/mnt/"
    assert facts["systemd"]["running"] is False


def test_mirrored(wsl_mirrored):
    facts = gather(wsl_mirrored)
    assert_common(facts, wsl_mirrored)
    net = facts["networking"]
    assert (net["mode"], net["mode_source"]) == ("mirrored", "wslinfo")
    assert net["windows_host_address"] == "127.0.0.1"
    assert net["default_gateway"] == "192.168.178.1"
    assert (net["eth0"]["prefix"], net["eth0"]["mtu"]) == (24, 1500)
    assert "loopback0" in net["interfaces"]
    assert net["dns_tunneling"] is True
    assert any("hostAddressLoopback=true" in note for note in net["notes"])


@pytest.mark.parametrize(("mode", "nameserver"), [("nat", "172.24.208.1"), ("mirrored", "192.168.178.1")])
def test_dns_tunneling_off(wsl_simulator, mode, nameserver):
    sim = wsl_simulator(mode=mode, dns_tunneling=False)
    net = gather(sim)["networking"]
    assert net["mode"] == mode
    assert net["dns_servers"] == [nameserver]
    assert net["dns_tunneling"] is False
    assert net["windows_host_address"] == sim.windows_address


@pytest.mark.parametrize("mode", ["nat", "mirrored"])
def test_without_wslinfo_the_mode_is_guessed(wsl_simulator, mode):
    sim = wsl_simulator(mode=mode)
    sim.run(["rm", "-f", "/usr/bin/wslinfo", "/run/wslsim/bin/wslinfo"], check=True)
    assert sim.run(["sh", "-c", "command -v wslinfo"]).returncode != 0
    net = gather(sim)["networking"]
    assert (net["mode"], net["mode_source"]) == (mode, "heuristic")
    assert net["windows_host_address"] == sim.windows_address
    assert any("wslinfo is not available" in note for note in net["notes"])


def test_nat_windows_host_address_reaches_windows(wsl_nat):
    """Connect from the distro to the address the facts give, port 5985, and meet the Windows-side listener."""
    address = gather(wsl_nat)["networking"]["windows_host_address"]
    with wsl_nat.start_windows_listener(5985):
        result = wsl_nat.run(["python3", "-c", CONNECT, address, "5985"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"WSLSIM-WINDOWS 5985 {wsl_nat.distro_address}"


def test_mirrored_windows_host_address_reaches_windows(wsl_mirrored):
    address = gather(wsl_mirrored)["networking"]["windows_host_address"]
    with wsl_mirrored.start_windows_listener(5985):
        result = wsl_mirrored.run(["python3", "-c", CONNECT, address, "5985"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WSLSIM-WINDOWS 5985 127.0.0.1"


def test_check_mode_changes_nothing(wsl_nat):
    assert gather(wsl_nat, check=True)["networking"]["mode"] == "nat"


def test_wsl_conf_is_read(wsl_simulator):
    sim = wsl_simulator(mode="nat", wsl_conf="[boot]\nsystemd=true\n[interop]\nappendWindowsPath=false\n")
    facts = gather(sim)
    assert facts["wsl_conf"]["exists"] is True
    assert facts["wsl_conf"]["settings"] == {"boot": {"systemd": True}, "interop": {"appendWindowsPath": False}}
    assert facts["systemd"]["enabled_in_wsl_conf"] is True
    assert facts["interop"]["append_windows_path"] is False


# ansible_facts_parallel: false. In parallel, ansible-core runs setup through async_wrapper with a time limit of 0,
# which kills it after the wrapper's first poll step (a few seconds) when it is still running: on a loaded 2-core
# machine it was ("Timeout exceeded"). One module after the other has no time limit.
GATHER_PLAYBOOK = """
- hosts: localhost
  gather_facts: true
  vars:
    ansible_facts_parallel: false
    ansible_facts_modules:
      - ansible.builtin.setup
      - effective.wsl.wsl_facts
  tasks:
    - name: report
      ansible.builtin.debug:
        msg:
          mode: "{{ ansible_facts.wsl.networking.mode }}"
          windows_host_address: "{{ ansible_facts.wsl.networking.windows_host_address }}"
          system: "{{ ansible_facts.system }}"
          default_ipv4: "{{ ansible_facts.default_ipv4.address }}"
"""


def test_gather_facts_with_ansible_facts_modules(wsl_nat):
    result = wsl_nat.playbook(GATHER_PLAYBOOK)
    assert result.rc == 0, result.output
    assert result.task("report")["msg"] == {
        "mode": "nat",
        "windows_host_address": "172.24.208.1",
        "system": "Linux",
        "default_ipv4": "172.24.222.66",
    }


# The module reads the kernel's rtnetlink answers itself; `ip` is the reference for what they mean.
COMPARE_WITH_IP = """
import json, subprocess
from ansible_collections.effective.wsl.plugins.module_utils._wslfacts import read_rtnetlink
links, routes = read_rtnetlink()
ip_links = json.loads(subprocess.check_output(["ip", "-j", "addr"]))
ip_routes = json.loads(subprocess.check_output(["ip", "-j", "route"]))
link_keys = ("ifname", "flags", "mtu", "operstate", "link_type", "address")
address_keys = ("family", "local", "prefixlen", "scope", "broadcast")
def project_links(items):
    return sorted(
        [{k: item.get(k) for k in link_keys}
         | {"addr_info": [{k: a.get(k) for k in address_keys} for a in item.get("addr_info", [])]} for item in items],
        key=lambda item: item["ifname"],
    )
def project_routes(items):
    return [{k: item.get(k) for k in ("dst", "gateway", "dev")} for item in items]
print(json.dumps({"ours": [project_links(links), project_routes(routes)],
                  "ip": [project_links(ip_links), project_routes(ip_routes)]}))
"""


def test_rtnetlink_reading_matches_ip(wsl_any_mode):
    collections = str(Path(__file__).resolve().parents[2] / ".cache" / "collections")
    completed = wsl_any_mode.run([sys.executable, "-c", COMPARE_WITH_IP], env={"PYTHONPATH": collections}, check=True)
    views = json.loads(completed.stdout)
    assert views["ours"] == views["ip"]
    links, routes = views["ours"]
    assert any(route["dst"] == "default" and route["gateway"] == wsl_any_mode.gateway for route in routes)
    assert any(link["ifname"] == "eth0" for link in links)


def test_module_defaults_of_the_action_group_do_not_reach_wsl_facts(wsl_nat):
    """group/effective.wsl.wsl holds the modules that share options; wsl_facts has none of them."""
    result = wsl_nat.playbook(
        """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/effective.wsl.wsl:
      vm_creator_id: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
  tasks:
    - name: Gather WSL facts
      effective.wsl.wsl_facts:
"""
    )
    assert result.rc == 0, result.output
    assert result.task("Gather WSL facts")["ansible_facts"]["wsl"]["is_wsl"] is True
