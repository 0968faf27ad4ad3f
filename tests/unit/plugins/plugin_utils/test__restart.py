from __future__ import annotations

import json
from dataclasses import replace

import pytest
import tree_sitter_powershell
from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Language, Parser

from ansible_collections.effective.wsl.plugins.plugin_utils._restart import (
    ACTION_DEFER,
    ACTION_NONE,
    ACTION_RUN,
    ACTION_SKIP,
    CONNECTION_INTEROP,
    CONNECTION_LOCAL,
    CONNECTION_REMOTE,
    CUT_OFF_CONTROLLER,
    CUT_OFF_REMOTE_DISTRO,
    DISTRO_TERMINATE,
    NO_RESTART,
    OUTCOME_FAILED,
    OUTCOME_RAN,
    WSL_SHUTDOWN,
    ControllerContext,
    RestartInputError,
    RestartRecord,
    RestartRequest,
    TargetContext,
    append_record,
    command_line,
    controller_in_wsl,
    decode_wsl_output,
    default_gateways_from_proc_net_route,
    local_addresses_from_proc,
    merge_restarts,
    plan_restart,
    powershell_argument,
    requests_from_changes,
    same_windows_user,
    summarize,
    target_on_controller_host,
    windows_wsl_exe,
    wsl_exe_argv,
)
from ansible_collections.effective.wsl.tests.unit.plugins.restart_fixtures import (
    IF_INET6,
    MIRRORED_FIB_TRIE,
    NAT_ROUTE,
    PLAIN_PROC_VERSION,
    WSL_PROC_VERSION,
)

NAT_CONTROLLER = ControllerContext(
    in_wsl=True,
    distro_name="Ubuntu",
    windows_host_addresses=frozenset({"172.24.208.1", "172.24.222.66"}),
    windows_host_names=frozenset({"DESKTOP-DEV1"}),
)
MIRRORED_CONTROLLER = ControllerContext(
    in_wsl=True,
    distro_name="Ubuntu",
    windows_host_addresses=local_addresses_from_proc(MIRRORED_FIB_TRIE, IF_INET6) | {"192.168.178.1"},
    windows_host_names=frozenset({"DESKTOP-DEV1"}),
)
NOT_WSL = ControllerContext(in_wsl=False)


def windows(address, user="dev", name="windows", resolved=(), connection=CONNECTION_REMOTE):
    return TargetContext(
        is_windows=True,
        connection=connection,
        name=name,
        address=address,
        resolved_addresses=frozenset(resolved),
        connection_user=user,
    )


LOCAL_DISTRO = TargetContext(is_windows=False, connection=CONNECTION_LOCAL, name="localhost", distro_name="Ubuntu")
SSH_DISTRO = TargetContext(
    is_windows=False, connection=CONNECTION_REMOTE, name="ws042-ubuntu", address="10.1.2.42", distro_name="Ubuntu"
)
SHUTDOWN = RestartRequest(required=("wsl_shutdown",))
TERMINATE = RestartRequest(required=("distro_terminate",))


# --- pieces ----------------------------------------------------------------------------------------------


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
    assert wsl_exe_argv(WSL_SHUTDOWN, None, r"C:\Program Files\WSL\wsl.exe") == (
        r"C:\Program Files\WSL\wsl.exe",
        "--shutdown",
    )
    assert wsl_exe_argv(NO_RESTART, None) == ()
    with pytest.raises(RestartInputError, match="distro: a distro_terminate restart needs the distro name"):
        wsl_exe_argv(DISTRO_TERMINATE, None)


@pytest.mark.parametrize(
    ("install_location", "expected"),
    [
        ("C:\\Program Files\\WSL\\", r"C:\Program Files\WSL\wsl.exe"),
        ("D:\\Apps\\WSL", r"D:\Apps\WSL\wsl.exe"),
        (None, "wsl.exe"),
        ("", "wsl.exe"),
        ("  ", "wsl.exe"),
    ],
)
def test_windows_wsl_exe_prefers_the_install_location(install_location, expected):
    assert windows_wsl_exe(install_location) == expected


# --- pasteable lines: PowerShell reads user values literally (issue 16 item 7) -----------------------------

PARSER = Parser(Language(tree_sitter_powershell.language()))
HOSTILE_NAMES = [
    "$(Remove-Item -Recurse C:\\)",
    "`$(calc)",
    "a`nb",
    "x'; calc; '",
    "x\u2019; calc; \u2018",
    "$env:USERPROFILE",
    '"; calc; "',
    "My Distro",
    "a&b|c;d",
]


def verbatim_value(token: str) -> str:
    """PowerShell's reading of a single-quoted string: any single-quote character doubled stands for itself."""
    quotes = "'\u2018\u2019\u201a\u201b"
    assert token[0] in quotes and token[-1] in quotes
    body, value, index = token[1:-1], [], 0
    while index < len(body):
        assert body[index] not in quotes or (index + 1 < len(body) and body[index + 1] in quotes), token
        value.append(body[index])
        index += 2 if body[index] in quotes else 1
    return "".join(value)


def argument_nodes(line: str) -> list:
    tree = PARSER.parse(line.encode())
    assert not tree.root_node.has_error, line
    kinds = []

    def walk(node):
        kinds.append(node.type)
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return kinds


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_pasteable_line_single_quotes_user_values(name):
    line = command_line(wsl_exe_argv(DISTRO_TERMINATE, name))
    prefix = "wsl.exe --terminate "
    assert line.startswith(prefix)
    quoted = line[len(prefix) :]
    assert verbatim_value(quoted) == name
    if "\u2018" not in name and "\u2019" not in name:  # the grammar knows only the ASCII quote
        kinds = argument_nodes(line)
        assert "verbatim_string_characters" in kinds
        assert not {"sub_expression", "expandable_string_literal", "variable", "pipeline_chain_tail"} & set(kinds)
        assert kinds.count("command") == 1


def test_safe_names_stay_bare_and_the_old_double_quoting_is_gone():
    assert command_line(wsl_exe_argv(DISTRO_TERMINATE, "Ubuntu-24.04")) == "wsl.exe --terminate Ubuntu-24.04"
    assert command_line(("wsl.exe", "--terminate", "My Distro")) == "wsl.exe --terminate 'My Distro'"
    assert powershell_argument("it's") == "'it''s'"


@settings(deadline=None)  # no timing dependence on the shared, loaded machine
@given(st.text(min_size=1, max_size=40))
def test_any_value_reads_back_literally(name):
    quoted = powershell_argument(name)
    assert quoted == name or verbatim_value(quoted) == name


# --- controller recognition --------------------------------------------------------------------------------


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


def test_local_addresses_from_proc():
    assert local_addresses_from_proc(MIRRORED_FIB_TRIE, IF_INET6) == frozenset(
        {"127.0.0.1", "192.168.178.73", "fe80::211:55ff:fe5d:a01", "2a01:4f8::73", "::1"}
    )
    assert local_addresses_from_proc(None, None) == frozenset()


@pytest.mark.parametrize(
    ("controller", "target", "expected"),
    [
        pytest.param(NAT_CONTROLLER, windows("172.24.208.1"), True, id="nat-gateway"),
        pytest.param(NAT_CONTROLLER, windows("127.0.0.1"), True, id="loopback"),
        pytest.param(NAT_CONTROLLER, windows("localhost"), True, id="localhost"),
        pytest.param(NAT_CONTROLLER, windows("::ffff:127.0.0.1"), True, id="mapped-loopback"),
        pytest.param(NAT_CONTROLLER, windows("[::1]"), True, id="ipv6-loopback"),
        # docs/winrm-from-wsl.md addresses the host by name: the name resolves to the gateway (or 127.0.1.1).
        pytest.param(NAT_CONTROLLER, windows("winhost.corp", resolved={"172.24.208.1"}), True, id="name-to-gateway"),
        pytest.param(NAT_CONTROLLER, windows("winhost", resolved={"127.0.1.1"}), True, id="name-to-127.0.1.1"),
        pytest.param(NAT_CONTROLLER, windows("desktop-dev1.corp.example"), True, id="name-is-the-computer-name"),
        pytest.param(MIRRORED_CONTROLLER, windows("192.168.178.73"), True, id="mirrored-lan-address"),
        pytest.param(MIRRORED_CONTROLLER, windows("2a01:4f8::73"), True, id="mirrored-lan-ipv6"),
        pytest.param(
            MIRRORED_CONTROLLER, windows("desk.corp", resolved={"192.168.178.73"}), True, id="mirrored-lan-name"
        ),
        pytest.param(NAT_CONTROLLER, windows("ws042.corp.example", resolved={"10.1.2.42"}), False, id="other-host"),
        pytest.param(NAT_CONTROLLER, windows("10.1.2.42"), False, id="other-ip"),
        pytest.param(NAT_CONTROLLER, windows(None), False, id="no-address"),
        pytest.param(NAT_CONTROLLER, LOCAL_DISTRO, True, id="local-distro"),
        pytest.param(NAT_CONTROLLER, SSH_DISTRO, False, id="ssh-distro-elsewhere"),
        pytest.param(NOT_WSL, windows("127.0.0.1"), False, id="controller-not-wsl"),
        pytest.param(NOT_WSL, LOCAL_DISTRO, False, id="controller-not-wsl-local"),
        pytest.param(NAT_CONTROLLER, windows(None, connection=CONNECTION_INTEROP), True, id="interop"),
    ],
)
def test_target_on_controller_host(controller, target, expected):
    assert target_on_controller_host(controller, target) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("dev", "dev", True),
        ("DEV", "dev", True),
        ("CORP\\dev", "dev", True),
        ("dev@corp.example", "CORP\\dev", True),
        (".\\dev", "dev", True),
        ("CORP\\dev", "OTHER\\dev", False),
        ("alice", "admin", False),
        ("alice", None, None),
        (None, None, None),
    ],
)
def test_same_windows_user(first, second, expected):
    assert same_windows_user(first, second) is expected


# --- decisions -------------------------------------------------------------------------------------------


def test_auto_defers_shutdown_of_the_controllers_own_vm():
    plan = plan_restart(SHUTDOWN, "auto", NAT_CONTROLLER, windows("172.24.208.1"))
    assert (plan.action, plan.restart, plan.cut_off) == (ACTION_DEFER, WSL_SHUTDOWN, (CUT_OFF_CONTROLLER,))
    assert plan.argv == ("wsl.exe", "--shutdown")
    assert plan.windows_host == "this controller's Windows host (windows)"
    assert plan.msg.startswith("WSL restart deferred: .wslconfig changed")
    assert "Not run now because it would stop the WSL VM the Ansible controller runs in." in plan.msg
    assert plan.msg.endswith("run in PowerShell on this controller's Windows host (windows) as dev: wsl.exe --shutdown")


def test_auto_runs_shutdown_on_another_windows_host_with_the_given_wsl_exe():
    plan = plan_restart(SHUTDOWN, "auto", NAT_CONTROLLER, windows("10.1.2.42", name="ws042"), r"C:\P\WSL\wsl.exe")
    assert (plan.action, plan.cut_off, plan.reason) == (ACTION_RUN, (), None)
    assert plan.argv == (r"C:\P\WSL\wsl.exe", "--shutdown")
    assert plan.command_line == "wsl.exe --shutdown"
    assert plan.msg.startswith("Running wsl.exe --shutdown on ws042 as dev.")


@pytest.mark.parametrize("policy", ["auto", "now"])
def test_another_users_vm_is_never_restarted_over_this_connection(policy):
    request = RestartRequest(required=("wsl_shutdown",), windows_user="alice")
    plan = plan_restart(request, policy, NOT_WSL, windows("ws042", user="admin", name="ws042"))
    assert plan.action == ACTION_DEFER
    assert plan.windows_user == "alice"
    assert "the VM belongs to 'alice' and the connection runs as 'admin'" in plan.reason
    assert plan.msg.endswith("run in PowerShell on ws042 as alice: wsl.exe --shutdown")


def test_the_same_user_spelt_differently_is_restarted():
    request = RestartRequest(required=("wsl_shutdown",), windows_user="CORP\\dev")
    assert plan_restart(request, "auto", NOT_WSL, windows("ws042", user="dev@corp.example")).action == ACTION_RUN


def test_auto_defers_terminate_of_own_distro_over_local_connection():
    plan = plan_restart(TERMINATE, "auto", NAT_CONTROLLER, LOCAL_DISTRO)
    assert plan.action == ACTION_DEFER
    assert plan.argv == ("wsl.exe", "--terminate", "Ubuntu")
    assert "terminate the distro 'Ubuntu' the Ansible controller runs in" in plan.msg
    assert plan.host_key == "controller"


@pytest.mark.parametrize("controller", [NOT_WSL, NAT_CONTROLLER], ids=["central", "from-wsl"])
def test_auto_never_runs_inside_a_distro_reached_over_a_non_local_connection(controller):
    plan = plan_restart(TERMINATE, "auto", controller, SSH_DISTRO)
    assert (plan.action, plan.cut_off) == (ACTION_DEFER, (CUT_OFF_REMOTE_DISTRO,))
    assert "reached over a non-local connection" in plan.reason
    now = plan_restart(TERMINATE, "now", controller, SSH_DISTRO)
    assert (now.action, now.argv) == (ACTION_RUN, ("wsl.exe", "--terminate", "Ubuntu"))
    assert "the connection ends here" in now.msg


def test_auto_runs_terminate_of_another_distro_on_the_controllers_host():
    request = RestartRequest(required=("distro_terminate",), distro="Debian")
    plan = plan_restart(request, "auto", NAT_CONTROLLER, windows("127.0.0.1"))
    assert (plan.action, plan.argv) == (ACTION_RUN, ("wsl.exe", "--terminate", "Debian"))


def test_interop_shutdown_cuts_off_the_controller():
    target = windows(None, user=None, connection=CONNECTION_INTEROP)
    assert plan_restart(SHUTDOWN, "auto", NAT_CONTROLLER, target).action == ACTION_DEFER


def test_terminate_with_unknown_controller_distro_is_treated_as_ours():
    controller = ControllerContext(in_wsl=True, distro_name=None)
    request = RestartRequest(required=("distro_terminate",), distro="Debian")
    assert plan_restart(request, "auto", controller, windows("127.0.0.1")).action == ACTION_DEFER


def test_now_runs_even_when_it_stops_the_controller_and_says_so():
    plan = plan_restart(SHUTDOWN, "now", NAT_CONTROLLER, windows("172.24.208.1"))
    assert (plan.action, plan.cut_off) == (ACTION_RUN, (CUT_OFF_CONTROLLER,))
    assert "Restart policy 'now': it would stop the WSL VM the Ansible controller runs in" in plan.msg


def test_never_skips_and_names_the_command():
    plan = plan_restart(SHUTDOWN, "never", NOT_WSL, windows("ws042", name="ws042"))
    assert (plan.action, plan.reason) == (ACTION_SKIP, "restart policy 'never'")
    assert plan.msg.endswith("Run in PowerShell on ws042 as dev when convenient: wsl.exe --shutdown")


@pytest.mark.parametrize("policy", ["auto", "now", "never"])
def test_nothing_to_do_without_changes(policy):
    plan = plan_restart(RestartRequest(required=("none",)), policy, NAT_CONTROLLER, windows("172.24.208.1"))
    assert (plan.action, plan.argv, plan.restart) == (ACTION_NONE, (), NO_RESTART)


def test_bad_policy_is_named():
    with pytest.raises(RestartInputError, match=r"policy: unknown value 'later'; expected one of auto, now, never"):
        plan_restart(SHUTDOWN, "later", NAT_CONTROLLER, windows("172.24.208.1"))


def test_terminate_without_distro_name_fails_clearly():
    target = TargetContext(is_windows=False, connection=CONNECTION_REMOTE, name="ssh-distro", address="10.0.0.5")
    with pytest.raises(RestartInputError, match="distro: a distro_terminate restart needs the distro name"):
        plan_restart(TERMINATE, "auto", NOT_WSL, target)


def test_why_names_the_file_and_keys_from_wsl_config_results():
    changes = [
        {
            "changed": True,
            "path": "C:\\Users\\dev\\.wslconfig",
            "restart_required": "wsl_shutdown",
            "changed_keys": [{"section": "wsl2", "key": "networkingMode"}, {"section": "wsl2", "key": "memory"}],
        },
        {"skipped": True},
        {"changed": False, "restart_required": "none"},
    ]
    required, why = requests_from_changes(changes)
    assert required == ("wsl_shutdown", "none")
    assert why == ("C:\\Users\\dev\\.wslconfig: wsl2.networkingMode, wsl2.memory",)
    plan = plan_restart(RestartRequest(required, why=why), "never", NOT_WSL, windows("ws042"))
    assert "Changed: C:\\Users\\dev\\.wslconfig: wsl2.networkingMode, wsl2.memory." in plan.msg


# --- the whole run -----------------------------------------------------------------------------------------


def run_of(*steps):
    """Records of one run: (record, outcome) in order, each appended as the action plugin does."""
    records: list[dict] = []
    for seq, (record, outcome) in enumerate(steps, start=1):
        if outcome:
            record = replace(record, outcome=outcome)
        records = append_record(records, record, "run-1", seq)
    return records


def test_records_are_json_and_round_trip():
    record = plan_restart(SHUTDOWN, "auto", NAT_CONTROLLER, windows("172.24.208.1"))
    stored = append_record([], record, "run-1", 7)
    assert RestartRecord.from_dict(json.loads(json.dumps(stored))[0]) == replace(record, run_id="run-1", seq=7)


def test_a_deferred_shutdown_then_a_deferred_terminate_keeps_the_shutdown():
    shutdown = plan_restart(SHUTDOWN, "auto", NAT_CONTROLLER, LOCAL_DISTRO)
    terminate = plan_restart(TERMINATE, "auto", NAT_CONTROLLER, LOCAL_DISTRO)
    for order in ((shutdown, terminate), (terminate, shutdown)):
        summary = summarize(run_of(*((item, None) for item in order)), "run-1")
        assert summary.restart == WSL_SHUTDOWN
        [pending] = summary.pending
        assert (pending.commands, pending.distros) == (("wsl.exe --shutdown",), ("Ubuntu",))
        assert "wsl.exe --shutdown - .wslconfig changed" in summary.msg
        assert "It also applies /etc/wsl.conf of Ubuntu." in summary.msg
        assert summary.msg.count("wsl.exe") == 1


def test_never_is_recorded_and_reported():
    record = plan_restart(SHUTDOWN, "never", NOT_WSL, windows("ws042", name="ws042"))
    summary = summarize(run_of((record, None)), "run-1")
    assert summary.action == ACTION_DEFER
    assert summary.msg.splitlines()[1] == (
        "- in PowerShell on ws042 as dev: wsl.exe --shutdown - .wslconfig changed; WSL reads it only when the user's "
        "VM starts, so every distro of that user must stop (wsl --shutdown). Not run because restart policy 'never'."
    )


def test_a_run_shutdown_applies_earlier_terminates_of_that_user_only():
    early = plan_restart(TERMINATE, "auto", NAT_CONTROLLER, LOCAL_DISTRO)
    ran = plan_restart(SHUTDOWN, "now", NAT_CONTROLLER, windows("127.0.0.1"))
    late = plan_restart(
        RestartRequest(required=("distro_terminate",), distro="Debian"), "never", NAT_CONTROLLER, LOCAL_DISTRO
    )
    summary = summarize(run_of((early, None), (ran, OUTCOME_RAN), (late, None)), "run-1")
    [pending] = summary.pending
    assert pending.commands == ("wsl.exe --terminate Debian",)
    assert summary.msg.endswith("Ran: wsl.exe --shutdown on this controller's Windows host (windows) as dev.")


def test_a_failed_run_stays_pending_with_its_reason():
    record = plan_restart(SHUTDOWN, "auto", NOT_WSL, windows("ws042", name="ws042"))
    failed = replace(record, outcome=OUTCOME_FAILED, reason="wsl.exe failed: rc=1")
    summary = summarize(run_of((failed, None)), "run-1")
    assert summary.pending[0].reasons == ("wsl.exe failed: rc=1",)


def test_restarts_of_different_users_and_hosts_stay_apart():
    alice = plan_restart(RestartRequest(("wsl_shutdown",), windows_user="alice"), "auto", NOT_WSL, windows("ws1"))
    bob = plan_restart(SHUTDOWN, "never", NOT_WSL, windows("ws1", user="bob"))
    other = plan_restart(SHUTDOWN, "never", NOT_WSL, windows("ws2", name="ws2"))
    summary = summarize(run_of((alice, None), (bob, None), (other, None)), "run-1")
    assert [(item.windows_host, item.windows_user) for item in summary.pending] == [
        ("windows", "alice"),
        ("windows", "bob"),
        ("ws2", "dev"),
    ]


def test_records_of_another_run_are_ignored():
    record = plan_restart(SHUTDOWN, "never", NOT_WSL, windows("ws1"))
    stale = append_record([], record, "old-run", 1)
    assert append_record(stale, record, "run-1", 2)[0]["run_id"] == "run-1"
    assert len(append_record(stale, record, "run-1", 2)) == 1
    assert summarize(stale, "run-1").msg == "No WSL restart is pending."


# --- wsl.exe output ----------------------------------------------------------------------------------------

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


@settings(deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=2))
def test_decode_wsl_output_round_trips_ascii_in_both_encodings(text):
    assert decode_wsl_output(text.encode("utf-16-le")) == text
    assert decode_wsl_output(text.encode("utf-8")) == text
