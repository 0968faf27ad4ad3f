"""Run a playbook against bench/fakewin.py's stand-in Windows hosts and collect every task result.

bench/callback_plugins/bench_count.py answers what would cross WinRM from bench/fakewin.py (one state file per host
address, so a second run sees what the first wrote); tests/wslsim/callback_plugins/wslsim_json.py records the task
results. Nothing leaves this machine: no WinRM connection is ever opened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def run_playbook(
    tmp_path: Path, playbook: Path, inventory: str, extra_vars: dict | None = None, check: bool = False
) -> tuple[subprocess.CompletedProcess, list[dict]]:
    results = tmp_path / "results.json"
    results.unlink(missing_ok=True)
    inventory_path = tmp_path / "inventory.ini"
    inventory_path.write_text(inventory)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("WSL", "ANSIBLE_"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
        ANSIBLE_CALLBACK_PLUGINS=os.pathsep.join(
            str(REPO / path / "callback_plugins") for path in ("bench", "tests/wslsim")
        ),
        ANSIBLE_CALLBACKS_ENABLED="bench_count,wslsim_json",
        ANSIBLE_LOCALHOST_WARNING="0",
        BENCH_FAKE_WINDOWS=str(tmp_path / "fakewin-{host}.json"),
        WSLSIM_RESULTS_FILE=str(results),
    )
    pinned = {"ansible_python_interpreter": sys.executable, **(extra_vars or {})}
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory_path)]
    command += ["-e", json.dumps(pinned), str(playbook)]
    if check:
        command.append("--check")
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    tasks = json.loads(results.read_text())["tasks"] if results.exists() else []
    return completed, [dict(task["result"], task=task["task"], host=task["host"]) for task in tasks]


def fake_state(tmp_path: Path, address: str) -> dict:
    path = tmp_path / f"fakewin-{address}.json"
    return json.loads(path.read_text()) if path.exists() else {"files": {}, "applied": [], "uploads": {}}


def save_fake_state(tmp_path: Path, address: str, state: dict) -> None:
    (tmp_path / f"fakewin-{address}.json").write_text(json.dumps(state))
