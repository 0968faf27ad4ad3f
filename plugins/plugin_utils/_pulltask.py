# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scheduled task of the pull mode: validated options in, exact community.windows.win_scheduled_task args out.

Private to effective.wsl; it may change at any time. Pure functions; the action plugin ``effective.wsl.wsl_pull_task``
runs the module with what ``task_arguments`` returns.

The task runs as the workstation's user, in their logon session (``interactive_token``: "User must already be logged
on. The task will be run only in an existing interactive session", TASK_LOGON_INTERACTIVE_TOKEN in
https://learn.microsoft.com/windows/win32/api/taskschd/ne-taskschd-task_logon_type; no password is stored, and that
session is when their WSL exists), with limited rights. Its one action
starts Windows PowerShell on the runner script the role puts in ``script_dir``::

    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -WindowStyle Hidden
        -File "C:\\Program Files\\effective.wsl\\pull\\wsl_pull.ps1" -Distros Ubuntu,Debian
        -Url https://git.corp.example/wsl/config.git -Ref v1.4.0 -Playbook local.yml -RestartPolicy auto ...

Every value on that line is checked here to need no quoting beyond double quotes around a path: the task's
argument string is split by the Microsoft C runtime rules (``subprocess.list2cmdline`` produces them;
https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments), and ``-File`` hands each piece to the
script as a plain string (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_exe,
-File). Unverified: that powershell.exe splits its command line exactly as the C runtime does for every input; the
values allowed here need no escaping under either reading.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping

POWERSHELL = "%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
RUNNER_SCRIPT = "wsl_pull.ps1"
DISTRO_SCRIPT = "wsl_pull.sh"
DEFAULT_SCRIPT_DIR = "C:\\Program Files\\effective.wsl\\pull"
DEFAULT_TASK_PATH = "\\effective.wsl\\"
RESTART_POLICIES = ("auto", "never")
STATES = ("present", "absent")

# WSL distro names: the pattern WSL enforces for a new distro (microsoft/WSL
# src/windows/service/exe/LxssUserSession.cpp, s_ValidateDistroName: ^[a-zA-Z0-9._-]{1,LX_INIT_DISTRO_NAME_MAX}$,
# 256 in src/shared/inc/lxinitshared.h).
_DISTRO = re.compile(r"^[A-Za-z0-9._-]{1,256}$")
# A git ref (git check-ref-format) without the characters a command line or PowerShell would treat specially.
_REF = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/+-]{1,200}(?<![./])$")
_URL = re.compile(r"^(https://|http://|ssh://|git@|file://)[^\s\"'`$;&|<>^%]+$")
_RELATIVE_PATH = re.compile(r"^(?!/)(?!.*\.\./)[A-Za-z0-9._/-]{1,200}$")
_LIMIT = re.compile(r"^[A-Za-z0-9._,:*!&-]{1,200}$")
_ANSIBLE_CORE = re.compile(r"^ansible-core(==|>=|~=)[0-9][0-9.]*(,<[0-9][0-9.]*)?$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
_WINDOWS_DIR = re.compile(r"^[A-Za-z]:\\[^\"*?<>|]*[^\\\"*?<>|]$")
_USER = re.compile(r"^[^\"/\[\]:;|=,+*?<>@]{1,104}(\\[^\"/\\\[\]:;|=,+*?<>@]{1,104})?$|^[^\"\s]+@[^\"\s]+$")


class PullTaskError(ValueError):
    """Bad input; the message names the option, the value and what is allowed."""


def _check(name: str, value, pattern: re.Pattern, allowed: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise PullTaskError(f"{name}: {value!r} is not allowed; expected {allowed}")
    return value


def task_name(user: str) -> str:
    """One task per user: ``wsl_pull-<user>`` with the domain separator as ``_`` (``\\`` separates the Task Scheduler
    folders of a task's path, the ``path`` option of community.windows.win_scheduled_task)."""
    return "wsl_pull-" + re.sub(r"[\\/:*?\"<>|@]", "_", user)


def validate(options: Mapping) -> dict:
    """The options with defaults, checked; PullTaskError names the first bad one."""
    values = dict(options)
    state = values.get("state") or "present"
    if state not in STATES:
        raise PullTaskError(f"state: {state!r} is not allowed; expected one of {', '.join(STATES)}")
    _check("user", values.get("user"), _USER, "a Windows account such as 'CORP\\alice' or 'alice@corp.example'")
    result = {"state": state, "user": values["user"], "task_path": values.get("task_path") or DEFAULT_TASK_PATH}
    if not result["task_path"].startswith("\\") or not result["task_path"].endswith("\\"):
        folder = result["task_path"]
        raise PullTaskError(f"task_path: {folder!r} is not allowed; expected a folder like '\\effective.wsl\\'")
    if state == "absent":
        return result

    distros = values.get("distros")
    if not isinstance(distros, list) or not distros:
        raise PullTaskError(f"distros: {distros!r} is not allowed; expected a non-empty list of distro names")
    for distro in distros:
        _check("distros", distro, _DISTRO, "WSL distro names (letters, digits, '.', '_', '-')")
    if len(set(distros)) != len(distros):
        raise PullTaskError(f"distros: {distros!r} lists a distro twice")
    url = _check("url", values.get("url"), _URL, "an https, ssh, git@host: or file URL without spaces or quotes")
    if re.match(r"^[a-z]+://[^/@]*:[^/@]*@", url):
        raise PullTaskError(
            "url: it carries a password; the task's command line is readable on the workstation: use an SSH deploy "
            "key or a git credential helper in the distro instead"
        )
    policy = values.get("restart_policy") or "auto"
    if policy not in RESTART_POLICIES:
        raise PullTaskError(f"restart_policy: {policy!r} is not allowed; expected one of {', '.join(RESTART_POLICIES)}")
    result.update(
        distros=list(distros),
        url=url,
        ref=_check("ref", values.get("ref"), _REF, "a pinned tag, branch or commit (git ref characters only)"),
        playbook=_check(
            "playbook", values.get("playbook") or "local.yml", _RELATIVE_PATH, "a path relative to the repository"
        ),
        inventory=values.get("inventory") or "",
        limit=values.get("limit") or "",
        restart_policy=policy,
        ansible_core=_check(
            "ansible_core",
            values.get("ansible_core") or "ansible-core>=2.16",
            _ANSIBLE_CORE,
            "a pip requirement such as 'ansible-core==2.18.6' or 'ansible-core>=2.16,<2.19'",
        ),
        script_dir=_check(
            "script_dir",
            values.get("script_dir") or DEFAULT_SCRIPT_DIR,
            _WINDOWS_DIR,
            "an absolute Windows directory without a trailing backslash",
        ),
        daily_at=_check("daily_at", values.get("daily_at") or "12:30", _TIME, "a time of day HH:MM"),
        logon_delay=_check("logon_delay", values.get("logon_delay") or "PT2M", _DURATION, "an ISO 8601 duration"),
        random_delay=_check("random_delay", values.get("random_delay") or "PT30M", _DURATION, "an ISO 8601 duration"),
        time_limit=_check("time_limit", values.get("time_limit") or "PT1H", _DURATION, "an ISO 8601 duration"),
    )
    if result["inventory"]:
        _check("inventory", result["inventory"], _RELATIVE_PATH, "a path relative to the repository")
    if result["limit"]:
        _check("limit", result["limit"], _LIMIT, "an Ansible host pattern without spaces")
    return result


def runner_arguments(options: Mapping) -> list[str]:
    """The arguments of powershell.exe, one element per argument (before quoting)."""
    arguments = [
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-WindowStyle",
        "Hidden",
        "-File",
        f"{options['script_dir']}\\{RUNNER_SCRIPT}",
        "-Distros",
        ",".join(options["distros"]),
        "-Url",
        options["url"],
        "-Ref",
        options["ref"],
        "-Playbook",
        options["playbook"],
        "-RestartPolicy",
        options["restart_policy"],
        "-AnsibleCore",
        options["ansible_core"],
    ]
    if options["inventory"]:
        arguments += ["-Inventory", options["inventory"]]
    if options["limit"]:
        arguments += ["-Limit", options["limit"]]
    return arguments


def command_line(arguments: Iterable[str]) -> str:
    """The task's argument string: Microsoft C runtime quoting (double quotes around values with spaces)."""
    return subprocess.list2cmdline(list(arguments))


def task_arguments(options: Mapping) -> dict:
    """The exact arguments of community.windows.win_scheduled_task for validated ``options``."""
    base = {"name": task_name(options["user"]), "path": options["task_path"]}
    if options["state"] == "absent":
        return base | {"state": "absent"}
    hour, minute = options["daily_at"].split(":")
    distros = ", ".join(options["distros"])
    return base | {
        "state": "present",
        "description": (
            f"effective.wsl: ansible-pull of {options['url']} at {options['ref']} in {distros} "
            "at logon and daily (managed by Ansible, role effective.wsl.wsl_pull)"
        ),
        "actions": [{"path": POWERSHELL, "arguments": command_line(runner_arguments(options))}],
        "triggers": [
            {"type": "logon", "user_id": options["user"], "delay": options["logon_delay"]},
            {
                "type": "daily",
                # A fixed date in the past: the trigger is the time of day; a moving date would change every run.
                "start_boundary": f"2026-01-01T{hour}:{minute}:00",
                "random_delay": options["random_delay"],
            },
        ],
        "username": options["user"],
        "logon_type": "interactive_token",
        "run_level": "limited",
        "multiple_instances": 2,
        "execution_time_limit": options["time_limit"],
        "start_when_available": True,
        "disallow_start_if_on_batteries": False,
        "stop_if_going_on_batteries": False,
        "allow_demand_start": True,
        "enabled": True,
    }
