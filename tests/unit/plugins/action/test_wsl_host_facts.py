"""wsl_host_facts: the Python interpretation of raw results of the .ps1 (no Windows here).

The fixtures under tests/unit/fixtures/wsl_host_facts/ are what wsl_host_facts.ps1 returns; each names its
source in "_source" (real public captures where one exists, see the README there).
"""

from __future__ import annotations

import base64
import copy
import json
import pathlib
from unittest import mock

import pytest

from ansible_collections.effective.wsl.plugins.action.wsl_host_facts import ActionModule
from ansible_collections.effective.wsl.plugins.plugin_utils._wintext import decode_text
from ansible_collections.effective.wsl.plugins.plugin_utils._wslhost import (
    expand_known_folder,
    interpret_host_facts,
    parse_wsl_list_verbose,
    parse_wsl_version_output,
    policy_overrides,
)

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "wsl_host_facts"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def facts_of(name: str, **raw_changes) -> dict:
    raw = copy.deepcopy(recorded(name)["raw"])
    raw.update(raw_changes)
    return interpret_host_facts(raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


FIREWALL_V2 = {"vm_creator_class": True, "profile_query": True, "profile_count": 3, "error": None}


class TestTypicalWindows11Nat:
    facts = facts_of("win11_nat")

    def test_networking(self):
        networking = self.facts["networking"]
        assert networking["requested_mode"] is None
        assert (networking["mode"], networking["mode_source"], networking["effective_mode"]) == (
            "nat",
            "default",
            "nat",
        )
        assert networking["nat"] == {
            "adapter": {"alias": "vEthernet (WSL (Hyper-V firewall))", "address": "172.24.208.1", "prefix": 20},
            "gateway_address": "172.24.208.1",
            "network": "172.24.208.0/20",
            "distro_address": "172.24.222.66",
        }
        assert self.facts["windows_host_address"] == "172.24.208.1"
        assert self.facts["dns_tunneling"] == {"enabled": True, "address": "10.255.255.254"}

    def test_os_wsl_and_policy(self):
        assert self.facts["os"] == {
            "build": 22631,
            "ubr": 4890,
            "version": "10.0.22631.4890",
            "windows_11": True,
            "product_name": "Windows 10 Pro",
            "display_version": "23H2",
        }
        assert (self.facts["wsl_version"], self.facts["wsl_version_source"]) == ("2.6.1", "registry")
        assert self.facts["policy"] == {}
        assert self.facts["policy_overrides"] == []

    def test_wslconfig_and_firewall(self):
        assert self.facts["wslconfig"] == {
            "path": "C:\\Users\\alice\\.wslconfig",
            "exists": True,
            "encoding": "utf-8",
            "settings": {"wsl2": {"memory": 8 * 1024**3, "processors": 4}},
            "rejected_keys": [],
        }
        firewall = self.facts["firewall"]
        assert firewall["enabled"] is True
        assert firewall["nat_network"] == "WSL (Hyper-V firewall)"
        assert firewall["vm_setting"] == {
            "enabled": True,
            "default_inbound_action": "Block",
            "default_outbound_action": "Allow",
            "loopback_enabled": True,
            "allow_host_policy_merge": True,
        }

    def test_known_folders_and_distributions(self):
        assert self.facts["known_folders"] == {
            "downloads": "C:\\Users\\alice\\Downloads",
            "desktop": "C:\\Users\\alice\\OneDrive\\Desktop",
            "documents": "C:\\Users\\alice\\Documents",
        }
        # Real capture (docker/for-win#14686): the connection user's distributions come from wsl --list --verbose.
        assert self.facts["distributions"] == [
            {"name": "Ubuntu", "state": "Running", "version": 2, "default": True},
            {"name": "Legacy", "state": "Stopped", "version": 1, "default": False},
            {"name": "Ubuntu-18.04", "state": "Stopped", "version": 1, "default": False},
            {"name": "docker-desktop", "state": "Running", "version": 2, "default": False},
        ]
        assert self.facts["read_errors"] == []

    def test_real_wsl_exe_path(self):
        assert self.facts["wsl_exe_path"] == "C:\\Program Files\\WSL\\wsl.exe"

    def test_failed_wsl_list_is_a_note_with_its_message(self):
        message = b"Windows Subsystem for Linux has no installed distributions.\r\n"
        raw_list = {"source": "wsl_list", "wsl_list": {"rc": -1, "stderr": "", "stdout_base64": b64(message)}}
        facts = facts_of("win11_nat", distributions=raw_list)
        assert facts["distributions"] == []
        assert any("no installed distributions" in note for note in facts["notes"])

    def test_adapter_absent_uses_persisted_gateway(self):
        facts = facts_of("win11_nat", adapters=None)
        assert facts["networking"]["nat"]["adapter"] is None
        assert facts["windows_host_address"] == "172.24.208.1"
        assert any("NatGatewayIpAddress" in note for note in facts["networking"]["notes"])

    def test_nothing_known_gives_no_address(self):
        facts = facts_of("win11_nat", adapters=[], nat_machine=None)
        assert facts["windows_host_address"] is None


class TestWindows10MirroredFallsBackToNat:
    facts = facts_of("win10_mirrored_fallback")

    def test_fallback(self):
        networking = self.facts["networking"]
        assert (networking["requested_mode"], networking["mode"], networking["effective_mode"]) == (
            "mirrored",
            "mirrored",
            "nat",
        )
        assert networking["fallback_reasons"] == [
            "Windows build 19045.5247 lacks HNS flow steering and Hyper-V firewall v2 "
            "(mirrored needs 22621.2428 or later)",
            "the Hyper-V firewall is not available (no MSFT_NetFirewallHyperVVMCreator class)",
        ]
        # hostAddressLoopback only applies to mirrored mode (microsoft/WSL WslCoreConfig.cpp).
        assert networking["host_address_loopback"] is False
        assert self.facts["windows_host_address"] == "172.29.64.1"
        assert self.facts["firewall"]["available"] is False
        assert self.facts["firewall"]["nat_network"] == "WSL"

    def test_utf16_wsl_version_output_is_decoded(self):
        assert self.facts["wsl_version"] == "2.0.9.0"
        assert self.facts["wsl_version_source"] == "wsl_version"
        assert self.facts["wsl_version_details"]["kernel"] == "5.15.133.1-1"
        assert self.facts["wsl_version_details"]["windows"] == "10.0.19045.5247"

    def test_utf16_wsl_list_is_decoded(self):
        assert self.facts["distributions"] == [
            {"name": "Ubuntu", "state": "Running", "version": 2, "default": True},
            {"name": "legacy-box", "state": "Stopped", "version": 1, "default": False},
        ]

    def test_failed_reads_are_reported_not_fatal(self):
        assert [e["read"] for e in self.facts["read_errors"]] == ["shell_folders"]
        assert self.facts["known_folders"] == {"downloads": None, "desktop": None, "documents": None}

    @pytest.mark.parametrize(
        ("build", "ubr", "falls_back"),
        [(22621, 2427, True), (22621, 2428, False), (22631, 2361, True), (22631, 2428, False), (26100, 1, False)],
    )
    def test_mirrored_build_threshold(self, build, ubr, falls_back):
        facts = facts_of(
            "win10_mirrored_fallback",
            os={"CurrentBuild": str(build), "UBR": ubr},
            hyperv_firewall_cmdlets=True,
            hyperv_firewall_support=FIREWALL_V2,
        )
        assert (facts["networking"]["effective_mode"] == "nat") is falls_back

    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            ({"tcpip6_disabled_components": 255}, "IPv6 is disabled"),
            ({"hyperv_firewall_disable": 1}, "HyperVFirewallDisable=1"),
            ({"hyperv_firewall_support": {**FIREWALL_V2, "profile_query": False}}, "v1 only"),
            ({"hyperv_firewall_support": {**FIREWALL_V2, "vm_creator_class": False}}, "not available"),
        ],
    )
    def test_other_mirrored_blockers(self, changes, reason):
        base = {"os": {"CurrentBuild": "26100", "UBR": 2605}, "hyperv_firewall_cmdlets": True}
        base["hyperv_firewall_support"] = FIREWALL_V2
        base.update(changes)
        facts = facts_of("win10_mirrored_fallback", **base)
        assert facts["networking"]["effective_mode"] == "nat"
        assert len(facts["networking"]["fallback_reasons"]) == 1
        assert reason in facts["networking"]["fallback_reasons"][0]


class TestHyperVFirewallVersion:
    """WSL's own probe decides (microsoft/WSL src/windows/common/WslCoreFirewallSupport.cpp)."""

    def test_v2_with_zero_profile_objects_keeps_mirrored(self):
        # A successful MSFT_NetFirewallHyperVProfile query is v2 even with no objects; the old module sent
        # the object count (0 here) and predicted a fallback to NAT.
        support = {**FIREWALL_V2, "profile_count": 0}
        facts = facts_of("win11_mirrored_utf16", hyperv_firewall_support=support, hyperv_firewall_profile_count=0)
        assert facts["networking"]["effective_mode"] == "mirrored"
        assert facts["networking"]["fallback_reasons"] == []
        assert facts["firewall"]["version"] == 2

    def test_failed_profile_query_is_v1_and_mirrored_falls_back(self):
        support = {**FIREWALL_V2, "profile_query": False, "profile_count": None, "error": "Invalid class"}
        facts = facts_of("win11_mirrored_utf16", hyperv_firewall_support=support)
        assert facts["firewall"]["version"] == 1
        assert facts["networking"]["effective_mode"] == "nat"
        assert facts["networking"]["fallback_reasons"] == [
            "the Hyper-V firewall is v1 only (querying MSFT_NetFirewallHyperVProfile fails)"
        ]

    def test_registry_kill_switch_is_version_0(self):
        facts = facts_of("win11_nat", hyperv_firewall_disable=1)
        assert (facts["firewall"]["version"], facts["firewall"]["available"]) == (0, False)


class TestOtherUsersRegistry:
    """Real capture (Eugeny/tabby#2405): another user's distributions are read from their hive."""

    facts = facts_of("other_user_registry")

    def test_wsl_version_is_the_vm_mode_flag_not_the_version_value(self):
        # "ArchV1" has Version=2 (file-system format) and Flags=7 (no LXSS_DISTRO_FLAGS_VM_MODE): WSL 1.
        assert [(d["name"], d["version"]) for d in self.facts["distributions"]] == [
            ("Alpine", 2),
            ("ArchV1", 1),
            ("gavuntu-focal", 2),
        ]

    def test_missing_flags_is_unknown(self):
        raw = recorded("other_user_registry")["raw"]["distributions"]
        entry = copy.deepcopy(raw["entries"][0])
        del entry["values"]["Flags"]
        facts = facts_of("other_user_registry", distributions={**raw, "entries": [entry]})
        assert facts["distributions"][0]["version"] is None


class TestPolicyForcesNat:
    facts = facts_of("policy_forces_nat")

    def test_networking_mode_from_policy(self):
        networking = self.facts["networking"]
        assert networking["requested_mode"] == "mirrored"
        assert (networking["mode"], networking["mode_source"], networking["effective_mode"]) == ("nat", "policy", "nat")
        assert "networkingMode=mirrored is overridden by policy AllowNetworkingModeUserSetting=0" in networking["notes"]

    def test_firewall_forced_on(self):
        firewall = self.facts["firewall"]
        assert firewall["configured"] is False
        assert firewall["forced_on_by_policy"] is True
        assert firewall["enabled"] is True
        # firewall on: the Hyper-V firewall adapter is preferred over a stale vEthernet (WSL).
        assert self.facts["networking"]["nat"]["adapter"]["alias"] == "vEthernet (WSL (Hyper-V firewall))"
        assert self.facts["windows_host_address"] == "172.20.96.1"

    def test_policy_raw_and_overrides(self):
        assert self.facts["policy"]["DefaultNetworkingMode"] == 1
        assert [(o["policy"], o["settings"]) for o in self.facts["policy_overrides"]] == [
            ("AllowKernelUserSetting", ["wsl2.kernel", "wsl2.kernelModules"]),
            ("AllowNetworkingModeUserSetting", ["wsl2.networkingMode"]),
            ("AllowFirewallUserSetting", ["wsl2.firewall"]),
            ("AllowWSL1", []),
            ("DefaultNetworkingMode", ["wsl2.networkingMode"]),
        ]
        assert self.facts["policy_overrides"][-1]["effect"] == "the default networking mode is nat"

    def test_unexpandable_folder_is_noted(self):
        assert self.facts["known_folders"]["downloads"] == "\\\\fileserver\\home$\\carol\\Downloads"
        assert self.facts["known_folders"]["documents"] == "%HOMESHARE%\\Documents"
        assert any("%HOMESHARE%" in note for note in self.facts["notes"])

    def test_policy_default_applies_when_user_is_allowed_but_silent(self):
        raw_policy = {"DefaultNetworkingMode": 3}
        facts = facts_of("win11_nat", policy=raw_policy)
        assert (facts["networking"]["mode"], facts["networking"]["mode_source"]) == ("mirrored", "policy")
        assert facts["windows_host_address"] == "127.0.0.1"

    def test_user_choice_wins_when_allowed(self):
        facts = facts_of("policy_forces_nat", policy={"DefaultNetworkingMode": 1})
        assert (facts["networking"]["mode"], facts["networking"]["mode_source"]) == ("mirrored", "wslconfig")
        assert facts["networking"]["effective_mode"] == "mirrored"


class TestMirroredUtf16Wslconfig:
    facts = facts_of("win11_mirrored_utf16")

    def test_utf16_bom_wslconfig_is_parsed(self):
        assert self.facts["wslconfig"]["encoding"] == "utf-16-le-bom"
        assert self.facts["wslconfig"]["settings"] == {
            "wsl2": {"networkingMode": "mirrored", "dnsTunneling": False},
            "experimental": {"hostAddressLoopback": True, "ignoredPorts": [3000, 9000]},
        }

    def test_mirrored(self):
        networking = self.facts["networking"]
        assert (networking["mode"], networking["effective_mode"], networking["fallback_reasons"]) == (
            "mirrored",
            "mirrored",
            [],
        )
        assert networking["host_address_loopback"] is True
        assert self.facts["windows_host_address"] == "127.0.0.1"
        assert self.facts["dns_tunneling"] == {"enabled": False, "address": None}
        assert self.facts["firewall"]["nat_network"] is None
        assert self.facts["firewall"]["vm_setting"]["default_inbound_action"] == "Allow"


class TestWslconfigEdgeCases:
    def _with_wslconfig(self, data: bytes | None, **changes):
        wslconfig = {"path": "C:\\Users\\alice\\.wslconfig", "exists": data is not None}
        wslconfig["content_base64"] = b64(data) if data is not None else None
        return facts_of("win11_nat", wslconfig=wslconfig, **changes)

    def test_missing_file(self):
        facts = self._with_wslconfig(None)
        assert facts["wslconfig"]["exists"] is False
        assert facts["wslconfig"]["settings"] == {}
        assert facts["networking"]["effective_mode"] == "nat"

    def test_utf8_bom(self):
        facts = self._with_wslconfig(b"\xef\xbb\xbf[wsl2]\nnetworkingMode=mirrored\n")
        assert facts["wslconfig"]["encoding"] == "utf-8-sig"
        assert facts["networking"]["effective_mode"] == "mirrored"

    def test_legacy_experimental_networking_mode(self):
        facts = self._with_wslconfig(b"[experimental]\nnetworkingMode=mirrored\n")
        assert facts["networking"]["requested_mode"] == "mirrored"

    def test_rejected_mode_keeps_default(self):
        facts = self._with_wslconfig(b"[wsl2]\nnetworkingMode=mirorred\n")
        assert facts["wslconfig"]["rejected_keys"] == ["wsl2.networkingMode"]
        assert (facts["networking"]["mode"], facts["networking"]["mode_source"]) == ("nat", "default")
        assert any("not a known mode" in note for note in facts["networking"]["notes"])

    def test_invalid_tunneling_address_turns_tunneling_off(self):
        facts = self._with_wslconfig(b"[experimental]\ndnsTunnelingIpAddress=10.0.0\n")
        assert facts["dns_tunneling"] == {"enabled": False, "address": None}

    def test_custom_tunneling_address(self):
        facts = self._with_wslconfig(b"[experimental]\ndnsTunnelingIpAddress=10.200.0.53\n")
        assert facts["dns_tunneling"] == {"enabled": True, "address": "10.200.0.53"}

    def test_safe_mode_turns_networking_off(self):
        facts = self._with_wslconfig(b"[wsl2]\nsafeMode=true\nnetworkingMode=mirrored\n")
        assert (facts["networking"]["mode"], facts["networking"]["mode_source"]) == ("none", "safe_mode")
        assert facts["windows_host_address"] is None
        assert facts["dns_tunneling"]["enabled"] is False

    @pytest.mark.parametrize(("wsl_version", "spelling"), [("2.6.1", "virtioproxy"), ("2.9.4", "consomme")])
    def test_virtioproxy_is_spelled_by_wsl_version(self, wsl_version, spelling):
        raw_version = {"source": "registry", "version": wsl_version}
        facts = self._with_wslconfig(b"[wsl2]\nnetworkingMode=VirtioProxy\n", wsl_version=raw_version)
        assert facts["networking"]["effective_mode"] == spelling
        assert facts["windows_host_address"] is None
        assert facts["dns_tunneling"]["enabled"] is True


class TestNetworkingSemantics:
    """WSL's post-processing of the mode and the firewall (issue 15), through _wslconf_effect.resolve."""

    def _facts(self, text: bytes, **changes):
        wslconfig = {"path": "C:\\Users\\alice\\.wslconfig", "exists": True, "content_base64": b64(text)}
        return facts_of("win11_nat", wslconfig=wslconfig, **changes)

    def test_bridged_without_vmswitch_has_no_network(self):
        # BridgedNetworking.cpp:17-20 throws WSL_E_VMSWITCH_NOT_SET; WslCoreVm.cpp:688-692 falls back to none
        networking = self._facts(b"[wsl2]\nnetworkingMode=bridged\n")["networking"]
        assert (networking["mode"], networking["effective_mode"]) == ("bridged", "none")
        assert "vmSwitch" in networking["fallback_reasons"][0]
        bridged = self._facts(b"[wsl2]\nnetworkingMode=bridged\nvmSwitch=LAN\n")["networking"]
        assert bridged["effective_mode"] == "bridged"

    def test_none_stays_none_under_the_mode_policy(self):
        # WslCoreConfig.cpp:377-388: the user may always turn networking off
        facts = self._facts(b"[wsl2]\nnetworkingMode=none\n", policy={"AllowNetworkingModeUserSetting": 0})
        assert (facts["networking"]["mode"], facts["networking"]["mode_source"]) == ("none", "wslconfig")
        assert facts["networking"]["effective_mode"] == "none"

    @pytest.mark.parametrize(("wsl_version", "mode"), [("2.6.1", "nat"), ("2.9.4", "consomme")])
    def test_consomme_is_rejected_before_wsl_2_9(self, wsl_version, mode):
        facts = self._facts(
            b"[wsl2]\nnetworkingMode=consomme\n", wsl_version={"source": "registry", "version": wsl_version}
        )
        assert facts["networking"]["effective_mode"] == mode
        assert any("write virtioproxy" in note for note in facts["networking"]["notes"]) is (mode == "nat")

    def test_virtio_off_turns_consomme_into_nat(self):
        facts = self._facts(
            b"[wsl2]\nnetworkingMode=virtioproxy\nvirtio=false\n",
            wsl_version={"source": "registry", "version": "2.9.4"},
        )
        assert facts["networking"]["effective_mode"] == "nat"

    @pytest.mark.parametrize(
        ("support", "enabled"), [(FIREWALL_V2, True), ({**FIREWALL_V2, "profile_query": False}, False)]
    )
    def test_nat_firewall_needs_hyperv_firewall_v2(self, support, enabled):
        # WslCoreVm.cpp:2906-2922: in NAT mode too, v1 is not enough and the firewall is dropped
        facts = self._facts(b"[wsl2]\nfirewall=true\n", hyperv_firewall_support=support)
        assert facts["networking"]["effective_mode"] == "nat"
        assert facts["firewall"]["enabled"] is enabled
        assert facts["firewall"]["nat_network"] == ("WSL (Hyper-V firewall)" if enabled else "WSL")

    def test_safe_mode_and_dns_tunneling_with_virtioproxy(self):
        version = {"source": "registry", "version": "2.6.1"}
        facts = self._facts(b"[wsl2]\nnetworkingMode=virtioproxy\n", wsl_version=version)
        assert (facts["networking"]["effective_mode"], facts["dns_tunneling"]["enabled"]) == ("virtioproxy", True)
        safe = self._facts(b"[wsl2]\nnetworkingMode=virtioproxy\nsafeMode=true\n", wsl_version=version)
        assert (safe["networking"]["effective_mode"], safe["dns_tunneling"]["enabled"]) == ("none", False)
        assert safe["firewall"]["enabled"] is False


class TestDecoding:
    TEXT = "WSL-Version: 2.6.1.0\r\nKernelversion: 6.6.87.2-1\r\n"

    @pytest.mark.parametrize(
        ("data", "encoding"),
        [
            (TEXT.encode("utf-8"), "utf-8"),
            (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
            (TEXT.encode("utf-16-le"), "utf-16-le"),
            (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le-bom"),
            (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be-bom"),
            (TEXT.encode("utf-16-be"), "utf-16-be"),
        ],
    )
    def test_decode_text(self, data, encoding):
        assert decode_text(data) == (self.TEXT, encoding)

    def test_cp1252_fallback(self):
        assert decode_text("Größe=1\n".encode("cp1252")) == ("Größe=1\n", "cp1252")

    def test_localised_wsl_version(self):
        # labels are localised (de-DE), the field order is not (microsoft/WSL localization/strings).
        assert parse_wsl_version_output(self.TEXT) == {"wsl": "2.6.1.0", "kernel": "6.6.87.2-1"}

    def test_real_en_us_output(self):
        # Real capture pasted in microsoft/WSL#10769.
        text = (
            "WSL version: 2.0.9.0\nKernel version: 5.15.133.1-1\nWSLg version: 1.0.59\nMSRDC version: 1.2.4677\n"
            "Direct3D version: 1.611.1-81528511\nDXCore version: 10.0.25131.1002-220531-1700.rs-onecore-base2-hyp\n"
            "Windows version: 10.0.22631.2506\n"
        )
        assert parse_wsl_version_output(text)["windows"] == "10.0.22631.2506"

    def test_full_width_colon_of_zh_tw(self):
        # The zh-TW template of MessagePackageVersions (microsoft/WSL localization/strings/zh-TW/Resources.resw)
        # filled with the values of the real en-US output above.
        labels = ("WSL 版本", "核心版本", "WSLg 版本", "MSRDC 版本", "Direct3D 版本", "DXCore 版本", "Windows 版本")
        values = ("2.0.9.0", "5.15.133.1-1", "1.0.59", "1.2.4677", "1.611.1-81528511")
        values += ("10.0.25131.1002-220531-1700.rs-onecore-base2-hyp", "10.0.22631.2506")
        text = "".join(f"{label}\uff1a {value}\r\n" for label, value in zip(labels, values, strict=True))
        assert parse_wsl_version_output(text) == {
            "wsl": "2.0.9.0",
            "kernel": "5.15.133.1-1",
            "wslg": "1.0.59",
            "msrdc": "1.2.4677",
            "direct3d": "1.611.1-81528511",
            "dxcore": "10.0.25131.1002-220531-1700.rs-onecore-base2-hyp",
            "windows": "10.0.22631.2506",
        }

    def test_old_inbox_wsl_version_error(self):
        assert parse_wsl_version_output("Invalid command line option: --version\r\n") is None

    def test_wsl_list_with_crcrlf_and_no_rows(self):
        text = "  NAME      STATE           VERSION\r\r\n* Ubuntu    Stopped         2\r\r\n"
        assert parse_wsl_list_verbose(text) == [{"name": "Ubuntu", "state": "Stopped", "version": 2, "default": True}]
        assert parse_wsl_list_verbose("") == []


def test_expand_known_folder_is_case_insensitive():
    env = {"SystemDrive": "C:"}
    assert expand_known_folder("%userprofile%\\Downloads", "D:\\Profiles\\al", env) == "D:\\Profiles\\al\\Downloads"
    assert expand_known_folder("%SYSTEMDRIVE%\\Data", None, env) == "C:\\Data"
    assert expand_known_folder(None, "C:\\Users\\al", env) is None


def test_negative_dword_from_powershell_is_unsigned():
    overrides = policy_overrides({"DefaultNetworkingMode": -1})
    assert overrides == [
        {
            "policy": "DefaultNetworkingMode",
            "value": 0xFFFFFFFF,
            "settings": ["wsl2.networkingMode"],
            "effect": "invalid value, WSL keeps NAT",
        }
    ]


class TestActionPlugin:
    def _action(self, module_result, args=None, shell_family="powershell"):
        task = mock.MagicMock(args=args or {}, async_val=0, check_mode=False, diff=False)
        connection = mock.MagicMock()
        connection._shell.SHELL_FAMILY = shell_family
        action = ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        action._execute_module = mock.MagicMock(return_value=module_result)
        return action

    def test_runs_the_powershell_module_and_sets_facts(self):
        action = self._action(recorded("win11_nat"), {"user": "alice"})
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            result = action.run(task_vars={})
        action._execute_module.assert_called_once_with(
            module_name="effective.wsl.wsl_host_facts", module_args={"user": "alice"}, task_vars={}
        )
        assert result["changed"] is False
        assert result["ansible_facts"]["wsl_host"]["windows_host_address"] == "172.24.208.1"
        assert result["ansible_facts"]["wsl_host"]["policy"] == {}

    def test_winrm_cmd_shell_of_ansible_core_2_21_is_windows(self):
        # ansible-core 2.21's winrm uses the cmd shell plugin (WinRS); PowerShell modules run through it as before.
        action = self._action(recorded("win11_nat"), {}, shell_family="cmd")
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            result = action.run(task_vars={})
        assert result.get("failed") is not True
        assert action._execute_module.call_count == 1

    def test_module_failure_is_passed_through(self):
        failure = {"failed": True, "msg": "user: 'nobody' is not a known Windows account"}
        action = self._action(failure, {"user": "nobody"})
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            result = action.run(task_vars={})
        assert result == failure

    def test_refuses_a_posix_connection(self):
        action = self._action(recorded("win11_nat"), shell_family="sh")
        with mock.patch("ansible.plugins.action.ActionBase.run", return_value={}):
            result = action.run(task_vars={})
        assert result["failed"] is True
        assert "effective.wsl.wsl_facts" in result["msg"]
        action._execute_module.assert_not_called()


@pytest.mark.parametrize(("raw_value", "fact"), [(True, True), (False, False), (None, None), ("True", None)])
def test_elevated_is_reported_only_when_the_host_said_so(raw_value, fact):
    assert facts_of("win11_nat", elevated=raw_value)["elevated"] is fact
