# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hyper-V firewall engine: canonicalise task options, interpret raw cmdlet output.

Private to effective.wsl (controller side only); it may change at any time.

Two directions, both pure functions over plain data:

* ``build_rule_request`` / ``build_vm_setting_request`` turn the task options into the wire
  arguments of the ``.ps1`` modules. Every value is validated and written in the spelling the
  NetSecurity cmdlets themselves print (``TCP``, ``Inbound``, ``'True'``, ``'{GUID}'``), so the
  ``.ps1`` compares strings in one generic loop.
* ``interpret_rule`` / ``interpret_vm_setting`` / ``interpret_profile`` turn the raw property
  values the ``.ps1`` read back (strings or lists of strings) into the option vocabulary of the
  modules, for ``before``/``after``, the returned facts and the warnings.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.effective.wsl.plugins.module_utils._typename import builtin_type_name

# Sources: "the help of <cmdlet>" is MicrosoftDocs/windows-powershell-docs
# docset/winserver2025-ps/netsecurity/<cmdlet>.md; "the real capture" is the Get-NetFirewallHyperVRule and
# Get-NetFirewallHyperVVMSetting output named in tests/unit/fixtures/hyperv_firewall/README.md.

# The VMCreatorId under which WSL registers with the Hyper-V firewall (microsoft/WSL
# src/windows/common/WslCoreNetworkingSupport.h, c_wslFirewallVmCreatorId; Learn, "Hyper-V firewall").
WSL_VM_CREATOR_ID = "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"

# WSL's own rules ("WslCore-…-1-{guid}", microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp) must never be
# managed or deleted.
PROTECTED_RULE_PREFIX = "WslCore"

# Protocol names the cmdlets accept (-Protocol in the help of New-NetFirewallHyperVRule: TCP, UDP, ICMPv4, ICMPv6 or
# 0-255); any other protocol is a number.
PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmpv4": 1, "icmpv6": 58}
PROTOCOL_SPELLING = {6: "TCP", 17: "UDP", 1: "ICMPv4", 58: "ICMPv6"}
PORT_PROTOCOLS = ("TCP", "UDP")
# WSL's own ICMP rules carry ICMP TYPES in LocalPorts: {3, 11} for ICMPv4, {135, 136, 1, 3} for ICMPv6
# (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp, MakeDefaultFirewallRuleConfiguration).
ICMP_PROTOCOLS = ("ICMPv4", "ICMPv6")

# The cmdlets print an unrestricted condition as "Any" (the real capture: RemotePorts, LocalAddresses).
ANY = "Any"

DIRECTIONS = {"inbound": "Inbound", "outbound": "Outbound"}
RULE_ACTIONS = {"allow": "Allow", "block": "Block"}
DEFAULT_ACTIONS = {"allow": "Allow", "block": "Block", "not_configured": "NotConfigured"}
# -Profiles takes Any, Domain, Private, Public (the help of New-NetFirewallHyperVRule). Unverified: that several
# profiles print as "Private, Public" in this order (inferred, tests/unit/fixtures/hyperv_firewall/README.md).
PROFILE_ORDER = ("Domain", "Private", "Public")
PROFILE_CHOICES = ("any", "domain", "private", "public")

RULE_STATES = ("present", "absent")

# Option -> cmdlet property of MSFT_NetFirewallHyperVRule (same name for New-/Set- parameters,
# except DisplayName, which Set- calls -NewDisplayName).
RULE_PROPERTY_OF_OPTION = {
    "display_name": "DisplayName",
    "enabled": "Enabled",
    "direction": "Direction",
    "action": "Action",
    "protocol": "Protocol",
    "local_ports": "LocalPorts",
    "remote_ports": "RemotePorts",
    "local_addresses": "LocalAddresses",
    "remote_addresses": "RemoteAddresses",
    "profiles": "Profiles",
    "vm_creator_id": "VMCreatorId",
}
RULE_SET_PARAMETER_NAMES = {"DisplayName": "NewDisplayName"}
RULE_OPTIONS = ("name", "state", *RULE_PROPERTY_OF_OPTION)

VM_SETTING_PROPERTY_OF_OPTION = {
    "enabled": "Enabled",
    "default_inbound_action": "DefaultInboundAction",
    "default_outbound_action": "DefaultOutboundAction",
    "loopback_enabled": "LoopbackEnabled",
    "allow_host_policy_merge": "AllowHostPolicyMerge",
}
PROFILE_PROPERTY_OF_OPTION = {"allow_local_firewall_rules": "AllowLocalFirewallRules"}
VM_SETTING_OPTIONS = ("vm_creator_id", *VM_SETTING_PROPERTY_OF_OPTION, *PROFILE_PROPERTY_OF_OPTION)

# Properties the .ps1 reads back, per cmdlet noun: the parameters of the help of Set-NetFirewallHyperVVMSetting and
# New-NetFirewallHyperVProfile, and the real capture.
VM_SETTING_REPORT = ("Name", *VM_SETTING_PROPERTY_OF_OPTION.values())
PROFILE_REPORT = (
    "Name",
    "Profile",
    "Enabled",
    "DefaultInboundAction",
    "DefaultOutboundAction",
    "AllowLocalFirewallRules",
)
ENFORCEMENT_PROBLEMS = ("ParsingError", "Error")

_GUID_RE = re.compile(r"^(\{)?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?(1)\})$")
_PORT_RANGE_RE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
# PowerShell's wildcard characters and its escape character, the backtick (about_Wildcards).
_NAME_WILDCARDS = "*?[]`"
_TRUE_WORDS = ("yes", "on", "1", "true", "y", "t")
_FALSE_WORDS = ("no", "off", "0", "false", "n", "f")


class FirewallOptionError(ValueError):
    """A task option has a value the Hyper-V firewall cmdlets would not accept."""


def _describe(value):
    if isinstance(value, str):
        return repr(str(value))
    return f"{value!r} ({builtin_type_name(value)})"


def _as_list(option, value):
    """Accept a list or a comma-separated string (as Ansible's ``type: list`` does)."""
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    else:
        raise FirewallOptionError(f"{option}: expected a list, got {_describe(value)}")
    if not items or items == [""]:
        raise FirewallOptionError(f"{option}: empty list; give at least one value, or 'any' for no restriction")
    return items


def canonical_name(value):
    """The rule name is the only stable key (``-Name``); it must be a plain, non-wildcard string."""
    if not isinstance(value, str) or not value.strip():
        raise FirewallOptionError(f"name: expected a non-empty string, got {_describe(value)}")
    if value != value.strip():
        raise FirewallOptionError(f"name: {value!r} has leading or trailing white space; give the exact rule name")
    wildcards = sorted({char for char in value if char in _NAME_WILDCARDS})
    if wildcards:
        # The cmdlets take -Name in CIM queries that may match it as a pattern: one '*' would select every rule,
        # a backtick escapes the next character.
        raise FirewallOptionError(
            f"name: {value!r} contains the PowerShell wildcard or escape character(s) {' '.join(wildcards)}; "
            "a rule name must be literal (allowed: any other characters)"
        )
    if value.lower().startswith(PROTECTED_RULE_PREFIX.lower()):
        raise FirewallOptionError(
            f"name: {value!r} starts with {PROTECTED_RULE_PREFIX!r}; rules named {PROTECTED_RULE_PREFIX}* belong to "
            "WSL itself and are never managed"
        )
    return value


def canonical_text(option, value):
    if not isinstance(value, str) or not value.strip():
        raise FirewallOptionError(f"{option}: expected a non-empty string, got {_describe(value)}")
    return value


def canonical_guid(option, value):
    """A VMCreatorId as the cmdlets want it: braced (the help of -VMCreatorId: "a GUID enclosed in brackets") and
    upper-case, quoted when passed (unquoted braces are a script block: MicrosoftDocs/WSL#1869)."""
    if not isinstance(value, str) or not _GUID_RE.match(value.strip()):
        raise FirewallOptionError(
            f"{option}: {_describe(value)} is not a GUID; expected 8-4-4-4-12 hex digits, with or without braces, "
            f"e.g. {WSL_VM_CREATOR_ID} (WSL)"
        )
    return "{" + value.strip().strip("{}").upper() + "}"


def canonical_bool(option, value):
    """``Enabled``-like parameters are enums, not booleans: the strings "True"/"False" (the help of
    Set-NetFirewallHyperVRule, -Enabled: "$true and $false ... are not acceptable values")."""
    if isinstance(value, bool):
        return "True" if value else "False"
    word = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if word in _TRUE_WORDS:
        return "True"
    if word in _FALSE_WORDS:
        return "False"
    raise FirewallOptionError(f"{option}: {_describe(value)} is not a boolean; expected true or false")


def canonical_choice(option, value, choices):
    """Map a case-insensitive choice to the cmdlet's enum spelling; the error lists the allowed values."""
    key = value.strip().lower() if isinstance(value, str) else None
    if key not in choices:
        raise FirewallOptionError(f"{option}: {_describe(value)} is not one of {', '.join(choices)}")
    return choices[key]


def canonical_protocol(value):
    """``tcp``/``udp``/``icmpv4``/``icmpv6``/``any`` or 0-255, spelt as Get-NetFirewallHyperVRule prints it."""
    allowed = "tcp, udp, icmpv4, icmpv6, any, or a protocol number 0-255"
    if isinstance(value, bool):
        raise FirewallOptionError(f"protocol: {_describe(value)} is not a protocol; expected {allowed}")
    text = str(value).strip().lower() if isinstance(value, (str, int)) else ""
    if text == "any":
        return ANY
    if text in PROTOCOL_NUMBERS:
        return PROTOCOL_SPELLING[PROTOCOL_NUMBERS[text]]
    if text.isdigit() and int(text) <= 255:
        number = int(text)
        return PROTOCOL_SPELLING.get(number, str(number))
    raise FirewallOptionError(f"protocol: {_describe(value)} is not a protocol; expected {allowed}")


def _parse_port(option, item):
    allowed = "expected a port 1-65535, a range 'low-high' or 'any'"
    if isinstance(item, bool) or not isinstance(item, (int, str)):
        raise FirewallOptionError(f"{option}: {_describe(item)} is not a port; {allowed}")
    text = str(item).strip()
    match = _PORT_RANGE_RE.match(text)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
    elif text.isdigit():
        low = high = int(text)
    else:
        raise FirewallOptionError(f"{option}: {_describe(item)} is not a port; {allowed}")
    for port in (low, high):
        if not 1 <= port <= 65535:
            raise FirewallOptionError(f"{option}: {_describe(item)}: port {port} is out of range; {allowed}")
    if low > high:
        raise FirewallOptionError(f"{option}: {_describe(item)}: range starts above its end; {allowed}")
    return low, high


def _items_unless_any(option, value, what):
    """The items of a list option, or None for a lone ``any``; ``any`` among other items is refused."""
    items = _as_list(option, value)
    if any(isinstance(item, str) and item.strip().lower() == "any" for item in items):
        if len(items) > 1:
            raise FirewallOptionError(f"{option}: 'any' cannot be combined with other {what}, got {items!r}")
        return None
    return items


def canonical_ports(option, value):
    """Sorted, de-duplicated ports with overlapping or adjacent ranges merged: ``['80', '8000-8100']``."""
    items = _items_unless_any(option, value, "ports")
    if items is None:
        return [ANY]
    merged = []
    for low, high in sorted(_parse_port(option, item) for item in items):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return [str(low) if low == high else f"{low}-{high}" for low, high in merged]


def canonical_icmp_types(option, value):
    """ICMP types 0-255 (what an ICMP rule carries in LocalPorts), sorted numerically, never merged into ranges."""
    items = _items_unless_any(option, value, "ICMP types")
    if items is None:
        return [ANY]
    types = set()
    for item in items:
        text = str(item).strip() if isinstance(item, (int, str)) and not isinstance(item, bool) else ""
        if not text.isdigit() or int(text) > 255:
            raise FirewallOptionError(
                f"{option}: {_describe(item)} is not an ICMP type; with protocol icmpv4/icmpv6 expected ICMP types "
                "0-255 (e.g. 3, 11) or 'any'"
            )
        types.add(int(text))
    return [str(number) for number in sorted(types)]


def _parse_address(option, item):
    """One address element -> (sort key, canonical spelling, alternative spellings the firewall may print)."""
    allowed = "expected an IPv4/IPv6 address, a CIDR subnet (10.0.0.0/8), a range 'first-last' or 'any'"
    if not isinstance(item, str):
        raise FirewallOptionError(f"{option}: {_describe(item)} is not an address; {allowed}")
    text = item.strip()
    try:
        if "-" in text:
            first_text, last_text = (part.strip() for part in text.split("-", 1))
            first, last = ipaddress.ip_address(first_text), ipaddress.ip_address(last_text)
            if first.version != last.version:
                raise FirewallOptionError(f"{option}: {item!r} mixes IPv4 and IPv6; {allowed}")
            if first > last:
                raise FirewallOptionError(f"{option}: {item!r}: range starts above its end; {allowed}")
            spelling = str(first) if first == last else f"{first}-{last}"
            return (first.version, int(first), int(last)), spelling, ()
        if "/" in text:
            network = ipaddress.ip_network(text, strict=False)
            first, last = network.network_address, network.broadcast_address
            if network.prefixlen == network.max_prefixlen:
                return (network.version, int(first), int(last)), str(first), (str(network),)
            alternatives = (f"{first}/{network.netmask}",) if network.version == 4 else ()
            return (network.version, int(first), int(last)), f"{first}/{network.prefixlen}", alternatives
        address = ipaddress.ip_address(text)
        return (address.version, int(address), int(address)), str(address), ()
    except ValueError as error:
        if isinstance(error, FirewallOptionError):
            raise
        raise FirewallOptionError(f"{option}: {item!r} is not an address ({error}); {allowed}") from None


def canonical_addresses(option, value):
    """Addresses, subnets (normalised with ipaddress) and ranges, sorted and de-duplicated."""
    return [spelling for spelling, _alternatives in _canonical_address_entries(option, value)]


def _canonical_address_entries(option, value):
    items = _items_unless_any(option, value, "addresses")
    if items is None:
        return [(ANY, ())]
    parsed = {}
    for item in items:
        key, spelling, alternatives = _parse_address(option, item)
        parsed[spelling] = (key, alternatives)
    return [(spelling, alternatives) for spelling, (key, alternatives) in sorted(parsed.items(), key=lambda e: e[1][0])]


def canonical_profiles(value):
    """``-Profiles`` as its flags-enum string: ``Any`` or e.g. ``Private, Public``."""
    items = _as_list("profiles", value)
    names = set()
    for item in items:
        key = item.strip().lower() if isinstance(item, str) else None
        if key not in PROFILE_CHOICES:
            raise FirewallOptionError(f"profiles: {_describe(item)} is not one of {', '.join(PROFILE_CHOICES)}")
        names.add(key)
    if "any" in names:
        if len(names) > 1:
            raise FirewallOptionError(f"profiles: 'any' cannot be combined with other profiles, got {items!r}")
        return ANY
    return ", ".join(profile for profile in PROFILE_ORDER if profile.lower() in names)


def _check_options(args, known, module):
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise FirewallOptionError(
            f"{module}: unsupported option(s) {', '.join(unknown)}; supported: {', '.join(sorted(known))}"
        )


class _Problems:
    """Collects every input problem so that one run reports them all (ValueError subclasses only)."""

    def __init__(self):
        self.messages = []

    def check(self, function, *args):
        try:
            return function(*args)
        except FirewallOptionError as error:
            self.messages.append(str(error))
            return None

    def raise_any(self):
        if len(self.messages) == 1:
            raise FirewallOptionError(self.messages[0])
        if self.messages:
            raise FirewallOptionError(f"{len(self.messages)} problems: " + "; ".join(self.messages))


def _rule_ports(option, value, protocol):
    if protocol in ICMP_PROTOCOLS:
        if option == "remote_ports":
            raise FirewallOptionError(
                f"remote_ports: not valid with protocol {protocol}; ICMP types go in local_ports, as in WSL's own "
                "ICMP rules"
            )
        return canonical_icmp_types(option, value)
    ports = canonical_ports(option, value)
    if ports != [ANY] and protocol not in PORT_PROTOCOLS:
        raise FirewallOptionError(
            f"{option}: ports are only valid with protocol tcp or udp (or 6/17), and ICMP types in local_ports with "
            f"icmpv4 or icmpv6; got protocol {protocol.lower() if protocol else 'not set'!r}"
        )
    return ports


# What the rule module calls to turn an existing rule on or off: Set-NetFirewallHyperVRule has no -Enabled in
# some builds and docsets, Enable-/Disable-NetFirewallHyperVRule -Name exist in all of them
# (MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps and winserver2025-ps, NetSecurity).
RULE_SWITCH_CMDLETS = {"Enabled": {"True": "Enable-NetFirewallHyperVRule", "False": "Disable-NetFirewallHyperVRule"}}


def build_rule_request(args):
    """Validate the task options of hyperv_firewall_rule; return the arguments of its ``.ps1``.

    Every problem is reported at once. ``_properties`` holds only the options the user gave (plus
    ``VMCreatorId``, which defaults to WSL's so rules never apply to every VM creator by accident).
    Values are in the cmdlet's printed spelling; ``_aliases`` lists other spellings the cmdlet may print
    for the same value (lower-case), which the ``.ps1`` maps before comparing.
    """
    args = {key: value for key, value in args.items() if value is not None}
    problems = _Problems()
    problems.check(_check_options, args, RULE_OPTIONS, "hyperv_firewall_rule")
    name = problems.check(canonical_name, args.get("name"))
    state = problems.check(canonical_choice, "state", args.get("state", "present"), {s: s for s in RULE_STATES})
    if state == "absent":
        extra = sorted(set(args) - {"name", "state"})
        if extra:
            problems.messages.append(
                f"state=absent removes the rule by name only; remove the option(s) {', '.join(extra)} "
                "(they would be ignored)"
            )
        problems.raise_any()
        return {"name": name, "state": state}

    vm_creator_id = problems.check(canonical_guid, "vm_creator_id", args.get("vm_creator_id", WSL_VM_CREATOR_ID))
    properties = {"VMCreatorId": vm_creator_id}
    aliases = {}
    if "display_name" in args:
        properties["DisplayName"] = problems.check(canonical_text, "display_name", args["display_name"])
    if "enabled" in args:
        properties["Enabled"] = problems.check(canonical_bool, "enabled", args["enabled"])
    if "direction" in args:
        properties["Direction"] = problems.check(canonical_choice, "direction", args["direction"], DIRECTIONS)
    if "action" in args:
        properties["Action"] = problems.check(canonical_choice, "action", args["action"], RULE_ACTIONS)
    if "protocol" in args:
        protocol = problems.check(canonical_protocol, args["protocol"])
        properties["Protocol"] = protocol
        number = next((str(n) for n, spelling in PROTOCOL_SPELLING.items() if spelling == protocol), None)
        if number:
            aliases["Protocol"] = {number: protocol}
    protocol_known = "protocol" not in args or properties["Protocol"] is not None
    for option in ("local_ports", "remote_ports"):
        if option in args and protocol_known:
            ports = problems.check(_rule_ports, option, args[option], properties.get("Protocol"))
            properties[RULE_PROPERTY_OF_OPTION[option]] = ports
    for option in ("local_addresses", "remote_addresses"):
        if option not in args:
            continue
        entries = problems.check(_canonical_address_entries, option, args[option])
        if entries is None:
            continue
        prop = RULE_PROPERTY_OF_OPTION[option]
        properties[prop] = [spelling for spelling, _alternatives in entries]
        spellings = {alt.lower(): spelling for spelling, alternatives in entries for alt in alternatives}
        if spellings:
            aliases[prop] = spellings
    if "profiles" in args:
        properties["Profiles"] = problems.check(canonical_profiles, args["profiles"])
    problems.raise_any()

    return {
        "name": name,
        "state": state,
        "vm_creator_id": vm_creator_id,
        "_properties": properties,
        # New-NetFirewallHyperVRule requires -DisplayName; without one the rule is named after itself.
        "_create_properties": {"DisplayName": name},
        "_aliases": aliases,
        "_set_parameter_names": dict(RULE_SET_PARAMETER_NAMES),
        "_switch_cmdlets": {prop: dict(cmdlets) for prop, cmdlets in RULE_SWITCH_CMDLETS.items()},
    }


def build_vm_setting_request(args):
    """Validate the task options of hyperv_firewall_vm_setting; return the arguments of its ``.ps1``.

    ``_objects`` lists each settings object (cmdlet noun + identity parameters), the properties the
    user asked for and the properties to read back. The VM setting is always read; the three
    per-profile objects carry ``AllowLocalFirewallRules`` (the help of New-NetFirewallHyperVProfile).
    """
    args = {key: value for key, value in args.items() if value is not None}
    problems = _Problems()
    problems.check(_check_options, args, VM_SETTING_OPTIONS, "hyperv_firewall_vm_setting")
    vm_creator_id = problems.check(canonical_guid, "vm_creator_id", args.get("vm_creator_id", WSL_VM_CREATOR_ID))
    setting_properties = {}
    for option, prop in VM_SETTING_PROPERTY_OF_OPTION.items():
        if option not in args:
            continue
        if option.startswith("default_"):
            setting_properties[prop] = problems.check(canonical_choice, option, args[option], DEFAULT_ACTIONS)
        else:
            setting_properties[prop] = problems.check(canonical_bool, option, args[option])
    profile_properties = {}
    if "allow_local_firewall_rules" in args:
        profile_properties["AllowLocalFirewallRules"] = problems.check(
            canonical_bool, "allow_local_firewall_rules", args["allow_local_firewall_rules"]
        )
    problems.raise_any()
    objects = [
        {
            "noun": "NetFirewallHyperVVMSetting",
            "identity": {"Name": vm_creator_id},
            "properties": setting_properties,
            "report": list(VM_SETTING_REPORT),
            # The effective values are those of ActiveStore ("the sum of all policy stores", -PolicyStore in the help
            # of Get-NetFirewallHyperVProfile; Learn, "Hyper-V firewall").
            "effective_query": {"Name": vm_creator_id, "PolicyStore": "ActiveStore"},
        }
    ]
    objects.extend(
        {
            "noun": "NetFirewallHyperVProfile",
            "identity": {"Name": vm_creator_id, "Profile": profile},
            "properties": dict(profile_properties),
            "report": list(PROFILE_REPORT),
            # The documented parameter set with -PolicyStore is GetAll (the help of Get-NetFirewallHyperVProfile); the
            # interpretation keeps the entries of this creator and profile.
            "effective_query": {"All": True, "PolicyStore": "ActiveStore"},
        }
        for profile in PROFILE_ORDER
    )
    return {"vm_creator_id": vm_creator_id, "_objects": objects}


# ---------------------------------------------------------------------------------------------
# Interpretation of raw cmdlet output (what the .ps1 read: strings, or lists of strings).


def _raw_list(value):
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if item is not None and str(item).strip() != ""]


def _raw_text(value):
    items = _raw_list(value)
    return ", ".join(items) if items else None


def interpret_enabled(value):
    """``True``/``False`` (enum spelling) -> bool; ``NotConfigured`` -> 'not_configured'; None when absent."""
    text = _raw_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return _snake(text)


def _snake(text):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()


def interpret_protocol(value):
    text = _raw_text(value)
    if text is None or text.lower() == "any":
        return "any"
    if text.isdigit() and int(text) in PROTOCOL_SPELLING:
        return PROTOCOL_SPELLING[int(text)].lower()
    return text.lower()


def _interpret_list(value, canonical):
    items = _raw_list(value)
    if not items or [item.lower() for item in items] == ["any"]:
        return ["any"]
    try:
        return canonical("printed", items)
    except FirewallOptionError:
        return items  # a keyword this engine does not model: shown as printed


def interpret_ports(value):
    return _interpret_list(value, canonical_ports)


def interpret_addresses(value):
    return _interpret_list(value, canonical_addresses)


def interpret_icmp_types(value):
    return _interpret_list(value, canonical_icmp_types)


def interpret_profiles(value):
    items = [part.strip() for item in _raw_list(value) for part in item.split(",") if part.strip()]
    if not items or [item.lower() for item in items] == ["any"]:
        return ["any"]
    return sorted({item.lower() for item in items}, key=lambda p: (p not in PROFILE_CHOICES, p))


def _interpret_choice(value):
    text = _raw_text(value)
    return None if text is None else _snake(text)


def interpret_rule(raw):
    """Raw MSFT_NetFirewallHyperVRule properties -> the module's option vocabulary (None: no rule)."""
    if not raw:
        return None
    vm_creator = _raw_text(raw.get("VMCreatorId"))
    protocol = interpret_protocol(raw.get("Protocol"))
    ports = interpret_icmp_types if protocol in ("icmpv4", "icmpv6") else interpret_ports
    return {
        "name": _raw_text(raw.get("Name")),
        "display_name": _raw_text(raw.get("DisplayName")),
        "enabled": interpret_enabled(raw.get("Enabled")),
        "direction": _interpret_choice(raw.get("Direction")),
        "action": _interpret_choice(raw.get("Action")),
        "protocol": protocol,
        "local_ports": ports(raw.get("LocalPorts")),
        "remote_ports": ports(raw.get("RemotePorts")),
        "local_addresses": interpret_addresses(raw.get("LocalAddresses")),
        "remote_addresses": interpret_addresses(raw.get("RemoteAddresses")),
        "profiles": interpret_profiles(raw.get("Profiles")),
        "vm_creator_id": _interpret_vm_creator(vm_creator),
        "enforcement_status": _raw_text(raw.get("EnforcementStatus")),
        "policy_store_source_type": _raw_text(raw.get("PolicyStoreSourceType")),
    }


def _interpret_vm_creator(text):
    if text is None or text.lower() == "any":
        return "any"
    try:
        return canonical_guid("vm_creator_id", text)
    except FirewallOptionError:
        return text


def interpret_vm_setting(raw):
    """Raw MSFT_NetFirewallHyperVVMSetting properties -> option vocabulary (None: no setting)."""
    if not raw:
        return None
    return {
        "vm_creator_id": _interpret_vm_creator(_raw_text(raw.get("Name"))),
        "enabled": interpret_enabled(raw.get("Enabled")),
        "default_inbound_action": _interpret_choice(raw.get("DefaultInboundAction")),
        "default_outbound_action": _interpret_choice(raw.get("DefaultOutboundAction")),
        "loopback_enabled": interpret_enabled(raw.get("LoopbackEnabled")),
        "allow_host_policy_merge": interpret_enabled(raw.get("AllowHostPolicyMerge")),
    }


def interpret_profile(raw):
    """Raw MSFT_NetFirewallHyperVProfile properties -> option vocabulary (None: no profile object)."""
    if not raw:
        return None
    return {
        "profile": (_raw_text(raw.get("Profile")) or "").lower() or None,
        "enabled": interpret_enabled(raw.get("Enabled")),
        "default_inbound_action": _interpret_choice(raw.get("DefaultInboundAction")),
        "default_outbound_action": _interpret_choice(raw.get("DefaultOutboundAction")),
        "allow_local_firewall_rules": interpret_enabled(raw.get("AllowLocalFirewallRules")),
    }


def local_rules_warnings(profiles, rule_profiles=("any",), subject="local Hyper-V firewall rules"):
    """Warn for each profile (interpreted) that has AllowLocalFirewallRules=False and that the rule uses."""
    applies_to_all = "any" in rule_profiles
    blocked = [
        entry["profile"]
        for entry in profiles
        if entry
        and entry.get("allow_local_firewall_rules") is False
        and (applies_to_all or entry.get("profile") in rule_profiles)
    ]
    if not blocked:
        return []
    return [
        f"AllowLocalFirewallRules is False for the {', '.join(blocked)} profile(s) of this VM creator: {subject} are "
        "silently not applied there; set allow_local_firewall_rules=true with "
        "effective.wsl.hyperv_firewall_vm_setting, or check the MDM/Intune policy that sets it"
    ]


def rule_warnings(rule, profiles):
    """Warnings for an interpreted rule (after the change) and the interpreted profiles of its creator."""
    if rule is None:
        return []
    warnings = local_rules_warnings(profiles, rule.get("profiles") or ("any",), f"rules such as {rule['name']!r}")
    if rule.get("enforcement_status") in ENFORCEMENT_PROBLEMS:
        warnings.append(
            f"rule {rule['name']!r} has EnforcementStatus {rule['enforcement_status']}: Windows could not enforce it"
        )
    return warnings


# ---------------------------------------------------------------------------------------------
# Results: what the action plugins return, from what the .ps1 modules reported.

RULE_REPORT_ONLY = ("enforcement_status", "policy_store_source_type")
_OPTION_OF_RULE_PROPERTY = {prop: option for option, prop in RULE_PROPERTY_OF_OPTION.items()}
_OPTION_OF_SETTING_PROPERTY = {
    prop: option for option, prop in {**VM_SETTING_PROPERTY_OF_OPTION, **PROFILE_PROPERTY_OF_OPTION}.items()
}


def _same_creator(raw_name, vm_creator_id):
    return _interpret_vm_creator(_raw_text(raw_name)) == vm_creator_id


def _without(entry, keys):
    return None if entry is None else {key: value for key, value in entry.items() if key not in keys}


# What New-NetFirewallHyperVRule uses for a parameter it is not given (the "Default value" of each parameter in its
# help; "Any" for the unset conditions as the real capture prints them).
NEW_RULE_DEFAULTS = {
    "Direction": "Inbound",
    "Action": "Allow",
    "Enabled": "True",
    "Protocol": ANY,
    "LocalPorts": [ANY],
    "RemotePorts": [ANY],
    "LocalAddresses": [ANY],
    "RemoteAddresses": [ANY],
    "Profiles": ANY,
}


def rule_result(request, module_result, want_diff):
    """The task result of hyperv_firewall_rule from the raw report of its .ps1."""
    before = interpret_rule(module_result.get("raw_before"))
    raw_after = module_result.get("raw_after")
    if module_result.get("operation") == "create" and raw_after:
        # A check-mode prediction holds only what was passed to New-; the cmdlet defaults fill the rest.
        raw_after = {**NEW_RULE_DEFAULTS, **{key: value for key, value in raw_after.items() if value is not None}}
    after = interpret_rule(raw_after)
    vm_creator_id = request.get("vm_creator_id")
    profiles = [
        interpret_profile(raw)
        for raw in module_result.get("raw_profiles") or []
        if raw and _same_creator(raw.get("Name"), vm_creator_id)
    ]
    warnings = list(module_result.get("warnings") or [])
    if request["state"] == "present":
        warnings.extend(rule_warnings(after, profiles))
    if module_result.get("profile_read_error"):
        warnings.append(
            "could not read the Hyper-V firewall profiles to check AllowLocalFirewallRules: "
            f"{module_result['profile_read_error']}"
        )
    result = {
        "changed": bool(module_result.get("changed")),
        "operation": module_result.get("operation", "none"),
        "changed_keys": sorted(
            _OPTION_OF_RULE_PROPERTY.get(prop, prop) for prop in module_result.get("changed_properties") or []
        ),
        "cmdlets": list(module_result.get("calls") or []),
        "rule": after,
        "enforcement_status": after.get("enforcement_status") if after else None,
        "profiles": profiles,
    }
    if warnings:
        result["warnings"] = warnings
    if want_diff:
        result["diff"] = {
            "before_header": f"Hyper-V firewall rule {request['name']}",
            "after_header": f"Hyper-V firewall rule {request['name']}",
            "before": _without(before, RULE_REPORT_ONLY) or {},
            "after": _without(after, RULE_REPORT_ONLY) or {},
        }
    return result


def _effective_entry(raw_entries, identity):
    """The ActiveStore entry of one object: same creator, and same profile for profile objects."""
    for raw in raw_entries or []:
        if not raw or not _same_creator(raw.get("Name"), identity["Name"]):
            continue
        if "Profile" in identity and (_raw_text(raw.get("Profile")) or "").lower() != identity["Profile"].lower():
            continue
        return raw
    return None


class FirewallHostError(Exception):
    """The host cannot do what the task asks (a cmdlet or parameter is missing); nothing was changed."""


def _differs(observed, desired):
    return (_raw_text(observed) or "").lower() != str(desired).strip().lower()


def plan_vm_setting(request, read_result):
    """The cmdlet calls that bring each settings object to the requested values, from the read phase's report.

    Set- once the VM creator is registered or any of its settings objects exists; New- only before that
    (Set-/New-NetFirewallHyperVVMSetting and -Profile help, docset/winserver2025-ps/NetSecurity: New- "should be
    used when none of the following are true: a Hyper-V VM creator has registered its VM creator ID with the
    system, when another Hyper-V setting is already configured for the specified VM creator ID, or when a
    Hyper-V firewall port is created"). WSL registers its creator and writes its own setting into the
    SystemDefaults store (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp), so an empty local store
    does not mean New-. A Set- call carries the New- call as its fallback for a creator that is not registered
    after all. Every parameter of every call is checked against the host's cmdlets before anything is written;
    a missing one raises FirewallHostError naming them all.
    """
    creator = request["vm_creator_id"]
    registered = {_interpret_vm_creator(str(item)) for item in _raw_list(read_result.get("vm_creators"))}
    reported = read_result.get("objects") or []
    exists = any(entry.get("raw") for entry in reported)
    verb = "Set" if creator in registered or exists else "New"
    calls, changed = [], {}
    for wanted, entry in zip(request["_objects"], reported, strict=True):
        raw = entry.get("raw") or {}
        properties = {prop: value for prop, value in wanted["properties"].items() if _differs(raw.get(prop), value)}
        changed[_object_label(wanted)] = sorted(properties)
        if not properties:
            continue
        noun = wanted["noun"]
        calls.append(
            {
                "cmdlet": f"{verb}-{noun}",
                "parameters": {**wanted["identity"], **properties},
                "fallback": f"New-{noun}" if verb == "Set" else "",
            }
        )
    _check_parameters(calls, read_result.get("cmdlet_parameters") or {})
    return {"calls": calls, "changed": changed, "creator_registered": creator in registered, "verb": verb}


def _check_parameters(calls, host_parameters):
    missing = []
    for call in calls:
        for cmdlet in filter(None, (call["cmdlet"], call["fallback"])):
            available = host_parameters.get(cmdlet)
            if available is None:
                missing.append(f"{cmdlet} does not exist")
                continue
            absent = [name for name in call["parameters"] if name not in available]
            if absent:
                missing.append(f"{cmdlet} has no parameter {', '.join('-' + name for name in absent)}")
    if missing:
        raise FirewallHostError(
            "this Windows build cannot apply the request, nothing was changed: " + "; ".join(sorted(set(missing)))
        )


def _object_label(entry):
    identity = entry.get("identity") or {}
    return " ".join([entry.get("noun", ""), *(str(value) for value in identity.values())])


def _predicted(raw, wanted):
    """Check mode: the object as it is, with the requested values laid over it."""
    predicted = dict(raw or {})
    predicted.update({key: value for key, value in wanted["identity"].items() if key not in predicted})
    predicted.update(wanted["properties"])
    return predicted


def vm_setting_result(request, read_result, plan, write_result, want_diff, check_mode):
    """The task result of hyperv_firewall_vm_setting from its read (and, outside check mode, write) report."""
    sides = {"before": {"vm_setting": None, "profiles": {}}, "after": {"vm_setting": None, "profiles": {}}}
    effective = {"vm_setting": None, "profiles": {}}
    warnings = [*(read_result.get("warnings") or []), *((write_result or {}).get("warnings") or [])]
    after_report = (write_result or {}).get("objects") or read_result.get("objects") or []
    for wanted, before, after in zip(request["_objects"], read_result.get("objects") or [], after_report, strict=True):
        identity = wanted["identity"]
        is_profile = wanted["noun"] == "NetFirewallHyperVProfile"
        interpret = interpret_profile if is_profile else interpret_vm_setting
        changed = plan["changed"][_object_label(wanted)]
        raw_after = after.get("raw")
        if check_mode and changed:
            raw_after = _predicted(before.get("raw"), wanted)
        values = {"before": interpret(before.get("raw")), "after": interpret(raw_after)}
        effective_value = interpret(_effective_entry(after.get("raw_effective"), identity))
        for side, value in values.items():
            if is_profile:
                sides[side]["profiles"][identity["Profile"].lower()] = value
            else:
                sides[side]["vm_setting"] = value
        if is_profile:
            # In check mode nothing was written, so a profile being changed is judged by its predicted value.
            effective["profiles"][identity["Profile"].lower()] = (
                values["after"] if check_mode and changed else effective_value
            )
        else:
            effective["vm_setting"] = effective_value
        if after.get("effective_read_error"):
            warnings.append(
                f"could not read the effective (ActiveStore) {wanted['noun']}: {after['effective_read_error']}"
            )
    if read_result.get("vm_creator_read_error"):
        warnings.append(
            f"could not list the registered VM creators ({read_result['vm_creator_read_error']}); "
            f"{plan['verb']}- was chosen from the settings objects found"
        )
    applied = (write_result or {}).get("applied") or ([call["cmdlet"] for call in plan["calls"]] if check_mode else [])
    judged = [entry for entry in effective["profiles"].values() if entry]
    warnings.extend(local_rules_warnings(judged, subject="local Hyper-V firewall rules"))
    result = {
        "changed": bool(plan["calls"]),
        "changed_keys": sorted(
            {_OPTION_OF_SETTING_PROPERTY.get(prop, prop) for props in plan["changed"].values() for prop in props}
        ),
        "created": sorted({cmdlet.split("-", 1)[1] for cmdlet in applied if cmdlet.startswith("New-")}),
        "cmdlets": applied,
        "creator_registered": plan["creator_registered"],
        "vm_setting": sides["after"]["vm_setting"],
        "profiles": sides["after"]["profiles"],
        "effective": effective,
    }
    if warnings:
        result["warnings"] = warnings
    if want_diff:
        header = f"Hyper-V firewall settings of VM creator {request['vm_creator_id']}"
        result["diff"] = {
            "before_header": header,
            "after_header": header,
            "before": sides["before"],
            "after": sides["after"],
        }
    return result
