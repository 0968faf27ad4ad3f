"""The pull mode's scheduled task: validated options in, the exact win_scheduled_task arguments out."""

from __future__ import annotations

import shlex

import pytest

from ansible_collections.effective.wsl.plugins.plugin_utils._pulltask import (
    PullTaskError,
    command_line,
    runner_arguments,
    task_arguments,
    task_name,
    validate,
)

OPTIONS = {
    "user": "CORP\\alice",
    "distros": ["Ubuntu", "Debian"],
    "url": "https://git.corp.example/platform/wsl-config.git",
    "ref": "v1.4.0",
}
EXPECTED_COMMAND_LINE = (
    "-NoProfile -NonInteractive -ExecutionPolicy Bypass -WindowStyle Hidden "
    '-File "C:\\Program Files\\effective.wsl\\pull\\wsl_pull.ps1" -Distros Ubuntu,Debian '
    "-Url https://git.corp.example/platform/wsl-config.git -Ref v1.4.0 -Playbook local.yml "
    "-RestartPolicy auto -AnsibleCore ansible-core>=2.16"
)


def test_exact_module_arguments():
    assert task_arguments(validate(OPTIONS)) == {
        "name": "wsl_pull-CORP_alice",
        "path": "\\effective.wsl\\",
        "state": "present",
        "description": (
            "effective.wsl: ansible-pull of https://git.corp.example/platform/wsl-config.git at v1.4.0 in "
            "Ubuntu, Debian at logon and daily (managed by Ansible, role effective.wsl.wsl_pull)"
        ),
        "actions": [
            {
                "path": "%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "arguments": EXPECTED_COMMAND_LINE,
            }
        ],
        "triggers": [
            {"type": "logon", "user_id": "CORP\\alice", "delay": "PT2M"},
            {"type": "daily", "start_boundary": "2026-01-01T12:30:00", "random_delay": "PT30M"},
        ],
        "username": "CORP\\alice",
        "logon_type": "interactive_token",
        "run_level": "limited",
        "multiple_instances": 2,
        "execution_time_limit": "PT1H",
        "start_when_available": True,
        "disallow_start_if_on_batteries": False,
        "stop_if_going_on_batteries": False,
        "allow_demand_start": True,
        "enabled": True,
    }


def test_command_line_with_every_option():
    options = validate(
        OPTIONS
        | {
            "inventory": "inventory/pull.yml",
            "limit": "localhost,windows",
            "restart_policy": "never",
            "ansible_core": "ansible-core==2.18.6",
            "script_dir": "D:\\Tools\\wsl pull",
            "playbook": "playbooks/pull.yml",
        }
    )
    line = command_line(runner_arguments(options))
    assert line == (
        "-NoProfile -NonInteractive -ExecutionPolicy Bypass -WindowStyle Hidden "
        '-File "D:\\Tools\\wsl pull\\wsl_pull.ps1" -Distros Ubuntu,Debian '
        "-Url https://git.corp.example/platform/wsl-config.git -Ref v1.4.0 -Playbook playbooks/pull.yml "
        "-RestartPolicy never -AnsibleCore ansible-core==2.18.6 -Inventory inventory/pull.yml "
        "-Limit localhost,windows"
    )
    # The Microsoft C runtime split gives back the arguments (no backslash precedes a quote, so POSIX
    # shell splitting, which differs only there, agrees).
    assert shlex.split(line.replace("\\", "\\\\")) == runner_arguments(options)


def test_absent_needs_only_the_user():
    assert task_arguments(validate({"user": "alice", "state": "absent"})) == {
        "name": "wsl_pull-alice",
        "path": "\\effective.wsl\\",
        "state": "absent",
    }


def test_the_arguments_do_not_change_between_runs():
    assert task_arguments(validate(OPTIONS)) == task_arguments(validate(dict(OPTIONS)))


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("CORP\\alice", "wsl_pull-CORP_alice"),
        ("alice@corp.example", "wsl_pull-alice_corp.example"),
        ("bob", "wsl_pull-bob"),
    ],
)
def test_task_name(user, name):
    assert task_name(user) == name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"user": ""}, r"^user: '' is not allowed; expected a Windows account"),
        ({"distros": []}, r"^distros: \[\] is not allowed; expected a non-empty list"),
        ({"distros": ["Ubuntu 24.04"]}, r"^distros: 'Ubuntu 24.04' is not allowed; expected WSL distro names"),
        ({"distros": ["Ubuntu", "Ubuntu"]}, r"lists a distro twice"),
        ({"url": "https://git.corp/x.git; calc"}, r"^url: .* is not allowed"),
        ({"url": "https://bot:s3cret@git.corp/x.git"}, r"^url: it carries a password"),
        ({"url": "ftp://git.corp/x"}, r"^url: 'ftp://git.corp/x' is not allowed"),
        ({"ref": "-x"}, r"^ref: '-x' is not allowed; expected a pinned tag"),
        ({"ref": "v1 .4"}, r"^ref: 'v1 .4' is not allowed"),
        ({"ref": "a..b"}, r"^ref: 'a..b' is not allowed"),
        ({"playbook": "/etc/passwd"}, r"^playbook: '/etc/passwd' is not allowed; expected a path relative"),
        ({"playbook": "../x.yml"}, r"^playbook: '../x.yml' is not allowed"),
        ({"restart_policy": "now"}, r"^restart_policy: 'now' is not allowed; expected one of auto, never"),
        ({"ansible_core": "ansible"}, r"^ansible_core: 'ansible' is not allowed; expected a pip requirement"),
        ({"script_dir": "C:\\Program Files\\x\\"}, r"^script_dir: .* without a trailing backslash"),
        ({"script_dir": "relative"}, r"^script_dir: 'relative' is not allowed"),
        ({"daily_at": "25:00"}, r"^daily_at: '25:00' is not allowed; expected a time of day HH:MM"),
        ({"logon_delay": "2 minutes"}, r"^logon_delay: '2 minutes' is not allowed; expected an ISO 8601 duration"),
        ({"random_delay": "P"}, r"^random_delay: 'P' is not allowed"),
        ({"inventory": "hosts, other"}, r"^inventory: 'hosts, other' is not allowed"),
        ({"limit": "a b"}, r"^limit: 'a b' is not allowed"),
        ({"state": "gone"}, r"^state: 'gone' is not allowed; expected one of present, absent"),
        ({"task_path": "effective.wsl"}, r"^task_path: 'effective.wsl' is not allowed"),
    ],
)
def test_bad_option_names_key_value_and_what_is_allowed(change, message):
    with pytest.raises(PullTaskError, match=message):
        validate(OPTIONS | change)


@pytest.mark.parametrize(
    "url",
    [
        "git@git.corp.example:platform/wsl-config.git",
        "ssh://git@git.corp.example/platform/wsl-config.git",
        "file:///srv/git/wsl-config.git",
        "https://deploy@git.corp.example/x.git",
    ],
)
def test_urls_that_are_allowed(url):
    assert validate(OPTIONS | {"url": url})["url"] == url


def test_distro_names_follow_wsl_own_pattern():
    """WSL accepts ^[a-zA-Z0-9._-]{1,256}$ for a distro name (LxssUserSession.cpp, s_ValidateDistroName)."""
    assert validate({**OPTIONS, "distros": ["a" * 256, "Ubuntu-24.04_x"]})["distros"] == ["a" * 256, "Ubuntu-24.04_x"]
    for bad in ("a" * 257, "Ubuntu 24.04", "Ubuntu;rm"):
        with pytest.raises(PullTaskError, match="distros: "):
            validate({**OPTIONS, "distros": [bad]})
