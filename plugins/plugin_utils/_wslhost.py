# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interpret the raw Windows-side WSL data that the ``wsl_host_facts`` PowerShell module returns.

PRIVATE: this module is internal to effective.wsl and may change at any time.

Pure functions, controller side. The PowerShell module only reads (registry values, file bytes, cmdlet
properties, raw ``wsl.exe`` output); every decision about what those values mean is made here.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import effective_settings, key_states, parse
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_effect import (
    POLICY_KEYS,
    POLICY_NETWORKING_MODES,
    mode_name,
    resolve,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._wintext import decode_text

MIRRORED_HOST_ADDRESS = "127.0.0.1"
DEFAULT_DNS_TUNNELING_ADDRESS = "10.255.255.254"
WSL_FIREWALL_VM_CREATOR_ID = "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"

FEATURE_POLICIES = {
    "AllowWSL": "WSL itself",
    "AllowWSL1": "WSL 1 distributions",
    "AllowInboxWSL": "the inbox (Windows component) WSL",
    "AllowDebugShell": "the debug shell",
    "AllowDiskMount": "wsl --mount",
}
# Mirrored mode needs HNS flow steering and Hyper-V firewall support, else WSL falls back to NAT (microsoft/WSL
# src/windows/service/exe/WslCoreVm.cpp). WSL probes these, not the build; unverified: the build that brings them.
# Maintainers in microsoft/WSL#10495 say a 22H2 update brings them; users there and in #11414 name 22621.2359/.2361;
# 22621.2428 (October 2023) is kept as the conservative threshold.
MIRRORED_MIN_BUILD = 22621
MIRRORED_MIN_UBR = 2428
MIRRORED_SERVICED_BUILDS = range(22621, 22632)  # 22H2 and 23H2 share servicing: UBR matters there
WSL_VERSION_FIELDS = ("wsl", "kernel", "wslg", "msrdc", "direct3d", "dxcore", "windows")


# --- decoding ---------------------------------------------------------------------------------------


def decode_base64_text(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    try:
        return decode_text(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return None


def _lines(text: str) -> list[str]:
    # Localised wsl.exe messages have been captured ending in \r\r\n (tailscale/tailscale#3170).
    return [line.replace("\r", "") for line in text.split("\n")]


# wsl --version labels are localised and zh-TW separates them with the full-width colon U+FF1A
# (microsoft/WSL localization/strings/zh-TW/Resources.resw, MessagePackageVersions).
_LABEL_SEPARATOR = re.compile(r"[:\uff1a]")


def parse_wsl_version_output(text: str) -> dict[str, str] | None:
    """Map ``wsl --version`` lines to fields by position: the labels are localised, the order is not."""
    values = [_LABEL_SEPARATOR.split(line)[-1].strip() for line in _lines(text) if _LABEL_SEPARATOR.search(line)]
    if not values or not re.match(r"^\d+(\.\d+)+$", values[0]):
        return None
    return dict(zip(WSL_VERSION_FIELDS, values, strict=False))


def parse_wsl_list_verbose(text: str) -> list[dict]:
    """Parse ``wsl --list --verbose``: a header, then ``[*] NAME STATE VERSION`` rows.

    The header words and the states are not localised (microsoft/WSL src/windows/inc/wsl.h
    WSL_LIST_HEADER_*, src/windows/common/WslClient.cpp); ``*`` marks the default distribution.
    """
    distributions = []
    for line in _lines(text):
        is_default = line.lstrip().startswith("*")
        fields = line.lstrip().lstrip("*").split()
        if len(fields) < 3 or fields[0] == "NAME" or not fields[-1].isdigit():
            continue
        distributions.append(
            {"name": " ".join(fields[:-2]), "state": fields[-2], "version": int(fields[-1]), "default": is_default}
        )
    return distributions


def _dword(value) -> int | None:
    """Registry DWORDs arrive as signed Int32 from PowerShell; None for anything that is not an integer."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value) & 0xFFFFFFFF
    except (TypeError, ValueError):
        return None


def _as_list(value) -> list:
    """PowerShell unrolls one-element arrays and turns empty ones into null."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- interpretation ---------------------------------------------------------------------------------


def interpret_os(raw_os: Mapping | None) -> dict | None:
    if not raw_os:
        return None
    build = _dword(raw_os.get("CurrentBuild"))
    ubr = _dword(raw_os.get("UBR"))
    return {
        "build": build,
        "ubr": ubr,
        "version": f"10.0.{build}.{ubr}" if build is not None and ubr is not None else None,
        # ProductName says "Windows 10" on Windows 11 too; the build number tells them apart.
        "windows_11": build is not None and build >= 22000,
        "product_name": raw_os.get("ProductName"),
        "display_version": raw_os.get("DisplayVersion"),
    }


def interpret_wsl_version(raw: Mapping | None, notes: list[str]) -> dict:
    if not raw:
        return {"version": None, "source": None, "details": None}
    if raw.get("source") == "registry":
        return {"version": raw.get("version"), "source": "registry", "details": None}
    command = raw.get("wsl_version") or {}
    decoded = decode_base64_text(command.get("stdout_base64"))
    details = parse_wsl_version_output(decoded[0]) if decoded and command.get("rc") == 0 else None
    if details is None:
        notes.append("wsl --version gave no version (inbox WSL, or WSL cannot start in this session)")
        return {"version": None, "source": "wsl_version", "details": None}
    return {"version": details["wsl"], "source": "wsl_version", "details": details}


# LXSS_DISTRO_FLAGS_VM_MODE (microsoft/WSL src/windows/service/inc/wslservice.idl): set for WSL 2 distributions;
# wsl -l -v reports the version from this flag (src/windows/service/exe/LxssUserSession.cpp). The registry value
# "Version" is the file-system format, 2 for every distribution created today (maintainer in microsoft/WSL#5578).
LXSS_DISTRO_FLAGS_VM_MODE = 0x8


def registry_distribution_version(values: Mapping) -> int | None:
    flags = _dword(values.get("Flags"))
    if flags is None:
        return None
    return 2 if flags & LXSS_DISTRO_FLAGS_VM_MODE else 1


def interpret_distributions(raw: Mapping | None, notes: list[str]) -> list[dict] | None:
    if not raw:
        return None
    if raw.get("source") == "wsl_list":
        command = raw.get("wsl_list") or {}
        decoded = decode_base64_text(command.get("stdout_base64"))
        if command.get("rc") != 0 or decoded is None:
            message = " ".join((decoded[0] if decoded else "").split()) or (command.get("stderr") or "").strip()
            notes.append(
                "wsl --list --verbose failed: no distribution is registered or WSL cannot start here"
                + (f" ({message})" if message else "")
            )
            return []
        return parse_wsl_list_verbose(decoded[0])
    default_guid = (raw.get("default_distribution") or "").lower()
    distributions = []
    for entry in _as_list(raw.get("entries")):
        values = entry.get("values") or {}
        if not values.get("DistributionName"):
            continue
        guid = entry.get("guid")
        distributions.append(
            {
                "name": values["DistributionName"],
                "guid": guid,
                "version": registry_distribution_version(values),
                "default": (guid or "").lower() == default_guid,
                "base_path": values.get("BasePath"),
                "default_uid": _dword(values.get("DefaultUid")),
            }
        )
    return sorted(distributions, key=lambda d: d["name"].lower())


def policy_overrides(policy: Mapping) -> list[dict]:
    """Which user settings and features ``HKLM\\Software\\Policies\\WSL`` overrides (value names: microsoft/WSL
    src/windows/inc/wslpolicies.h; their use: src/windows/common/WslCoreConfig.cpp)."""
    overrides = []
    for name, settings in POLICY_KEYS.items():  # the .wslconfig settings each switch overrides when 0
        if _dword(policy.get(name)) == 0:
            overrides.append(
                {"policy": name, "value": 0, "settings": list(settings), "effect": "the .wslconfig value is ignored"}
            )
    for name, feature in FEATURE_POLICIES.items():
        if _dword(policy.get(name)) == 0:
            overrides.append({"policy": name, "value": 0, "settings": [], "effect": f"{feature} is disallowed"})
    default_mode = _dword(policy.get("DefaultNetworkingMode"))
    if default_mode is not None:
        mode = POLICY_NETWORKING_MODES.get(default_mode)
        effect = f"the default networking mode is {mode}" if mode else "invalid value, WSL keeps NAT"
        overrides.append(
            {
                "policy": "DefaultNetworkingMode",
                "value": default_mode,
                "settings": ["wsl2.networkingMode"],
                "effect": effect,
            }
        )
    return overrides


def _setting(settings: Mapping, section: str, key: str, default=None):
    value = (settings.get(section) or {}).get(key)
    return default if value is None else value


def _networking_setting(settings: Mapping, key: str, default=None):
    # networkingMode, dnsTunneling, firewall and autoProxy are also read from [experimental] (microsoft/WSL
    # src/windows/common/WslCoreConfig.cpp: "Features that were previously experimental").
    value = _setting(settings, "wsl2", key)
    return _setting(settings, "experimental", key, default) if value is None else value


def mirrored_blockers(os_info: dict | None, raw: Mapping, notes: list[str]) -> list[str]:
    """Reasons why WSL would fall back from mirrored to NAT on this host (microsoft/WSL
    src/windows/service/exe/WslCoreVm.cpp: Hyper-V firewall support, DisabledComponents 0xFF, flow steering)."""
    reasons = []
    if os_info is None or os_info["build"] is None:
        notes.append("the Windows build is unknown: mirrored support was not checked against it")
    else:
        build, ubr = os_info["build"], os_info["ubr"] or 0
        if build < MIRRORED_MIN_BUILD or (build in MIRRORED_SERVICED_BUILDS and ubr < MIRRORED_MIN_UBR):
            reasons.append(
                f"Windows build {build}.{ubr} lacks HNS flow steering and Hyper-V firewall v2 "
                f"(mirrored needs {MIRRORED_MIN_BUILD}.{MIRRORED_MIN_UBR} or later)"
            )
    if _dword(raw.get("tcpip6_disabled_components")) == 0xFF:
        reasons.append("IPv6 is disabled (Tcpip6\\Parameters DisabledComponents=0xFF)")
    if _dword(raw.get("hyperv_firewall_disable")) == 1:
        reasons.append("the Hyper-V firewall is turned off (MpsSvc\\Parameters HyperVFirewallDisable=1)")
        return reasons
    # microsoft/WSL src/windows/service/exe/WslCoreVm.cpp: without Hyper-V firewall v2 the firewall
    # configuration is dropped (MirroredNetworking::IsHyperVFirewallSupported), and mirrored then falls back to NAT.
    version = hyperv_firewall_version(raw)
    if version == 0:
        reasons.append("the Hyper-V firewall is not available (no MSFT_NetFirewallHyperVVMCreator class)")
    elif version == 1:
        reasons.append("the Hyper-V firewall is v1 only (querying MSFT_NetFirewallHyperVProfile fails)")
    return reasons


def hyperv_firewall_version(raw: Mapping) -> int | None:
    """0 (none), 1 or 2 as WSL decides it; None when the probe did not run.

    microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp, GetHyperVFirewallSupportVersion: none when
    HyperVFirewallDisable=1 or the class MSFT_NetFirewallHyperVVMCreator is missing; v2 when the query
    "SELECT * FROM MSFT_NetFirewallHyperVProfile" SUCCEEDS, however many objects it returns; v1 otherwise.
    """
    if _dword(raw.get("hyperv_firewall_disable")) == 1:
        return 0
    support = raw.get("hyperv_firewall_support")
    if not isinstance(support, Mapping):
        return None
    if not support.get("vm_creator_class"):
        return 0
    return 2 if support.get("profile_query") else 1


def parse_wslconfig(text: str) -> tuple[dict, list[str]]:
    """Effective ``.wslconfig`` values, and the "section.key" names whose value WSL rejects."""
    rejected = sorted(
        name for name, state in key_states(parse(text, "wslconfig")).items() if state.read and not state.accepted
    )
    return effective_settings(text, "wslconfig"), rejected


def interpret_networking(
    settings: Mapping, rejected: list[str], policy: Mapping, os_info: dict | None, wsl_version: str | None, raw: Mapping
) -> dict:
    """Requested and effective networking mode, DNS tunneling and the firewall (``_wslconf_effect.resolve``)."""
    notes: list[str] = []
    requested_value = _networking_setting(settings, "networkingMode")
    requested = str(requested_value).lower() if requested_value is not None else None
    if "wsl2.networkingMode" in rejected:
        notes.append("the networkingMode value is not a known mode: WSL warns and keeps the default")
    version = hyperv_firewall_version(raw)
    firewall_v2 = None if version is None else version == 2
    first = resolve(settings, rejected, policy, wsl_version, firewall_v2)
    blockers = mirrored_blockers(os_info, raw, notes) if first["policy_mode"] == "mirrored" else []
    effect = resolve(settings, rejected, policy, wsl_version, firewall_v2, blockers) if blockers else first
    notes += effect["notes"]
    if blockers:
        notes.append("WSL falls back from mirrored to NAT (with a warning): " + "; ".join(blockers))
    if effect["mode"] == "nat":
        notes.append("if NAT cannot be set up, WSL 2.3.25+ falls back to VirtioProxy at start (not predictable here)")
    tunneling = effect["dns_tunneling"]
    tunneling_address = _setting(settings, "experimental", "dnsTunnelingIpAddress", DEFAULT_DNS_TUNNELING_ADDRESS)
    if tunneling:
        notes.append("WSL silently turns DNS tunneling off while GlobalSecureAccessTunnelingService runs (not checked)")

    return {
        "requested_mode": requested,
        "mode": mode_name(effect["policy_mode"], wsl_version),
        "mode_source": effect["mode_source"],
        "effective_mode": mode_name(effect["mode"], wsl_version),
        "fallback_reasons": effect["fallback_reasons"],
        "host_address_loopback": effect["host_address_loopback"],
        "dns_tunneling": {"enabled": tunneling, "address": str(tunneling_address) if tunneling else None},
        "firewall_enabled": effect["firewall"],
        "notes": notes,
    }


def _gpo_bool(value) -> bool | None:
    return {"true": True, "false": False}.get(str(value).lower()) if value is not None else None


def interpret_firewall(settings: Mapping, policy: Mapping, networking: Mapping, raw: Mapping) -> dict:
    """The Hyper-V firewall as WSL will use it: only in NAT and mirrored mode, only with Hyper-V firewall v2
    (``_wslconf_effect.resolve``, after WslCoreConfig.cpp:152-157, 394-403 and WslCoreVm.cpp:2906-2922)."""
    configured = _networking_setting(settings, "firewall", True) is True
    forced_by_policy = _dword(policy.get("AllowFirewallUserSetting")) == 0
    version = hyperv_firewall_version(raw)
    available = version != 0 and raw.get("hyperv_firewall_cmdlets") is not False
    effective_mode = networking["effective_mode"]
    enabled = available and networking["firewall_enabled"]
    vm_setting = raw.get("hyperv_firewall_vm_setting")
    if vm_setting:
        vm_setting = {
            "enabled": _gpo_bool(vm_setting.get("enabled")),
            "default_inbound_action": vm_setting.get("default_inbound_action"),
            "default_outbound_action": vm_setting.get("default_outbound_action"),
            "loopback_enabled": _gpo_bool(vm_setting.get("loopback_enabled")),
            "allow_host_policy_merge": _gpo_bool(vm_setting.get("allow_host_policy_merge")),
        }
    return {
        "enabled": enabled,
        "configured": configured,
        "forced_on_by_policy": forced_by_policy,
        "available": available,
        "version": version,
        "vm_creator_id": WSL_FIREWALL_VM_CREATOR_ID,
        "vm_setting": vm_setting or None,
        "nat_network": ("WSL (Hyper-V firewall)" if enabled else "WSL") if effective_mode == "nat" else None,
    }


def interpret_nat(raw: Mapping, firewall_enabled: bool) -> dict:
    adapters = [a for a in _as_list(raw.get("adapters")) if a.get("ip_address")]
    # vEthernet (WSL (Hyper-V firewall)) with firewall=true, vEthernet (WSL) otherwise (microsoft/WSL
    # src/windows/common/WslCoreConfig.cpp, NatNetworkName; both adapters listed in microsoft/WSL#10682).
    expected = "vEthernet (WSL (Hyper-V firewall))" if firewall_enabled else "vEthernet (WSL)"
    adapters.sort(key=lambda a: a.get("interface_alias") != expected)
    adapter = adapters[0] if adapters else None
    machine = raw.get("nat_machine") or {}
    user = raw.get("nat_user") or {}
    return {
        "adapter": (
            {"alias": adapter["interface_alias"], "address": adapter["ip_address"], "prefix": adapter["prefix_length"]}
            if adapter
            else None
        ),
        "gateway_address": machine.get("NatGatewayIpAddress"),
        "network": machine.get("NatNetwork"),
        "distro_address": user.get("NatIpAddress"),
    }


def windows_host_address(networking: dict, nat: dict, notes: list[str]) -> str | None:
    """Address at which a distro reaches Windows: NatGatewayIpAddress in NAT mode (microsoft/WSL
    src/windows/common/WslCoreConfig.cpp), 127.0.0.1 in mirrored mode (https://learn.microsoft.com/windows/wsl/networking,
    "Mirrored mode networking"; hostAddressLoopback in WslCoreConfig.cpp)."""
    mode = networking["effective_mode"]
    if mode == "mirrored":
        notes.append(
            "mirrored: the distro reaches Windows on 127.0.0.1"
            + (
                " and on the host's own IPv4 addresses (hostAddressLoopback=true)"
                if networking["host_address_loopback"]
                else "; the host's LAN addresses need hostAddressLoopback=true"
            )
        )
        return MIRRORED_HOST_ADDRESS
    if mode != "nat":
        return None
    if nat["adapter"]:
        return nat["adapter"]["address"]
    if nat["gateway_address"]:
        notes.append(
            "no vEthernet (WSL...) adapter (WSL has not started since boot): using the persisted NatGatewayIpAddress"
        )
        return nat["gateway_address"]
    notes.append("no vEthernet (WSL...) adapter and no NatGatewayIpAddress: start WSL once, then gather again")
    return None


_ENV_REFERENCE = re.compile(r"%([^%]+)%")


def expand_known_folder(value: str | None, profile_dir: str | None, environment: Mapping) -> str | None:
    """Expand a ``User Shell Folders`` value for its own user: ``%USERPROFILE%`` is that user's profile."""
    if not value:
        return None
    variables = {k.lower(): v for k, v in environment.items() if v}
    if profile_dir:
        variables["userprofile"] = profile_dir
    return _ENV_REFERENCE.sub(lambda m: variables.get(m.group(1).lower(), m.group(0)), value)


def interpret_host_facts(raw: Mapping) -> dict:
    """Build ``ansible_facts.wsl_host`` from the raw result of the ``wsl_host_facts`` module."""
    notes: list[str] = []
    policy = {
        name: (_dword(value) if isinstance(value, int) else value) for name, value in (raw.get("policy") or {}).items()
    }
    os_info = interpret_os(raw.get("os"))
    wsl = interpret_wsl_version(raw.get("wsl_version"), notes)

    wslconfig_raw = raw.get("wslconfig") or {}
    decoded = decode_base64_text(wslconfig_raw.get("content_base64"))
    text, encoding = decoded if decoded else ("", None)
    settings, rejected = parse_wslconfig(text)
    wslconfig = {
        "path": wslconfig_raw.get("path"),
        "exists": bool(wslconfig_raw.get("exists")),
        "encoding": encoding,
        "settings": settings,
        "rejected_keys": rejected,
    }

    networking = interpret_networking(settings, rejected, policy, os_info, wsl["version"], raw)
    firewall = interpret_firewall(settings, policy, networking, raw)
    nat = interpret_nat(raw, firewall["enabled"])
    host_address = windows_host_address(networking, nat, networking["notes"])
    folders = raw.get("shell_folders") or {}
    environment = raw.get("environment") or {}
    known_folders = {
        name: expand_known_folder(folders.get(name), raw.get("profile_dir"), environment)
        for name in ("downloads", "desktop", "documents")
    }
    for name, path in known_folders.items():
        if path and _ENV_REFERENCE.search(path):
            notes.append(f"known folder {name} keeps a variable only the user's logon session defines: {path}")

    return {
        "user": raw.get("user"),
        "sid": raw.get("sid"),
        "profile_dir": raw.get("profile_dir"),
        "elevated": raw["elevated"] if isinstance(raw.get("elevated"), bool) else None,
        "os": os_info,
        "wsl_exe_path": (raw.get("wsl_exe") or {}).get("path"),
        "wsl_version": wsl["version"],
        "wsl_version_source": wsl["source"],
        "wsl_version_details": wsl["details"],
        "wslconfig": wslconfig,
        "policy": policy,
        "policy_overrides": policy_overrides(policy),
        "networking": {
            "requested_mode": networking["requested_mode"],
            "mode": networking["mode"],
            "mode_source": networking["mode_source"],
            "effective_mode": networking["effective_mode"],
            "fallback_reasons": networking["fallback_reasons"],
            "host_address_loopback": networking["host_address_loopback"],
            "nat": nat,
            "notes": networking["notes"],
        },
        "dns_tunneling": networking["dns_tunneling"],
        "firewall": firewall,
        "windows_host_address": host_address,
        "known_folders": known_folders,
        "distributions": interpret_distributions(raw.get("distributions"), notes),
        "notes": notes,
        "read_errors": _as_list(raw.get("errors")),
    }
