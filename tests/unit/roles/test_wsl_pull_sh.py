"""roles/wsl_pull/files/wsl_pull.sh, the distro side of the pull mode, run by /bin/sh here (no root, no network).

The bootstrap is checked per distro family in dry-run mode (WSL_PULL_DRY_RUN=1 prints the commands); the
ansible-pull call with a stand-in that records its arguments and environment. The real pull runs in the
simulator (tests/integration/test_wsl_pull.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "roles" / "wsl_pull" / "files" / "wsl_pull.sh"
VENV = "/opt/effective.wsl/pull/venv"
APT = [
    "+ apt-get update -qq",
    "+ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git python3 python3-venv "
    "ca-certificates",
]
DNF = ["+ dnf install -y -q git-core python3"]
ZYPPER = ["+ zypper --non-interactive --quiet install --no-recommends git-core python3"]
PACMAN = ["+ pacman -Sy --noconfirm --needed git python"]
APK = ["+ apk add --no-cache git python3 py3-pip"]
VENV_STEPS = [f"+ python3 -m venv {VENV}", f"+ {VENV}/bin/python -m pip install --quiet --disable-pip-version-check X"]


def sh(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], **(env or {})}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT), *arguments], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("os_release", "commands"),
    [
        ('PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\n', APT),
        ("ID=debian\nVERSION_ID=12\n", APT),
        ("ID=fedora\nVERSION_ID=41\n", DNF),
        ('ID="almalinux"\nID_LIKE="rhel centos fedora"\n', DNF),
        ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', ZYPPER),
        ('ID="sles"\nID_LIKE="suse"\n', ZYPPER),
        ("ID=arch\n", PACMAN),
        ("ID=alpine\n", APK),
        ("ID=kali\nID_LIKE=debian\n", APT),
    ],
)
def test_bootstrap_per_family(tmp_path, os_release, commands):
    release = tmp_path / "os-release"
    release.write_text(os_release)
    run = sh("--bootstrap-only", "--os-release", str(release), "--ansible-core", "X", env={"WSL_PULL_DRY_RUN": "1"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == commands + VENV_STEPS


def test_unknown_family_says_what_to_install(tmp_path):
    release = tmp_path / "os-release"
    release.write_text("ID=nixos\n")
    run = sh("--bootstrap-only", "--os-release", str(release), env={"WSL_PULL_DRY_RUN": "1"})
    assert run.returncode == 4
    assert "no package manager known for this distro (ID/ID_LIKE: nixos )" in run.stderr
    assert "install git and python3 with venv support" in run.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--url", "file:///r"],
        ["--url", "file:///r", "--ref", "v1"],
        ["--url", "file:///r", "--ref", "v1", "--status-dir", "C:\\x", "--restart-policy", "now"],
        ["--bogus"],
        ["--url"],
    ],
)
def test_bad_arguments_exit_3_with_usage(arguments):
    run = sh(*arguments)
    assert run.returncode == 3
    assert run.stderr.startswith("usage: wsl_pull.sh --url URL --ref REF --status-dir WINDOWS_DIR")


def test_runs_ansible_pull_with_the_status_callback(tmp_path):
    recorder = tmp_path / "ansible-pull"
    recorder.write_text(
        "#!/bin/sh\n"
        'python3 -c \'import json, os, sys; json.dump({"argv": sys.argv[1:], "env": dict(os.environ)}, '
        f'open("{tmp_path}/call.json", "w"))\' "$@"\n'
        "exit 7\n"
    )
    recorder.chmod(0o755)
    run = sh(
        "--url",
        "file:///srv/git/wsl-config.git",
        "--ref",
        "v1.4.0",
        "--status-dir",
        "C:\\Users\\alice\\AppData\\Local\\effective.wsl\\pull",
        "--restart-policy",
        "never",
        "--inventory",
        "inventory/pull.yml",
        "--limit",
        "localhost,windows",
        "--ansible-pull",
        str(recorder),
        env={"ANSIBLE_CALLBACKS_ENABLED": "profile_tasks"},
    )
    assert run.returncode == 7, run.stderr  # ansible-pull's exit code is the script's
    call = json.loads((tmp_path / "call.json").read_text())
    assert call["argv"] == [
        "--url",
        "file:///srv/git/wsl-config.git",
        "--checkout",
        "v1.4.0",
        "--directory",
        "/var/lib/effective.wsl/pull/checkout",
        "--inventory",
        "inventory/pull.yml",
        "--limit",
        "localhost,windows",
        "local.yml",
    ]
    env = call["env"]
    assert env["EFFECTIVE_WSL_PULL_STATUS_DIR"] == "C:\\Users\\alice\\AppData\\Local\\effective.wsl\\pull"
    assert (env["EFFECTIVE_WSL_PULL_REF"], env["EFFECTIVE_WSL_PULL_RESTART_POLICY"]) == ("v1.4.0", "never")
    assert env["ANSIBLE_CALLBACKS_ENABLED"] == "effective.wsl.wsl_pull_status,profile_tasks"
