from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.effective.wsl.plugins.plugin_utils._restart import (
    ACTION_DEFER,
    ACTION_NONE,
    ACTION_RUN,
    ACTION_SKIP,
    DISTRO_TERMINATE,
    NO_RESTART,
    WSL_SHUTDOWN,
    ControllerContext,
    RestartInputError,
    TargetContext,
    command_line,
    controller_in_wsl,
    decode_wsl_output,
    default_gateways_from_proc_net_route,
    merge_restarts,
    plan_restart,
    summarize_deferred,
    target_hosts_controller,
    wsl_exe_argv,
)

WSL_PROC_VERSION = "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP"
PLAIN_PROC_VERSION = "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian"

# /proc/net/route of the simulated NAT distro: default via 172.24.208.1 on eth0.
NAT_ROUTE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01D018AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t00D018AC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0\n"
)

IN_WSL = ControllerContext(in_wsl=True, distro_name="Ubuntu", windows_host_addresses=frozenset({"172.24.208.1"}))
NOT_WSL = ControllerContext(in_wsl=False)
WINDOWS_VIA_GATEWAY = TargetContext(is_windows=True, is_controller=False, address="172.24.208.1")
WINDOWS_VIA_LOOPBACK = TargetContext(is_windows=True, is_controller=False, address="127.0.0.1")
OTHER_WINDOWS = TargetContext(is_windows=True, is_controller=False, address="ws042.corp.example")
LOCAL_DISTRO = TargetContext(is_windows=False, is_controller=True, distro_name="Ubuntu")


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        ([], NO_RESTART),
        (["none", None, ""], NO_RESTART),
        (["distro_terminate"], DISTRO_TERMINATE),
        (["none", "distro_terminate", "none"], DISTRO_TERMINATE),
        (["wsl_shutdown"], WSL_SHUTDOWN),
        (["distro_terminate", "wsl_shutdown"], WSL_SHUTDOWN),
        (["wsl_shutdown", "distro_terminate"], WSL_SHUTDOWN),
    ],
)
def test_merge_restarts_shutdown_covers_terminate(required, expected):
    assert merge_restarts(required) == expected


def test_merge_restarts_rejects_unknown_kind_naming_it():
    expected = r"required: unknown restart kind 'reboot'; expected one of wsl_shutdown"
    with pytest.raises(RestartInputError, match=expected):
        merge_restarts(["none", "reboot"])


def test_wsl_exe_argv():
    assert wsl_exe_argv(WSL_SHUTDOWN, None) == ("wsl.exe", "--shutdown")
    assert wsl_exe_argv(DISTRO_TERMINATE, "Ubuntu-24.04") == ("wsl.exe", "--terminate", "Ubuntu-24.04")
    assert wsl_exe_argv(NO_RESTART, None) == ()
    with pytest.raises(RestartInputError, match="distro: a distro_terminate restart needs the distro name"):
        wsl_exe_argv(DISTRO_TERMINATE, None)


def test_command_line_quotes_names_with_spaces():
    assert command_line(("wsl.exe", "--terminate", "My Distro")) == 'wsl.exe --terminate "My Distro"'


@pytest.mark.parametrize(
    ("proc_version", "environ", "expected"),
    [
        (WSL_PROC_VERSION, {}, True),
        ("Linux version 4.4.0-19041-Microsoft", {}, True),
        (PLAIN_PROC_VERSION, {}, False),
        (PLAIN_PROC_VERSION, {"WSL_DISTRO_NAME": "Debian"}, True),
        (None, {"WSL_DISTRO_NAME": ""}, False),
        (None, {}, False),
    ],
)
def test_controller_in_wsl(proc_version, environ, expected):
    assert controller_in_wsl(proc_version, environ) is expected


def test_default_gateway_from_proc_net_route():
    assert default_gateways_from_proc_net_route(NAT_ROUTE) == frozenset({"172.24.208.1"})
    assert default_gateways_from_proc_net_route("Iface\tDestination\tGateway\n") == frozenset()
    assert default_gateways_from_proc_net_route(None) == frozenset()
    assert default_gateways_from_proc_net_route("header\neth0 00000000 zz 0003\nshort\n") == frozenset()


@pytest.mark.parametrize(
    ("controller", "target", "expected"),
    [
        (IN_WSL, WINDOWS_VIA_GATEWAY, True),
        (IN_WSL, WINDOWS_VIA_LOOPBACK, True),
        (IN_WSL, TargetContext(is_windows=True, is_controller=False, address="localhost"), True),
        (IN_WSL, TargetContext(is_windows=True, is_controller=False, address="::1"), True),
        (IN_WSL, OTHER_WINDOWS, False),
        (IN_WSL, TargetContext(is_windows=True, is_controller=False, address=None), False),
        (IN_WSL, LOCAL_DISTRO, True),
        (IN_WSL, TargetContext(is_windows=False, is_controller=False, address="10.0.0.5"), False),
        (NOT_WSL, WINDOWS_VIA_LOOPBACK, False),
        (NOT_WSL, LOCAL_DISTRO, False),
    ],
)
def test_target_hosts_controller(controller, target, expected):
    assert target_hosts_controller(controller, target) is expected


def test_auto_defers_shutdown_of_the_controllers_own_host_with_one_clear_message():
    plan = plan_restart(["none", "wsl_shutdown"], "auto", IN_WSL, WINDOWS_VIA_GATEWAY)
    assert plan.action == ACTION_DEFER
    assert plan.restart == WSL_SHUTDOWN
    assert plan.controller_affected is True
    assert plan.argv == ("wsl.exe", "--shutdown")
    assert plan.msg.startswith("WSL restart deferred: .wslconfig changed")
    assert "run in PowerShell or cmd on Windows: wsl.exe --shutdown" in plan.msg
    assert "Ansible controller running inside it" in plan.msg


def test_auto_runs_shutdown_on_another_windows_host():
    plan = plan_restart(["wsl_shutdown"], "auto", IN_WSL, OTHER_WINDOWS)
    assert (plan.action, plan.controller_affected) == (ACTION_RUN, False)
    assert plan.msg.startswith("Running wsl.exe --shutdown.")


def test_auto_runs_shutdown_when_controller_is_not_in_wsl():
    plan = plan_restart(["wsl_shutdown"], "auto", NOT_WSL, WINDOWS_VIA_LOOPBACK)
    assert plan.action == ACTION_RUN


def test_auto_defers_terminate_of_own_distro_over_local_connection():
    plan = plan_restart(["distro_terminate"], "auto", IN_WSL, LOCAL_DISTRO)
    assert plan.action == ACTION_DEFER
    assert plan.argv == ("wsl.exe", "--terminate", "Ubuntu")
    assert "terminate the distro 'Ubuntu' the Ansible controller runs in" in plan.msg
    assert "wsl.exe --terminate Ubuntu" in plan.msg


def test_auto_runs_terminate_of_another_distro_on_the_controllers_host():
    plan = plan_restart(["distro_terminate"], "auto", IN_WSL, WINDOWS_VIA_LOOPBACK, distro="Debian")
    assert plan.action == ACTION_RUN
    assert plan.argv == ("wsl.exe", "--terminate", "Debian")


def test_terminate_with_unknown_controller_distro_is_treated_as_ours():
    controller = ControllerContext(in_wsl=True, distro_name=None)
    plan = plan_restart(["distro_terminate"], "auto", controller, WINDOWS_VIA_LOOPBACK, distro="Debian")
    assert plan.action == ACTION_DEFER


def test_distro_name_defaults_to_target_then_controller():
    target = TargetContext(is_windows=False, is_controller=False, distro_name="Alpine")
    assert plan_restart(["distro_terminate"], "now", NOT_WSL, target).argv[-1] == "Alpine"
    local = TargetContext(is_windows=False, is_controller=True)
    assert plan_restart(["distro_terminate"], "now", IN_WSL, local).argv[-1] == "Ubuntu"


def test_now_runs_even_when_it_stops_the_controller_and_says_so():
    plan = plan_restart(["wsl_shutdown"], "now", IN_WSL, WINDOWS_VIA_GATEWAY)
    assert plan.action == ACTION_RUN
    assert plan.controller_affected is True
    assert "its connection ends here (restart policy 'now')" in plan.msg


def test_never_skips_and_names_the_command():
    plan = plan_restart(["wsl_shutdown"], "never", NOT_WSL, OTHER_WINDOWS)
    assert plan.action == ACTION_SKIP
    assert plan.msg.endswith("Run on Windows when convenient: wsl.exe --shutdown")


@pytest.mark.parametrize("policy", ["auto", "now", "never"])
def test_nothing_to_do_without_changes(policy):
    plan = plan_restart(["none"], policy, IN_WSL, WINDOWS_VIA_GATEWAY)
    assert (plan.action, plan.argv, plan.restart) == (ACTION_NONE, (), NO_RESTART)


def test_bad_policy_is_named():
    with pytest.raises(RestartInputError, match=r"policy: unknown value 'later'; expected one of auto, now, never"):
        plan_restart(["wsl_shutdown"], "later", IN_WSL, WINDOWS_VIA_GATEWAY)


def test_terminate_without_distro_name_fails_clearly():
    target = TargetContext(is_windows=True, is_controller=False, address="ws1")
    with pytest.raises(RestartInputError, match="distro: a distro_terminate restart needs the distro name"):
        plan_restart(["distro_terminate"], "auto", NOT_WSL, target)


def test_summary_of_shutdown_and_terminate_is_one_shutdown():
    plan = summarize_deferred(
        [
            {"restart": "distro_terminate", "distro": "Ubuntu"},
            {"restart": "wsl_shutdown", "distro": None},
            {},
        ]
    )
    assert plan.restart == WSL_SHUTDOWN
    assert plan.argv == ("wsl.exe", "--shutdown")
    assert plan.msg.count("wsl.exe") == 1


def test_summary_of_terminates_names_each_distro_once():
    plan = summarize_deferred(
        [
            {"restart": "distro_terminate", "distro": "Ubuntu"},
            {"restart": "distro_terminate", "distro": "Debian"},
            {"restart": "distro_terminate", "distro": "Ubuntu"},
        ]
    )
    assert plan.restart == DISTRO_TERMINATE
    assert "wsl.exe --terminate Debian; wsl.exe --terminate Ubuntu" in plan.msg


def test_summary_of_one_terminate_and_of_nothing():
    plan = summarize_deferred([{"restart": "distro_terminate", "distro": "Ubuntu"}])
    assert "wsl.exe --terminate Ubuntu" in plan.msg
    assert summarize_deferred([]).action == ACTION_NONE


WSL_LIST = "  NAME      STATE           VERSION\r\n* Ubuntu    Running         2\r\n"


@pytest.mark.parametrize(
    "raw",
    [
        WSL_LIST.encode("utf-16-le"),
        b"\xff\xfe" + WSL_LIST.encode("utf-16-le"),
        WSL_LIST.encode("utf-8"),
        b"\xef\xbb\xbf" + WSL_LIST.encode("utf-8"),
        WSL_LIST,
        # UTF-16LE bytes that a module decoded as UTF-8: a NUL after every character.
        WSL_LIST.encode("utf-16-le").decode("utf-8"),
    ],
)
def test_decode_wsl_output(raw):
    assert decode_wsl_output(raw) == "  NAME      STATE           VERSION\n* Ubuntu    Running         2\n"


def test_decode_wsl_output_keeps_non_ascii_and_drops_double_cr():
    text = "Für die Distribution\r\r\n"
    assert decode_wsl_output(text.encode("utf-16-le")) == "Für die Distribution\n"
    assert decode_wsl_output(text.encode("utf-8")) == "Für die Distribution\n"
    assert decode_wsl_output(None) == ""
    assert decode_wsl_output(b"") == ""


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=2))
def test_decode_wsl_output_round_trips_ascii_in_both_encodings(text):
    assert decode_wsl_output(text.encode("utf-16-le")) == text
    assert decode_wsl_output(text.encode("utf-8")) == text
