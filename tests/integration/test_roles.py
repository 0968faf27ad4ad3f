"""The roles' argument specs reject bad input before any task runs; every playbook passes --syntax-check.

These run ansible-playbook on the local connection and need no simulator: argument validation is the first task of
each role, so nothing on the machine is touched.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.release import __version__ as ansible_core_version

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
PLAYBOOKS = [
    REPO / "playbooks" / "site.yml",
    *sorted((REPO / "extensions" / "molecule").glob("*/*.yml")),
]
PLAYBOOKS = [path for path in PLAYBOOKS if path.name not in ("molecule.yml", "inventory.yml")]


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        PATH=f"{os.path.dirname(sys.executable)}:{env.get('PATH', '')}",
    )
    return env


def run_role(tmp_path: Path, role: str, role_vars: dict) -> subprocess.CompletedProcess:
    playbook = tmp_path / "role.yml"
    playbook.write_text(
        "- name: Apply one role\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  roles:\n"
        f"    - role: effective.wsl.{role}\n"
        f"      vars: {json.dumps(role_vars)}\n"
    )
    command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", "-c", "local", str(playbook)]
    return subprocess.run(command, env=ansible_env(), capture_output=True, text=True, check=False, timeout=120)


# module_utils/common/parameters.py _validate_argument_types names the type as native_type_name(value) ("list") from
# ansible-core 2.19, as type(value) ("<class 'list'>") before.
LIST_TYPE = "list" if tuple(int(part) for part in ansible_core_version.split(".")[:2]) >= (2, 19) else "<class 'list'>"
BAD_INPUT = [
    pytest.param(
        "wsl_host",
        {"wsl_host_networking_mode": "mirorred"},
        "value of wsl_host_networking_mode must be one of: , nat, mirrored, virtioproxy, consomme, none, got: mirorred",
        id="networking_mode-typo",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_restart_policy": "later"},
        "value of wsl_host_restart_policy must be one of: auto, now, never, got: later",
        id="host-restart_policy",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_firewall_rules": [{"display_name": "no name", "protocol": "TCP"}]},
        "missing required arguments: name found in wsl_host_firewall_rules",
        id="firewall-rule-without-name",
    ),
    pytest.param(
        "wsl_host",
        {"wsl_host_firewall_vm_setting": {"default_inbound_action": "open"}},
        "value of default_inbound_action must be one of: allow, block, not_configured, got: open found in "
        "wsl_host_firewall_vm_setting",
        id="vm-setting-choice",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_symlinks": [{"src": "C:\\work"}]},
        "missing required arguments: dest found in wsl_distro_symlinks",
        id="symlink-without-dest",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_symlinks": [{"src": "/a", "dest": "~/a", "state": "present"}]},
        "value of state must be one of: link, absent, got: present found in wsl_distro_symlinks",
        id="symlink-state",
    ),
    pytest.param(
        "wsl_distro",
        {"wsl_distro_conf_settings": ["boot"]},
        f"argument 'wsl_distro_conf_settings' is of type {LIST_TYPE} and we were unable to convert to dict",
        id="conf-settings-not-dict",
    ),
    pytest.param(
        "wsl_ca_trust",
        {"wsl_ca_trust_select": {"subjects": ["CN=Corp*"]}},
        "wsl_ca_trust_select.subjects. Supported parameters include: issuer, subject, thumbprints",
        id="ca-select-typo",
    ),
    pytest.param(
        "wsl_ca_trust",
        {"wsl_ca_trust_state": "latest"},
        "value of wsl_ca_trust_state must be one of: present, absent, exact, got: latest",
        id="ca-state",
    ),
]


@pytest.mark.parametrize(("role", "role_vars", "expected"), BAD_INPUT)
def test_bad_role_input_fails_in_argument_validation(tmp_path, role, role_vars, expected):
    completed = run_role(tmp_path, role, role_vars)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 2, output
    assert "Validation of arguments failed" in output, output
    assert expected in output, output
    # Validation is the first task: no task of the role ran.
    assert "Gather WSL facts" not in output


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=lambda path: str(path.relative_to(REPO)))
def test_playbook_syntax(playbook):
    inventory = REPO / "playbooks" / "inventory"
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), "--syntax-check", str(playbook)]
    completed = subprocess.run(command, env=ansible_env(), capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr


REQUIRE_SIMULATOR = REPO / "extensions" / "molecule" / "resources" / "require_simulator.yml"
GUARD_INVENTORY = "[wsl_distros]\nlocalhost ansible_connection=local\n"


def test_distro_scenarios_refuse_to_run_outside_the_simulator(tmp_path):
    """Run here, on this machine: the guard only reads a file and stops before any change."""
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(GUARD_INVENTORY)
    env = {name: value for name, value in ansible_env().items() if name != "WSLSIM"}
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), str(REQUIRE_SIMULATOR)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "Not inside the WSL simulator" in completed.stdout


def test_distro_scenarios_run_inside_the_simulator(wsl_nat):
    result = wsl_nat.playbook(REQUIRE_SIMULATOR, inventory=GUARD_INVENTORY)
    assert result.rc == 0, result.output
    assert result.task("Fail outside the WSL simulator")["failed"] is False


# ----- roles run for real inside the WSL simulator

WSLCONFIG_INSIDE = "/mnt/c/Users/steff/.wslconfig"


def role_playbook(role: str, role_vars: dict) -> str:
    return (
        "- name: Apply one role\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  roles:\n"
        f"    - role: effective.wsl.{role}\n"
        f"      vars: {json.dumps(role_vars)}\n"
    )


def wslconfig_vars(**extra) -> dict:
    # .wslconfig edited from inside WSL through the C: drive; wsl_host_facts needs a Windows connection.
    return {
        "wsl_host_gather_facts": False,
        "wsl_host_wslconfig_path": WSLCONFIG_INSIDE,
        "wsl_host_networking_mode": "mirrored",
        "wsl_host_wslconfig_settings": {"wsl2": {"memory": "8GB"}},
        **extra,
    }


def test_wsl_host_edits_wslconfig_and_defers_the_shutdown_of_its_own_vm(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    sim.write_file(WSLCONFIG_INSIDE, "# mine\n[wsl2]\nswap=0\n")
    first = sim.playbook(role_playbook("wsl_host", wslconfig_vars()))
    assert first.rc == 0, first.output
    assert first.task("Configure .wslconfig")["changed"] is True
    text = sim.read_file(WSLCONFIG_INSIDE)
    assert text.startswith("# mine\n[wsl2]\nswap=0\n")
    assert "networkingMode=mirrored" in text.replace(" ", "")
    assert "memory=8GB" in text.replace(" ", "")
    restart = first.task("Restart WSL after .wslconfig changed")
    assert (restart["action"], restart["restart"], restart["controller_affected"]) == ("defer", "wsl_shutdown", True)
    # The deferred restart is a warning of the restart task itself (wsl_host_restart_report), not a debug task.
    assert len(restart["warnings"]) == 1, restart
    assert restart["warnings"][0] == restart["msg"]
    assert restart["msg"].endswith(
        "Close the WSL sessions and run in PowerShell on this controller's Windows host: wsl.exe --shutdown"
    )
    assert sim.calls("wsl.exe") == []

    again = sim.playbook(role_playbook("wsl_host", wslconfig_vars()))
    assert again.rc == 0, again.output
    assert again.changed == 0, again.output
    assert again.tasks_named("Restart WSL after .wslconfig changed") == []


def test_wsl_host_policy_now_runs_wsl_exe_with_utf8_through_interop(wsl_simulator):
    sim = wsl_simulator(mode="mirrored")
    result = sim.playbook(role_playbook("wsl_host", wslconfig_vars(wsl_host_restart_policy="now")))
    assert result.rc == 0, result.output
    restart = result.task("Restart WSL after .wslconfig changed")
    assert (restart["action"], restart["changed"], restart["rc"]) == ("run", True, 0)
    calls = sim.calls("wsl.exe")
    assert [call["argv"] for call in calls] == [["--shutdown"]]
    assert calls[0]["env"] == {"WSL_UTF8": "1", "WSLENV": "WSL_UTF8"}


def test_wsl_host_check_mode_changes_nothing(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    result = sim.playbook(role_playbook("wsl_host", wslconfig_vars()), check=True, diff=True)
    assert result.rc == 0, result.output
    assert result.task("Configure .wslconfig")["changed"] is True
    assert result.task("Restart WSL after .wslconfig changed")["msg"].startswith("Check mode, nothing was changed.")
    assert sim.run(["test", "-e", WSLCONFIG_INSIDE]).returncode == 1
    assert sim.calls("wsl.exe") == []


def test_wsl_distro_links_warns_about_windows_paths_and_defers_terminate(wsl_simulator):
    sim = wsl_simulator(mode="mirrored", distro_name="Debian")
    role_vars = {
        "wsl_distro_conf_settings": {"interop": {"appendWindowsPath": False}},
        "wsl_distro_windows_user": "steff",
        "wsl_distro_symlinks": [{"src": "C:\\Users\\steff\\Documents", "dest": "~/documents"}],
        "wsl_distro_project_paths": ["/root/src/app", "/mnt/c/Users/steff/src/app"],
    }
    result = sim.playbook(role_playbook("wsl_distro", role_vars))
    assert result.rc == 0, result.output
    assert sim.run(["readlink", "/root/downloads"]).stdout.strip() == "/mnt/c/Users/steff/Downloads"
    assert sim.run(["readlink", "/root/documents"]).stdout.strip() == "/mnt/c/Users/steff/Documents"
    # The notes are warnings of the task that found them: one for the project path under /mnt/, none for /root.
    plan = result.task("Gather WSL facts of the distro and link Windows folders")
    assert len(plan["warnings"]) == 1, plan
    assert plan["warnings"][0].startswith("/mnt/c/Users/steff/src/app is on the Windows file system (under /mnt/)")
    assert [link["dest"] for link in plan["links"]] == ["~/downloads", "~/documents"]
    # The same task made the links, one wsl_symlink result each, in the planned order.
    assert [(link["dest"], link["changed"]) for link in plan["link_results"]] == [
        ("/root/downloads", True),
        ("/root/documents", True),
    ]
    assert "appendWindowsPath" in sim.read_file("/etc/wsl.conf")
    terminate = result.task("Terminate the distro after /etc/wsl.conf changed")
    assert terminate["action"] == "defer"
    assert terminate["command"] == ["wsl.exe", "--terminate", "Debian"]
    assert terminate["warnings"] == [terminate["msg"]]

    assert plan["wsl_conf_current"] is False
    assert result.task("Configure /etc/wsl.conf")["changed"] is True

    conf_before = sim.run(["stat", "-c", "%i %Y", "/etc/wsl.conf"]).stdout
    again = sim.playbook(role_playbook("wsl_distro", role_vars))
    assert again.rc == 0, again.output
    assert again.changed == 0, again.output
    # The plan read /etc/wsl.conf and wsl_config's engine would change nothing: its task (and its become) is skipped.
    assert again.task("Gather WSL facts of the distro and link Windows folders")["wsl_conf_current"] is True
    assert again.task("Configure /etc/wsl.conf")["skipped"] is True
    assert sim.run(["stat", "-c", "%i %Y", "/etc/wsl.conf"]).stdout == conf_before

    # Someone else edits the file: the next run reads it again and puts the setting back, with the restart.
    sim.write_file("/etc/wsl.conf", sim.read_file("/etc/wsl.conf").replace("appendWindowsPath", "#appendWindowsPath"))
    third = sim.playbook(role_playbook("wsl_distro", role_vars))
    assert third.rc == 0, third.output
    assert third.task("Gather WSL facts of the distro and link Windows folders")["wsl_conf_current"] is False
    [change] = third.task("Configure /etc/wsl.conf")["changed_keys"]
    assert (change["section"], change["key"], change["after"]) == ("interop", "appendWindowsPath", False)
    assert third.task("Terminate the distro after /etc/wsl.conf changed")["action"] == "defer"


def test_wsl_distro_fails_before_writing_when_the_distro_restart_cannot_be_planned(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    # Over a local connection the controller's WSL_DISTRO_NAME names the distro; without it nothing does.
    role_vars = {"wsl_distro_conf_settings": {"boot": {"systemd": True}}, "wsl_distro_downloads_link": ""}
    before = sim.run(["cat", "/etc/wsl.conf"]).stdout
    result = sim.playbook(role_playbook("wsl_distro", role_vars), env={"WSL_DISTRO_NAME": None})
    assert result.rc == 2, result.output
    plan = result.task("Gather WSL facts of the distro and link Windows folders")
    assert plan["msg"].startswith("distro: a distro_terminate restart needs the distro name"), plan
    assert result.tasks_named("Configure /etc/wsl.conf") == []
    assert sim.run(["cat", "/etc/wsl.conf"]).stdout == before

    # Once the file holds the settings nothing is written and nothing needs a restart: no name is needed.
    assert sim.playbook(role_playbook("wsl_distro", role_vars)).rc == 0
    again = sim.playbook(role_playbook("wsl_distro", role_vars), env={"WSL_DISTRO_NAME": None})
    assert again.rc == 0, again.output
    assert again.task("Configure /etc/wsl.conf")["skipped"] is True


def windows_listing(pki: Path) -> list[dict]:
    """Certificates as ansible.windows.win_certificate_info lists them (base64 DER in cert_data)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    listing = []
    for stem in ("corp-root-ca", "rogue-server"):
        certificate = x509.load_pem_x509_certificate((pki / f"{stem}.pem").read_bytes())
        der = certificate.public_bytes(serialization.Encoding.DER)
        listing.append(
            {
                "cert_data": base64.b64encode(der).decode(),
                "subject": certificate.subject.rfc4514_string().replace(",", ", "),
                "thumbprint": certificate.fingerprint(hashes.SHA1()).hex().upper(),
            }
        )
    return listing


def test_wsl_ca_trust_imports_only_the_selected_windows_certificates(wsl_simulator, tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "extensions" / "molecule" / "resources" / "make_ca.py"), str(tmp_path)], check=True
    )
    role_vars = {
        "wsl_ca_trust_windows_certificates": windows_listing(tmp_path),
        "wsl_ca_trust_select": {"subject": ["CN=Corp Root CA*"]},
    }
    sim = wsl_simulator(mode="nat")
    result = sim.playbook(role_playbook("wsl_ca_trust", role_vars))
    assert result.rc == 0, result.output
    imported = result.task("Import the CA certificates into the distro trust store")
    assert imported["changed"] is True, json.dumps(imported)
    assert len(imported["added"]) == 1, imported
    bundle = sim.read_file(imported["bundle"])
    corp_pem = (tmp_path / "corp-root-ca.pem").read_text().strip()
    assert corp_pem.splitlines()[1] in bundle

    again = sim.playbook(role_playbook("wsl_ca_trust", role_vars))
    assert again.changed == 0, again.output


def test_wsl_ca_trust_refuses_a_windows_listing_without_selection(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    role_vars = {"wsl_ca_trust_windows_certificates": [{"cert_data": "AAAA", "subject": "CN=x"}]}
    result = sim.playbook(role_playbook("wsl_ca_trust", role_vars))
    assert result.rc == 2
    # Refused on the controller by wsl_ca_import, before its module could run: no module result, nothing written.
    failure = result.task("Import the CA certificates into the distro trust store")
    assert failure["failed"] is True
    assert "select is empty while certificates come from a Windows store listing" in failure["msg"]
    assert failure["problems"] == [failure["msg"].split("nothing was changed: ", 1)[1]]
    assert "added" not in failure
    assert sim.run(["test", "-e", "/usr/local/share/ca-certificates/effective-wsl"]).returncode == 1


def test_wsl_ca_trust_warns_when_nothing_is_given(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    result = sim.playbook(role_playbook("wsl_ca_trust", {}))
    assert result.rc == 0, result.output
    imported = result.task("Import the CA certificates into the distro trust store")
    assert imported["changed"] is False
    assert imported["warnings"] == [
        "No CA certificates given (certificates, windows_certificates and src are empty): nothing to import, the "
        "trust store was not looked at."
    ]
    assert "bundle" not in imported


@pytest.mark.parametrize(("mode", "windows_address"), [("nat", "172.24.208.1"), ("mirrored", "127.0.0.1")])
def test_site_adds_the_windows_host_at_the_discovered_address(wsl_simulator, mode, windows_address):
    sim = wsl_simulator(mode=mode)
    result = sim.playbook(
        REPO / "playbooks" / "site.yml",
        # A placeholder password: nothing listens for WinRM in the simulator, so the connection fails.
        extra_vars={"wsl_windows_user": "dev", "vault_wsl_windows_password": "placeholder"},
        args=["-i", str(REPO / "playbooks" / "inventory")],
    )
    added = result.task("Add the Windows host to the inventory (WinRM)")
    assert result.task("Add the Windows host to the inventory (WSL interop)")["skipped"] is True
    assert added["add_host"]["host_name"] == "windows"
    assert added["add_host"]["groups"] == ["wsl_windows"]
    assert added["add_host"]["host_vars"]["ansible_host"] == windows_address
    assert result.task("Report that no Windows host is configured")["skipped"] is True
    # The WinRM settings of the example inventory apply to the added host: HTTPS with certificate validation, and
    # the CA file next to the inventory (absent here), so the connection stops before any WinRM traffic.
    assert "invalid path: " + str(REPO / "playbooks" / "inventory" / "winrm-ca.pem") in result.stdout
    # An unreachable Windows host ends only the Windows play, with the reason; the distro is still configured.
    assert result.stats["windows"]["ignored"] == 1, result.output
    skipped = result.task("Say why the Windows play is skipped", host="windows")["msg"]
    assert skipped.startswith(f"The Windows host windows ({windows_address}) did not answer over winrm: ")
    assert result.task("Configure /etc/wsl.conf")["changed"] is True
    assert result.rc == 0, result.output


def test_wsl_host_never_edits_the_connection_users_wslconfig_for_another_user(tmp_path):
    # Over WinRM %USERPROFILE% is the connection account's profile: without the named user's profile path the role
    # stops before wsl_config runs.
    result = run_role(
        tmp_path,
        "wsl_host",
        {
            "wsl_host_user": "CORP\\alice",
            "wsl_host_gather_facts": False,
            "wsl_host_wslconfig_settings": {"wsl2": {"memory": "8GB"}},
        },
    )
    assert result.returncode != 0
    # The task result as the default callback prints it ("fatal: [localhost]: FAILED! => {...}"); ansible-core 2.19
    # and later also print its message as an [ERROR] line, 2.16 only the result.
    failed = json.loads(result.stdout.split("fatal: [localhost]: FAILED! => ", 1)[1].splitlines()[0])
    assert failed["msg"].startswith("wsl_host_user=CORP\\alice: the path of that user's .wslconfig is unknown")
    assert "the connection user's profile is not used instead" in failed["msg"]
    assert "TASK [effective.wsl.wsl_host : Configure .wslconfig]" not in result.stdout


def test_site_from_the_collection_runs_with_an_own_inventory_that_sets_nothing(wsl_simulator):
    """ansible-playbook -i own-inventory effective.wsl.site: every variable of site.yml has a default."""
    sim = wsl_simulator(mode="nat")
    result = sim.playbook(
        "- name: The example playbook of the collection\n  ansible.builtin.import_playbook: effective.wsl.site\n",
        inventory="[wsl_distros]\nlocalhost ansible_connection=local\n",
        check=True,
    )
    assert result.rc == 0, result.output
    assert result.failed == 0
    assert result.task("Choose how to reach the Windows host")["ansible_facts"]["wsl_site_windows_connection"] == (
        "interop"
    )
