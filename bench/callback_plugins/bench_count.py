# Benchmark helper (bench/), not part of the collection.
"""Count module executions and remote commands per host, and time each task where it runs."""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import resource
import time

from ansible.executor.task_executor import TaskExecutor
from ansible.executor.task_queue_manager import FinalQueue
from ansible.plugins.action import ActionBase
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_count
type: aggregate
short_description: count module executions, remote commands and file transfers per host and task
description:
  - Used by C(bench/bench.py) only. A callback sees tasks, not module executions; an action plugin such as
    C(copy) or C(wsl_config) may run several modules for one task. So, when this callback is loaded (before
    Ansible forks its workers), it wraps three methods of C(ActionBase) - C(_execute_module) (every module
    execution, including those an action plugin runs internally, such as C(stat) inside C(copy)),
    C(_low_level_execute_command) (every command sent over the connection, such as temp dirs, chmod, the module
    run itself and clean-up, with its wall time) and C(_transfer_file) (every file put on the target).
  - Each worker appends one JSON line per event to the file named by E(BENCH_RECORD_FILE), and one line per task
    with the wall time of C(TaskExecutor.run) and the CPU time of the worker process up to sending its result and of
    the commands it started (the target side).
  - With E(BENCH_FAKE_WINDOWS) set to a JSON state file, module executions, commands, file transfers and
    temporary directories are answered by C(bench/fakewin.py) instead of a Windows host, so the real roles and
    action plugins can be counted without Windows.
requirements:
  - environment variable E(BENCH_RECORD_FILE)
"""

_RECORD_FILE = os.environ.get("BENCH_RECORD_FILE")
_FAKE_WINDOWS_STATE = os.environ.get("BENCH_FAKE_WINDOWS")
# Set in each forked worker by the TaskExecutor.run wrapper: which host and task the events belong to.
_current = {"host": None, "task": None}


def _append(record: dict) -> None:
    if not _RECORD_FILE:
        return
    line = (json.dumps(record, default=str) + "\n").encode()
    descriptor = os.open(_RECORD_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def _event(kind: str, name: str, **extra) -> None:
    _append({"event": kind, "name": name, "host": _current["host"], "task": _current["task"], **extra})


def _load_fake_windows():
    path = pathlib.Path(__file__).resolve().parent.parent / "fakewin.py"
    spec = importlib.util.spec_from_file_location("bench_fakewin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeWindows(_FAKE_WINDOWS_STATE)


def _install_wrappers() -> None:
    if getattr(ActionBase, "_bench_count_installed", False):
        return
    ActionBase._bench_count_installed = True
    real_execute_module = ActionBase._execute_module
    real_low_level = ActionBase._low_level_execute_command
    real_transfer_file = ActionBase._transfer_file
    real_task_run = TaskExecutor.run
    real_send_task_result = FinalQueue.send_task_result
    fake_windows = _load_fake_windows() if _FAKE_WINDOWS_STATE else None

    def execute_module(self, module_name=None, module_args=None, *args, **kwargs):
        name = module_name or self._task.action
        _event("module", name)
        if fake_windows is not None:
            return fake_windows.execute_module(self, name, module_args if module_args is not None else self._task.args)
        return real_execute_module(self, module_name, module_args, *args, **kwargs)

    def low_level_execute_command(self, cmd, *args, **kwargs):
        name = cmd.split(" ", 1)[0] if isinstance(cmd, str) else "?"
        if fake_windows is not None:
            _event("command", name)
            return fake_windows.execute_command(self, cmd)
        started = time.perf_counter()
        try:
            return real_low_level(self, cmd, *args, **kwargs)
        finally:
            _event("command", name, wall=time.perf_counter() - started)

    def transfer_file(self, local_path, remote_path):
        _event("transfer", os.path.basename(str(remote_path)))
        if fake_windows is not None:
            return fake_windows.transfer_file(self, local_path, remote_path)
        return real_transfer_file(self, local_path, remote_path)

    def task_run(self):
        _current["host"] = self._host.get_name()
        _current["task"] = self._task.get_name()
        _current["action"] = self._task.action
        started = time.perf_counter()
        try:
            return real_task_run(self)
        finally:
            _current["wall"] = time.perf_counter() - started

    def send_task_result(self, *args, **kwargs):  # (task_result) up to 2.19, (host, task, utr) from 2.21
        # Called once in each forked worker (one host, one task), just before the main process learns that the task
        # is done; written here, the record cannot be lost when the main process ends the run and its workers.
        # The worker's own CPU is controller work, its children's CPU (the commands it ran) is what the target spends.
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        _append(
            {
                "event": "task",
                "host": _current["host"],
                "task": _current["task"],
                "action": _current.get("action"),
                "wall": _current.get("wall"),
                "worker_cpu": own.ru_utime + own.ru_stime,
                "target_cpu": children.ru_utime + children.ru_stime,
            }
        )
        return real_send_task_result(self, *args, **kwargs)

    def make_tmp_path(self, remote_user=None):
        _event("command", "mkdtemp")
        return fake_windows.make_tmp_path(self)

    def remove_tmp_path(self, tmp_path, force=False):
        if tmp_path:
            _event("command", "rmtree")

    if fake_windows is not None:
        ActionBase._make_tmp_path = make_tmp_path
        ActionBase._remove_tmp_path = remove_tmp_path
    ActionBase._execute_module = execute_module
    ActionBase._low_level_execute_command = low_level_execute_command
    ActionBase._transfer_file = transfer_file
    TaskExecutor.run = task_run
    FinalQueue.send_task_result = send_task_result


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_count"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _install_wrappers()

    def _result(self, result, status):
        changed = bool(result.result.get("changed", False))
        _append(
            {
                "event": "result",
                "host": result.host.get_name(),
                "task": result.task.get_name(),
                "action": result.task.action,
                "status": "changed" if status == "ok" and changed else status,
                "msg": result.result.get("msg") if status in ("failed", "unreachable") else None,
            }
        )

    def v2_runner_on_ok(self, result):
        self._result(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._result(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._result(result, "unreachable")
