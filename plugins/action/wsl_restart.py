# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_restart: decide on the controller, run wsl.exe on the target, record it."""

from __future__ import annotations

import os
import socket
import time
from dataclasses import replace

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.module_utils._wslfacts import read_text
from ansible_collections.effective.wsl.plugins.plugin_utils._restart import (
    ACTION_DEFER,
    ACTION_NONE,
    ACTION_RUN,
    ACTION_SKIP,
    CONNECTION_INTEROP,
    CONNECTION_LOCAL,
    CONNECTION_REMOTE,
    CUT_OFF_CONTROLLER,
    OUTCOME_CONNECTION_CLOSED,
    OUTCOME_FAILED,
    OUTCOME_RAN,
    POLICY_AUTO,
    POLICY_CHOICES,
    POLICY_NOW,
    RESTART_CHOICES,
    WSL_EXE_ENV_LINUX,
    WSL_EXE_ENV_WINDOWS,
    WSL_MSI_KEY,
    WSL_MSI_VALUE,
    ControllerContext,
    RestartInputError,
    RestartRecord,
    RestartRequest,
    TargetContext,
    append_record,
    canonical_address,
    controller_in_wsl,
    decode_wsl_output,
    default_gateways_from_proc_net_route,
    local_addresses_from_proc,
    plan_restart,
    records_from,
    requests_from_changes,
    summarize,
    windows_wsl_exe,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import is_windows_connection

RECORDS_FACT = "wsl_restart_records"
LOCAL_TRANSPORTS = ("local", "ansible.builtin.local")

ARGUMENT_SPEC = {
    "required": {"type": "list", "elements": "str", "default": [], "choices": list(RESTART_CHOICES)},
    "changes": {"type": "list", "elements": "raw", "default": []},
    "distro": {"type": "str"},
    "policy": {"type": "str", "default": POLICY_AUTO, "choices": list(POLICY_CHOICES)},
    "windows_user": {"type": "str"},
    "windows_host": {"type": "str"},
    "windows_host_addresses": {"type": "list", "elements": "str", "default": []},
    "summarize": {"type": "bool", "default": False},
    "validate": {"type": "bool", "default": False},
    "report": {"type": "bool", "default": False},
}


def resolve(name: str | None) -> frozenset[str]:
    """Every address ``name`` resolves to on the controller; empty when it does not resolve."""
    if not name:
        return frozenset()
    try:
        infos = socket.getaddrinfo(name.strip("[]"), None)
    except (OSError, UnicodeError):
        return frozenset()
    return frozenset(canonical_address(str(info[4][0])) for info in infos)


def run_id() -> str:
    """The ansible-playbook process (workers are forked from it) and its start time: one value per run."""
    parent = os.getppid()
    stat = read_text(f"/proc/{parent}/stat") or ""
    # Field 22 (start time) counts from the end of the command name, which may contain spaces.
    fields = stat.rpartition(")")[2].split()
    return f"{parent}-{fields[19]}" if len(fields) > 19 else str(parent)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        check_mode = bool(self._task.check_mode)
        prefix = "Check mode, nothing was run. " if check_mode else ""

        if args["summarize"]:
            summary = summarize(self._records_of_run(task_vars), run_id())
            result.update(
                changed=False,
                restart=summary.restart,
                action=summary.action,
                pending=[item.as_dict() for item in summary.pending],
                ran=[item.as_dict() for item in summary.ran],
                msg=prefix + summary.msg,
            )
            return result

        controller = self._controller_context(args["windows_host_addresses"])
        result["controller_in_wsl"] = controller.in_wsl
        required, why = requests_from_changes(args["changes"])
        request = RestartRequest(tuple(args["required"]) + required, args["distro"], args["windows_user"], why)
        target = self._target_context(task_vars, args["windows_host"])
        try:
            record = plan_restart(request, args["policy"], controller, target)
            if record.action == ACTION_RUN and target.is_windows:
                record = plan_restart(
                    request, args["policy"], controller, target, wsl_exe=self._windows_wsl_exe(task_vars)
                )
        except (RestartInputError, LookupError) as exc:
            result.update(failed=True, msg=str(exc))
            return result

        result.update(self._record_result(record))
        if args["validate"] or record.action == ACTION_NONE:
            if args["validate"]:
                result["msg"] = f"The restart can be planned: {record.msg}"
            result["changed"] = False
            return result
        if args["policy"] == POLICY_NOW and record.action != ACTION_RUN:
            result["warnings"] = [f"Restart policy 'now' could not run the restart: {record.reason}."]

        record = replace(record, check_mode=check_mode)
        if record.action == ACTION_RUN and not check_mode:
            outcome = self._run_wsl_exe(record, target, task_vars)
            result.update(outcome)
            if outcome.get("failed"):
                record = replace(record, outcome=OUTCOME_FAILED, reason=f"wsl.exe failed: {outcome['msg']}")
            else:
                connection_closed = outcome.get("connection_closed")
                record = replace(record, outcome=OUTCOME_CONNECTION_CLOSED if connection_closed else OUTCOME_RAN)
        existing = (task_vars.get("ansible_facts") or {}).get(RECORDS_FACT) or []
        records = append_record(existing, record, run_id(), time.time_ns())
        result["record"] = records[-1]
        result["ansible_facts"] = {RECORDS_FACT: records}
        result["changed"] = record.action == ACTION_RUN and record.outcome != OUTCOME_FAILED
        if check_mode:
            result["msg"] = (
                f"Check mode: would run {record.command_line} {record.run_on}."
                if record.action == ACTION_RUN
                else f"Check mode, nothing was changed. If applied: {record.msg}"
            )
        if args["report"] and record.action in (ACTION_DEFER, ACTION_SKIP):
            result["warnings"] = [*result.get("warnings", []), result["msg"]]
        return result

    # --- what the controller knows -------------------------------------------------------------------------

    def _controller_context(self, windows_host_addresses: list[str]) -> ControllerContext:
        addresses = set(default_gateways_from_proc_net_route(read_text("/proc/net/route")))
        addresses |= local_addresses_from_proc(read_text("/proc/net/fib_trie"), read_text("/proc/net/if_inet6"))
        for given in windows_host_addresses:
            addresses.add(canonical_address(given))
            addresses |= resolve(given)
        return ControllerContext(
            in_wsl=controller_in_wsl(read_text("/proc/version"), os.environ),
            distro_name=os.environ.get("WSL_DISTRO_NAME") or None,
            windows_host_addresses=frozenset(addresses),
            windows_host_names=frozenset({socket.gethostname()}),
        )

    def _target_context(self, task_vars: dict, windows_host: str | None) -> TargetContext:
        is_windows = is_windows_connection(self._connection)
        names = {str(self._connection.transport), str(getattr(self._connection, "_load_name", "") or "")}
        if names & set(LOCAL_TRANSPORTS):
            connection = CONNECTION_LOCAL
        elif any(name.rsplit(".", 1)[-1] == "interop" for name in names):
            connection = CONNECTION_INTEROP
        else:
            connection = CONNECTION_REMOTE
        address = self._option("remote_addr") or task_vars.get("ansible_host") or task_vars.get("inventory_hostname")
        user = self._option("remote_user") or task_vars.get("ansible_user")
        facts = task_vars.get("ansible_facts") or {}
        wsl_facts = facts.get("wsl") if isinstance(facts.get("wsl"), dict) else {}
        return TargetContext(
            is_windows=is_windows,
            connection=connection,
            name=task_vars.get("inventory_hostname"),
            address=str(address) if address else None,
            resolved_addresses=resolve(str(address)) if address and connection == CONNECTION_REMOTE else frozenset(),
            connection_user=str(user) if user else None,
            distro_name=wsl_facts.get("distro_name"),
            windows_host=windows_host or None,
        )

    def _option(self, name: str):
        try:
            return self._connection.get_option(name)
        except (KeyError, AnsibleError):  # an option this connection plugin does not have
            return None

    def _records_of_run(self, task_vars: dict) -> list[RestartRecord]:
        hostvars = task_vars.get("hostvars")
        if hostvars is None:
            return []
        names = list(hostvars)
        # The implicit localhost (hosts: localhost without an inventory entry) is not in the inventory's host list.
        if "localhost" not in names:
            names.append("localhost")
        records = []
        for name in names:
            variables = hostvars.raw_get(name) if hasattr(hostvars, "raw_get") else hostvars.get(name)
            if not isinstance(variables, dict):
                continue
            facts = variables.get("ansible_facts") or {}
            records += records_from(facts.get(RECORDS_FACT) or variables.get(RECORDS_FACT) or [])
        return records

    def _record_result(self, record: RestartRecord) -> dict:
        return {
            "restart": record.restart,
            "action": record.action,
            "command": list(record.argv),
            "command_line": record.command_line,
            "controller_affected": CUT_OFF_CONTROLLER in record.cut_off,
            "cut_off": list(record.cut_off),
            "reason": record.reason,
            "windows_host": record.windows_host,
            "windows_user": record.windows_user,
            "msg": record.msg,
        }

    # --- running wsl.exe -----------------------------------------------------------------------------------

    def _windows_wsl_exe(self, task_vars: dict) -> str:
        host_facts = (task_vars.get("ansible_facts") or {}).get("wsl_host")
        known = host_facts.get("wsl_exe_path") if isinstance(host_facts, dict) else None
        if isinstance(known, str) and known.strip():
            return known.strip() if known.strip().lower().endswith(".exe") else windows_wsl_exe(known)
        found = self._execute_module(
            module_name="ansible.windows.win_reg_stat",
            module_args={"path": WSL_MSI_KEY, "name": WSL_MSI_VALUE},
            task_vars=task_vars,
        )
        if found.get("failed"):
            raise LookupError(f"could not read {WSL_MSI_KEY}\\{WSL_MSI_VALUE}: {found.get('msg', 'no reason given')}")
        value = found.get("value") if found.get("exists") else None
        return windows_wsl_exe(value if isinstance(value, str) else None)

    def _run_wsl_exe(self, record: RestartRecord, target: TargetContext, task_vars: dict) -> dict:
        module = "ansible.windows.win_command" if target.is_windows else "ansible.builtin.command"
        # Ask for UTF-8 output (microsoft/WSL src/windows/common/WslClient.cpp, WSL_UTF8); decode_wsl_output still
        # copes with UTF-16LE (inbox WSL).
        if not isinstance(self._task.environment, list):
            self._task.environment = [self._task.environment] if self._task.environment else []
        self._task.environment.append(WSL_EXE_ENV_WINDOWS if target.is_windows else WSL_EXE_ENV_LINUX)
        try:
            module_result = self._execute_module(
                module_name=module, module_args={"argv": list(record.argv)}, task_vars=task_vars
            )
        except AnsibleConnectionFailure as exc:
            if record.cut_off:
                return {"msg": f"{record.msg} Connection closed as expected: {exc}", "connection_closed": True}
            raise
        finally:
            self._task.environment.pop()
        outcome = {
            "rc": module_result.get("rc"),
            "stdout": decode_wsl_output(module_result.get("stdout")),
            "stderr": decode_wsl_output(module_result.get("stderr")),
        }
        if module_result.get("failed") or module_result.get("rc"):
            detail = outcome["stderr"].strip() or outcome["stdout"].strip() or module_result.get("msg", "")
            outcome.update(failed=True, msg=f"{record.command_line} failed (rc={outcome['rc']}): {detail}")
        return outcome
