# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_config: read the file, decide on the controller, write exact bytes.

The pattern of ansible-core's ``template``: the module file is documentation only. Reading uses
``ansible.windows.slurp`` (Windows) or ``ansible.builtin.slurp``; writing transfers the new bytes to
the remote temp directory and runs ``ansible.windows.win_copy`` or ``ansible.builtin.copy`` on them,
only when something changes. Every input is validated before the first module runs.
"""

from __future__ import annotations

import base64
import hashlib
import ntpath
import posixpath
import re

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import FILE_TYPES, WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import update, validate_settings

ARGUMENT_SPEC = {
    "path": {"type": "str"},
    "type": {"type": "str", "choices": list(FILE_TYPES)},
    "settings": {"type": "raw", "required": True},
    "unknown_keys": {"type": "str", "default": "error", "choices": ["error", "warn"]},
    "backup": {"type": "bool", "default": False},
    "create": {"type": "bool", "default": True},
}

WINDOWS_DEFAULT_PATH = "%USERPROFILE%\\.wslconfig"
LINUX_DEFAULT_PATH = "/etc/wsl.conf"
FILE_NAMES = {".wslconfig": "wslconfig", "wsl.conf": "wslconf"}
_MISSING_FILE = re.compile(r"not found", re.IGNORECASE)


def infer_file_type(path: str, is_windows: bool) -> str | None:
    """``wslconfig`` or ``wslconf`` from the file name, None when the name does not say."""
    name = (ntpath.basename(path) if is_windows or "\\" in path else posixpath.basename(path)).lower()
    return FILE_NAMES.get(name)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False  # the remote temp dir is made in _write(), only when there is something to write

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        is_windows = getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell"
        host_facts = (task_vars.get("ansible_facts") or {}).get("wsl_host") or {}
        path = args["path"] or self._default_path(is_windows, host_facts)
        file_type = args["type"] or infer_file_type(path, is_windows)
        if file_type is None:
            result.update(
                failed=True,
                msg=f"type: cannot tell the file type from the name of {path!r}; set type to wslconfig "
                "(a .wslconfig) or wslconf (a wsl.conf)",
            )
            return result
        try:
            requested, warnings = validate_settings(args["settings"], file_type, args["unknown_keys"])
        except WslConfError as exc:
            result.update(failed=True, msg=str(exc))
            return result

        try:
            return self._run(result, task_vars, args, path, file_type, is_windows, requested, warnings, host_facts)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _default_path(self, is_windows: bool, host_facts: dict) -> str:
        if not is_windows:
            return LINUX_DEFAULT_PATH
        wslconfig = host_facts.get("wslconfig") if isinstance(host_facts, dict) else None
        if isinstance(wslconfig, dict) and wslconfig.get("path"):
            return str(wslconfig["path"])  # the profile path effective.wsl.wsl_host_facts found
        return WINDOWS_DEFAULT_PATH  # expanded on the target: slurp and win_copy take type=path options

    def _run(self, result, task_vars, args, path, file_type, is_windows, requested, warnings, host_facts):
        if not is_windows and path.startswith("~"):
            path = self._remote_expand_user(path)
        read_module = "ansible.windows.slurp" if is_windows else "ansible.builtin.slurp"
        read = self._execute_module(module_name=read_module, module_args={"src": path}, task_vars=task_vars)
        if read.get("failed"):
            if not _MISSING_FILE.search(str(read.get("msg", ""))):
                result.update(failed=True, msg=f"could not read {path}: {read.get('msg')}")
                return result
            if not args["create"]:
                result.update(failed=True, msg=f"{path} does not exist and create=false")
                return result
            data = None
        else:
            data = base64.b64decode(read.get("content", ""))

        policy = host_facts.get("policy") if isinstance(host_facts, dict) else None
        try:
            decision = update(data, file_type, requested, policy if isinstance(policy, dict) else None)
        except WslConfError as exc:
            result.update(failed=True, msg=f"{path}: {exc}")
            return result

        result.update(
            changed=decision.changed,
            path=path,
            type=file_type,
            changed_keys=decision.changed_keys,
            restart_required=decision.restart_required,
        )
        all_warnings = warnings + decision.warnings
        if all_warnings:
            result["warnings"] = all_warnings
        if self._task.diff and decision.changed:
            result["diff"] = {
                "before": decision.before,
                "after": decision.after,
                "before_header": path if data is not None else f"{path} (absent)",
                "after_header": path,
            }
        if not decision.changed or self._task.check_mode:
            return result

        written = self._write(path, decision.data, is_windows, args["backup"], task_vars)
        if written.get("failed"):
            result.update(failed=True, msg=f"could not write {path}: {written.get('msg')}")
            return result
        if written.get("backup_file"):
            result["backup_file"] = written["backup_file"]
        return result

    def _write(self, path: str, data: bytes, is_windows: bool, backup: bool, task_vars: dict) -> dict:
        shell = self._connection._shell
        if shell.tmpdir is None:
            self._make_tmp_path()
        source = shell.join_path(shell.tmpdir, "source")
        self._transfer_data(source, data)
        if is_windows:
            module_args = {
                "src": source,
                "dest": path,
                "backup": backup,
                "_original_basename": ntpath.basename(path),
                "_copy_mode": "single",
            }
            return self._execute_module(
                module_name="ansible.windows.win_copy", module_args=module_args, task_vars=task_vars
            )
        self._fixup_perms2((shell.tmpdir, source))
        module_args = {
            "src": source,
            "dest": path,
            "backup": backup,
            "follow": True,
            "checksum": hashlib.sha1(data).hexdigest(),
            "_original_basename": posixpath.basename(path),
        }
        return self._execute_module(module_name="ansible.builtin.copy", module_args=module_args, task_vars=task_vars)
