"""Issue 16 in the WSL simulator: the files this collection touches, probed as an attacker and a fault injector.

- a symbolic link or a FIFO at the target (a .wslconfig linked to /etc/shadow: nothing printed, nothing written);
- 20 pairs of concurrent runs editing different keys of one file: no key lost;
- a trust-store update that failed is run again by the next run (the CA verified with openssl against the bundle),
  and concurrent imports leave each certificate once in the bundle;
- unprivileged runs and umask 077: no file replaced that could not be written in place, modes and owners kept;
- SIGKILL during writes: the target is always whole, and no temporary file is left once a run has followed.
"""

from __future__ import annotations

import json
import random
import re
import shlex
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import wslsim

from ansible_collections.effective.wsl.tests.unit.plugins import ca_factory

WINDOWS_HOME = "/mnt/c/Users/steff"
WSLCONFIG = f"{WINDOWS_HOME}/.wslconfig"
BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
PLAYBOOK_TIMEOUT = 180  # seconds: a run takes about 3; a hang (the FIFO) must fail the test, not block it
TEMPORARY = re.compile(r"(effective-wsl\.tmp|^\.ansible_tmp)")


def play(module: str, task: str, become_user: str | None = None, **args) -> str:
    become = f"  become: true\n  become_method: su\n  become_user: {become_user}\n" if become_user else ""
    return (
        "- name: Reliability play\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        f"{become}"
        "  tasks:\n"
        f"    - name: {task}\n"
        f"      {module}: {json.dumps(args)}\n"
    )


def config_play(name: str, **args) -> str:
    return play("effective.wsl.wsl_config", name, **args)


def put(sim, path: str, data: bytes) -> None:
    Path(sim.host_path(path)).write_bytes(data)


def get(sim, path: str) -> bytes:
    return Path(sim.host_path(path)).read_bytes()


def concurrently(sim, plays: list[str]) -> list:
    """Run the playbooks at the same time; their results in order."""
    with ThreadPoolExecutor(len(plays)) as pool:
        return list(pool.map(lambda text: sim.playbook(text, timeout=PLAYBOOK_TIMEOUT), plays))


def temporary_files(sim, directory: str) -> list[str]:
    return sorted(name for name in Path(sim.host_path(directory)).iterdir() if TEMPORARY.search(name.name))


@pytest.fixture(scope="module")
def sim(wsl_nat):
    return wsl_nat


# --------------------------------------------------------------------------------------------- links and FIFOs


@pytest.mark.parametrize(("path", "file_type"), [(WSLCONFIG, "wslconfig"), ("/etc/wsl.conf", "wslconf")])
def test_a_link_to_etc_shadow_is_neither_printed_nor_written(sim, path, file_type):
    shadow = get(sim, "/etc/shadow")
    secret = shadow.splitlines()[0].decode()
    sim.run(["ln", "-sfn", "/etc/shadow", path], check=True)
    settings = {"wsl2": {"memory": "8GB"}} if file_type == "wslconfig" else {"boot": {"systemd": True}}
    try:
        checked = sim.playbook(config_play("Probe", path=path, settings=settings), check=True, diff=True)
        assert checked.rc != 0
        assert f"{path} is a symbolic link; it is neither read nor written" in checked.task("Probe")["msg"]
        applied = sim.playbook(config_play("Probe", path=path, settings=settings))
        assert applied.rc != 0 and applied.task("Probe")["changed"] is False
        for run in (checked, applied):
            assert secret not in run.stdout + run.stderr
            assert "diff" not in run.task("Probe")
        assert get(sim, "/etc/shadow") == shadow
    finally:
        sim.run(["rm", "-f", path], check=True)


def test_follow_edits_a_users_own_file_through_a_link_but_not_a_foreign_one(sim):
    target = f"{WINDOWS_HOME}/Documents/wslconfig.real"
    put(sim, target, b"[wsl2]\r\n")
    sim.run(["ln", "-sfn", target, WSLCONFIG], check=True)
    try:
        run = sim.playbook(config_play("Follow", path=WSLCONFIG, follow=True, settings={"wsl2": {"swap": 0}}))
        assert run.rc == 0, run.output
        assert get(sim, target) == b"[wsl2]\r\nswap=0\r\n"
        assert sim.run(["readlink", WSLCONFIG]).stdout.strip() == target
        sim.run(["chown", "-h", "65534:65534", WSLCONFIG], check=True)
        refused = sim.playbook(config_play("Follow", path=WSLCONFIG, follow=True, settings={"wsl2": {"swap": 1}}))
        assert refused.rc != 0 and "the owner of the link owns" in refused.task("Follow")["msg"]
        assert get(sim, target) == b"[wsl2]\r\nswap=0\r\n"
    finally:
        sim.run(["rm", "-f", WSLCONFIG, target], check=True)


def test_a_fifo_fails_at_once_instead_of_hanging(sim):
    sim.run(["mkfifo", WSLCONFIG], check=True)
    try:
        run = sim.playbook(
            config_play("Fifo", settings={"wsl2": {"swap": 0}}, path=WSLCONFIG), timeout=PLAYBOOK_TIMEOUT
        )
        assert run.rc != 0
        assert run.task("Fifo")["msg"] == f"{WSLCONFIG} is a FIFO (named pipe), not a regular file; nothing was read"
    finally:
        sim.run(["rm", "-f", WSLCONFIG], check=True)


# --------------------------------------------------------------------------------------------- lost updates


def test_twenty_pairs_of_concurrent_edits_lose_no_key(sim):
    lost = []
    for pair in range(20):
        put(sim, WSLCONFIG, b"# pair %d\r\n[wsl2]\r\n" % pair)
        plays = [
            config_play("Memory", path=WSLCONFIG, settings={"wsl2": {"memory": f"{pair + 1}GB"}}),
            config_play("Swap", path=WSLCONFIG, settings={"wsl2": {"swap": f"{pair + 1}GB"}}),
        ]
        for result in concurrently(sim, plays):
            assert result.rc == 0, result.output
        text = get(sim, WSLCONFIG).decode()
        if f"memory={pair + 1}GB" not in text or f"swap={pair + 1}GB" not in text:
            lost.append((pair, text))
    assert lost == []
    assert temporary_files(sim, WINDOWS_HOME) == []


# --------------------------------------------------------------------------------------------- trust store


@pytest.fixture(scope="module")
def root_ca():
    return ca_factory.root_ca("Reliability Root CA")


def ca_play(task: str, root_ca, **args) -> str:
    return play("effective.wsl.wsl_ca_import", task, certificates=[root_ca.pem], **args)


def openssl_verify(sim, root_ca) -> bool:
    sim.write_file("/root/reliability-ca.pem", root_ca.pem)
    return sim.run(["openssl", "verify", "-CAfile", BUNDLE, "/root/reliability-ca.pem"]).returncode == 0


def test_a_failed_trust_store_update_is_repaired_by_the_next_run(wsl_simulator, root_ca):
    sim = wsl_simulator(mode="nat")
    if sim.run(["sh", "-c", "command -v update-ca-certificates && command -v openssl"]).returncode != 0:
        pytest.skip("update-ca-certificates or openssl is not installed")
    sim.write_file("/usr/local/sbin/update-ca-certificates", "#!/bin/sh\necho 'disk full' >&2\nexit 1\n", mode=0o755)
    failed = sim.playbook(ca_play("Import", root_ca))
    assert failed.rc != 0 and "failed with rc=1" in failed.task("Import")["msg"]
    assert not openssl_verify(sim, root_ca)

    sim.run(["rm", "/usr/local/sbin/update-ca-certificates"], check=True)
    repaired = sim.playbook(ca_play("Import", root_ca))
    assert repaired.rc == 0, repaired.output
    assert repaired.task("Import")["changed"] is True
    assert openssl_verify(sim, root_ca)
    again = sim.playbook(ca_play("Import", root_ca))
    assert again.rc == 0 and again.task("Import")["changed"] is False


def test_concurrent_imports_leave_each_certificate_once_in_the_bundle(wsl_simulator):
    sim = wsl_simulator(mode="nat")
    if sim.run(["sh", "-c", "command -v update-ca-certificates"]).returncode != 0:
        pytest.skip("update-ca-certificates is not installed")
    for trial in range(3):
        cas = [ca_factory.root_ca(f"Concurrent Root {trial}-{index}") for index in range(2)]
        plays = [ca_play("Import", ca, name=f"set{index}") for index, ca in enumerate(cas)]
        for result in concurrently(sim, plays):
            assert result.rc == 0, result.output
        bundle = get(sim, BUNDLE).decode()
        blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", bundle, re.DOTALL)
        assert len(blocks) == len(set(blocks)), f"trial {trial}: a certificate is in the bundle more than once"
        for ca in cas:
            assert ca.pem in bundle


# --------------------------------------------------------------------------------------------- permissions


@pytest.fixture(scope="module")
def tester(sim):
    """An unprivileged user whose home holds files of its own and of root."""
    if sim.run(["sh", "-c", "id tester || useradd -m -s /bin/sh tester"]).returncode != 0:
        pytest.skip("useradd is not available")
    return "tester"


def unprivileged(sim, text: str):
    """Run a play that becomes tester. The repository's .venv lies under /root, which tester cannot enter, so
    the module runs with the distro's /usr/bin/python3 (the later -e wins over the simulator's)."""
    interpreter = json.dumps({"ansible_python_interpreter": "/usr/bin/python3"})
    return sim.playbook(text, env={"ANSIBLE_PIPELINING": "1"}, timeout=PLAYBOOK_TIMEOUT, args=["-e", interpreter])


@pytest.mark.parametrize(("owner", "mode"), [("tester", 0o444), ("root", 0o644)])
def test_an_unprivileged_run_never_replaces_a_file_it_could_not_write(sim, tester, owner, mode):
    path = "/home/tester/wsl.conf"
    put(sim, path, b"[boot]\nsystemd=false\n")
    sim.run(["chown", f"{owner}:{owner}", path], check=True)
    sim.run(["chmod", f"{mode:o}", path], check=True)
    before = sim.run(["stat", "-c", "%a %U %G %i", path]).stdout
    run = unprivileged(sim, config_play("Edit", become_user=tester, path=path, settings={"boot": {"systemd": True}}))
    assert run.rc != 0
    result = run.task("Edit")
    assert "is not writable for uid" in result["msg"]
    assert result["changed"] is False and result["restart_required"] == "none"
    assert sim.run(["stat", "-c", "%a %U %G %i", path]).stdout == before
    assert get(sim, path) == b"[boot]\nsystemd=false\n"


def test_a_rewritten_file_keeps_mode_owner_and_group(sim, tester):
    path = "/home/tester/.wslconfig"
    put(sim, path, b"[wsl2]\n")
    sim.run(["chown", "tester:tester", path], check=True)
    sim.run(["chmod", "600", path], check=True)
    as_root = sim.playbook(config_play("Root edit", path=path, settings={"wsl2": {"swap": 0}}, backup=True))
    assert as_root.rc == 0, as_root.output
    assert sim.run(["stat", "-c", "%a %U %G", path]).stdout.strip() == "600 tester tester"
    backup = as_root.task("Root edit")["backup_file"]
    assert ":" not in backup and get(sim, backup) == b"[wsl2]\n"
    assert sim.run(["stat", "-c", "%a %U %G", backup]).stdout.strip() == "600 tester tester"
    as_user = unprivileged(sim, config_play("User edit", become_user=tester, path=path, settings={"wsl2": {"swap": 1}}))
    assert as_user.rc == 0, as_user.output
    assert sim.run(["stat", "-c", "%a %U %G", path]).stdout.strip() == "600 tester tester"
    assert get(sim, path) == b"[wsl2]\nswap=1\n"


def playbook_argv(path: str) -> list[str]:
    """ansible-playbook as sim.playbook runs it, for runs it cannot make (under a umask, killed midway)."""
    interpreter = json.dumps({"ansible_python_interpreter": str(wslsim.VENV_PYTHON)})
    return [str(wslsim.VENV_BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "-e", interpreter, path]


def run_with_umask(sim, text: str, umask: str = "077"):
    """ansible-playbook under a umask (sim.playbook cannot set one); returns the completed process."""
    sim.write_file("/root/umask-play.yml", text)
    return sim.run(f"umask {umask}; exec {shlex.join(playbook_argv('/root/umask-play.yml'))}", timeout=PLAYBOOK_TIMEOUT)


def test_umask_077_gives_new_files_and_folders_explicit_modes(wsl_simulator, root_ca):
    sim = wsl_simulator(mode="nat")
    if sim.run(["sh", "-c", "command -v update-ca-certificates"]).returncode != 0:
        pytest.skip("update-ca-certificates is not installed")
    sim.run(["rm", "-rf", "/usr/local/share/ca-certificates/effective-wsl", "/var/lib/effective-wsl"], check=True)
    imported = run_with_umask(sim, ca_play("Import", root_ca))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    modes = sim.run(
        ["stat", "-c", "%a %n", "/usr/local/share/ca-certificates/effective-wsl", "/var/lib/effective-wsl"]
    ).stdout.split("\n")
    assert [line.split()[0] for line in modes if line] == ["755", "755"]
    created = run_with_umask(sim, config_play("Create", path="/etc/wsl.conf", settings={"boot": {"systemd": True}}))
    assert created.returncode == 0, created.stdout + created.stderr
    assert sim.run(["stat", "-c", "%a", "/etc/wsl.conf"]).stdout.strip() == "644"


# --------------------------------------------------------------------------------------------- kills

WRITER = """
import os, sys
sys.path.insert(0, os.environ["ANSIBLE_COLLECTIONS_PATH"].split(":")[0])
from ansible_collections.effective.wsl.plugins.module_utils._safefile import (
    locked, read_regular, remove_stale_temps, write_atomically,
)
path = sys.argv[1]
payloads = [bytes([letter]) * (4 << 20) for letter in b"AB"]
print(os.getpid(), flush=True)
count = 0
while True:
    with locked(os.path.dirname(path)) as have_lock:
        if have_lock:
            remove_stale_temps(path)
        write_atomically(path, payloads[count % 2], expected=read_regular(path))
    count += 1
    if len(sys.argv) > 2 and count == int(sys.argv[2]):
        break
"""


def test_kills_during_writes_leave_a_whole_file_and_no_temporary_file(sim):
    """A writer replaces a 4 MB .wslconfig in a loop and is killed with SIGKILL at random moments."""
    sim.write_file("/root/writer.py", WRITER)
    payloads = {b"A" * (4 << 20), b"B" * (4 << 20)}
    put(sim, WSLCONFIG, b"A" * (4 << 20))
    generator = random.Random(16)
    for _kill in range(12):
        writer = sim.spawn(["setsid", "python3", "/root/writer.py", WSLCONFIG], stdout=-1, text=True)
        pid = writer.stdout.readline().strip()
        assert pid.isdigit()
        sim.run(["sleep", f"{generator.uniform(0.05, 0.6):.2f}"])
        sim.run(["kill", "-KILL", "--", f"-{pid}"], check=True)
        writer.wait(30)
        assert get(sim, WSLCONFIG) in payloads
    finished = sim.run(["python3", "/root/writer.py", WSLCONFIG, "1"])
    assert finished.returncode == 0, finished.stderr
    assert temporary_files(sim, WINDOWS_HOME) == []


def test_a_killed_playbook_run_leaves_no_temporary_file_after_the_next_run(sim):
    put(sim, WSLCONFIG, b"[wsl2]\r\n" + b"# padding\r\n" * 100_000)
    sim.write_file("/root/kill-play.yml", config_play("Edit", path=WSLCONFIG, settings={"wsl2": {"swap": 0}}))
    argv = playbook_argv("/root/kill-play.yml")
    generator = random.Random(1616)
    for _kill in range(4):
        original = get(sim, WSLCONFIG)
        # setsid first: the shell is then a session leader, so its pid names the group of the whole run
        run = sim.spawn(["setsid", "sh", "-c", 'echo $$; exec "$@"', "sh", *argv], stdout=-1, text=True)
        pid = run.stdout.readline().strip()
        sim.run(["sleep", f"{generator.uniform(1.0, 4.0):.2f}"])
        sim.run(["kill", "-KILL", "--", f"-{pid}"])
        run.wait(30)
        assert get(sim, WSLCONFIG) in (original, original.replace(b"[wsl2]\r\n", b"[wsl2]\r\nswap=0\r\n", 1))
        put(sim, WSLCONFIG, b"[wsl2]\r\n" + b"# padding\r\n" * 100_000)
    final = sim.playbook(config_play("Edit", path=WSLCONFIG, settings={"wsl2": {"swap": 0}}), timeout=PLAYBOOK_TIMEOUT)
    assert final.rc == 0, final.output
    assert temporary_files(sim, WINDOWS_HOME) == []
    sim.run(["rm", "-f", WSLCONFIG], check=True)
