# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_config: validate everything, then let the target read and write.

Every input is validated here before the first module runs. On a Linux target the Python module of the
same name runs once: it reads, decides with the same engine and writes under a lock. On a Windows target
wsl_config_windows reports the file, the engine decides here, and wsl_config_windows writes the new bytes only
if the file still has the SHA-256 that was read (compare-and-swap); otherwise the decision is made again on
what it found. (A wsl_config.ps1 would shadow the Python module on local connections, which match modules by
name without an extension.)
"""

from __future__ import annotations

import base64
import hashlib
import ntpath
import posixpath
import re

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.module_utils._wslconfspec import ARGUMENT_SPEC as MODULE_SPEC
from ansible_collections.effective.wsl.plugins.module_utils._wslconfspec import ATTEMPTS, LINUX_DEFAULT_PATH
from ansible_collections.effective.wsl.plugins.plugin_utils._module_results import failure_detail
from ansible_collections.effective.wsl.plugins.plugin_utils._windows_action import is_windows_connection

# The module's options; settings is checked by validate_settings, for a clearer message.
ARGUMENT_SPEC = MODULE_SPEC | {"settings": {"type": "raw", "required": True}}

MODULE = "effective.wsl.wsl_config"
WINDOWS_MODULE = "effective.wsl.wsl_config_windows"
WINDOWS_DEFAULT_PATH = "%USERPROFILE%\\.wslconfig"
FILE_NAMES = {".wslconfig": "wslconfig", "wsl.conf": "wslconf"}
# Win32 device names (CON, NUL, COM1, ...) open a device in any folder, also with an extension; \\.\ and \\?\ bypass
# path parsing (https://learn.microsoft.com/windows/win32/fileio/naming-a-file, "Naming conventions", "Win32 File
# Namespaces").
_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def infer_file_type(path: str, is_windows: bool) -> str | None:
    """``wslconfig`` or ``wslconf`` from the file name, None when the name does not say."""
    name = (ntpath.basename(path) if is_windows or "\\" in path else posixpath.basename(path)).lower()
    return FILE_NAMES.get(name)


def windows_path_problem(path: str) -> str | None:
    allowed = "allowed: a file path such as C:\\Users\\alice\\.wslconfig"
    if path.startswith(("\\\\.\\", "\\\\?\\", "//./", "//?/")):
        return f"path: {path!r} is a device path; {allowed}"
    if _WINDOWS_DEVICE.match(ntpath.basename(path).rstrip(" .")):
        return f"path: {path!r} names a Windows device, not a file; {allowed}"
    return None


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        is_windows = is_windows_connection(self._connection)
        host_facts = (task_vars.get("ansible_facts") or {}).get("wsl_host") or {}
        path = args["path"] or self._default_path(is_windows, host_facts)
        file_type = args["type"] or infer_file_type(path, is_windows)
        result.update(changed=False, path=path, type=file_type, changed_keys=[], restart_required="none")
        if file_type is None:
            return self._fail(
                result,
                f"type: cannot tell the file type from the name of {path!r}; set type to wslconfig "
                "(a .wslconfig) or wslconf (a wsl.conf)",
            )
        problem = windows_path_problem(path) if is_windows else None
        if problem:
            return self._fail(result, problem)
        # The engine is imported when the task runs, not with this plugin: the strategy loads every task's action
        # plugin in the main process, skipped tasks included, and ansible-core compiles a collection's Python from
        # source on every run (ansible/utils/collection_loader/_collection_finder.py, get_code). A re-run whose plan
        # found /etc/wsl.conf current skips this task and so does not compile the engine (docs/performance.md).
        from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
        from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import validate_settings

        try:
            requested, warnings = validate_settings(args["settings"], file_type, args["unknown_keys"])
        except WslConfError as exc:
            return self._fail(result, str(exc))
        facts_policy = host_facts.get("policy") if isinstance(host_facts, dict) else None
        policy = args["policy"] if args["policy"] is not None else facts_policy
        policy = policy if isinstance(policy, dict) else None
        module_args = dict(args, path=path, type=file_type)
        if not is_windows:
            if path.startswith("~"):
                module_args["path"] = self._remote_expand_user(path)
            module_result = self._execute_module(
                module_name=MODULE, module_args=dict(module_args, policy=policy), task_vars=task_vars
            )
            result.update(module_result)
            result["path"] = path
            if module_result.get("failed"):
                return self._fail(result, failure_detail(module_result))
            return result
        return self._run_windows(result, task_vars, module_args, requested, warnings, policy)

    @staticmethod
    def _fail(result: dict, msg: str) -> dict:
        result.update(failed=True, changed=False, restart_required="none", msg=msg)
        return result

    def _default_path(self, is_windows: bool, host_facts: dict) -> str:
        if not is_windows:
            return LINUX_DEFAULT_PATH
        wslconfig = host_facts.get("wslconfig") if isinstance(host_facts, dict) else None
        if isinstance(wslconfig, dict) and wslconfig.get("path"):
            return str(wslconfig["path"])  # the profile path effective.wsl.wsl_host_facts found
        return WINDOWS_DEFAULT_PATH  # expanded by wsl_config.ps1 on the target

    def _run_windows(self, result, task_vars, module_args, requested, warnings, policy):
        from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
        from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import update

        path = result["path"]
        read_args = {"path": path}
        state = self._execute_module(module_name=WINDOWS_MODULE, module_args=read_args, task_vars=task_vars)
        if state.get("failed"):
            return self._fail(result, f"could not read {path}: {failure_detail(state)}")
        for _attempt in range(ATTEMPTS):
            data = base64.b64decode(state["content"]) if state.get("exists") else None
            if data is None and not module_args["create"]:
                return self._fail(result, f"{path} does not exist and create=false")
            try:
                decision = update(data, module_args["type"], requested, policy)
            except WslConfError as exc:
                return self._fail(result, f"{path}: {exc}")
            result.pop("diff", None)
            result.update(
                changed=decision.changed,
                changed_keys=decision.changed_keys,
                restart_required=decision.restart_required,
            )
            if warnings + decision.warnings:
                result["warnings"] = warnings + decision.warnings
            if self._task.diff and decision.changed:
                result["diff"] = {
                    "before": decision.before,
                    "after": decision.after,
                    "before_header": path if data is not None else f"{path} (absent)",
                    "after_header": path,
                }
            if not decision.changed or self._task.check_mode:
                return result
            write_args = dict(
                read_args,
                write=True,
                expected_sha256=hashlib.sha256(data).hexdigest() if data is not None else "",
                content=base64.b64encode(decision.data).decode("ascii"),
                backup=module_args["backup"],
            )
            state = self._execute_module(module_name=WINDOWS_MODULE, module_args=write_args, task_vars=task_vars)
            if state.get("failed"):
                return self._fail(result, f"could not write {path}: {failure_detail(state)}")
            if not state.get("conflict"):
                if state.get("backup_file"):
                    result["backup_file"] = state["backup_file"]
                return result
        return self._fail(
            result,
            f"{path} was changed by another program during each of {ATTEMPTS} attempts to edit it; nothing was written",
        )
