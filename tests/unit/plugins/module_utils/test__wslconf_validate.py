"""validate_settings()/canonical_value(): canonical spelling of good input, clear errors for bad input."""

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import validate_settings


def one(section, key, value, file_type="wslconfig"):
    requested, warnings = validate_settings({section: {key: value}}, file_type)
    assert warnings == []
    (item,) = requested
    return item.section, item.key, item.text, item.value


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        ("wsl2", "localhostForwarding", True, ("wsl2", "localhostForwarding", "true", True)),
        ("WSL2", "localhostforwarding", "False", ("wsl2", "localhostForwarding", "false", False)),
        ("wsl2", "dnsProxy", 0, ("wsl2", "dnsProxy", "false", False)),
        ("wsl2", "memory", "8gb", ("wsl2", "memory", "8GB", 8 << 30)),
        ("wsl2", "memory", "8 GB", ("wsl2", "memory", "8GB", 8 << 30)),
        ("wsl2", "memory", 8589934592, ("wsl2", "memory", "8GB", 8 << 30)),
        ("wsl2", "memory", "8192MB", ("wsl2", "memory", "8GB", 8 << 30)),
        ("wsl2", "memory", "1536m", ("wsl2", "memory", "1536MB", 1536 << 20)),
        ("wsl2", "swap", 0, ("wsl2", "swap", "0", 0)),
        ("wsl2", "swap", "0GB", ("wsl2", "swap", "0", 0)),
        ("wsl2", "defaultVhdSize", 1000, ("wsl2", "defaultVhdSize", "1000", 1000)),
        ("wsl2", "processors", "4", ("wsl2", "processors", "4", 4)),
        ("wsl2", "vmIdleTimeout", -1, ("wsl2", "vmIdleTimeout", "-1", -1)),
        ("wsl2", "kernel", "C:\\temp\\k", ("wsl2", "kernel", "C:\\\\temp\\\\k", "C:\\temp\\k")),
        ("wsl2", "swapFile", "D:/wsl/swap.vhdx", ("wsl2", "swapFile", "D:/wsl/swap.vhdx", "D:/wsl/swap.vhdx")),
        (
            "wsl2",
            "kernel",
            "C:\\Program Files\\k",
            ("wsl2", "kernel", "C:\\\\Program Files\\\\k", "C:\\Program Files\\k"),
        ),
        ("wsl2", "networkingMode", "Mirrored", ("wsl2", "networkingMode", "mirrored", "mirrored")),
        ("wsl2", "networkingMode", "nat", ("wsl2", "networkingMode", "NAT", "NAT")),
        ("wsl2", "networkingMode", "VIRTIOPROXY", ("wsl2", "networkingMode", "virtioproxy", "virtioproxy")),
        # "consomme" is rejected before WSL 2.9; "virtioproxy" is read by every WSL that has the mode
        ("wsl2", "networkingMode", "Consomme", ("wsl2", "networkingMode", "virtioproxy", "virtioproxy")),
        ("experimental", "networkingMode", "mirrored", ("wsl2", "networkingMode", "mirrored", "mirrored")),
        (
            "experimental",
            "autoMemoryReclaim",
            "dropcache",
            ("experimental", "autoMemoryReclaim", "dropCache", "dropCache"),
        ),
        ("experimental", "ignoredPorts", [3000, "9000"], ("experimental", "ignoredPorts", "3000,9000", [3000, 9000])),
        ("experimental", "ignoredPorts", "9000, 3000", ("experimental", "ignoredPorts", "9000,3000", [3000, 9000])),
        ("experimental", "ignoredPorts", 8080, ("experimental", "ignoredPorts", "8080", [8080])),
        (
            "experimental",
            "dnsTunnelingIpAddress",
            "10.0.0.1",
            ("experimental", "dnsTunnelingIpAddress", "10.0.0.1", "10.0.0.1"),
        ),
        (
            "wsl2",
            "kernelCommandLine",
            "vsyscall=emulate",
            ("wsl2", "kernelCommandLine", "vsyscall=emulate", "vsyscall=emulate"),
        ),
        ("wsl2", "kernelCommandLine", " a#b ", ("wsl2", "kernelCommandLine", '" a#b "', " a#b ")),
        (
            "wsl2",
            "kernelCommandLine",
            'say "hi"\t\\',
            ("wsl2", "kernelCommandLine", 'say \\"hi\\"\\t\\\\', 'say "hi"\t\\'),
        ),
        ("wsl2", "macAddress", "aa:bb:cc:dd:ee:ff", ("wsl2", "macAddress", "AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF")),
    ],
)
def test_canonical_wslconfig(section, key, value, expected):
    assert one(section, key, value) == expected


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        ("boot", "systemd", True, ("boot", "systemd", "true", True)),
        ("automount", "root", "/win/", ("automount", "root", "/win/", "/win/")),
        (
            "automount",
            "options",
            "metadata,uid=1000",
            ("automount", "options", "metadata,uid=1000", "metadata,uid=1000"),
        ),
        ("filesystem", "umask", 0o022, ("filesystem", "umask", "022", 18)),
        ("filesystem", "umask", "077", ("filesystem", "umask", "077", 63)),
        ("automount", "cgroups", "V1", ("automount", "cgroups", "v1", "v1")),
        ("network", "hostname", "build01", ("network", "hostname", "build01", "build01")),
        ("interop", "appendWindowsPath", False, ("interop", "appendWindowsPath", "false", False)),
        ("boot", "systemd", None, ("boot", "systemd", None, None)),
    ],
)
def test_canonical_wslconf(section, key, value, expected):
    assert one(section, key, value, "wslconf") == expected


# Each bad input: the message names the key, the bad value and what is allowed.
BAD = [
    (
        "unknown key",
        "wslconfig",
        {"wsl2": {"networkMode": "mirrored"}},
        ["networkMode", "did you mean networkingMode", "allowed in [wsl2]"],
    ),
    (
        "unknown section",
        "wslconfig",
        {"wsl": {"memory": "4GB"}},
        ["[wsl]", "did you mean wsl2", "allowed: wsl2, experimental, general"],
    ),
    (
        "enum typo",
        "wslconfig",
        {"wsl2": {"networkingMode": "mirorred"}},
        ["networkingMode", "'mirorred'", "did you mean mirrored", "allowed: none, NAT, bridged, mirrored"],
    ),
    (
        "bool maybe",
        "wslconfig",
        {"wsl2": {"dnsTunneling": "maybe"}},
        ["dnsTunneling", "'maybe'", "allowed: true or false"],
    ),
    ("bool yes", "wslconf", {"boot": {"systemd": "yes"}}, ["[boot] systemd", "'yes'", "WSL rejects yes/no"]),
    ("bool 2", "wslconfig", {"wsl2": {"firewall": 2}}, ["firewall", "2", "allowed: true or false"]),
    ("size unit", "wslconfig", {"wsl2": {"memory": "4XB"}}, ["[wsl2] memory", "'4XB'", "KB, MB, GB or TB"]),
    ("size decimal", "wslconfig", {"wsl2": {"memory": "1.5GB"}}, ["memory", "'1.5GB'", "a whole number"]),
    ("size negative", "wslconfig", {"wsl2": {"memory": -1}}, ["memory", "-1", "a whole number of bytes"]),
    ("size negative str", "wslconfig", {"wsl2": {"swap": "-4GB"}}, ["swap", "'-4GB'", "a whole number"]),
    ("size bool", "wslconfig", {"wsl2": {"memory": True}}, ["memory", "True", "a whole number"]),
    ("int abc", "wslconfig", {"wsl2": {"processors": "abc"}}, ["processors", "'abc'", "an integer"]),
    ("processors 0", "wslconfig", {"wsl2": {"processors": 0}}, ["processors", "0", "1 or more"]),
    ("int huge", "wslconfig", {"wsl2": {"vmIdleTimeout": 1 << 40}}, ["vmIdleTimeout", str(1 << 40), "32-bit integer"]),
    (
        "port range",
        "wslconfig",
        {"experimental": {"ignoredPorts": "3000-3005"}},
        ["ignoredPorts", "'3000-3005'", "ranges", "list every port"],
    ),
    (
        "port 70000",
        "wslconfig",
        {"experimental": {"ignoredPorts": [3000, 70000]}},
        ["ignoredPorts", "70000", "ports 1-65535"],
    ),
    (
        "port junk",
        "wslconfig",
        {"experimental": {"ignoredPorts": "80,http"}},
        ["ignoredPorts", "'http'", "ports 1-65535"],
    ),
    (
        "relative kernel",
        "wslconfig",
        {"wsl2": {"kernel": "kernels\\bzImage"}},
        ["[wsl2] kernel", "kernels", "absolute Windows path"],
    ),
    (
        "UNC kernel",
        "wslconfig",
        {"wsl2": {"kernel": "\\\\server\\share\\k"}},
        ["kernel", "server", "UNC", "absolute Windows path"],
    ),
    (
        "env var path",
        "wslconfig",
        {"wsl2": {"swapFile": "%TEMP%\\swap.vhdx"}},
        ["swapFile", "%TEMP%", "environment variable", "absolute Windows path"],
    ),
    (
        "non-ASCII .wslconfig",
        "wslconfig",
        {"wsl2": {"kernelCommandLine": "h\u00e9llo"}},
        ["[wsl2] kernelCommandLine", "h\u00e9llo", "ASCII only", "one byte per character"],
    ),
    ("underscore key", "wslconfig", {"wsl2": {"memory_size": "4GB"}}, ["memory_size", "letters and digits"]),
    ("dash section", "wslconfig", {"wsl-2": {"memory": "4GB"}}, ["wsl-2", "letters and digits"]),
    ("newline value", "wslconf", {"boot": {"command": "a\nb"}}, ["[boot] command", "'a\\nb'", "a single line"]),
    ("settings list", "wslconfig", ["wsl2"], ["settings", "dict of section", "list"]),
    ("section not dict", "wslconfig", {"wsl2": "memory=4GB"}, ["settings.wsl2", "dict of key", "'memory=4GB'"]),
    (
        "bad ip",
        "wslconfig",
        {"experimental": {"dnsTunnelingIpAddress": "10.0.0.300"}},
        ["dnsTunnelingIpAddress", "10.0.0.300", "IPv4"],
    ),
    ("enum cgroups", "wslconf", {"automount": {"cgroups": "v3"}}, ["cgroups", "'v3'", "v1, v2"]),
    ("dict value", "wslconfig", {"wsl2": {"memory": {"a": 1}}}, ["memory", "dict", "a whole number"]),
    ("bad mac", "wslconfig", {"wsl2": {"macAddress": "aa:bb"}}, ["macAddress", "'aa:bb'", "six hex pairs"]),
    ("umask junk", "wslconf", {"filesystem": {"umask": "u=rwx"}}, ["umask", "'u=rwx'", "an integer"]),
    (
        "twice",
        "wslconfig",
        {"wsl2": {"networkingMode": "NAT"}, "experimental": {"networkingMode": "NAT"}},
        ["networkingMode", "more than once"],
    ),
    (
        "unknown section wslconf",
        "wslconf",
        {"wsl2": {"memory": "4GB"}},
        ["[wsl2]", "wsl.conf", "allowed: boot, automount"],
    ),
]


@pytest.mark.parametrize(("case", "file_type", "settings", "fragments"), BAD, ids=[case[0] for case in BAD])
def test_bad_input(case, file_type, settings, fragments):
    with pytest.raises(WslConfError) as raised:
        validate_settings(settings, file_type)
    for fragment in fragments:
        assert fragment in str(raised.value), (fragment, str(raised.value))


def test_all_errors_are_reported_at_once():
    with pytest.raises(WslConfError) as raised:
        validate_settings({"wsl2": {"memory": "4XB", "processors": "abc"}}, "wslconfig")
    assert "memory" in str(raised.value) and "processors" in str(raised.value)


def test_option_values_are_checked():
    with pytest.raises(WslConfError, match="unknown_keys: 'ignore' is not supported; allowed: error, warn"):
        validate_settings({}, "wslconfig", "ignore")
    with pytest.raises(WslConfError, match="type: 'ini' is not supported; allowed: wslconfig, wslconf"):
        validate_settings({}, "ini")


def test_unknown_keys_warn_lets_valid_names_through():
    requested, warnings = validate_settings(
        {"wsl2": {"futureKey": True, "other": "a b#"}, "newSection": {"x": 1}}, "wslconfig", "warn"
    )
    assert [(item.section, item.key, item.text, item.value) for item in requested] == [
        ("wsl2", "futureKey", "true", "true"),
        ("wsl2", "other", '"a b#"', "a b#"),
        ("newSection", "x", "1", "1"),
    ]
    assert warnings == []  # said once by update(), when the key is written
    assert "futureKey" in requested[0].note and "WSL will warn and ignore it" in requested[0].note
    with pytest.raises(WslConfError, match="letters and digits"):
        validate_settings({"wsl2": {"future_key": True}}, "wslconfig", "warn")


def test_wslconf_keeps_utf8_values():
    # src/linux/init is built against musl (CMakeLists.txt:441), whose C locale hands every byte back
    # unchanged, so wsl.conf values keep their UTF-8 bytes
    requested, warnings = validate_settings({"user": {"default": "j\u00fcrgen"}}, "wslconf")
    assert requested[0].text == "j\u00fcrgen" and warnings == []


def test_hostname_request_reports_what_wsl_uses():
    requested, warnings = validate_settings({"network": {"hostname": "build_01."}}, "wslconf")
    assert (requested[0].text, requested[0].value) == ("build_01.", "build01")
    assert warnings == [
        "[network] hostname: WSL cleans 'build_01.' to 'build01' before using it (letters, digits, one '.', "
        "inner '-', at most 64 characters)"
    ]
    assert validate_settings({"network": {"hostname": "build-01"}}, "wslconf")[1] == []
