"""Restarts on the distro side, for real in the simulator: the roles change .wslconfig (through /mnt/c) and
/etc/wsl.conf, their handlers decide, the simulator's wsl.exe records what ran, and the last play summarizes.

Topologies where the controller is the distro itself: the implicit localhost (no inventory), ``-i localhost,``, and
an inventory host with ``ansible_connection: local``; policies ``auto``, ``now``, ``never``; changes ``.wslconfig``,
``wsl.conf``, both in either order. The Windows-side and non-local topologies are in
tests/unit/plugins/action/test_wsl_restart_matrix.py (no Windows and no SSH server here).
"""

from __future__ import annotations

import json

import pytest

WSLCONFIG_INSIDE = "/mnt/c/Users/steff/.wslconfig"
TOPOLOGIES = {
    # A comment-only inventory: Ansible has no hosts and uses its implicit localhost.
    "implicit-localhost": ("localhost", "# no hosts\n"),
    "inventory-localhost": ("localhost", None),
    "inventory-host-local": ("all", "devbox ansible_connection=local\n"),
}
CHANGES = ["wslconfig", "wslconf", "wslconfig-then-wslconf", "wslconf-then-wslconfig"]
EXPECTED_ACTION = {"auto": "defer", "now": "run", "never": "skip"}
ARGV = {"wslconfig": ["--shutdown"], "wslconf": ["--terminate", "Ubuntu"]}
HANDLER = {
    "wslconfig": "Restart WSL after .wslconfig changed",
    "wslconf": "Terminate the distro after /etc/wsl.conf changed",
}


def role_play(hosts: str, change: str, policy: str) -> dict:
    if change == "wslconfig":
        role = {
            "role": "effective.wsl.wsl_host",
            "vars": {
                "wsl_host_gather_facts": False,
                "wsl_host_wslconfig_path": WSLCONFIG_INSIDE,
                "wsl_host_wslconfig_settings": {"wsl2": {"memory": "4GB"}},
                "wsl_host_restart_policy": policy,
            },
        }
    else:
        role = {
            "role": "effective.wsl.wsl_distro",
            "vars": {
                "wsl_distro_conf_settings": {"boot": {"systemd": True}},
                "wsl_distro_downloads_link": "",
                "wsl_distro_project_paths": [],
                "wsl_distro_restart_policy": policy,
            },
        }
    return {"name": f"Change {change}", "hosts": hosts, "gather_facts": False, "roles": [role]}


def playbook(hosts: str, change: str, policy: str) -> str:
    plays = [role_play(hosts, item, policy) for item in change.split("-then-")]
    plays.append(
        {
            "name": "Summarize",
            "hosts": hosts,
            "gather_facts": False,
            "tasks": [{"name": "Summarize the restarts", "effective.wsl.wsl_restart": {"summarize": True}}],
        }
    )
    return json.dumps(plays)  # YAML is a superset of JSON


def expected_pending(change: str, policy: str) -> list[str]:
    order = change.split("-then-")
    if policy == "now":
        return []
    return ["wsl.exe --shutdown"] if "wslconfig" in order else ["wsl.exe --terminate Ubuntu"]


@pytest.fixture
def distro(wsl_nat):
    """The module's simulated distro with no .wslconfig, no wsl.conf and an empty call log."""
    wsl_nat.run(["rm", "-f", WSLCONFIG_INSIDE, "/etc/wsl.conf"], check=True)
    wsl_nat.write_file(wsl_nat.calls_log, "")
    return wsl_nat


# Each playbook run costs seconds: the implicit localhost (the topology the old summary missed) runs every change,
# the other two the change that needs both restarts. The full matrix of decisions runs in the unit tests.
CASES = [
    pytest.param(topology, policy, change, id=f"{topology}-{policy}-{change}")
    for topology in TOPOLOGIES
    for policy in ("auto", "now", "never")
    for change in (CHANGES if topology == "implicit-localhost" else ["wslconf-then-wslconfig"])
]


@pytest.mark.parametrize(("topology", "policy", "change"), CASES)
def test_restart_topologies(distro, topology, policy, change):
    hosts, inventory = TOPOLOGIES[topology]
    host = "devbox" if hosts == "all" else "localhost"
    result = distro.playbook(playbook(hosts, change, policy) + "\n", inventory=inventory)
    assert result.rc == 0, result.output
    order = change.split("-then-")
    for item in order:
        handler = result.task(HANDLER[item], host=host)
        assert handler["action"] == EXPECTED_ACTION[policy], handler["msg"]
    ran = [ARGV[item] for item in order] if policy == "now" else []
    assert [call["argv"] for call in distro.calls("wsl.exe")] == ran

    summary = result.task("Summarize the restarts", host=host)
    pending = expected_pending(change, policy)
    assert [command for item in summary["pending"] for command in item["commands"]] == pending
    lines = summary["msg"].splitlines()
    if pending:
        assert lines[1].startswith(f"- in PowerShell on this controller's Windows host: {pending[0]} - "), lines
        reason = {
            "auto": "it would stop the WSL VM the Ansible controller runs in"
            if "wslconfig" in order
            else "it would terminate the distro 'Ubuntu' the Ansible controller runs in",
            "never": "restart policy 'never'",
        }[policy]
        assert reason in lines[1]
        if "wslconfig" in order and "wslconf" in order:
            assert "It also applies /etc/wsl.conf of Ubuntu." in lines[1]
    else:
        assert lines[0] == "No WSL restart is pending."
    assert len([line for line in lines if line.startswith("Ran: ")]) == len(ran)


@pytest.mark.parametrize("policy", ["auto", "now", "never"])
def test_check_mode_decides_and_reports_like_a_real_run_and_runs_nothing(distro, policy):
    hosts, inventory = TOPOLOGIES["implicit-localhost"]
    result = distro.playbook(playbook(hosts, "wslconf-then-wslconfig", policy) + "\n", inventory=inventory, check=True)
    assert result.rc == 0, result.output
    for item in ("wslconf", "wslconfig"):
        assert result.task(HANDLER[item])["action"] == EXPECTED_ACTION[policy]
    assert distro.calls("wsl.exe") == []
    assert distro.run(["test", "-e", "/etc/wsl.conf"]).returncode == 1
    summary = result.task("Summarize the restarts")
    assert summary["msg"].startswith("Check mode, nothing was run. ")
    pending = expected_pending("wslconf-then-wslconfig", policy)
    assert [command for item in summary["pending"] for command in item["commands"]] == pending


def test_wsl_distro_without_a_distro_name_fails_before_writing(distro):
    role = role_play("localhost", "wslconf", "auto")
    # Over SSH there is no WSL_DISTRO_NAME: without it (and without wsl_distro_name) nothing may be written.
    result = distro.playbook(json.dumps([role]) + "\n", env={"WSL_DISTRO_NAME": None})
    assert result.rc == 2, result.output
    # Whichever task of the role plans the restart (the roles' structure may change), it fails with the reason.
    failed = [entry for entry in result.tasks if entry["result"].get("failed")]
    assert "distro: a distro_terminate restart needs the distro name" in failed[0]["result"]["msg"], result.output
    assert result.tasks_named("Configure /etc/wsl.conf") == []
    assert distro.run(["test", "-e", "/etc/wsl.conf"]).returncode == 1

    role["roles"][0]["vars"]["wsl_distro_name"] = "Ubuntu"
    named = distro.playbook(json.dumps([role]) + "\n", env={"WSL_DISTRO_NAME": None})
    assert named.rc == 0, named.output
    assert named.task(HANDLER["wslconf"])["command"] == ["wsl.exe", "--terminate", "Ubuntu"]
