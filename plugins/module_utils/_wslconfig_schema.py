# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``.wslconfig`` schema: its keys and the value types only it has (size, ip, port-list, mac), after
``src/windows/common/WslCoreConfig.{h,cpp}`` of microsoft/WSL.

PRIVATE to the effective.wsl collection: the API may change at any time. Standard library only (this
file ships to targets). ``_wslconf`` imports it on the first ``.wslconfig`` lookup, so that readers of
``/etc/wsl.conf`` alone (``wsl_facts``, ``wsl_symlink``) do not compile it on the target.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import KeySpec

NETWORKING_MODES = ("none", "NAT", "bridged", "mirrored", "virtioproxy", "consomme")


def _keys() -> list[KeySpec]:
    def k(section, key, type_, default=None, **kw):
        return KeySpec("wslconfig", section, key, type_, default, **kw)

    return [
        # notes below: WslCoreConfig.cpp:314-322 (memory), WslCoreVm.cpp:177, 495-505 (swapFile),
        # WslCoreConfig.cpp:423-439 (safeMode), BridgedNetworking.cpp:17-20, 78-81 (bridged keys)
        k(
            "wsl2",
            "memory",
            "size",
            None,
            note="default and 0: 50% of host RAM; WSL raises values below 256MB to 256MB and caps at the RAM",
        ),
        k("wsl2", "processors", "int", None, note="default all logical CPUs; <=0 means all"),
        k("wsl2", "swap", "size", None, note="default 25% of memory rounded up to a GB; 0 means no swap"),
        k(
            "wsl2",
            "swapFile",
            "path",
            None,
            note="default %Temp%\\<VM id>\\swap.vhdx, new for each VM start; WSL appends .vhdx when missing",
        ),
        k("wsl2", "kernel", "path", None, note="default inbox kernel; policy AllowKernelUserSetting can block it"),
        k("wsl2", "kernelModules", "path", None),
        k("wsl2", "kernelCommandLine", "string", None),
        k("wsl2", "localhostForwarding", "bool", True, modes=("nat", "bridged", "consomme")),
        k("wsl2", "safeMode", "bool", False, note="turns off networking, GPU, GUI apps, virtio, swap, custom kernels"),
        k("wsl2", "guiApplications", "bool", True),
        k("wsl2", "debugConsole", "bool", False),
        k("wsl2", "maxCrashDumpCount", "int", 10),
        k("wsl2", "nestedVirtualization", "bool", None, note="default true on Windows 11 x64, else false"),
        k("wsl2", "vmIdleTimeout", "int", 60000),
        k("wsl2", "dnsProxy", "bool", True, modes=("nat",), note="NAT only"),
        k(
            "wsl2",
            "networkingMode",
            "enum",
            "NAT",
            choices=NETWORKING_MODES,
            aliases=("experimental.networkingMode",),
        ),
        k(
            "wsl2",
            "firewall",
            "bool",
            True,
            aliases=("experimental.firewall",),
            note="NAT and mirrored only, where Hyper-V firewall v2 exists; always on in mirrored mode",
        ),
        k(
            "wsl2",
            "dnsTunneling",
            "bool",
            True,
            aliases=("experimental.dnsTunneling",),
            modes=("nat", "mirrored", "consomme"),
        ),
        k("wsl2", "autoProxy", "bool", True, aliases=("experimental.autoProxy",)),
        k("wsl2", "defaultVhdSize", "size", 1099511627776),
        k("wsl2", "ipv6", "bool", False, modes=("bridged",), documented=False),
        k("wsl2", "dhcp", "bool", True, modes=("bridged",), documented=False),
        k("wsl2", "dhcpTimeout", "int", 5000, modes=("bridged",), documented=False),
        k("wsl2", "vmSwitch", "string", None, modes=("bridged",), documented=False, note="required by bridged mode"),
        k("wsl2", "macAddress", "mac", None, modes=("bridged",), documented=False, note="bridged mode only"),
        k("wsl2", "gpuSupport", "bool", True, documented=False),
        k("wsl2", "virtio", "bool", None, documented=False, note="default true except on Windows 10 ARM64"),
        k("wsl2", "virtiofs", "bool", False, documented=False),
        k("wsl2", "virtio9p", "bool", False, documented=False, note="forced off by WSL"),
        k("wsl2", "hostFileSystemAccess", "bool", True, documented=False),
        k("wsl2", "hardwarePerformanceCounters", "bool", None, documented=False, note="default true on x64"),
        k("wsl2", "kernelBootTimeout", "int", 30000, documented=False),
        k("wsl2", "distributionStartTimeout", "int", 60000, documented=False),
        k("wsl2", "mountDeviceTimeout", "int", 5000, documented=False),
        k("wsl2", "loadDefaultKernelModules", "bool", True, documented=False),
        k("wsl2", "loadKernelModules", "string", None, documented=False),
        k("wsl2", "isolateDistroCgroup", "bool", True, documented=False),
        k("wsl2", "earlyBootLogging", "bool", None, documented=False, note="debug only"),
        k("wsl2", "debugConsoleLogFile", "path", None, documented=False, note="debug only"),
        k("wsl2", "kernelDebugPort", "int", None, documented=False, note="debug only"),
        k("wsl2", "systemDistro", "path", None, documented=False, note="internal"),
        k("wsl2", "telemetry", "bool", None, documented=False, note="internal"),
        k("wsl2", "crashDumpFolder", "path", None, documented=False, note="default %Temp%\\wsl-crashes"),
        k(
            "experimental",
            "autoMemoryReclaim",
            "enum",
            "dropCache",
            choices=("disabled", "gradual", "dropCache"),
        ),
        k("experimental", "sparseVhd", "bool", False),
        k("experimental", "bestEffortDnsParsing", "bool", False, note="only with DNS tunneling"),
        k(
            "experimental",
            "dnsTunnelingIpAddress",
            "ip",
            "10.255.255.254",
            note="only with DNS tunneling; an invalid address disables DNS tunneling",
        ),
        k("experimental", "initialAutoProxyTimeout", "int", 1000),
        k("experimental", "ignoredPorts", "port-list", None, modes=("mirrored",)),
        k("experimental", "hostAddressLoopback", "bool", False, modes=("mirrored",)),
        k("experimental", "swiotlb", "size", None, documented=False),
        k("experimental", "virtioFsAggregateShares", "bool", True, documented=False),
        k("experimental", "setVersionDebug", "bool", False, documented=False, note="debug only"),
        k("general", "distributionInstallPath", "path", None, documented=False, note="default %LOCALAPPDATA%\\wsl"),
        k("general", "instanceIdleTimeout", "int", 15000, documented=False),
    ]


WSLCONFIG_KEYS: tuple[KeySpec, ...] = tuple(_keys())

# --------------------------------------------------------------------------------------------
# Value types of .wslconfig keys only
# --------------------------------------------------------------------------------------------

UINT64_BOUND = 1 << 64
_SIZE_UNITS = {"B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "G": 1 << 30, "GB": 1 << 30}
_SIZE_UNITS.update({"T": 1 << 40, "TB": 1 << 40})
_C_SPACE = " \t\n\v\f\r"


def _strtoull10(text: str) -> tuple[int, int]:
    """C strtoull(base 10): (value, index of the first unparsed character)."""
    i = 0
    while i < len(text) and text[i] in _C_SPACE:
        i += 1
    sign = 1
    if i < len(text) and text[i] in "+-":
        sign = -1 if text[i] == "-" else 1
        i += 1
    digits_start = i
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    if i == digits_start:
        return 0, 0
    number = int(text[digits_start:i])
    if number >= UINT64_BOUND:
        return UINT64_BOUND - 1, i
    return (number * sign) % UINT64_BOUND, i


def wslconfig_value(spec: KeySpec, raw: str) -> tuple[bool, object, str]:
    """``wsl_parse_value`` for the types only .wslconfig keys have: (accepted, typed value, reason when rejected)."""
    kind = spec.type
    if kind == "size":
        # ParseMemorySize: strtoull base 10, then nothing or one of B K KB M MB G GB T TB (upper case)
        number, end = _strtoull10(raw)
        if number == 0 and not (raw.startswith("0") and end == 1):
            return False, None, "not a size (digits, then B, K, KB, M, MB, G, GB, T or TB in upper case)"
        unit = raw[end:]
        if unit == "":
            return True, number, ""
        if unit not in _SIZE_UNITS:
            return False, None, "unknown unit (use B, K, KB, M, MB, G, GB, T or TB, upper case, no space)"
        return True, (number * _SIZE_UNITS[unit]) % UINT64_BOUND, ""
    if kind == "ip":
        try:
            return True, str(ipaddress.IPv4Address(raw)), ""
        except ValueError:
            return False, None, "not an IPv4 address"
    if kind == "port-list":
        ports = {port for port in (_port_item(item) for item in _port_items(raw)) if port is not None}
        return True, sorted(ports), ""
    if kind == "mac":
        match = re.fullmatch(r"([0-9A-Fa-f]{2})([:-])([0-9A-Fa-f]{2})(?:\2([0-9A-Fa-f]{2})){4}", raw)
        if not match:
            return False, None, "not a MAC address (WSL refuses to start)"
        return True, ":".join(re.findall(r"[0-9A-Fa-f]{2}", raw)).upper(), ""
    raise ValueError(f"unknown value type {kind}")


def _port_items(raw: str) -> list[str]:
    # WslCoreConfig.cpp:37 splits on "," with wsl::shared::string::Split (stringshared.h:123-137): no empty items
    return [part for part in raw.split(",") if part]


def _port_item(item: str) -> int | None:
    """One ignoredPorts item as WslCoreConfig.cpp:40-47 reads it: std::stoi (a prefix), then 1..65535."""
    match = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", item)
    if match and 0 < int(match.group(1)) <= 65535:
        return int(match.group(1))
    return None


def rejected_port_items(raw: str) -> list[str]:
    """The ignoredPorts items WSL warns about (one MessageConfigInvalidInteger each) and skips."""
    return [item for item in _port_items(raw) if _port_item(item) is None]
