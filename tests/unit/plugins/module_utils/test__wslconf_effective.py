"""effective_settings()/default_value(): what WSL reads from a file (microsoft/WSL configfile.cpp)."""

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import (
    VALUE_TYPES,
    default_value,
    effective_settings,
    lookup_key,
    schema,
)


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
    text = "[user]\ndefault = alice ; bob # comment\n[boot]\ncommand = h\\tx\n"
    assert effective_settings(text, "wslconf") == {"user": {"default": "alice ; bob"}, "boot": {"command": "h\tx"}}


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


WSLCONFIG_KEYS = {
    # microsoft/WSL src/windows/common/WslCoreConfig.cpp
    "wsl2": "memory processors swap swapFile kernel kernelModules kernelCommandLine localhostForwarding safeMode "
    "guiApplications debugConsole maxCrashDumpCount nestedVirtualization vmIdleTimeout dnsProxy networkingMode "
    "firewall dnsTunneling autoProxy defaultVhdSize ipv6 dhcp dhcpTimeout vmSwitch macAddress gpuSupport virtio "
    "virtiofs virtio9p hostFileSystemAccess hardwarePerformanceCounters kernelBootTimeout distributionStartTimeout "
    "mountDeviceTimeout loadDefaultKernelModules loadKernelModules isolateDistroCgroup earlyBootLogging "
    "debugConsoleLogFile kernelDebugPort systemDistro telemetry crashDumpFolder",
    # §1.4
    "experimental": "autoMemoryReclaim sparseVhd bestEffortDnsParsing dnsTunnelingIpAddress initialAutoProxyTimeout "
    "ignoredPorts hostAddressLoopback swiotlb virtioFsAggregateShares setVersionDebug",
    # §1.5
    "general": "distributionInstallPath instanceIdleTimeout",
}
WSLCONF_KEYS = {
    # microsoft/WSL src/linux/init/WslDistributionConfig.cpp
    "boot": "systemd command protectBinfmt initTimeout",
    "automount": "enabled root options mountFsTab ldconfig cgroups",
    "network": "generateHosts generateResolvConf hostname",
    "interop": "enabled appendWindowsPath",
    "user": "default",
    "gpu": "enabled appendLibPath",
    "time": "useWindowsTimezone",
    "filesystem": "umask",
    "fileServer": "enabled logFile logLevel logTruncate",
    "general": "guiApplications",
}


@pytest.mark.parametrize(("file_type", "keys"), [("wslconfig", WSLCONFIG_KEYS), ("wslconf", WSLCONF_KEYS)])
def test_schema_has_every_key_of_the_reference_and_nothing_else(file_type, keys):
    expected = {(section, key) for section, names in keys.items() for key in names.split()}
    assert {(spec.section, spec.key) for spec in schema(file_type)} == expected
    for spec in schema(file_type):
        assert spec.type in VALUE_TYPES
        assert spec.restart == {"wslconfig": "wsl_shutdown", "wslconf": "distro_terminate"}[file_type]
        assert lookup_key(file_type, spec.section.upper(), spec.key.lower()) is spec


def test_legacy_experimental_aliases():
    for key in ("networkingMode", "dnsTunneling", "firewall", "autoProxy"):
        assert lookup_key("wslconfig", "experimental", key) is lookup_key("wslconfig", "wsl2", key)
    assert lookup_key("wslconfig", "experimental", "memory") is None


def test_mode_notes():
    # NatNetworking.cpp:524, BridgedNetworking.cpp:78-81, WslCoreVm.cpp:612, WslCoreConfig.cpp:467-485
    assert lookup_key("wslconfig", "wsl2", "localhostForwarding").modes == ("nat", "bridged", "consomme")
    assert lookup_key("wslconfig", "wsl2", "dnsTunneling").modes == ("nat", "mirrored", "consomme")
    assert lookup_key("wslconfig", "experimental", "ignoredPorts").modes == ("mirrored",)
    for key in ("ipv6", "dhcp", "dhcpTimeout", "vmSwitch", "macAddress"):
        assert lookup_key("wslconfig", "wsl2", key).modes == ("bridged",)
    assert lookup_key("wslconfig", "wsl2", "dnsProxy").note == "NAT only"


def test_notes_follow_the_source():
    # WslCoreConfig.cpp:314-322 (memory 0), WslCoreVm.cpp:177, 495-505 (swapFile), WslDistributionConfig.cpp:76-84
    # (automount.root), WslDistributionConfig.h:74 (logLevel), init.cpp:332-343 (general.guiApplications)
    assert "default and 0: 50% of host RAM" in lookup_key("wslconfig", "wsl2", "memory").note
    assert "<VM id>" in lookup_key("wslconfig", "wsl2", "swapFile").note
    assert "empty means /" in lookup_key("wslconf", "automount", "root").note
    assert lookup_key("wslconf", "fileServer", "logLevel").default == 4
    gui = lookup_key("wslconf", "general", "guiApplications")
    assert gui.default is True and "per distro" in gui.note and "do not set" not in gui.note
