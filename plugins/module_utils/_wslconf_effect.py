# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What WSL makes of the ``.wslconfig`` settings it read, before and while it starts the VM.

PRIVATE to the effective.wsl collection: the API may change at any time. A pure function, standard
library only. It follows ``wsl::core::Config`` (``src/windows/common/WslCoreConfig.cpp``) and the
networking checks of ``src/windows/service/exe/WslCoreVm.cpp`` of microsoft/WSL at 3e27a6a50, as far
as they depend on the file, the policy and facts the caller knows; host checks that need a running
Windows (mirrored support, GlobalSecureAccess, a switch that exists) are left to the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# WslCoreConfig.cpp:356-375: DefaultNetworkingMode policy values; 2 (bridged) and others keep NAT
POLICY_NETWORKING_MODES = {0: "none", 1: "nat", 3: "mirrored", 4: "consomme"}
# WslCoreConfig.cpp:343-348: the settings a policy switch clears when it is 0
POLICY_KEYS = {
    "AllowKernelUserSetting": ("wsl2.kernel", "wsl2.kernelModules"),
    "AllowKernelCommandLineUserSetting": ("wsl2.kernelCommandLine",),
    "AllowKernelDebugUserSetting": ("wsl2.kernelDebugPort",),
    "AllowNestedVirtualization": ("wsl2.nestedVirtualization",),
    "AllowSystemDistroUserSetting": ("wsl2.systemDistro",),
    "AllowNetworkingModeUserSetting": ("wsl2.networkingMode",),
    "AllowFirewallUserSetting": ("wsl2.firewall",),
}
SAFE_MODE_EFFECT = (
    "networking (mode none), DNS tunneling, autoProxy, GPU, GUI apps, host file system access, virtio, nested "
    "virtualisation, hardware performance counters, swap and any custom kernel or kernel modules"
)
CONSOMME_NAME_VERSION = (2, 9)  # "Consomme" replaced "VirtioProxy" in 2.9.0 (microsoft/WSL b9e1d7044, #40873)


def version_tuple(version: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version or ""))


def mode_name(mode: str, wsl_version: str | None) -> str:
    """The name WSL gives a mode: the Consomme mode is ``virtioproxy`` before WSL 2.9 (and when unknown)."""
    if mode == "consomme" and version_tuple(wsl_version) < CONSOMME_NAME_VERSION:
        return "virtioproxy"
    return mode


def policy_allows(policy: Mapping | None, name: str) -> bool:
    """wslpolicies.h:65-83 IsFeatureAllowed: only the value 0 forbids; a missing or invalid value allows."""
    value = (policy or {}).get(name)
    if value is None:
        return True
    text = str(value).strip().lower()
    if text == "false":
        return False
    try:
        return int(text, 0) != 0
    except ValueError:
        return True


def policy_default_mode(policy: Mapping | None) -> str | None:
    """The mode DefaultNetworkingMode selects, or None (absent or invalid: WSL keeps NAT)."""
    try:
        value = int(str((policy or {}).get("DefaultNetworkingMode")), 0) & 0xFFFFFFFF
    except ValueError:
        return None
    return POLICY_NETWORKING_MODES.get(value)


def _get(settings: Mapping, section: str, key: str, default=None):
    value = (settings.get(section) or {}).get(key)
    return default if value is None else value


def resolve(
    settings: Mapping,
    rejected: tuple | list = (),
    policy: Mapping | None = None,
    wsl_version: str | None = None,
    hyperv_firewall_v2: bool | None = None,
    mirrored_blockers: tuple | list = (),
) -> dict:
    """The effective networking and feature settings WSL will use.

    ``settings`` is ``effective_settings(text, "wslconfig")``; ``rejected`` the "section.key" names
    whose value WSL rejected; ``wsl_version``, ``hyperv_firewall_v2`` (None: unknown) and
    ``mirrored_blockers`` (why this host cannot run mirrored mode) are host facts. Returns plain data:
    the effective values, ``policy_mode`` (the mode after policy and safe mode) and ``mode`` (after the
    fallbacks, with ``fallback_reasons``), ``mode_source``, ``policy_overridden`` (what WSL reports as
    overridden by policy) and ``notes`` (what WSL changes and why).
    """
    notes: list[str] = []
    overridden: list[str] = []
    wsl2 = settings.get("wsl2") or {}

    requested = str(wsl2["networkingMode"]).lower() if "networkingMode" in wsl2 else None
    if requested == "virtioproxy":
        requested = "consomme"  # WslCoreConfig.h:121-128: VirtioProxy is the legacy name of the same mode
    present = requested is not None
    if wsl2.get("networkingMode") == "consomme" and wsl_version and version_tuple(wsl_version) < (2, 9):
        notes.append(
            f"networkingMode=consomme is unknown to WSL {wsl_version} (before 2.9): WSL warns and keeps the default; "
            "write virtioproxy, which every WSL with that mode accepts"
        )
        present, requested = False, None

    enable = {
        "localhost_forwarding": _get(settings, "wsl2", "localhostForwarding", True),
        "dns_tunneling": _get(settings, "wsl2", "dnsTunneling", True),
        "best_effort_dns_parsing": _get(settings, "experimental", "bestEffortDnsParsing", False),
        "auto_proxy": _get(settings, "wsl2", "autoProxy", True),
        "host_address_loopback": _get(settings, "experimental", "hostAddressLoopback", False),
        "gui_applications": _get(settings, "wsl2", "guiApplications", True),
        "gpu_support": _get(settings, "wsl2", "gpuSupport", True),
        "host_file_system_access": _get(settings, "wsl2", "hostFileSystemAccess", True),
        "nested_virtualization": _get(settings, "wsl2", "nestedVirtualization"),  # None: Windows decides
        "hardware_performance_counters": _get(settings, "wsl2", "hardwarePerformanceCounters"),  # None: x64 only
        "virtio": _get(settings, "wsl2", "virtio"),  # None: on except on Windows 10 ARM64
        "safe_mode": _get(settings, "wsl2", "safeMode", False),
    }
    ignored_ports = list(_get(settings, "experimental", "ignoredPorts", []))
    kernel = _get(settings, "wsl2", "kernel")
    kernel_modules = _get(settings, "wsl2", "kernelModules")
    swap = _get(settings, "wsl2", "swap")

    # WslCoreConfig.cpp:52-60: an invalid dnsTunnelingIpAddress turns DNS tunneling off while the file is read
    if "experimental.dnsTunnelingIpAddress" in rejected:
        enable["dns_tunneling"] = False
        notes.append("dnsTunnelingIpAddress is not an IPv4 address: WSL turns DNS tunneling off")
    # WslCoreConfig.cpp:152-157: the firewall is decided with the mode as written in the file
    firewall = requested == "mirrored" or _get(settings, "wsl2", "firewall", True) is True

    # WslCoreConfig.cpp:343-348
    for name, key, value in (
        ("AllowKernelUserSetting", "wsl2.kernel", kernel),
        ("AllowKernelUserSetting", "wsl2.kernelModules", kernel_modules),
        ("AllowSystemDistroUserSetting", "wsl2.systemDistro", _get(settings, "wsl2", "systemDistro")),
        ("AllowKernelCommandLineUserSetting", "wsl2.kernelCommandLine", _get(settings, "wsl2", "kernelCommandLine")),
        ("AllowKernelDebugUserSetting", "wsl2.kernelDebugPort", _get(settings, "wsl2", "kernelDebugPort")),
        ("AllowNestedVirtualization", "wsl2.nestedVirtualization", enable["nested_virtualization"]),
    ):
        if value and not policy_allows(policy, name):
            overridden.append(key)
    if "wsl2.kernel" in overridden:
        kernel = None
    if "wsl2.kernelModules" in overridden:
        kernel_modules = None
    if "wsl2.nestedVirtualization" in overridden:
        enable["nested_virtualization"] = False

    # WslCoreConfig.cpp:356-392: the policy default, and whether the user may choose (none is always allowed)
    default_mode = policy_default_mode(policy) or "nat"
    if not present:
        mode, source = default_mode, ("policy" if policy_default_mode(policy) else "default")
    elif not policy_allows(policy, "AllowNetworkingModeUserSetting") and requested not in ("none", default_mode):
        mode, source = default_mode, "policy"
        overridden.append("wsl2.networkingMode")
        notes.append(f"networkingMode={requested} is overridden by policy AllowNetworkingModeUserSetting=0")
    else:
        mode, source = requested, "wslconfig"

    # WslCoreConfig.cpp:394-403
    if mode != "mirrored" and not firewall and not policy_allows(policy, "AllowFirewallUserSetting"):
        firewall = True
        overridden.append("wsl2.firewall")

    # WslCoreConfig.cpp:423-439
    if enable["safe_mode"]:
        for name in (
            "host_file_system_access",
            "nested_virtualization",
            "hardware_performance_counters",
            "gpu_support",
            "virtio",
            "gui_applications",
            "dns_tunneling",
            "auto_proxy",
        ):
            enable[name] = False
        swap, kernel, kernel_modules = 0, None, None
        mode, source = "none", "safe_mode"
        notes.append(f"safeMode=true turns off {SAFE_MODE_EFFECT}")

    policy_mode = mode
    fallbacks: list[str] = []
    # WslCoreConfig.cpp:441-452: Consomme needs virtio; without it WSL uses NAT (none if Consomme was the default)
    if enable["virtio"] is False and mode == "consomme":
        mode = "none" if default_mode == "consomme" else "nat"
        fallbacks.append(f"virtio=false: the consomme mode needs virtio, WSL uses {mode} instead")

    # WslCoreVm.cpp:2906-2922: NAT and mirrored use the Hyper-V firewall only where Hyper-V firewall v2 exists
    if firewall and mode in ("nat", "mirrored"):
        if hyperv_firewall_v2 is False:
            firewall = False
            notes.append("the Hyper-V firewall needs Hyper-V firewall v2 (Windows 11 22H2 or later): WSL turns it off")
        elif hyperv_firewall_v2 is None:
            notes.append("the Hyper-V firewall is only used where Hyper-V firewall v2 exists (not checked here)")
    # WslCoreVm.cpp:2924-2956: mirrored falls back to NAT on hosts that cannot run it, or without the firewall
    if mode == "mirrored" and (mirrored_blockers or not firewall):
        mode = "nat"
        fallbacks += list(mirrored_blockers) or ["mirrored mode needs the Hyper-V firewall, which is off"]

    # BridgedNetworking.cpp:17-20 fails without a switch; WslCoreVm.cpp:679-692 then falls back to none
    if mode == "bridged" and not _get(settings, "wsl2", "vmSwitch"):
        mode = "none"
        fallbacks.append("bridged mode needs [wsl2] vmSwitch: without it WSL fails to set up the network and uses none")
    notes += fallbacks

    # WslCoreConfig.cpp:467-485 (applied after the fallbacks, which only move to modes with the same rules)
    if mode not in ("nat", "mirrored", "consomme"):
        enable["dns_tunneling"] = False
    if not enable["dns_tunneling"]:
        enable["best_effort_dns_parsing"] = False
    if mode != "mirrored":
        ignored_ports = []
        enable["host_address_loopback"] = False
    # NatNetworking.cpp:524, BridgedNetworking.cpp:81, WslCoreVm.cpp:612; mirrored ignores it (WslCoreVm.cpp:2959-2965)
    if mode not in ("nat", "bridged", "consomme"):
        enable["localhost_forwarding"] = False

    return {
        "requested_mode": requested,
        "policy_mode": policy_mode,
        "mode": mode,
        "mode_source": source,
        "fallback_reasons": fallbacks,
        "firewall": firewall and mode in ("nat", "mirrored"),
        **enable,
        "ignored_ports": ignored_ports,
        "kernel": kernel,
        "kernel_modules": kernel_modules,
        "swap": swap,
        "policy_overridden": overridden,
        "notes": notes,
    }
