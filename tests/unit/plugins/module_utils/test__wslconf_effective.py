"""effective_settings()/default_value(): what WSL reads from a file (wsl-reference §1.2, §2.1)."""

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import default_value, effective_settings


def test_wslconfig_canonical_names_typed_values_first_duplicate_wins():
    text = (
        "memory=1GB\n"  # outside any section: WSL reports an unknown key (issue #12671)
        "[WSL2]\n"
        "Memory = 8192MB # eight\n"
        "networkingmode = Mirrored\n"
        "memory=2GB\n"
        "[experimental]\n"
        "networkingMode=nat\n"  # alias of wsl2.networkingMode: a duplicate, ignored
        "dnsTunneling=TRUE\n"  # alias: first occurrence, used
        "ignoredPorts=3000,9000-9005,70000\n"
        "sparseVhd = yes\n"  # rejected: WSL keeps its default
        "unknownKey = 1\n"
    )
    assert effective_settings(text, "wslconfig") == {
        "wsl2": {"memory": 8 << 30, "networkingMode": "mirrored", "dnsTunneling": True},
        "experimental": {"ignoredPorts": [3000, 9000]},
    }


def test_rejected_first_occurrence_still_shadows_later_duplicates():
    assert effective_settings("[wsl2]\nmemory=4gb\nmemory=4GB\n", "wslconfig") == {}


def test_wslconfig_invalid_lines_are_skipped():
    text = "[wsl2]\nswapFile = C:\\Users\\x\nbad_key=1\nkernel=C:\\\\temp\\\\k\nswap=0\n"
    assert effective_settings(text, "wslconfig") == {"wsl2": {"kernel": "C:\\temp\\k", "swap": 0}}


def test_wslconf_stops_at_first_invalid_line():
    text = '[boot]\nsystemd=true\n[automount]\nroot = "/win/ # x"  # c\nbad_key=1\n[interop]\nenabled=false\n'
    assert effective_settings(text, "wslconf") == {"boot": {"systemd": True}, "automount": {"root": "/win/ # x"}}


def test_bom_wslconf_ignored_wslconfig_tolerated():
    assert effective_settings("\ufeff[boot]\nsystemd=true\n", "wslconf") == {}
    assert effective_settings("\ufeff[wsl2]\r\nmemory=4GB\r\n", "wslconfig") == {"wsl2": {"memory": 4 << 30}}


def test_semicolon_is_not_a_comment_and_hash_is():
    text = "[user]\ndefault = alice ; bob # comment\n[network]\nhostname = h\\tx\n"
    assert effective_settings(text, "wslconf") == {"user": {"default": "alice ; bob"}, "network": {"hostname": "h\tx"}}


@pytest.mark.parametrize(
    ("file_type", "section", "key", "expected"),
    [
        ("wslconfig", "wsl2", "networkingMode", "NAT"),
        ("wslconfig", "experimental", "networkingmode", "NAT"),
        ("wslconfig", "wsl2", "memory", None),
        ("wslconfig", "experimental", "autoMemoryReclaim", "dropCache"),
        ("wslconf", "boot", "systemd", False),
        ("wslconf", "automount", "root", "/mnt/"),
        ("wslconf", "filesystem", "umask", 0o022),
    ],
)
def test_default_value(file_type, section, key, expected):
    assert default_value(file_type, section, key) == expected


def test_default_value_unknown_key():
    with pytest.raises(KeyError, match="networkMode"):
        default_value("wslconfig", "wsl2", "networkMode")
