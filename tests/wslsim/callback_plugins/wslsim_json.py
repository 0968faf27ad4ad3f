# Test helper of the WSL simulator (tests/wslsim), not part of the collection.
"""Record every task result of a playbook run as JSON, for tests/wslsim/wslsim.py."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: wslsim_json
type: aggregate
short_description: write every task result and the play recap to a JSON file
description:
  - Used by the WSL simulator's C(Simulator.playbook()) helper (ansible-core 2.16 and later; 2.19 has no json
    callback).
  - The file named by the environment variable E(WSLSIM_RESULTS_FILE) is rewritten after each task result,
    so a run that aborts still leaves the results gathered so far.
requirements:
  - environment variable E(WSLSIM_RESULTS_FILE)
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "wslsim_json"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("WSLSIM_RESULTS_FILE")
        self._document = {"plays": [], "tasks": [], "stats": {}}

    def _flush(self):
        if not self._path:
            return
        tmp_path = f"{self._path}.tmp"
        with open(tmp_path, "w", encoding="utf-8") as handle:
            json.dump(self._document, handle, default=str, indent=1)
        os.replace(tmp_path, self._path)

    def v2_playbook_on_play_start(self, play):
        self._document["plays"].append(play.get_name())
        self._flush()

    def _record(self, result, status):
        if hasattr(result, "warnings"):  # ansible-core 2.19 and later: a CallbackTaskResult with structured events
            data, task, host = dict(result.result), result.task, result.host
            data["warnings"] = [warning.event.msg for warning in result.warnings]
            data["deprecations"] = [deprecation.event.msg for deprecation in result.deprecations]
        else:  # ansible-core 2.16 to 2.18: the result dict holds warnings as strings, deprecations as dicts
            data, task, host = dict(result._result), result._task, result._host
            data["warnings"] = [str(warning) for warning in data.get("warnings", [])]
            data["deprecations"] = [
                item.get("msg", str(item)) if isinstance(item, dict) else str(item)
                for item in data.get("deprecations", [])
            ]
        data["changed"] = bool(data.get("changed", False))
        data["failed"] = status in ("failed", "unreachable") or bool(data.get("failed", False))
        data["skipped"] = status == "skipped"
        self._document["tasks"].append(
            {
                # The plain task name: ansible-core 2.21 prefixes task_name with the role ("ns.coll.role : name").
                "task": task.name or result.task_name,
                "action": task.action,
                "host": host.get_name(),
                "status": "changed" if status == "ok" and data["changed"] else status,
                "ignore_errors": bool(task.ignore_errors),
                "result": data,
            }
        )
        self._flush()

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        for host in sorted(stats.processed):
            self._document["stats"][host] = stats.summarize(host)
        self._flush()
