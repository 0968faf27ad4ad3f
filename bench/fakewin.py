"""A stand-in Windows host for counting module executions (bench only, no Windows needed).

bench_count.py loads this when E(BENCH_FAKE_WINDOWS) names a JSON state file. The real roles and action
plugins run unchanged; only what would cross WinRM is answered here: module executions, commands, file
transfers and temporary directories. The state file persists between playbook runs, so a second run sees what
the first one wrote, which is what makes an idempotent re-run observable.

What each module answers:
- file modules (win_slurp, win_stat, win_copy query/single, community.windows.win_lineinfile) work on an
  in-memory file system kept in the state file (paths compared case-insensitively, like NTFS);
- effective.wsl.wsl_config_windows reports a file or replaces it when its SHA-256 is still the expected one;
- win_scheduled_task keeps each task's arguments and reports a change when they differ from the stored ones
  (the comparison the real module makes property by property);
- win_powershell and win_command report a change the first time a given script/command runs and no change
  afterwards (a well-written idempotent script);
- effective.wsl's PowerShell modules answer with the constructed cmdlet output of tests/unit/fixtures (the same
  shapes the unit tests feed to the Python interpretation): the first call for a rule or setting answers the
  "create/update" fixture, later calls the same state with nothing to change; wsl_host_facts adds the pull status
  files found in the fake file system, as wsl_host_facts.ps1 reads them.

Several hosts: when the state path contains "{host}", each host (by its address, ansible_host) has its own state
file. A host whose address ends in ".invalid" (a name that never resolves, RFC 6761) is unreachable.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from ansible.errors import AnsibleConnectionFailure

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "unit" / "fixtures"
HOST_FACTS_FIXTURE = FIXTURES / "wsl_host_facts" / "win11_nat.json"
RULE_CREATED_FIXTURE = FIXTURES / "hyperv_firewall" / "rule_create_mywebserver.json"
RULE_UNCHANGED_FIXTURE = FIXTURES / "hyperv_firewall" / "rule_unchanged.json"
VM_SETTING_READ_FIXTURE = FIXTURES / "hyperv_firewall" / "vm_setting_read_clean_host.json"
VM_SETTING_WRITE_FIXTURE = FIXTURES / "hyperv_firewall" / "vm_setting_write_inbound_allow.json"
TEMP_DIR = "C:\\Users\\bench\\AppData\\Local\\Temp"
PULL_STATUS_DIR = "AppData\\Local\\effective.wsl\\pull"  # below the profile, as in wsl_host_facts.ps1


def _load_fixture(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _vm_setting_read_after_write() -> dict:
    """The read phase as a second run sees it: the objects as the write left them."""
    read = _load_fixture(VM_SETTING_READ_FIXTURE)
    read["objects"] = _load_fixture(VM_SETTING_WRITE_FIXTURE)["objects"]
    return read


def _address(action) -> str:
    try:
        return str(action._connection.get_option("remote_addr") or "")
    except KeyError:
        return ""


class FakeWindows:
    def __init__(self, state_path: str):
        self.state_template = state_path
        self.state_path = Path(state_path)
        self.temp_counter = 0

    # ----- state

    def _select(self, action) -> None:
        address = _address(action)
        if address.endswith(".invalid"):
            raise AnsibleConnectionFailure(f"bench fakewin: {address} does not resolve (a .invalid name)")
        if "{host}" in self.state_template:
            self.state_path = Path(self.state_template.replace("{host}", address or "unknown"))

    def _load(self) -> dict:
        if self.state_path.exists():
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        return {"files": {}, "applied": [], "uploads": {}}

    def _save(self, state: dict) -> None:
        self.state_path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")

    @staticmethod
    def _key(path: str) -> str:
        return str(path).replace("/", "\\").lower()

    def _read(self, state: dict, path: str) -> bytes | None:
        data = state["files"].get(self._key(path))
        return None if data is None else base64.b64decode(data)

    def _write(self, state: dict, path: str, data: bytes) -> None:
        state["files"][self._key(path)] = base64.b64encode(data).decode()

    def _first_time(self, state: dict, marker: str) -> bool:
        if marker in state["applied"]:
            return False
        state["applied"].append(marker)
        return True

    # ----- what crosses WinRM

    def execute_command(self, action, command) -> dict:
        return {"rc": 0, "stdout": "", "stderr": "", "stdout_lines": [], "stderr_lines": []}

    def make_tmp_path(self, action) -> str:
        self.temp_counter += 1
        path = f"{TEMP_DIR}\\ansible-tmp-bench-{self.temp_counter}"
        action._connection._shell.tmpdir = path
        return path

    def transfer_file(self, action, local_path, remote_path) -> str:
        self._select(action)
        state = self._load()
        state["uploads"][self._key(remote_path)] = base64.b64encode(Path(local_path).read_bytes()).decode()
        self._save(state)
        return remote_path

    def execute_module(self, action, name: str, args: dict) -> dict:
        short = name.rsplit(".", 1)[-1]
        handler = getattr(self, f"_module_{short}", None)
        if handler is None:
            return {"failed": True, "msg": f"bench fakewin: no stand-in for module {name}"}
        self._select(action)
        state = self._load()
        result = handler(state, dict(args or {}), action)
        self._save(state)
        return result

    # ----- file modules

    def _module_win_slurp(self, state, args, action):
        path = args.get("src") or args.get("path")
        data = self._read(state, path)
        if data is None:
            return {"failed": True, "msg": f"Path {path} is not found"}
        return {"changed": False, "content": base64.b64encode(data).decode(), "encoding": "base64", "source": path}

    _module_slurp = _module_win_slurp  # ansible.windows.slurp, the module behind win_slurp

    def _module_win_stat(self, state, args, action):
        path = args.get("path")
        data = self._read(state, path)
        if data is None:
            return {"changed": False, "stat": {"exists": False}}
        stat = {"exists": True, "isdir": False, "size": len(data), "checksum": hashlib.sha1(data).hexdigest()}
        return {"changed": False, "stat": stat}

    def _module_win_copy(self, state, args, action):
        mode = args.get("_copy_mode")
        if mode == "query":
            wanted = []
            for entry in args.get("files", []):
                path = f"{str(args['dest']).rstrip(chr(92))}\\{entry['dest']}"
                current = self._read(state, path)
                if current is None or hashlib.sha1(current).hexdigest() != entry.get("checksum"):
                    wanted.append(entry)
            return {"changed": False, "files": wanted, "directories": [], "symlinks": []}
        if mode == "single":
            data = base64.b64decode(state["uploads"].pop(self._key(args["src"])))
            changed = self._read(state, args["dest"]) != data
            self._write(state, args["dest"], data)
            return {"changed": changed, "dest": args["dest"], "checksum": hashlib.sha1(data).hexdigest()}
        return {"failed": True, "msg": f"bench fakewin: win_copy mode {mode!r} is not simulated"}

    def _module_wsl_config_windows(self, state, args, action):
        """effective.wsl.wsl_config's Windows half: report the file, or replace it by compare-and-swap."""
        path = args["path"]
        data = self._read(state, path)
        current_sha256 = hashlib.sha256(data).hexdigest() if data is not None else ""
        report = {
            "changed": False,
            "path": path,
            "exists": data is not None,
            "sha256": current_sha256,
            "content": base64.b64encode(data or b"").decode(),
        }
        if not args.get("write"):
            return report
        if args.get("expected_sha256", "") != current_sha256:
            return report | {"conflict": True}
        self._write(state, path, base64.b64decode(args.get("content", "")))
        return {"changed": True, "path": path, "conflict": False}

    def _module_win_lineinfile(self, state, args, action):
        path = args["path"]
        current = self._read(state, path)
        if current is None and not args.get("create"):
            return {"failed": True, "msg": f"Path {path} does not exist"}
        lines = (current or b"").decode("utf-8").splitlines()
        line = args["line"]
        regexp = re.compile(args["regexp"]) if args.get("regexp") else None
        matches = [index for index, text in enumerate(lines) if (regexp.search(text) if regexp else text == line)]
        if matches:
            if lines[matches[-1]] == line:
                return {"changed": False, "msg": ""}
            lines[matches[-1]] = line
        else:
            after = args.get("insertafter")
            anchors = [index for index, text in enumerate(lines) if after and after != "EOF" and re.search(after, text)]
            lines.insert(anchors[-1] + 1 if anchors else len(lines), line)
        self._write(state, path, ("\r\n".join(lines) + "\r\n").encode("utf-8"))
        return {"changed": True, "msg": "line added"}

    # ----- commands and scripts

    def _module_win_command(self, state, args, action):
        command = args.get("argv") or args.get("_raw_params") or args.get("cmd")
        self._first_time(state, f"command:{json.dumps(command)}")
        return {"changed": True, "rc": 0, "stdout": "", "stderr": "", "cmd": command}

    def _module_win_powershell(self, state, args, action):
        invocation = json.dumps([args.get("script", ""), args.get("parameters")], sort_keys=True)
        changed = self._first_time(state, f"powershell:{hashlib.sha256(invocation.encode()).hexdigest()}")
        return {"changed": changed, "output": [], "error": [], "host_out": "", "result": {}}

    def _module_win_scheduled_task(self, state, args, action):
        tasks = state.setdefault("scheduled_tasks", {})
        key = f"{args.get('path', chr(92))}{args['name']}".lower()
        wanted = None if args.get("state") == "absent" else args
        changed = tasks.get(key) != wanted
        if changed and not action._task.check_mode:
            if wanted is None:
                tasks.pop(key, None)
            else:
                tasks[key] = wanted
        return {"changed": changed, "msg": ""}

    # ----- effective.wsl PowerShell modules

    def _module_wsl_host_facts(self, state, args, action):
        result = _load_fixture(HOST_FACTS_FIXTURE)
        directory = f"{result['raw']['profile_dir']}\\{PULL_STATUS_DIR}"
        prefix = self._key(directory) + "\\"
        files = [
            {"name": path[len(prefix) :], "content_base64": data}
            for path, data in sorted(state["files"].items())
            if path.startswith(prefix) and path.endswith(".json") and "\\" not in path[len(prefix) :]
        ]
        result["raw"]["pull_status"] = {"dir": directory, "files": files} if files else None
        return result

    def _module_hyperv_firewall_rule(self, state, args, action):
        created = self._first_time(state, f"rule:{args.get('name', '').lower()}")
        return _load_fixture(RULE_CREATED_FIXTURE if created else RULE_UNCHANGED_FIXTURE)

    def _module_hyperv_firewall_vm_setting(self, state, args, action):
        # Two runs of the .ps1 per task: a read, then (when something differs) a write.
        if args.get("_phase") == "write":
            self._first_time(state, "vm_setting")
            return _load_fixture(VM_SETTING_WRITE_FIXTURE)
        if "vm_setting" in state["applied"]:
            return _vm_setting_read_after_write()
        return _load_fixture(VM_SETTING_READ_FIXTURE)
