from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.effective.wsl.plugins.filter.winpath import FilterModule, to_windows_path, to_wsl_path

COLLECTIONS_PATH = Path(__file__).resolve().parents[4] / ".cache" / "collections"


def test_filter_module_exposes_both_filters():
    assert FilterModule().filters() == {"to_wsl_path": to_wsl_path, "to_windows_path": to_windows_path}


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("C:\\Users\\Steff\\Downloads",), {}, "/mnt/c/Users/Steff/Downloads"),
        (("c:/Users/Steff/Downloads/",), {"automount_root": "/win"}, "/win/c/Users/Steff/Downloads"),
        (("C:\\Users", "/"), {}, "/c/Users"),
        (("\\\\wsl.localhost\\Ubuntu\\home\\steff",), {"distro": "ubuntu"}, "/home/steff"),
    ],
)
def test_to_wsl_path(args, kwargs, expected):
    assert to_wsl_path(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("/mnt/c/Users/Steff/Downloads",), {}, "C:\\Users\\Steff\\Downloads"),
        (("/mnt/c/Users/Steff/Downloads",), {"separator": "/"}, "C:/Users/Steff/Downloads"),
        (("/win/d/src", "/win/"), {}, "D:\\src"),
        (("/home/steff",), {"distro": "Ubuntu"}, "\\\\wsl.localhost\\Ubuntu\\home\\steff"),
    ],
)
def test_to_windows_path(args, kwargs, expected):
    assert to_windows_path(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("function", "path", "message"),
    [
        (to_wsl_path, "%USERPROFILE%\\Downloads", "to_wsl_path: path .* unexpanded .*%USERPROFILE%"),
        (to_wsl_path, "\\\\server\\share", "to_wsl_path: path .* UNC share"),
        (to_wsl_path, "relative\\dir", "to_wsl_path: path .* is relative"),
        (to_windows_path, "/home/steff", "to_windows_path: path '/home/steff' is not under a drive mount"),
    ],
)
def test_errors_are_filter_errors_with_the_engine_message(function, path, message):
    with pytest.raises(AnsibleFilterError, match=message):
        function(path)


def test_filters_resolve_by_fqcn_in_ansible():
    expression = (
        "{{ ['D:\\\\x' | effective.wsl.to_wsl_path, '/mnt/d/x' | effective.wsl.to_windows_path(separator='/')] }}"
    )
    environment = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_PATH),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
    }
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible"),
            "localhost",
            "-m",
            "ansible.builtin.debug",
            "-a",
            f"msg={expression}",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert '"/mnt/d/x",' in completed.stdout
    assert '"D:/x"' in completed.stdout
