"""The pull status record: build, write, read back, and what wsl_host_facts makes of the files it finds."""

from __future__ import annotations

import base64
import json
import os
import threading
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import (
    RUNNER_FORMAT,
    StatusError,
    build_record,
    dump_record,
    failure_entry,
    git_head,
    interpret_pull,
    parse_record,
    resolve_status_dir,
    status_file_name,
    write_record,
)

T0 = datetime(2026, 12, 1, 8, 1, 40, tzinfo=timezone.utc)
WSL_FACTS = {
    "is_wsl": True,
    "version": 2,
    "kernel": "6.6.87.2-microsoft-standard-WSL2",
    "distro_name": "Ubuntu",
    "networking": {"mode": "nat", "windows_host_address": "172.24.208.1", "dns_tunneling": True, "eth0": {}},
}


def record(**changes) -> dict:
    arguments = {
        "started": T0,
        "finished": T0 + timedelta(seconds=31),
        "distro": "Ubuntu",
        "ref": "v1.4.0",
        "commit": "0" * 40,
        "stats": {"ok": 20, "changed": 2, "failed": 0},
        "failures": [],
        "restarts": ["distro_terminate"],
        "restart_policy": "auto",
        "facts": WSL_FACTS,
    }
    arguments.update(changes)
    return build_record(**arguments)


def as_file(name: str, content) -> dict:
    data = content if isinstance(content, bytes) else dump_record(content)
    return {"name": name, "content_base64": base64.b64encode(data).decode()}


def runner(**changes) -> dict:
    value = {
        "format": RUNNER_FORMAT,
        "version": 1,
        "started": "2026-12-01T08:01:30Z",
        "finished": "2026-12-01T08:02:20Z",
        "wsl_exe": "C:\\Program Files\\WSL\\wsl.exe",
        "distros": [{"name": "Ubuntu", "exit_code": 0}],
        "restart": {"action": "none", "commands": [], "exit_code": None, "reason": None},
    }
    value.update(changes)
    return value


class TestBuild:
    def test_record_is_exactly_this(self):
        assert record() == {
            "format": "effective.wsl.pull_status",
            "version": 1,
            "time": "2026-12-01T08:02:11Z",
            "started": "2026-12-01T08:01:40Z",
            "distro": "Ubuntu",
            "ref": "v1.4.0",
            "commit": "0" * 40,
            "result": "changed",
            "ok": 20,
            "changed": 2,
            "failed": 0,
            "failures": [],
            "restart": {
                "required": "distro_terminate",
                "command": ["wsl.exe", "--terminate", "Ubuntu"],
                "policy": "auto",
            },
            "facts": {
                "networking_mode": "nat",
                "wsl_version": 2,
                "kernel": "6.6.87.2-microsoft-standard-WSL2",
                "windows_host_address": "172.24.208.1",
                "dns_tunneling": True,
            },
        }

    @pytest.mark.parametrize(
        ("stats", "result"),
        [({"ok": 3}, "ok"), ({"ok": 3, "changed": 1}, "changed"), ({"ok": 3, "changed": 1, "failed": 1}, "failed")],
    )
    def test_result(self, stats, result):
        assert record(stats=stats)["result"] == result

    def test_shutdown_covers_terminate(self):
        assert record(restarts=["distro_terminate", "wsl_shutdown", None])["restart"]["command"] == [
            "wsl.exe",
            "--shutdown",
        ]

    def test_no_restart(self):
        assert record(restarts=[])["restart"] == {"required": "none", "command": [], "policy": "auto"}

    def test_bad_policy_names_the_value(self):
        with pytest.raises(StatusError, match=r"restart_policy: 'now' is not allowed; expected one of auto, never"):
            record(restart_policy="now")

    def test_unknown_restart_kind(self):
        with pytest.raises(StatusError, match="unknown restart kind 'reboot'"):
            record(restarts=["reboot"])

    def test_no_facts_gives_nulls(self):
        assert set(record(facts=None)["facts"].values()) == {None}

    def test_commit_that_is_not_a_hash_is_dropped(self):
        assert record(commit="ref: refs/heads/main")["commit"] is None

    def test_failures_are_capped_and_messages_shortened(self):
        failures = [failure_entry("localhost", f"task {n}", "x" * 1000) for n in range(9)]
        built = record(failures=failures, stats={"failed": 9})
        assert len(built["failures"]) == 5
        assert len(built["failures"][0]["msg"]) == 300 and built["failures"][0]["msg"].endswith("…")

    def test_failure_message_of_a_dict_is_json_on_one_line(self):
        assert failure_entry("h", "t", {"a": "b\nc"})["msg"] == '{"a": "b\\nc"}'


class TestNames:
    def test_status_file_name(self):
        assert status_file_name("Ubuntu-24.04") == "status-Ubuntu-24.04.json"
        assert status_file_name("a/b c") == "status-a_b_c.json"

    def test_empty_distro(self):
        with pytest.raises(StatusError, match="WSL_DISTRO_NAME is not set"):
            status_file_name("")

    @pytest.mark.parametrize(
        ("value", "root", "expected"),
        [
            ("C:\\Users\\alice\\AppData\\Local\\pull", "/mnt/", "/mnt/c/Users/alice/AppData/Local/pull"),
            ("D:/status", "/", "/d/status"),
            ("/srv/status", "/mnt/", "/srv/status"),
        ],
    )
    def test_status_dir(self, value, root, expected):
        assert resolve_status_dir(value, root) == expected

    def test_status_dir_unusable(self):
        with pytest.raises(StatusError, match="status_dir: "):
            resolve_status_dir("relative\\dir")


class TestParse:
    def test_round_trip(self):
        parsed, notes = parse_record(dump_record(record()), "status-Ubuntu.json")
        assert notes == []
        assert parsed["restart"] == {
            "required": "distro_terminate",
            "command": ["wsl.exe", "--terminate", "Ubuntu"],
            "policy": "auto",
        }
        assert (parsed["result"], parsed["changed"], parsed["facts"]["networking_mode"]) == ("changed", 2, "nat")

    def test_utf8_bom_is_accepted(self):
        parsed, _notes = parse_record(b"\xef\xbb\xbf" + dump_record(record()), "x")
        assert parsed["distro"] == "Ubuntu"

    def test_newer_version_is_read_with_a_note(self):
        newer = record() | {"version": 2, "future": {"x": 1}}
        parsed, notes = parse_record(dump_record(newer), "status-Ubuntu.json")
        assert parsed["ok"] == 20
        assert notes == ["status-Ubuntu.json: version 2 is newer than this reader (1); unknown fields are ignored"]

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"format": "other"}, "format is 'other', expected 'effective.wsl.pull_status'"),
            ({"version": "1"}, "version is '1', expected an integer from 1"),
            ({"time": "yesterday"}, "time is 'yesterday', expected an ISO 8601 UTC time"),
            ({"result": "meh"}, "result is 'meh', expected one of ok, changed, failed"),
            ({"changed": -1}, "changed is -1, expected a count"),
            ({"failed": True}, "failed is True, expected a count"),
            ({"restart": {"required": "reboot"}}, "restart is .* expected an object with required"),
        ],
    )
    def test_bad_field_names_it(self, change, message):
        with pytest.raises(StatusError, match="^status-x.json: " + message):
            parse_record(dump_record(record() | change), "status-x.json")

    def test_not_json(self):
        with pytest.raises(StatusError, match=r"^s\.json: not a JSON document"):
            parse_record(b"{half", "s.json")

    def test_too_big(self):
        with pytest.raises(StatusError, match="more than a status record can be"):
            parse_record(b" " * 70000, "s.json")


class TestInterpret:
    def test_nothing_read(self):
        assert interpret_pull(None) is None

    def test_pending_restart_reported_with_the_reason(self):
        blocked = runner(restart={"action": "deferred", "commands": [], "reason": "another WSL session is active"})
        pull = interpret_pull(
            {"dir": "C:\\x", "files": [as_file("status-Ubuntu.json", record()), as_file("runner.json", blocked)]}
        )
        assert pull["pending_restart"] == "distro_terminate"
        assert pull["restart_not_run_because"] == "another WSL session is active"
        assert pull["distros"][0]["restart"]["pending"] is True
        assert (pull["last_run"], pull["failed"], pull["notes"]) == ("2026-12-01T08:02:11Z", False, [])

    def test_restart_run_by_the_task_after_the_record_is_not_pending(self):
        ran = runner(restart={"action": "ran", "commands": ["wsl.exe --terminate Ubuntu"], "exit_code": 0})
        pull = interpret_pull({"files": [as_file("status-Ubuntu.json", record()), as_file("runner.json", ran)]})
        assert pull["pending_restart"] == "none"
        assert pull["distros"][0]["restart"]["pending"] is False

    def test_a_failed_restart_stays_pending(self):
        ran = runner(restart={"action": "ran", "commands": ["wsl.exe --terminate Ubuntu"], "exit_code": 1})
        pull = interpret_pull({"files": [as_file("status-Ubuntu.json", record()), as_file("runner.json", ran)]})
        assert pull["pending_restart"] == "distro_terminate"

    def test_a_shutdown_covers_every_distro(self):
        ran = runner(restart={"action": "ran", "commands": ["wsl.exe --shutdown"], "exit_code": 0})
        files = [
            as_file("status-Ubuntu.json", record()),
            as_file("status-Debian.json", record(distro="Debian", restarts=["wsl_shutdown"])),
            as_file("runner.json", ran),
        ]
        assert interpret_pull({"files": files})["pending_restart"] == "none"

    def test_pending_restarts_merge(self):
        files = [
            as_file("status-Ubuntu.json", record()),
            as_file("status-Debian.json", record(distro="Debian", restarts=["wsl_shutdown"])),
        ]
        pull = interpret_pull({"files": files})
        assert pull["pending_restart"] == "wsl_shutdown"
        assert [d["distro"] for d in pull["distros"]] == ["Debian", "Ubuntu"]

    def test_a_run_that_never_reported_is_a_failure(self):
        silent = runner(distros=[{"name": "Ubuntu", "exit_code": 2}])
        old = record(finished=T0 - timedelta(days=1))
        pull = interpret_pull({"files": [as_file("status-Ubuntu.json", old), as_file("runner.json", silent)]})
        assert pull["failed"] is True
        assert pull["distros"][0]["failures"][0]["msg"].startswith("wsl.exe ended with exit code 2")
        assert "the pull in Ubuntu ended with exit code 2 and wrote no status" in pull["notes"][0]

    def test_a_failed_run_that_reported_keeps_its_record(self):
        reported = runner(distros=[{"name": "Ubuntu", "exit_code": 2}])
        failed = record(stats={"ok": 1, "failed": 1}, failures=[failure_entry("localhost", "t", "boom")])
        pull = interpret_pull({"files": [as_file("status-Ubuntu.json", failed), as_file("runner.json", reported)]})
        assert pull["distros"][0]["failures"] == [{"host": "localhost", "task": "t", "msg": "boom"}]
        assert pull["notes"] == []

    def test_broken_files_are_notes_not_errors(self):
        files = [
            as_file("status-Ubuntu.json", b"\x00\x01"),
            {"name": "status-Debian.json", "content_base64": "***"},
            as_file("notes.json", b"{}"),
        ]
        pull = interpret_pull({"files": files})
        assert pull["distros"] == [] and pull["last_run"] is None
        assert pull["notes"] == [
            "status-Ubuntu.json: not a JSON document (Expecting value: line 1 column 1 (char 0))",
            "status-Debian.json: the content is not base64",
        ]


class TestFiles:
    def test_write_is_atomic_and_leaves_no_temporary(self, tmp_path):
        path = tmp_path / "a" / "status-Ubuntu.json"
        write_record(str(path), b"one")
        write_record(str(path), b"two")
        assert path.read_bytes() == b"two"
        assert os.listdir(path.parent) == ["status-Ubuntu.json"]

    def test_concurrent_writers_leave_one_whole_record(self, tmp_path):
        path = str(tmp_path / "status-Ubuntu.json")
        documents = [dump_record(record(stats={"ok": n})) for n in range(8)]
        threads = [threading.Thread(target=write_record, args=(path, data)) for data in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with open(path, "rb") as handle:
            assert handle.read() in documents
        assert sorted(os.listdir(tmp_path)) == ["status-Ubuntu.json"]

    def test_failed_write_removes_its_temporary(self, tmp_path, monkeypatch):
        def refuse(*_args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(OSError):
            write_record(str(tmp_path / "s.json"), b"x")
        assert os.listdir(tmp_path) == []

    def test_git_head(self, tmp_path):
        git = tmp_path / ".git"
        (git / "refs" / "heads").mkdir(parents=True)
        commit = "a" * 40
        (git / "HEAD").write_text(commit + "\n")
        assert git_head(str(tmp_path)) == commit
        (git / "HEAD").write_text("ref: refs/heads/main\n")
        (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{'b' * 40} refs/heads/main\n")
        assert git_head(str(tmp_path)) == "b" * 40
        (git / "refs" / "heads" / "main").write_text("c" * 40 + "\n")
        assert git_head(str(tmp_path)) == "c" * 40
        assert git_head(str(tmp_path / "missing")) is None

    def test_dump_is_stable_json(self):
        assert json.loads(dump_record(record())) == record()
        assert dump_record(record()) == dump_record(record())
