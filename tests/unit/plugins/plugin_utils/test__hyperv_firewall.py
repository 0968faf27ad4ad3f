"""Canonicalisation and interpretation tables for the Hyper-V firewall engine."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from ansible_collections.effective.wsl.plugins.plugin_utils._hyperv_firewall import (
    WSL_VM_CREATOR_ID,
    FirewallHostError,
    FirewallOptionError,
    build_rule_request,
    build_vm_setting_request,
    canonical_addresses,
    canonical_bool,
    canonical_guid,
    canonical_ports,
    canonical_profiles,
    canonical_protocol,
    interpret_profile,
    interpret_rule,
    interpret_vm_setting,
    plan_vm_setting,
    rule_result,
)

FIXTURES = Path(__file__).parents[3] / "unit" / "fixtures" / "hyperv_firewall"


def load(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([80], ["80"]),
        (["80"], ["80"]),
        ("80,443", ["80", "443"]),
        ([443, 80, 80], ["80", "443"]),
        ([8000, "8000-8100"], ["8000-8100"]),
        (["8000-8100", "8050-8200"], ["8000-8200"]),
        ([79, 80, 81, "82"], ["79-82"]),
        (["100-100"], ["100"]),
        ([" 22 ", "1 - 3"], ["1-3", "22"]),
        ([1, 65535], ["1", "65535"]),
        (["any"], ["Any"]),
        ("ANY", ["Any"]),
    ],
)
def test_canonical_ports(given, expected):
    assert canonical_ports("local_ports", given) == expected


def _covered(ports):
    covered = set()
    for item in ports:
        low, _separator, high = str(item).partition("-")
        covered.update(range(int(low), int(high or low) + 1))
    return covered


# Small and edge ranges make overlapping and adjacent ports likely.
_PORT = st.one_of(st.integers(1, 30), st.integers(65520, 65535), st.integers(1, 65535))
_PORT_ITEM = st.one_of(_PORT, st.tuples(_PORT, _PORT).map(lambda pair: f"{min(pair)}-{max(pair)}"))


@hypothesis.given(st.lists(_PORT_ITEM, min_size=1, max_size=12))
@hypothesis.settings(deadline=None)  # sets of up to 65535 ports per example: over 200 ms on the busy shared machine
def test_canonical_ports_keeps_the_same_ports_sorted_and_merged(items):
    ports = canonical_ports("local_ports", items)
    assert _covered(ports) == _covered(items)
    assert canonical_ports("local_ports", ports) == ports  # idempotent
    bounds = [tuple(int(part) for part in port.partition("-")[::2] if part) for port in ports]
    # sorted and neither overlapping nor adjacent: each range starts at least 2 above the previous end
    assert all(later[0] >= earlier[-1] + 2 for earlier, later in itertools.pairwise(bounds))


@hypothesis.given(
    st.lists(
        st.one_of(
            st.ip_addresses().map(str),
            st.tuples(st.ip_addresses(v=4), st.integers(0, 32)).map(lambda pair: f"{pair[0]}/{pair[1]}"),
            st.tuples(st.ip_addresses(v=6), st.integers(0, 128)).map(lambda pair: f"{pair[0]}/{pair[1]}"),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_canonical_addresses_is_idempotent(items):
    addresses = canonical_addresses("remote_addresses", items)
    assert canonical_addresses("remote_addresses", addresses) == addresses
    assert len(addresses) == len(set(addresses))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("tcp", "TCP"),
        ("TCP", "TCP"),
        (6, "TCP"),
        ("6", "TCP"),
        ("udp", "UDP"),
        (17, "UDP"),
        ("icmpv4", "ICMPv4"),
        (1, "ICMPv4"),
        ("ICMPv6", "ICMPv6"),
        (58, "ICMPv6"),
        ("any", "Any"),
        (0, "0"),
        ("47", "47"),
        (255, "255"),
    ],
)
def test_canonical_protocol(given, expected):
    assert canonical_protocol(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["192.168.1.10"], ["192.168.1.10"]),
        (["10.0.0.1/8"], ["10.0.0.0/8"]),
        (["192.168.1.0/255.255.255.0"], ["192.168.1.0/24"]),
        (["1.2.3.4/32"], ["1.2.3.4"]),
        (["FE80::0001"], ["fe80::1"]),
        (["2001:DB8::/32"], ["2001:db8::/32"]),
        (["10.0.0.9-10.0.0.20"], ["10.0.0.9-10.0.0.20"]),
        (["10.0.0.9-10.0.0.9"], ["10.0.0.9"]),
        (["fe80::1", "10.0.0.0/8", "1.2.3.4", "10.0.0.0/8"], ["1.2.3.4", "10.0.0.0/8", "fe80::1"]),
        ("any", ["Any"]),
    ],
)
def test_canonical_addresses(given, expected):
    assert canonical_addresses("remote_addresses", given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["any"], "Any"),
        (["public"], "Public"),
        (["Public", "private"], "Private, Public"),
        (["domain", "public", "private", "public"], "Domain, Private, Public"),
    ],
)
def test_canonical_profiles(given, expected):
    assert canonical_profiles(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}",
        "40e0ac32-46a5-438a-a0b2-2b479e8f2e90",
        " {40e0ac32-46a5-438a-A0B2-2b479e8f2e90} ",
    ],
)
def test_canonical_guid(given):
    assert canonical_guid("vm_creator_id", given) == WSL_VM_CREATOR_ID


@pytest.mark.parametrize(
    ("given", "expected"), [(True, "True"), (False, "False"), ("yes", "True"), ("off", "False"), (1, "True")]
)
def test_canonical_bool_gives_the_enum_strings(given, expected):
    assert canonical_bool("enabled", given) == expected


BAD_RULE_INPUTS = [
    # (task options, fragments the message must contain: option, value, what is allowed)
    ({"local_ports": [0], "protocol": "tcp"}, ["local_ports", "0", "1-65535"]),
    ({"local_ports": [65536], "protocol": "tcp"}, ["local_ports", "65536", "1-65535"]),
    ({"local_ports": ["80-"], "protocol": "tcp"}, ["local_ports", "'80-'", "low-high"]),
    ({"remote_ports": ["90-80"], "protocol": "udp"}, ["remote_ports", "'90-80'", "range starts above its end"]),
    ({"local_ports": ["http"], "protocol": "tcp"}, ["local_ports", "'http'", "1-65535"]),
    ({"local_ports": [], "protocol": "tcp"}, ["local_ports", "empty list", "'any'"]),
    ({"local_ports": ["any", 80], "protocol": "tcp"}, ["local_ports", "'any' cannot be combined"]),
    ({"protocol": "tpc"}, ["protocol", "'tpc'", "tcp, udp, icmpv4, icmpv6, any, or a protocol number 0-255"]),
    ({"protocol": 256}, ["protocol", "256", "0-255"]),
    ({"protocol": True}, ["protocol", "True", "0-255"]),
    ({"protocol": "icmpv4", "local_ports": ["3-11"]}, ["local_ports", "'3-11'", "ICMP types 0-255"]),
    ({"protocol": "icmpv4", "remote_ports": [3]}, ["remote_ports", "ICMPv4", "local_ports"]),
    ({"protocol": 47, "local_ports": [3]}, ["local_ports", "'47'", "tcp or udp", "ICMP types"]),
    ({"protocol": "any", "remote_ports": [443]}, ["remote_ports", "'any'", "tcp or udp"]),
    ({"local_ports": [80]}, ["local_ports", "'not set'", "tcp or udp"]),
    ({"vm_creator_id": "40E0AC32-46A5-438A-A0B2"}, ["vm_creator_id", "40E0AC32-46A5-438A-A0B2", "8-4-4-4-12"]),
    ({"vm_creator_id": "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90"}, ["vm_creator_id", "2B479E8F2E90'", "braces"]),
    ({"remote_addresses": ["300.1.1.1"]}, ["remote_addresses", "'300.1.1.1'", "IPv4/IPv6 address"]),
    ({"local_addresses": ["10.0.0.0/33"]}, ["local_addresses", "'10.0.0.0/33'", "CIDR subnet"]),
    ({"remote_addresses": ["10.0.0.9-10.0.0.1"]}, ["remote_addresses", "'10.0.0.9-10.0.0.1'", "above its end"]),
    ({"remote_addresses": ["10.0.0.1-fe80::1"]}, ["remote_addresses", "'10.0.0.1-fe80::1'", "mixes IPv4 and IPv6"]),
    ({"remote_addresses": ["LocalSubnet"]}, ["remote_addresses", "'LocalSubnet'", "CIDR subnet"]),
    ({"direction": "inbund"}, ["direction", "'inbund'", "inbound, outbound"]),
    ({"action": "alow"}, ["action", "'alow'", "allow, block"]),
    ({"profiles": ["publik"]}, ["profiles", "'publik'", "any, domain, private, public"]),
    ({"enabled": "maybe"}, ["enabled", "'maybe'", "true or false"]),
    ({"display_name": ""}, ["display_name", "''", "non-empty string"]),
    ({"state": "gone"}, ["state", "'gone'", "present, absent"]),
    ({"colour": "red"}, ["unsupported option(s) colour", "supported:"]),
    ({"_properties": {"Action": "Allow"}}, ["unsupported option(s) _properties"]),
    ({"state": "absent", "local_ports": [80]}, ["state=absent", "local_ports"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD_RULE_INPUTS)
def test_bad_rule_input_names_option_value_and_allowed(options, fragments):
    with pytest.raises(FirewallOptionError) as error:
        build_rule_request({"name": "MyWebServer", **options})
    for fragment in fragments:
        assert fragment in str(error.value)


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("", ["name", "''", "non-empty string"]),
        ("   ", ["name", "'   '", "non-empty string"]),
        (None, ["name", "None", "non-empty string"]),
        (" web", ["name", "' web'", "white space"]),
        ("web*", ["name", "'web*'", "wildcard", "*"]),
        ("web?", ["name", "'web?'", "?"]),
        ("web[1]", ["name", "'web[1]'", "[ ]"]),
        ("web`*", ["name", "'web`*'", "* `"]),
        ("WslCore-Allow-Inbound-ICMPv4-1-{x}", ["name", "WslCore", "belong to WSL"]),
        ("wslcore-mine", ["name", "'wslcore-mine'", "WslCore"]),
    ],
)
def test_bad_rule_names(name, fragments):
    with pytest.raises(FirewallOptionError) as error:
        build_rule_request({"name": name})
    for fragment in fragments:
        assert fragment in str(error.value)


def test_rule_request_enforces_only_given_options_plus_creator():
    request = build_rule_request({"name": "web", "enabled": False})
    assert request["_properties"] == {"VMCreatorId": WSL_VM_CREATOR_ID, "Enabled": "False"}
    assert request["_create_properties"] == {"DisplayName": "web"}
    assert request["_set_parameter_names"] == {"DisplayName": "NewDisplayName"}


def test_rule_request_full_canonical_form():
    request = build_rule_request(
        {
            "name": "dev",
            "display_name": "Dev servers",
            "direction": "OUTBOUND",
            "action": "block",
            "protocol": 17,
            "local_ports": ["8100-8200", 8000, "8000-8099"],
            "remote_ports": "53",
            "local_addresses": ["any"],
            "remote_addresses": ["192.168.178.7/255.255.255.0", "10.1.2.3/8"],
            "profiles": ["public", "private"],
            "vm_creator_id": "9e288f02-ce00-4d9e-be2b-14ce463b0298",
            "enabled": "yes",
        }
    )
    assert request == {
        "name": "dev",
        "state": "present",
        "vm_creator_id": "{9E288F02-CE00-4D9E-BE2B-14CE463B0298}",
        "_properties": {
            "VMCreatorId": "{9E288F02-CE00-4D9E-BE2B-14CE463B0298}",
            "DisplayName": "Dev servers",
            "Enabled": "True",
            "Direction": "Outbound",
            "Action": "Block",
            "Protocol": "UDP",
            "LocalPorts": ["8000-8200"],
            "RemotePorts": ["53"],
            "LocalAddresses": ["Any"],
            "RemoteAddresses": ["10.0.0.0/8", "192.168.178.0/24"],
            "Profiles": "Private, Public",
        },
        "_create_properties": {"DisplayName": "dev"},
        "_aliases": {
            "Protocol": {"17": "UDP"},
            "RemoteAddresses": {"10.0.0.0/255.0.0.0": "10.0.0.0/8", "192.168.178.0/255.255.255.0": "192.168.178.0/24"},
        },
        "_set_parameter_names": {"DisplayName": "NewDisplayName"},
        "_switch_cmdlets": {
            "Enabled": {"True": "Enable-NetFirewallHyperVRule", "False": "Disable-NetFirewallHyperVRule"}
        },
    }


def test_icmp_rule_carries_icmp_types_in_local_ports():
    # The shape of WSL's own rule (WslCoreFirewallSupport.cpp): ICMPv6 types 135, 136, 1, 3 in LocalPorts.
    request = build_rule_request({"name": "icmp6", "protocol": "icmpv6", "local_ports": [135, 136, 1, "3"]})
    assert request["_properties"]["Protocol"] == "ICMPv6"
    assert request["_properties"]["LocalPorts"] == ["1", "3", "135", "136"]  # types, never merged into ranges


def test_every_input_problem_is_reported_at_once():
    with pytest.raises(FirewallOptionError) as error:
        build_rule_request(
            {"name": "web*", "direction": "sideways", "protocol": "tcp", "local_ports": [0], "colour": "red"}
        )
    message = str(error.value)
    assert message.startswith("4 problems: ")
    for fragment in ("unsupported option(s) colour", "name: 'web*'", "direction: 'sideways'", "local_ports: 0"):
        assert fragment in message
    with pytest.raises(FirewallOptionError) as error:
        build_vm_setting_request({"enabled": "maybe", "default_inbound_action": "deny", "vm_creator_id": "x"})
    assert str(error.value).startswith("3 problems: ")


def test_tagged_task_values_are_named_by_their_builtin_type():
    class _AnsibleTaggedInt(int):  # what ansible-core's data tagging hands a plugin
        pass

    with pytest.raises(FirewallOptionError) as error:
        build_rule_request({"name": "web", "display_name": _AnsibleTaggedInt(3)})
    assert "(int)" in str(error.value)
    assert "_AnsibleTagged" not in str(error.value)


def test_rule_request_absent_sends_name_only():
    assert build_rule_request({"name": "web", "state": "absent"}) == {"name": "web", "state": "absent"}


def test_none_values_count_as_not_given():
    request = build_rule_request({"name": "web", "protocol": None, "local_ports": None})
    assert set(request["_properties"]) == {"VMCreatorId"}


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        ({"default_inbound_action": "alow"}, ["default_inbound_action", "'alow'", "allow, block, not_configured"]),
        ({"default_outbound_action": "deny"}, ["default_outbound_action", "'deny'", "not_configured"]),
        ({"enabled": "sometimes"}, ["enabled", "'sometimes'", "true or false"]),
        ({"loopback_enabled": []}, ["loopback_enabled", "[]", "true or false"]),
        ({"allow_local_firewall_rules": "2"}, ["allow_local_firewall_rules", "'2'", "true or false"]),
        ({"vm_creator_id": "WSL"}, ["vm_creator_id", "'WSL'", "GUID"]),
        ({"profile": "public"}, ["unsupported option(s) profile"]),
    ],
)
def test_bad_vm_setting_input(options, fragments):
    with pytest.raises(FirewallOptionError) as error:
        build_vm_setting_request(options)
    for fragment in fragments:
        assert fragment in str(error.value)


def test_vm_setting_request_objects():
    request = build_vm_setting_request(
        {"default_outbound_action": "not_configured", "loopback_enabled": True, "allow_local_firewall_rules": False}
    )
    setting, *profiles = request["_objects"]
    assert setting["noun"] == "NetFirewallHyperVVMSetting"
    assert setting["identity"] == {"Name": WSL_VM_CREATOR_ID}
    assert setting["properties"] == {"DefaultOutboundAction": "NotConfigured", "LoopbackEnabled": "True"}
    assert setting["effective_query"] == {"Name": WSL_VM_CREATOR_ID, "PolicyStore": "ActiveStore"}
    assert [p["identity"]["Profile"] for p in profiles] == ["Domain", "Private", "Public"]
    assert all(p["properties"] == {"AllowLocalFirewallRules": "False"} for p in profiles)
    assert all(p["effective_query"] == {"All": True, "PolicyStore": "ActiveStore"} for p in profiles)


def test_vm_setting_request_without_options_only_reads():
    request = build_vm_setting_request({})
    assert all(entry["properties"] == {} for entry in request["_objects"])


# ---------------------------------------------------------------------------------------------
# Interpretation of recorded (constructed) cmdlet output.


def test_interpret_rule_documented_form():
    rule = interpret_rule(load("rule_unchanged.json")["raw_before"])
    assert rule == {
        "name": "MyWebServer",
        "display_name": "My Web Server",
        "enabled": True,
        "direction": "inbound",
        "action": "allow",
        "protocol": "tcp",
        "local_ports": ["80"],
        "remote_ports": ["any"],
        "local_addresses": ["any"],
        "remote_addresses": ["any"],
        "profiles": ["any"],
        "vm_creator_id": WSL_VM_CREATOR_ID,
        "enforcement_status": "OK",
        "policy_store_source_type": "Local",
    }


def test_interpret_rule_alternative_spellings():
    rule = interpret_rule(load("rule_alternative_spellings.json")["raw_before"])
    assert rule["protocol"] == "tcp"
    assert rule["remote_addresses"] == ["10.0.0.0/8", "192.168.178.0/24"]
    assert rule["local_ports"] == ["3000", "8000-8100"]
    assert rule["profiles"] == ["private", "public"]
    assert rule["vm_creator_id"] == WSL_VM_CREATOR_ID


def test_interpret_rule_empty_lists_mean_any():
    rule = interpret_rule({"Name": "x", "LocalPorts": [], "RemoteAddresses": None, "Protocol": "", "Profiles": None})
    assert rule["local_ports"] == ["any"]
    assert rule["remote_addresses"] == ["any"]
    assert rule["protocol"] == "any"
    assert rule["profiles"] == ["any"]


def test_interpret_rule_unknown_keyword_is_kept_as_printed():
    rule = interpret_rule({"Name": "x", "RemoteAddresses": ["LocalSubnet"], "Protocol": "47"})
    assert rule["remote_addresses"] == ["LocalSubnet"]
    assert rule["protocol"] == "47"


def test_interpret_missing_objects_are_none():
    assert interpret_rule(None) is None
    assert interpret_vm_setting(None) is None
    assert interpret_profile({}) is None


def test_interpret_wsl_own_icmp_rules_real_capture():
    # WSL's own rules carry ICMP types in LocalPorts (WslCoreFirewallSupport.cpp); real Get-NetFirewallHyperVRule
    # output prints them as {3, 11} and one value as a scalar (Any).
    capture = load("rule_wslcore_icmp.json")
    rule = interpret_rule(capture["raw_before"])
    assert (rule["protocol"], rule["local_ports"], rule["remote_ports"]) == ("icmpv4", ["3", "11"], ["any"])
    assert rule["local_addresses"] == ["any"]
    assert rule["policy_store_source_type"] == "Local"
    assert interpret_rule(capture["raw_wslcore_icmpv6"])["local_ports"] == ["1", "3", "135", "136"]


def test_same_icmp_rule_requested_is_what_the_host_prints():
    capture = load("rule_wslcore_icmp.json")["raw_wslcore_icmpv6"]
    request = build_rule_request({"name": "my-icmp6", "protocol": "icmpv6", "local_ports": [135, 136, 1, 3]})
    assert request["_properties"]["LocalPorts"] == interpret_rule(capture)["local_ports"]


def test_rule_result_disable_existing_rule():
    result = rule_result(_rule_request(enabled=False), load("rule_disable.json"), want_diff=True)
    assert result["changed_keys"] == ["enabled"]
    assert result["cmdlets"] == ["Disable-NetFirewallHyperVRule"]
    assert result["diff"]["before"]["enabled"] is True
    assert result["rule"]["enabled"] is False


def test_interpret_vm_setting_real_active_store_capture():
    # Get-NetFirewallHyperVVMSetting -PolicyStore ActiveStore output pasted in a public README (fixtures README.md).
    raw = load("vm_setting_read_clean_host.json")["objects"][0]["raw_effective"][0]
    assert interpret_vm_setting(raw) == {
        "vm_creator_id": WSL_VM_CREATOR_ID,
        "enabled": True,
        "default_inbound_action": "block",
        "default_outbound_action": "allow",
        "loopback_enabled": True,
        "allow_host_policy_merge": True,
    }


def test_interpret_not_configured():
    raw = load("vm_setting_write_inbound_allow.json")["objects"][0]["raw"]
    setting = interpret_vm_setting(raw)
    assert setting["enabled"] == "not_configured"
    assert setting["default_outbound_action"] == "not_configured"
    assert setting["default_inbound_action"] == "allow"


def _rule_request(**options):
    return build_rule_request({"name": "MyWebServer", **options})


def test_rule_result_create():
    request = _rule_request(display_name="My Web Server", direction="inbound", protocol="tcp", local_ports=[80])
    result = rule_result(request, load("rule_create_mywebserver.json"), want_diff=True)
    assert result["changed"] is True
    assert result["operation"] == "create"
    assert result["changed_keys"] == ["direction", "display_name", "local_ports", "protocol", "vm_creator_id"]
    assert result["rule"]["local_ports"] == ["80"]
    assert result["enforcement_status"] == "NoApplicablePorts"
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["display_name"] == "My Web Server"
    assert "enforcement_status" not in result["diff"]["after"]
    assert "warnings" not in result
    # only the rule's own creator's profiles: the other creator's Public profile disallows local rules
    assert [p["profile"] for p in result["profiles"]] == ["domain", "private", "public"]


def test_rule_result_check_mode_create_is_completed_with_cmdlet_defaults():
    request = _rule_request(display_name="My Web Server", protocol="tcp", local_ports=[80])
    predicted = {"Name": "MyWebServer", **request["_create_properties"], **request["_properties"]}
    module_result = {"changed": True, "operation": "create", "raw_before": None, "raw_after": predicted}
    rule = rule_result(request, module_result, want_diff=False)["rule"]
    assert rule["display_name"] == "My Web Server"
    assert rule["protocol"] == "tcp"
    assert rule["local_ports"] == ["80"]
    assert (rule["direction"], rule["action"], rule["enabled"]) == ("inbound", "allow", True)
    assert rule["remote_addresses"] == ["any"]
    assert rule["enforcement_status"] is None


def test_rule_result_unchanged_has_equal_diff():
    result = rule_result(_rule_request(local_ports=[80], protocol="tcp"), load("rule_unchanged.json"), want_diff=True)
    assert result["changed"] is False
    assert result["changed_keys"] == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_rule_result_update_ports():
    result = rule_result(_rule_request(local_ports=[443, 80], protocol="tcp"), load("rule_update_ports.json"), True)
    assert result["changed_keys"] == ["local_ports"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert [key for key in before if before[key] != after[key]] == ["local_ports"]
    assert result["diff"]["after"]["local_ports"] == ["80", "443"]


def test_rule_result_remove():
    result = rule_result(build_rule_request({"name": "MyWebServer", "state": "absent"}), load("rule_remove.json"), True)
    assert result["operation"] == "remove"
    assert result["rule"] is None
    assert result["enforcement_status"] is None
    assert result["diff"]["after"] == {}
    assert result["diff"]["before"]["name"] == "MyWebServer"


def test_rule_result_without_diff_mode_has_no_diff():
    assert "diff" not in rule_result(_rule_request(), load("rule_unchanged.json"), want_diff=False)


def test_rule_result_warns_when_local_rules_are_not_applied():
    result = rule_result(_rule_request(profiles=["public"]), load("rule_local_rules_disallowed.json"), False)
    assert len(result["warnings"]) == 1
    assert "AllowLocalFirewallRules is False for the public profile" in result["warnings"][0]
    assert "allow_local_firewall_rules=true" in result["warnings"][0]


def test_rule_result_no_warning_for_profiles_the_rule_does_not_use():
    module_result = load("rule_local_rules_disallowed.json")
    module_result["raw_after"]["Profiles"] = "Private"
    result = rule_result(_rule_request(profiles=["private"]), module_result, False)
    assert "warnings" not in result


def test_rule_result_warns_on_enforcement_error():
    result = rule_result(_rule_request(), load("rule_alternative_spellings.json"), False)
    assert any("EnforcementStatus ParsingError" in warning for warning in result["warnings"])


def test_rule_result_reports_profile_read_error_and_module_warnings():
    module_result = load("rule_unchanged.json")
    module_result["profile_read_error"] = "A parameter cannot be found that matches parameter name 'All'."
    module_result["warnings"] = ["from the module"]
    result = rule_result(_rule_request(), module_result, False)
    assert result["warnings"][0] == "from the module"
    assert "could not read the Hyper-V firewall profiles" in result["warnings"][1]


# ---------------------------------------------------------------------------------------------
# Planning the VM setting calls from the read phase's report.


def test_plan_uses_set_for_a_registered_creator_with_an_empty_local_store():
    request = build_vm_setting_request({"loopback_enabled": False})
    plan = plan_vm_setting(request, load("vm_setting_read_clean_host.json"))
    assert plan["verb"] == "Set"
    assert plan["calls"] == [
        {
            "cmdlet": "Set-NetFirewallHyperVVMSetting",
            "parameters": {"Name": WSL_VM_CREATOR_ID, "LoopbackEnabled": "False"},
            "fallback": "New-NetFirewallHyperVVMSetting",
        }
    ]


def test_plan_uses_new_only_before_the_creator_exists():
    request = build_vm_setting_request({"allow_local_firewall_rules": True})
    plan = plan_vm_setting(request, load("vm_setting_read_unregistered.json"))
    assert [call["cmdlet"] for call in plan["calls"]] == ["New-NetFirewallHyperVProfile"] * 3
    assert all(call["fallback"] == "" for call in plan["calls"])
    assert plan["calls"][2]["parameters"] == {
        "Name": WSL_VM_CREATOR_ID,
        "Profile": "Public",
        "AllowLocalFirewallRules": "True",
    }


def test_plan_uses_set_when_a_settings_object_exists_though_no_creator_is_listed():
    read = load("vm_setting_read_configured.json")
    read["vm_creators"] = None  # Get-NetFirewallHyperVVMCreator failed
    plan = plan_vm_setting(build_vm_setting_request({"enabled": False}), read)
    assert [call["cmdlet"] for call in plan["calls"]] == ["Set-NetFirewallHyperVVMSetting"]
    assert plan["creator_registered"] is False


def test_plan_names_every_missing_cmdlet_and_parameter():
    read = load("vm_setting_read_configured.json")
    del read["cmdlet_parameters"]["New-NetFirewallHyperVProfile"]
    with pytest.raises(FirewallHostError) as error:
        plan_vm_setting(
            build_vm_setting_request({"allow_host_policy_merge": True, "allow_local_firewall_rules": False}), read
        )
    assert str(error.value) == (
        "this Windows build cannot apply the request, nothing was changed: "
        "New-NetFirewallHyperVProfile does not exist; "
        "Set-NetFirewallHyperVVMSetting has no parameter -AllowHostPolicyMerge"
    )
