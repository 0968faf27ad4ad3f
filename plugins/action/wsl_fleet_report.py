# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_fleet_report: build the report on the controller and write its two files."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.plugin_utils._fleetreport import ReportError, build_report, render_html
from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import write_record

ARGUMENT_SPEC = {
    "hosts": {"type": "list", "elements": "str", "required": True},
    "result_var": {"type": "str", "default": "wsl_fleet_facts"},
    "html": {"type": "path", "required": True},
    "json": {"type": "path", "required": True},
    "stale_after_days": {"type": "int", "default": 7},
    "title": {"type": "str", "default": "WSL fleet report"},
}


def _plain(value):
    """Registered results as plain dicts and lists (hostvars hand out Ansible's own container types)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        hostvars = task_vars.get("hostvars") or {}
        results = {}
        for host in args["hosts"]:
            variables = hostvars.raw_get(host) if hasattr(hostvars, "raw_get") and host in hostvars else {}
            registered = variables.get(args["result_var"]) if isinstance(variables, Mapping) else None
            results[host] = _plain(registered) if isinstance(registered, Mapping) else None
        try:
            report = build_report(args["hosts"], results, datetime.now(timezone.utc), args["stale_after_days"])
        except ReportError as error:
            result.update(failed=True, msg=str(error))
            return result
        html = render_html(report, args["title"])
        summary = report["summary"]
        result.update(
            changed=True,
            html=args["html"],
            json=args["json"],
            summary=summary,
            msg=f"{summary['hosts']} hosts: "
            + ", ".join(f"{count} {state}" for state, count in summary["states"].items() if count),
        )
        if self._task.check_mode:
            result["msg"] = f"Check mode, nothing written. {result['msg']}"
            return result
        try:
            write_record(args["json"], (json.dumps(report, indent=1, sort_keys=True) + "\n").encode("utf-8"))
            write_record(args["html"], html.encode("utf-8"))
        except OSError as error:
            result.update(failed=True, msg=f"cannot write the report: {error.strerror}: {error.filename or ''}")
            return result
        os.chmod(args["html"], 0o644)
        os.chmod(args["json"], 0o644)
        return result
