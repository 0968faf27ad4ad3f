# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pull status record: what one ``ansible-pull`` run in a distro reports back to the centre (private engine).

Private to effective.wsl; it may change at any time. Pure functions over plain data, except the two file
helpers at the end (atomic write, git HEAD), which the callback ``effective.wsl.wsl_pull_status`` uses.

Where the records live, on the Windows side in the user's profile (so ``wsl_host_facts`` reads them over WinRM
even while no distro runs)::

    %USERPROFILE%\\AppData\\Local\\effective.wsl\\pull\\status-<distro>.json   one per distro, written by the run
    %USERPROFILE%\\AppData\\Local\\effective.wsl\\pull\\runner.json            written by the scheduled task

The runner record (format ``effective.wsl.pull_runner``, version 1; roles/wsl_pull/files/wsl_pull.ps1)::

    {"format": "effective.wsl.pull_runner", "version": 1, "started": "…", "finished": "…",
     "wsl_exe": "C:\\Program Files\\WSL\\wsl.exe", "distros": [{"name": "Ubuntu", "exit_code": 0}],
     "restart": {"action": "ran" | "deferred" | "none", "commands": ["wsl.exe --terminate Ubuntu"],
                 "exit_code": 0, "reason": null}}

A status record (format ``effective.wsl.pull_status``, version 1)::

    {"format": "effective.wsl.pull_status", "version": 1, "time": "2026-12-01T08:02:11Z",
     "started": "2026-12-01T08:01:40Z", "distro": "Ubuntu", "ref": "v1.4.0", "commit": "0a1b…",
     "result": "changed", "ok": 21, "changed": 2, "failed": 0, "failures": [],
     "restart": {"required": "distro_terminate", "command": ["wsl.exe", "--terminate", "Ubuntu"],
                 "policy": "auto"},
     "facts": {"networking_mode": "nat", "wsl_version": 2, "kernel": "6.6.87.2-microsoft-standard-WSL2",
               "windows_host_address": "172.24.208.1", "dns_tunneling": true}}

A reader accepts any version up to ``VERSION`` and a newer one with a note (fields are only ever added).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from ansible_collections.effective.wsl.plugins.module_utils._winpath import (
    DEFAULT_AUTOMOUNT_ROOT,
    WinPathError,
    to_wsl_path,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._restart import (
    DISTRO_TERMINATE,
    NO_RESTART,
    WSL_SHUTDOWN,
    RestartInputError,
    merge_restarts,
    wsl_exe_argv,
)

STATUS_FORMAT = "effective.wsl.pull_status"
RUNNER_FORMAT = "effective.wsl.pull_runner"
VERSION = 1
# Below the user's profile directory; the scheduled task and wsl_host_facts use the same place.
STATUS_DIR = "AppData\\Local\\effective.wsl\\pull"
RUNNER_FILE = "runner.json"
RESTART_POLICIES = ("auto", "never")
RESULTS = ("ok", "changed", "failed")
MAX_FAILURES = 5
MAX_MESSAGE = 300
MAX_RECORD_BYTES = 64 * 1024

_STATS_KEYS = ("ok", "changed", "failed")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
_HEX_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


class StatusError(ValueError):
    """A record that cannot be used; the message names the file or field, the value and what is allowed."""


def utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def status_file_name(distro: str) -> str:
    """``status-<distro>.json``; WSL distro names are letters, digits, ``.``, ``_`` and ``-``; others become ``_``."""
    if not distro:
        raise StatusError("distro: the distro name is empty (WSL_DISTRO_NAME is not set: is this a WSL distro?)")
    return f"status-{_UNSAFE_NAME.sub('_', distro)}.json"


def resolve_status_dir(value: str, automount_root: str = DEFAULT_AUTOMOUNT_ROOT) -> str:
    """Where the distro sees the status directory: a Windows path is translated like ``wslpath`` does."""
    if not value:
        raise StatusError("status_dir: empty; give the Windows directory, e.g. C:\\Users\\alice\\" + STATUS_DIR)
    if value.startswith("/"):
        return value
    try:
        return to_wsl_path(value, automount_root)
    except WinPathError as error:
        raise StatusError(f"status_dir: {error}") from error


def summarize_facts(wsl: Mapping | None) -> dict:
    """The few wsl_facts values a fleet report shows; all null when the run gathered none."""
    wsl = wsl if isinstance(wsl, Mapping) else {}
    networking = wsl.get("networking") if isinstance(wsl.get("networking"), Mapping) else {}
    return {
        "networking_mode": networking.get("mode"),
        "wsl_version": wsl.get("version"),
        "kernel": wsl.get("kernel"),
        "windows_host_address": networking.get("windows_host_address"),
        "dns_tunneling": networking.get("dns_tunneling"),
    }


def _known_facts(facts) -> dict:
    facts = facts if isinstance(facts, Mapping) else {}
    return {key: facts.get(key) for key in summarize_facts(None)}


def failure_entry(host: str, task: str, message) -> dict:
    text = message if isinstance(message, str) else json.dumps(message, default=str)
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return {"host": host, "task": task, "msg": text}


def restart_of(required: Iterable[str | None], distro: str, policy: str) -> dict:
    """The one restart the run leaves to the scheduled task, with the wsl.exe arguments it would run."""
    if policy not in RESTART_POLICIES:
        raise StatusError(f"restart_policy: {policy!r} is not allowed; expected one of {', '.join(RESTART_POLICIES)}")
    try:
        kind = merge_restarts(required)
        command = list(wsl_exe_argv(kind, distro))
    except RestartInputError as error:
        raise StatusError(str(error)) from error
    return {"required": kind, "command": command, "policy": policy}


def build_record(
    *,
    started: datetime,
    finished: datetime,
    distro: str,
    ref: str | None,
    commit: str | None,
    stats: Mapping[str, int],
    failures: list[dict],
    restarts: Iterable[str | None],
    restart_policy: str,
    facts: Mapping | None,
) -> dict:
    counts = {key: int(stats.get(key, 0)) for key in _STATS_KEYS}
    result = "failed" if counts["failed"] else "changed" if counts["changed"] else "ok"
    return {
        "format": STATUS_FORMAT,
        "version": VERSION,
        "time": utc_timestamp(finished),
        "started": utc_timestamp(started),
        "distro": distro,
        "ref": ref or None,
        "commit": commit if commit and _HEX_COMMIT.match(commit) else None,
        "result": result,
        **counts,
        "failures": list(failures)[:MAX_FAILURES],
        "restart": restart_of(restarts, distro, restart_policy),
        "facts": summarize_facts(facts),
    }


def dump_record(record: Mapping) -> bytes:
    return (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _load_json(data: bytes, name: str, expected_format: str) -> tuple[dict, list[str]]:
    notes: list[str] = []
    if len(data) > MAX_RECORD_BYTES:
        raise StatusError(f"{name}: {len(data)} bytes, more than a status record can be ({MAX_RECORD_BYTES})")
    if data.startswith(b"\xef\xbb\xbf"):  # PowerShell 5.1's Set-Content -Encoding UTF8 writes a BOM
        data = data[3:]
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StatusError(f"{name}: not a JSON document ({error})") from error
    if not isinstance(record, dict) or record.get("format") != expected_format:
        found = record.get("format") if isinstance(record, dict) else type(record).__name__
        raise StatusError(f"{name}: format is {found!r}, expected {expected_format!r}")
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StatusError(f"{name}: version is {version!r}, expected an integer from 1")
    if version > VERSION:
        notes.append(f"{name}: version {version} is newer than this reader ({VERSION}); unknown fields are ignored")
    return record, notes


def parse_record(data: bytes, name: str) -> tuple[dict, list[str]]:
    """A status record as written by ``build_record``; StatusError when it is not one."""
    record, notes = _load_json(data, name, STATUS_FORMAT)
    if parse_timestamp(record.get("time")) is None:
        raise StatusError(f"{name}: time is {record.get('time')!r}, expected an ISO 8601 UTC time")
    if record.get("result") not in RESULTS:
        raise StatusError(f"{name}: result is {record.get('result')!r}, expected one of {', '.join(RESULTS)}")
    for key in _STATS_KEYS:
        if not isinstance(record.get(key), int) or isinstance(record.get(key), bool) or record[key] < 0:
            raise StatusError(f"{name}: {key} is {record.get(key)!r}, expected a count (an integer from 0)")
    restart = record.get("restart")
    if not isinstance(restart, dict) or restart.get("required") not in (WSL_SHUTDOWN, DISTRO_TERMINATE, NO_RESTART):
        raise StatusError(
            f"{name}: restart is {restart!r}, expected an object with required wsl_shutdown, distro_terminate or none"
        )
    failures = record.get("failures")
    return {
        "distro": str(record.get("distro") or ""),
        "time": record["time"],
        "started": record.get("started"),
        "ref": record.get("ref"),
        "commit": record.get("commit"),
        "result": record["result"],
        **{key: record[key] for key in _STATS_KEYS},
        "failures": [entry for entry in failures if isinstance(entry, dict)] if isinstance(failures, list) else [],
        "restart": {
            "required": restart["required"],
            "command": [str(arg) for arg in restart.get("command") or []],
            "policy": restart.get("policy"),
        },
        "facts": _known_facts(record.get("facts")),
    }, notes


def parse_runner(data: bytes, name: str) -> tuple[dict, list[str]]:
    """The scheduled task's own record: when it ran, each distro's exit code, what it did about the restart."""
    record, notes = _load_json(data, name, RUNNER_FORMAT)
    distros = [
        {"name": str(entry.get("name")), "exit_code": entry.get("exit_code")}
        for entry in record.get("distros") or []
        if isinstance(entry, dict) and entry.get("name")
    ]
    restart = record.get("restart") if isinstance(record.get("restart"), dict) else {}
    return {
        "started": record.get("started"),
        "finished": record.get("finished"),
        "wsl_exe": record.get("wsl_exe"),
        "distros": distros,
        "restart": {
            "action": restart.get("action") or "none",
            "commands": [str(command) for command in restart.get("commands") or []],
            "exit_code": restart.get("exit_code"),
            "reason": restart.get("reason"),
        },
    }, notes


def _restart_done_after(record: dict, runner: dict | None) -> bool:
    if not runner or runner["restart"]["action"] != "ran" or runner["restart"]["exit_code"] != 0:
        return False
    done, written = parse_timestamp(runner.get("finished")), parse_timestamp(record["time"])
    ran = [command.split()[1:] for command in runner["restart"]["commands"]]
    covers = ["--shutdown"] in ran or record["restart"]["command"][1:] in ran
    return bool(done and written and done >= written and covers)


def interpret_pull(raw: Mapping | None) -> dict | None:
    """What the pull records in a user's profile say: per distro and summed up. None when nothing was read.

    ``raw`` is what wsl_host_facts.ps1 reads: ``{"dir": ..., "files": [{"name": ..., "content_base64": ...}]}``.
    """
    if not raw:
        return None
    notes: list[str] = []
    records: list[dict] = []
    runner = None
    for entry in raw.get("files") or []:
        name = str(entry.get("name") or "")
        try:
            data = base64.b64decode(entry.get("content_base64") or "", validate=True)
        except (binascii.Error, ValueError):
            notes.append(f"{name}: the content is not base64")
            continue
        try:
            if name.lower() == RUNNER_FILE:
                runner, more = parse_runner(data, name)
            elif name.lower().startswith("status-") and name.lower().endswith(".json"):
                record, more = parse_record(data, name)
                records.append(record)
            else:
                continue
        except StatusError as error:
            notes.append(str(error))
            continue
        notes.extend(more)

    runner_started = parse_timestamp(runner.get("started")) if runner else None
    exit_codes = {entry["name"]: entry["exit_code"] for entry in (runner or {}).get("distros", [])}
    for name, code in exit_codes.items():
        record = next((r for r in records if r["distro"] == name), None)
        stale = record is None or (runner_started and parse_timestamp(record["time"]) < runner_started)
        if code not in (0, None) and stale:
            notes.append(f"the pull in {name} ended with exit code {code} and wrote no status (see runner.json)")
            records = [r for r in records if r["distro"] != name] + [_silent_failure(name, code, runner)]
    for record in records:
        pending = record["restart"]["required"] != NO_RESTART and not _restart_done_after(record, runner)
        record["restart"]["pending"] = pending
    records.sort(key=lambda r: r["distro"].lower())
    pending = [r["restart"]["required"] for r in records if r["restart"]["pending"]]
    times = [r["time"] for r in records if parse_timestamp(r["time"])]
    return {
        "dir": raw.get("dir"),
        "distros": records,
        "runner": runner,
        "last_run": max(times, key=parse_timestamp) if times else None,
        "failed": any(r["result"] == "failed" for r in records),
        "pending_restart": merge_restarts(pending),
        "restart_not_run_because": runner["restart"]["reason"] if runner and pending else None,
        "notes": notes,
    }


def _silent_failure(distro: str, code, runner: dict) -> dict:
    message = f"wsl.exe ended with exit code {code} before the run reported (bootstrap or checkout failed?)"
    return {
        "distro": distro,
        "time": runner.get("finished") or runner.get("started"),
        "started": runner.get("started"),
        "ref": None,
        "commit": None,
        "result": "failed",
        "ok": 0,
        "changed": 0,
        "failed": 1,
        "failures": [failure_entry(distro, "scheduled task", message)],
        "restart": {"required": NO_RESTART, "command": [], "policy": None},
        "facts": summarize_facts({}),
    }


# --- files (used inside the distro by the callback) ----------------------------------------------------


def write_record(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader (wsl_host_facts, a second run) sees the old or the new file."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".status-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def git_head(checkout: str) -> str | None:
    """The commit checked out in ``checkout`` (read from .git, no git needed); None when unknown."""
    git_dir = os.path.join(checkout, ".git")
    try:
        with open(os.path.join(git_dir, "HEAD"), encoding="ascii") as handle:
            head = handle.read().strip()
        if not head.startswith("ref: "):
            return head if _HEX_COMMIT.match(head) else None
        ref = head[5:]
        try:
            with open(os.path.join(git_dir, *ref.split("/")), encoding="ascii") as handle:
                return handle.read().strip() or None
        except FileNotFoundError:
            with open(os.path.join(git_dir, "packed-refs"), encoding="ascii") as handle:
                for line in handle:
                    fields = line.split()
                    if len(fields) == 2 and fields[1] == ref:
                        return fields[0]
    except (OSError, UnicodeDecodeError):
        return None
    return None
