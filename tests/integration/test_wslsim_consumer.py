"""A role consumer's own project runs its molecule scenario in the simulator, as docs/testing.md shows step by step.

The files of the project are the ones the page documents (read from it, so the page cannot drift), the project
lies under /tmp (private inside the simulator), and the collection is installed into it from the built tarball:
nothing of this checkout's .cache/collections is used.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "testing.md"
SCENARIO = ("molecule/default/molecule.yml", "molecule/default/converge.yml")


def documented_files() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- consumer-file: (\S+) -->\n```yaml\n(.*?)```", text, re.DOTALL))


def test_the_documented_scenario_is_short():
    files = documented_files()
    assert set(files) == {*SCENARIO, "molecule/default/verify.yml", "roles/dev_distro/tasks/main.yml"}
    assert sum(len(files[name].splitlines()) for name in SCENARIO) <= 25


def test_a_project_under_tmp_runs_its_own_role_and_scenario(simulator_available, tmp_path):
    project = tmp_path / "my-wsl-setup"
    for name, text in documented_files().items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_collection.py"), str(tmp_path / "build")],
        check=True,
        capture_output=True,
    )
    (tarball,) = (tmp_path / "build").glob("effective-wsl-*.tar.gz")
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ANSIBLE_")}
    galaxy = pathlib.Path(sys.executable).parent / "ansible-galaxy"
    subprocess.run(
        [str(galaxy), "collection", "install", "--no-deps", "-p", str(project / "collections"), str(tarball)],
        check=True,
        capture_output=True,
        env=environment,
        cwd=project,  # not this checkout, whose ansible.cfg names .cache/collections
    )
    wslsim_cli = project / "collections" / "ansible_collections" / "effective" / "wsl" / "tests" / "wslsim" / "wslsim"
    wsl_conf_before = pathlib.Path("/etc/wsl.conf").exists()
    options = ["--mode", "nat", "--cwd", str(project), "--collections-path", str(project / "collections")]

    done = subprocess.run(
        [sys.executable, str(wslsim_cli), "run", *options, "--", "molecule", "test"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    plain = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    output = f"--- rc {done.returncode}\n{plain[-8000:]}"
    assert done.returncode == 0, output
    for action in ("converge", "idempotence", "verify"):
        assert f"default ➜ {action}: Executed: Successful" in plain, output
    assert pathlib.Path("/etc/wsl.conf").exists() == wsl_conf_before


def test_a_path_the_distro_cannot_see_is_named_with_the_way_out(simulator_available, tmp_path):
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: localhost\n  tasks: []\n")
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "wslsim" / "wslsim"), "run", "--", "ansible-playbook", str(playbook)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 125, done.stderr
    assert f"{playbook}: not visible inside the simulated distro" in done.stderr
    assert "--share DIR" in done.stderr
