"""The pull mode's distro side for real in the simulator: ansible-pull from a local git repository (file URL).

What the scheduled task does on Windows (wsl_pull.ps1) cannot run here (no PowerShell); this test starts
roles/wsl_pull/files/wsl_pull.sh the way the task does (as root, from the script directory on the Windows drive,
with the Windows path of the status directory) and checks what it leaves: a converged distro, the status record in
the simulated Windows profile, an idempotent second pull, and a WSL restart left to the task (recorded, not run).
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT_DIR = "/mnt/c/Program Files/effective.wsl/pull"
STATUS_DIR = "C:\\Users\\steff\\AppData\\Local\\effective.wsl\\pull"
STATUS_FILE = "/mnt/c/Users/steff/AppData/Local/effective.wsl/pull/status-Ubuntu.json"
COMPANY_REPO = "/srv/git/wsl-config"
PLAYBOOK = """---
- name: Configure this distro (pulled)
  hosts: localhost
  gather_facts: false
  roles:
    - role: effective.wsl.wsl_distro
      vars:
        wsl_distro_conf_settings:
          boot:
            systemd: true
          interop:
            appendWindowsPath: false
        wsl_distro_downloads_link: ""
  tasks:
    # As in docs/fleet.md: the user-level Windows side over WSL interop (the simulator's powershell.exe answers
    # wsl_host_facts with its constructed report); ansible-pull's limit must name the added host.
    - name: Add this distro's Windows host
      ansible.builtin.add_host:
        name: windows
        ansible_connection: effective.wsl.interop
        ansible_host: localhost
      changed_when: false

- name: The user's Windows side
  hosts: windows
  gather_facts: false
  tasks:
    - name: Read the Windows side
      effective.wsl.wsl_host_facts:

    - name: Say who the Windows side runs as
      ansible.builtin.debug:
        msg: "windows side reached as {{ ansible_facts.wsl_host.user }}"
"""


def make_company_repo(sim) -> str:
    """A git repository with local.yml, tagged v1; returns the commit."""
    sim.run(["mkdir", "-p", COMPANY_REPO], check=True)
    sim.write_file(f"{COMPANY_REPO}/local.yml", PLAYBOOK)
    git = f"git -C {COMPANY_REPO} -c user.name=platform -c user.email=platform@corp.example"
    sim.run(
        f"git init -q -b main {COMPANY_REPO} && {git} add local.yml && {git} commit -q -m v1 && {git} tag v1",
        check=True,
    )
    return sim.run(f"git -C {COMPANY_REPO} rev-parse HEAD", check=True).stdout.strip()


def pull(sim):
    sim.run(["mkdir", "-p", SCRIPT_DIR], check=True)
    sim.write_file(f"{SCRIPT_DIR}/wsl_pull.sh", (REPO / "roles/wsl_pull/files/wsl_pull.sh").read_text())
    return sim.run(
        [
            "/bin/sh",
            "./wsl_pull.sh",
            "--url",
            f"file://{COMPANY_REPO}",
            "--ref",
            "v1",
            "--status-dir",
            STATUS_DIR,
            "--limit",
            "localhost,windows",
            "--ansible-pull",
            str(REPO / ".venv" / "bin" / "ansible-pull"),
        ],
        cwd=SCRIPT_DIR,
        timeout=600,
    )


def test_pull_converges_records_status_is_idempotent_and_leaves_the_restart_to_the_task(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    commit = make_company_repo(sim)

    first = pull(sim)
    assert first.returncode == 0, first.stdout + first.stderr
    assert '"msg": "windows side reached as ' in first.stdout, first.stdout
    assert sim.read_file("/etc/wsl.conf") == "[boot]\nsystemd=true\n\n[interop]\nappendWindowsPath=false\n"
    record = json.loads(sim.read_file(STATUS_FILE))
    assert (record["format"], record["version"], record["distro"]) == ("effective.wsl.pull_status", 1, "Ubuntu")
    assert (record["ref"], record["commit"]) == ("v1", commit)
    assert (record["result"], record["failed"], record["failures"]) == ("changed", 0, [])
    assert record["changed"] >= 1
    # wsl.conf changed: the distro must restart; the run is inside it, so the restart is left to the task.
    assert record["restart"] == {
        "required": "distro_terminate",
        "command": ["wsl.exe", "--terminate", "Ubuntu"],
        "policy": "auto",
    }
    assert not [call for call in sim.calls("wsl.exe") if "--terminate" in call["argv"]]
    assert record["facts"]["networking_mode"] == "nat"
    assert record["facts"]["windows_host_address"] == "172.24.208.1"

    second = pull(sim)
    assert second.returncode == 0, second.stdout + second.stderr
    again = json.loads(sim.read_file(STATUS_FILE))
    assert (again["result"], again["changed"], again["failed"]) == ("ok", 0, 0)
    assert again["restart"]["required"] == "none"
    assert again["time"] >= record["time"]
    assert not [call for call in sim.calls("wsl.exe") if "--terminate" in call["argv"]]
