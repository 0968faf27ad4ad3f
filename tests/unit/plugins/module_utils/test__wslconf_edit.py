"""update()/plan_edits(): minimal edits, diagnostics, mode and policy warnings."""

import codecs

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import parse
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import (
    diagnose,
    diagnostics,
    mode_warnings,
    policy_warnings,
    update,
    validate_settings,
)


def run(data, settings, file_type="wslconfig", policy=None, unknown_keys="error"):
    requested = validate_settings(settings, file_type, unknown_keys)[0]
    return update(data, file_type, requested, policy)


def test_change_in_place_keeps_spelling_spacing_and_comment():
    data = b"# mine\n[WSL2]\nNetworkingMode  =\tNAT   # was NAT\nmemory=4GB\n"
    result = run(data, {"wsl2": {"networkingMode": "mirrored"}})
    assert result.data == b"# mine\n[WSL2]\nNetworkingMode  =\tmirrored   # was NAT\nmemory=4GB\n"
    assert result.changed_keys == [{"section": "wsl2", "key": "networkingMode", "before": "NAT", "after": "mirrored"}]
    assert result.restart_required == "wsl_shutdown"


def test_equivalent_value_is_no_change():
    data = b"[wsl2]\nmemory=8192MB\nnetworkingmode = Mirrored\nlocalhostForwarding=1\n"
    result = run(data, {"wsl2": {"memory": "8GB", "networkingMode": "mirrored", "localhostForwarding": True}})
    assert not result.changed and result.data == data and result.changed_keys == []
    assert result.restart_required == "none"


def test_add_key_after_last_key_of_section_before_trailing_comments():
    data = b"[wsl2]\nmemory=4GB\n\n# networking below\n[experimental]\nsparseVhd=true\n"
    result = run(data, {"wsl2": {"swap": 0}})
    assert result.data == b"[wsl2]\nmemory=4GB\nswap=0\n\n# networking below\n[experimental]\nsparseVhd=true\n"


def test_add_key_uses_the_files_spacing_style():
    result = run(b"[boot]\nsystemd = true\n", {"boot": {"command": "service docker start"}}, "wslconf")
    assert result.data == b"[boot]\nsystemd = true\ncommand = service docker start\n"


def test_add_missing_section_at_the_end():
    result = run(b"[wsl2]\nmemory=4GB", {"experimental": {"hostAddressLoopback": False}, "wsl2": {"swap": "2GB"}})
    assert result.data == b"[wsl2]\nmemory=4GB\nswap=2GB\n\n[experimental]\nhostAddressLoopback=false\n"


def test_remove_key_removes_every_occurrence_and_nothing_else():
    data = b"[wsl2]\nmemory=4GB # a\nswap=0\n[experimental]\nnetworkingMode=NAT\n[wsl2]\nmemory=8GB\n"
    result = run(data, {"wsl2": {"memory": None, "networkingMode": None}})
    assert result.data == b"[wsl2]\nswap=0\n[experimental]\n[wsl2]\n"
    assert result.changed_keys == [
        {"section": "wsl2", "key": "memory", "before": 4 << 30, "after": None},
        {"section": "wsl2", "key": "networkingMode", "before": "NAT", "after": None},
    ]


def test_removing_an_absent_key_is_no_change():
    assert not run(b"[wsl2]\n", {"wsl2": {"memory": None}}).changed


def test_legacy_alias_is_edited_where_it_is():
    result = run(b"[experimental]\nnetworkingMode=NAT\n", {"wsl2": {"networkingMode": "mirrored"}})
    assert result.data == b"[experimental]\nnetworkingMode=mirrored\n"


def test_rejected_first_occurrence_is_fixed_in_place():
    result = run(b"[wsl2]\nmemory=4gb\nmemory=4GB\n", {"wsl2": {"memory": "4GB"}})
    assert result.data == b"[wsl2]\nmemory=4GB\nmemory=4GB\n"
    assert result.changed_keys[0]["before"] == "4gb"
    assert any("duplicate of [wsl2] memory (first on line 2)" in warning for warning in result.warnings)


def test_crlf_and_utf8_bom_kept():
    data = codecs.BOM_UTF8 + b"[wsl2]\r\nmemory=4GB\r\n"
    result = run(data, {"wsl2": {"memory": "6GB", "swap": 0}, "experimental": {"sparseVhd": True}})
    assert (
        result.data == codecs.BOM_UTF8 + b"[wsl2]\r\nmemory=6GB\r\nswap=0\r\n\r\n[experimental]\r\nsparseVhd=true\r\n"
    )


def test_utf16le_kept():
    data = codecs.BOM_UTF16_LE + "[wsl2]\r\nmemory=4GB\r\n".encode("utf-16-le")
    result = run(data, {"wsl2": {"memory": "2GB"}})
    assert result.data == codecs.BOM_UTF16_LE + "[wsl2]\r\nmemory=2GB\r\n".encode("utf-16-le")


def test_new_files():
    result = run(None, {"wsl2": {"networkingMode": "mirrored"}})
    assert result.data == b"[wsl2]\r\nnetworkingMode=mirrored\r\n" and result.before == ""
    result = run(None, {"boot": {"systemd": True}}, "wslconf")
    assert result.data == b"[boot]\nsystemd=true\n"
    assert result.restart_required == "distro_terminate"
    result = run(None, {"boot": {"systemd": None}}, "wslconf")
    assert not result.changed and result.data == b""


def test_quoted_and_escaped_values_are_read_back_as_requested():
    result = run(b"[wsl2]\n", {"wsl2": {"kernel": "C:\\temp\\k", "kernelCommandLine": " a # b"}})
    assert result.data == b'[wsl2]\nkernel=C:\\\\temp\\\\k\nkernelCommandLine=" a # b"\n'


def test_lone_cr_file():
    result = run(b"[wsl2]\rmemory=4GB\rswap=0", {"wsl2": {"memory": "8GB", "processors": 2}})
    assert result.data == b"[wsl2]\rmemory=8GB\rswap=0\rprocessors=2\r"


def test_continuation_value_replaced_whole():
    data = b"[boot]\ncommand = a \\\n b # note\nsystemd=true\n"
    result = run(data, {"boot": {"command": "c"}}, "wslconf")
    assert result.data == b"[boot]\ncommand = c # note\nsystemd=true\n"


# --- wsl.conf: the stop rule ---------------------------------------------------------------------


STOPPED = b"[boot]\nsystemd=false\nbad_key=1\n[interop]\nappendWindowsPath=false\n"


def test_wslconf_stop_warning_lists_lost_keys():
    result = run(STOPPED, {"boot": {"systemd": False}}, "wslconf")
    assert not result.changed
    stop = [w for w in result.warnings if "STOPS READING" in w]
    # the whole offending line is quoted, not the name cut at the character that broke it (issue 18)
    assert stop == [
        "WSL STOPS READING wsl.conf AT LINE 3 ('bad_key=1': a key name is letters and digits only, then '='): "
        "every key after it keeps its default; lost: [interop] appendWindowsPath (line 5)"
    ]


def test_wslconf_key_after_stop_line_is_refused():
    with pytest.raises(WslConfError) as raised:
        run(STOPPED, {"interop": {"appendWindowsPath": True}}, "wslconf")
    assert str(raised.value) == (
        "[interop] appendWindowsPath: line 5 sets it, but WSL stops reading wsl.conf at line 3 ('bad_key=1': a key "
        "name is letters and digits only, then '='), so the value would not be used; fix or remove line 3 first"
    )


def test_wslconf_new_section_after_stop_line_is_refused():
    with pytest.raises(WslConfError, match=r"no \[network\] section before line 3"):
        run(STOPPED, {"network": {"generateHosts": False}}, "wslconf")


def test_wslconf_new_key_goes_into_a_section_before_the_stop_line():
    result = run(STOPPED, {"boot": {"command": "x"}}, "wslconf")
    assert result.data == b"[boot]\nsystemd=false\ncommand=x\nbad_key=1\n[interop]\nappendWindowsPath=false\n"


def test_wslconf_bom_refused_and_explained():
    data = codecs.BOM_UTF8 + b"[boot]\nsystemd=false\n"
    with pytest.raises(WslConfError, match="stops reading"):
        run(data, {"boot": {"systemd": True}}, "wslconf")
    warnings = diagnose(parse(data.decode(), "wslconf"))
    assert warnings[0].startswith("wsl.conf starts with a UTF-8 BOM: WSL reads it as part of line 1")
    assert "WSL STOPS READING wsl.conf AT LINE 1" in warnings[-1] and "[boot] systemd" not in warnings[-1]


def test_wslconfig_key_after_invalid_line_is_fine():
    result = run(b"[wsl2]\nbad line\nswap=0\n", {"wsl2": {"swap": "1GB"}})
    assert result.data == b"[wsl2]\nbad line\nswap=1GB\n"
    assert any("line 2: invalid line 'bad line', WSL ignores it" in warning for warning in result.warnings)


# --- diagnostics ------------------------------------------------------------------------------------


def test_diagnose_wslconfig():
    text = "memory=4GB\n[wsl2]\nswap=0\nswap=1GB\nnetworkMode=mirrored\nprocessors=abc\n[foo]\nx=1\nbad\n"
    assert diagnose(parse(text, "wslconfig")) == [
        ".wslconfig line 1: key memory is outside any section; WSL reports an unknown key and ignores it "
        "(WSL issue #12671)",
        ".wslconfig line 4: duplicate of [wsl2] swap (first on line 3); WSL uses the first and ignores this one",
        ".wslconfig line 5: unknown key [wsl2] networkMode (did you mean networkingMode?); WSL ignores it",
        ".wslconfig line 6: [wsl2] processors = 'abc' is rejected (not an integer); WSL keeps its default",
        ".wslconfig line 8: unknown key [foo] x; WSL ignores it",
        ".wslconfig line 9: invalid line 'bad', WSL ignores it: a key name is letters and digits only, then '='",
    ]


def test_diagnose_special_consequences():
    text = "[wsl2]\nmacAddress=zz\n[experimental]\ndnsTunnelingIpAddress=1.2.3\n"
    warnings = diagnose(parse(text, "wslconfig"))
    assert "WSL refuses to start the VM" in warnings[0]
    assert "WSL disables DNS tunneling" in warnings[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[wsl2]\nnetworkingMode=mirrored\nlocalhostForwarding=true\n", ["[wsl2] localhostForwarding only applies"]),
        ("[wsl2]\nnetworkingMode=mirrored\ndnsProxy=false\n", ["[wsl2] dnsProxy only applies in NAT mode"]),
        (
            "[experimental]\nignoredPorts=3000\nhostAddressLoopback=true\n",
            ["ignoredPorts only", "hostAddressLoopback only"],
        ),
        ("[wsl2]\nnetworkingMode=mirrored\nfirewall=false\n", ["firewall = false has no effect"]),
        (
            "[wsl2]\ndnsTunneling=false\n[experimental]\nbestEffortDnsParsing=true\n",
            ["bestEffortDnsParsing only applies"],
        ),
        ("[wsl2]\nnetworkingMode=mirrored\n[experimental]\nignoredPorts=3000\n", []),
        ("[wsl2]\nsafeMode=true\n", ["safeMode = true turns off networking"]),
        ("[wsl2]\nsafeMode=true\nhardwarePerformanceCounters=true\n", ["hardware performance counters"]),
        ("[wsl2]\nnetworkingMode=bridged\n", ["bridged mode needs [wsl2] vmSwitch"]),
        ("[wsl2]\nnetworkingMode=bridged\nvmSwitch=LAN\nipv6=true\n", []),
        ("[wsl2]\nipv6=true\ndhcpTimeout=9\n", ["ipv6 only applies in bridged", "dhcpTimeout only applies"]),
        ("[wsl2]\nnetworkingMode=virtioproxy\nlocalhostForwarding=false\ndnsTunneling=true\n", []),
        ("[wsl2]\nnetworkingMode=consomme\nvirtio=false\n", ["the consomme mode needs virtio, WSL uses nat"]),
        (
            "[wsl2]\nnetworkingMode=virtioproxy\n[experimental]\nbestEffortDnsParsing=true\nhostAddressLoopback=1\n",
            ["hostAddressLoopback only applies in mirrored mode; networkingMode is consomme (virtioproxy)"],
        ),
    ],
)
def test_mode_warnings(text, expected):
    warnings = mode_warnings(text, "wslconfig")
    assert len(warnings) == len(expected)
    for warning, fragment in zip(warnings, expected, strict=True):
        assert fragment in warning


def test_mode_warning_reaches_update_result():
    result = run(b"[wsl2]\nlocalhostForwarding=true\n", {"wsl2": {"networkingMode": "mirrored"}})
    assert any("localhostForwarding only applies in NAT, bridged or consomme" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("settings", "policy", "expected"),
    [
        ({"wsl2": {"networkingMode": "mirrored"}}, {"AllowNetworkingModeUserSetting": 0}, "WSL uses NAT instead"),
        (
            {"wsl2": {"networkingMode": "mirrored"}},
            {"AllowNetworkingModeUserSetting": 0, "DefaultNetworkingMode": 3},
            None,
        ),
        ({"wsl2": {"networkingMode": "none"}}, {"AllowNetworkingModeUserSetting": 0}, None),
        ({"wsl2": {"networkingMode": "mirrored"}}, {"AllowNetworkingModeUserSetting": 1}, None),
        ({"wsl2": {"kernel": "C:\\k"}}, {"AllowKernelUserSetting": 0}, "AllowKernelUserSetting=0"),
        ({"wsl2": {"kernelModules": "C:\\m.vhdx"}}, {"AllowKernelUserSetting": "0"}, "AllowKernelUserSetting=0"),
        ({"wsl2": {"firewall": False}}, {"AllowFirewallUserSetting": 0}, "keeps the firewall on"),
        ({"wsl2": {"firewall": True}}, {"AllowFirewallUserSetting": 0}, None),
        ({"wsl2": {"nestedVirtualization": True}}, {"AllowNestedVirtualization": 0}, "AllowNestedVirtualization"),
        ({"wsl2": {"kernelCommandLine": "x"}}, {"AllowKernelCommandLineUserSetting": 0}, "ignores the value"),
        ({"wsl2": {"memory": "4GB"}}, {"AllowKernelUserSetting": 0}, None),
    ],
)
def test_policy_warnings(settings, policy, expected):
    requested = validate_settings(settings, "wslconfig")[0]
    warnings = policy_warnings(requested, policy)
    if expected is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and expected in warnings[0] and "HKLM\\Software\\Policies\\WSL" in warnings[0]


def test_unknown_key_with_warn_is_written_and_idempotent():
    first = run(b"[wsl2]\n", {"wsl2": {"futureKey": "a b"}}, unknown_keys="warn")
    assert first.data == b"[wsl2]\nfutureKey=a b\n"
    assert first.warnings == ["[wsl2] futureKey: unknown key; written as asked, WSL will warn and ignore it"]
    # issue 18: the warning is given once, when the key is written, not again on every later run
    second = run(first.data, {"wsl2": {"futurekey": "a b"}}, unknown_keys="warn")
    assert not second.changed and second.warnings == []
    changed = run(first.data, {"wsl2": {"futureKey": "c", "swap": 0}}, unknown_keys="warn")
    assert changed.warnings == ["[wsl2] futureKey: unknown key; written as asked, WSL will warn and ignore it"]


def test_append_after_a_continuation_at_end_of_file():
    # "\\\n" at EOF would continue the value onto an appended line; an empty line ends it first
    result = run(b"[wsl2]\nkernelCommandLine = a \\\n", {"wsl2": {"memory": "6GB"}})
    assert result.data == b"[wsl2]\nkernelCommandLine = a \\\n\nmemory = 6GB\n"


def test_append_after_a_comment_ended_by_lone_cr():
    result = run(b"[wsl2] # vm\r", {"wsl2": {"memory": "6GB"}})
    assert result.data == b"[wsl2] # vm\r\nmemory=6GB\r"


# --- WSL's scanner rules (issue 15) -------------------------------------------------------------------


def test_crlf_wslconf_value_ending_in_backslash_is_read_and_later_keys_are_editable():
    # configfile.cpp:712-713: WSL drops a backslash before CR, so the LF ends the value and nothing stops
    data = b"[boot]\r\ncommand=a \\\r\nsystemd=false\r\n"
    assert not [w for w in diagnose(parse(data.decode(), "wslconf")) if "STOPS" in w]
    result = run(data, {"boot": {"systemd": True}}, "wslconf")
    assert result.data == b"[boot]\r\ncommand=a \\\r\nsystemd=true\r\n"
    replaced = run(data, {"boot": {"command": "b"}}, "wslconf")
    assert replaced.data == b"[boot]\r\ncommand=b\r\nsystemd=false\r\n"  # the line keeps its CR


def test_key_after_a_broken_header_is_not_reported_as_applied():
    # the key under "[experimental x]" is read by WSL as "expe.memory": the engine writes a real [wsl2] key
    data = b"[wsl2]\r\n[experimental x]\r\nmemory=8GB\r\n"
    result = run(data, {"wsl2": {"memory": "8GB"}})
    assert result.changed and result.data == b"[wsl2]\r\nmemory=8GB\r\n[experimental x]\r\nmemory=8GB\r\n"
    assert result.changed_keys == [{"section": "wsl2", "key": "memory", "before": None, "after": 8 << 30}]
    assert any(
        "line 4: key memory follows the broken header on line 3 ('[experimental x]'), so WSL looks it up as "
        "'expe.memory'" in w
        for w in result.warnings
    )


def test_ignored_ports_items_wsl_rejects_are_warned_one_by_one():
    found = diagnostics(parse("[experimental]\nignoredPorts=3000,-1,x,70000,0x10\n", "wslconfig"))
    # std::stoi reads "0" of "0x10": port 0, rejected like -1, x and 70000 (WslCoreConfig.cpp:36-50)
    assert [(d.kind, d.line, d.wsl) for d in found] == [("invalid_value", 2, True)] * 4
    assert "item '-1' is not a port 1-65535; WSL warns and skips it" in found[0].message


def test_non_ascii_wslconfig_value_is_explained():
    found = diagnostics(parse("[wsl2]\nkernelCommandLine=caf\u00e9\n", "wslconfig"))
    assert [(d.kind, d.wsl) for d in found] == [("non_ascii", False)]
    assert "one byte per character and gets 'caf\ufffd'" in found[0].message
    assert diagnostics(parse("[user]\ndefault=caf\u00e9\n", "wslconf")) == []


def test_consomme_is_written_as_virtioproxy():
    assert run(b"[wsl2]\n", {"wsl2": {"networkingMode": "consomme"}}).data == b"[wsl2]\nnetworkingMode=virtioproxy\n"
    # a file that says consomme would not work before WSL 2.9: it is rewritten
    assert run(b"[wsl2]\nnetworkingMode=consomme\n", {"wsl2": {"networkingMode": "consomme"}}).changed
    assert not run(b"[wsl2]\nnetworkingMode=VirtioProxy\n", {"wsl2": {"networkingMode": "consomme"}}).changed
