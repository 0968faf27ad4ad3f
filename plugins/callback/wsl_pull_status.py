# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the pull status record of an ansible-pull run into the Windows user's profile."""

from __future__ import annotations

DOCUMENTATION = r"""
name: wsl_pull_status
type: notification
short_description: write the status record of an C(ansible-pull) run to the Windows user's profile
version_added: 0.1.0
description:
  - Used by the role C(effective.wsl.wsl_pull), whose scheduled task runs C(ansible-pull) inside each listed distro
    with this callback enabled. At the end of the run it writes one small JSON record (time, ref, commit, counts
    of ok/changed/failed tasks, the first failures, the WSL restart the run leaves to the task, a summary of the
    distro's WSL facts) to C(status-<distro>.json) in O(status_dir), atomically.
  - The restart is taken from C(effective.wsl.wsl_restart) results that were deferred or skipped, and from
    C(effective.wsl.wsl_config) changes whose restart handler never reported (a failed play).
  - A run in check mode writes nothing, because the record describes the state of the distro, not a preview.
  - C(effective.wsl.wsl_host_facts) reads these records over WinRM (C(ansible_facts.wsl_host.pull)).
requirements:
  - enable it, for example with E(ANSIBLE_CALLBACKS_ENABLED=effective.wsl.wsl_pull_status)
options:
  status_dir:
    description:
      - The directory of the records, as a Windows path (translated under the distro's automount root, read from
        C(/etc/wsl.conf)) or as an absolute Linux path.
      - Unset, the callback writes nothing and says so.
    type: str
    env:
      - name: EFFECTIVE_WSL_PULL_STATUS_DIR
  ref:
    description: The ref the run was asked to check out (recorded as given; the commit is read from the checkout).
    type: str
    env:
      - name: EFFECTIVE_WSL_PULL_REF
  restart_policy:
    description: What the scheduled task may do with the restart the run needs, recorded with it.
    type: str
    choices: [auto, never]
    default: auto
    env:
      - name: EFFECTIVE_WSL_PULL_RESTART_POLICY
  distro:
    description: The distro name; default E(WSL_DISTRO_NAME).
    type: str
    env:
      - name: EFFECTIVE_WSL_PULL_DISTRO
"""

import os
from datetime import datetime, timezone

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.effective.wsl.plugins.module_utils._winpath import DEFAULT_AUTOMOUNT_ROOT
from ansible_collections.effective.wsl.plugins.module_utils._wslconf import effective_settings
from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import (
    StatusError,
    build_record,
    dump_record,
    failure_entry,
    git_head,
    resolve_status_dir,
    status_file_name,
    write_record,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._restart import RestartRecord

WSL_CONF = "/etc/wsl.conf"
RESTART_ACTIONS = frozenset({"effective.wsl.wsl_restart", "wsl_restart"})
CONFIG_ACTIONS = frozenset({"effective.wsl.wsl_config", "wsl_config"})


def automount_root(wsl_conf: str = WSL_CONF) -> str:
    try:
        with open(wsl_conf, encoding="utf-8", errors="surrogateescape") as handle:
            text = handle.read()
    except OSError:
        return DEFAULT_AUTOMOUNT_ROOT
    return effective_settings(text, "wslconf").get("automount", {}).get("root") or DEFAULT_AUTOMOUNT_ROOT


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "effective.wsl.wsl_pull_status"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._started = datetime.now(timezone.utc)
        self._checkout = None
        self._failures: list[dict] = []
        self._wsl_facts = None
        self._config_restarts: list[str] = []
        self._deferred_restarts: list[str] = []
        self._restart_decided = False

    def v2_playbook_on_start(self, playbook):
        self._checkout = getattr(playbook, "_basedir", None)

    def v2_runner_on_ok(self, result):
        data = result._result
        facts = data.get("ansible_facts") or {}
        if isinstance(facts.get("wsl"), dict) and facts["wsl"].get("is_wsl"):
            self._wsl_facts = facts["wsl"]
        action = result._task.action
        if action in CONFIG_ACTIONS and data.get("changed") and data.get("restart_required"):
            self._config_restarts.append(data["restart_required"])
        if action in RESTART_ACTIONS and isinstance(data.get("record"), dict):
            self._restart_decided = True
            record = RestartRecord.from_dict(data["record"])
            if record.pending:  # deferred, skipped, or run without success
                self._deferred_restarts.append(record.restart)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._failed(result)

    def v2_runner_on_unreachable(self, result):
        self._failed(result)

    def _failed(self, result):
        entry = failure_entry(result._host.get_name(), result._task.get_name(), result._result.get("msg"))
        self._failures.append(entry)

    def v2_playbook_on_stats(self, stats):
        if context.CLIARGS.get("check"):
            self._display.display("wsl_pull_status: check mode, no status record written")
            return
        if not self.get_option("status_dir"):
            self._display.warning("wsl_pull_status: status_dir is not set (EFFECTIVE_WSL_PULL_STATUS_DIR): no record")
            return
        totals = {"ok": 0, "changed": 0, "failed": 0}
        for host in stats.processed:
            summary = stats.summarize(host)
            totals["ok"] += summary["ok"]
            totals["changed"] += summary["changed"]
            totals["failed"] += summary["failures"] + summary["unreachable"]
        failures = self._failures if totals["failed"] else []  # the failures a rescue block handled
        restarts = self._deferred_restarts if self._restart_decided else self._config_restarts
        distro = self.get_option("distro") or os.environ.get("WSL_DISTRO_NAME") or ""
        try:
            path = os.path.join(
                resolve_status_dir(self.get_option("status_dir"), automount_root()), status_file_name(distro)
            )
            record = build_record(
                started=self._started,
                finished=datetime.now(timezone.utc),
                distro=distro,
                ref=self.get_option("ref"),
                commit=git_head(self._checkout) if self._checkout else None,
                stats=totals,
                failures=failures,
                restarts=restarts,
                restart_policy=self.get_option("restart_policy"),
                facts=self._wsl_facts,
            )
            write_record(path, dump_record(record))
        except (StatusError, OSError) as error:
            self._display.warning(f"wsl_pull_status: no status record written: {error}")
            return
        self._display.display(f"wsl_pull_status: {record['result']}, restart {record['restart']['required']} -> {path}")
