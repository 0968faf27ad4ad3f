# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private engine: the WSL restarts that configuration changes need, whom they would cut off, and what to do.

Private to effective.wsl; it may change at any time. Pure functions over plain data: the action plugin
``effective.wsl.wsl_restart`` reads the controller's /proc files, resolves names and passes the results in.

A restart is
- WHAT: ``wsl_shutdown`` stops one Windows user's VM and every distro in it (``.wslconfig`` is read when the VM
  starts, https://learn.microsoft.com/windows/wsl/wsl-config "the 8 second rule"); ``distro_terminate`` stops one
  distro (``/etc/wsl.conf`` is read when it starts, same page);
- WHOSE: a Windows host and a Windows user. WSL runs one VM per user SID and ``wsl --shutdown`` /
  ``wsl --terminate`` act on the CALLER's VM only (microsoft/WSL src/windows/service/exe/LxssUserSessionFactory.cpp,
  FindSessionLockHeld: one session per user SID): run as another account they restart that account's VM;
- WHY: the file and keys that changed;
- WHO WOULD BE CUT OFF: the controller (its own VM, or its own distro), or a distro reached over a non-local
  connection (whoever works in it, and this connection).

Every decision (run, defer, skip) is a :class:`RestartRecord`, a JSON-serialisable dict through ``as_dict``;
:func:`summarize` folds the records of a whole run per (Windows host, Windows user): a pending shutdown covers
that user's pending terminates.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import struct
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace

from ansible_collections.effective.wsl.plugins.module_utils._wslnet import detect_wsl
from ansible_collections.effective.wsl.plugins.plugin_utils._wintext import decode_text

WSL_SHUTDOWN = "wsl_shutdown"
DISTRO_TERMINATE = "distro_terminate"
NO_RESTART = "none"
RESTART_CHOICES = (WSL_SHUTDOWN, DISTRO_TERMINATE, NO_RESTART)

POLICY_AUTO = "auto"
POLICY_NOW = "now"
POLICY_NEVER = "never"
POLICY_CHOICES = (POLICY_AUTO, POLICY_NOW, POLICY_NEVER)

ACTION_RUN = "run"
ACTION_DEFER = "defer"
ACTION_SKIP = "skip"
ACTION_NONE = "none"

CONNECTION_LOCAL = "local"
CONNECTION_INTEROP = "interop"
CONNECTION_REMOTE = "remote"

CUT_OFF_CONTROLLER = "controller"
CUT_OFF_REMOTE_DISTRO = "remote_distro"

OUTCOME_RAN = "ran"
OUTCOME_FAILED = "failed"
OUTCOME_CONNECTION_CLOSED = "connection_closed"

CONTROLLER_HOST_KEY = "controller"
CONTROLLER_HOST_LABEL = "this controller's Windows host"

# WSL_UTF8=1 makes wsl.exe write UTF-8 (microsoft/WSL src/windows/common/WslClient.cpp); from inside WSL the variable
# only reaches the Windows process when WSLENV names it (src/linux/init/util.cpp, WSLENV_ENV).
WSL_EXE_ENV_WINDOWS = {"WSL_UTF8": "1"}
WSL_EXE_ENV_LINUX = {"WSL_UTF8": "1", "WSLENV": "WSL_UTF8"}

# The Store/MSI WSL records its folder here and WSL itself reads it (microsoft/WSL src/windows/common/wslutil.cpp).
# From session 0 (WinRM, OpenSSH) the System32 stub often fails with "The file cannot be accessed by the system."
# where this one works: microsoft/WSL#9231, #9620, #7900.
WSL_MSI_KEY = r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi"
WSL_MSI_VALUE = "InstallLocation"
# Inbox WSL has no such key: PATH finds the System32 wsl.exe, the only one there is.
SYSTEM32_WSL_EXE = "wsl.exe"

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

# Characters that PowerShell (and cmd) read literally in a bare argument; anything else is single-quoted.
_BARE_ARGUMENT = re.compile(r"[A-Za-z0-9._-]+")
# PowerShell ends a single-quoted string at any of these (its tokenizer treats the typographic single quotes
# like the ASCII one); doubling one keeps it literal. Inside single quotes nothing else is special: no $(...),
# no variables, no backtick escapes (about_Quoting_Rules).
_POWERSHELL_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"


class RestartInputError(ValueError):
    """Bad input (unknown restart kind or policy, missing distro name); the message names it."""


@dataclass(frozen=True)
class ControllerContext:
    """What the controller knows about itself."""

    in_wsl: bool
    distro_name: str | None = None
    # Every address of the Windows host the controller's VM runs on: loopback always counts; the NAT gateway, the
    # controller's own addresses (in mirrored mode they are the host's), and addresses given by the play.
    windows_host_addresses: frozenset[str] = field(default_factory=frozenset)
    # Names of that host: WSL names the distro after the Windows computer unless [network] hostname says otherwise.
    windows_host_names: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TargetContext:
    """The host the restart command would run on, as the play reaches it."""

    is_windows: bool
    connection: str = CONNECTION_REMOTE
    name: str | None = None
    address: str | None = None
    resolved_addresses: frozenset[str] = field(default_factory=frozenset)
    connection_user: str | None = None
    distro_name: str | None = None
    # A distro target: the inventory name of the Windows host it runs on, when the play knows it.
    windows_host: str | None = None


@dataclass(frozen=True)
class RestartRequest:
    """What the changes need: restart kinds, the distro, the Windows user whose VM it is, and why."""

    required: tuple[str | None, ...] = ()
    distro: str | None = None
    windows_user: str | None = None
    why: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestartRecord:
    """One decision about one restart; ``as_dict`` is what facts, results and status files carry."""

    restart: str
    action: str
    policy: str
    windows_host: str
    host_key: str
    windows_user: str | None
    distro: str | None
    why: tuple[str, ...]
    cut_off: tuple[str, ...]
    reason: str | None
    argv: tuple[str, ...]
    command_line: str
    run_on: str
    msg: str
    reported_by: str | None = None
    run_id: str | None = None
    seq: int = 0
    check_mode: bool = False
    outcome: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in ("why", "cut_off", "argv"):
            data[name] = list(data[name])
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> RestartRecord:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for name in ("why", "cut_off", "argv"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    @property
    def pending(self) -> bool:
        """Not applied yet: deferred, skipped, or run without success."""
        return self.action in (ACTION_DEFER, ACTION_SKIP) or (
            self.action == ACTION_RUN and self.outcome == OUTCOME_FAILED
        )


@dataclass(frozen=True)
class PendingRestart:
    """What is still to do for one (Windows host, Windows user): one shutdown, or one terminate per distro."""

    restart: str
    windows_host: str
    host_key: str
    windows_user: str | None
    distros: tuple[str, ...]
    commands: tuple[str, ...]
    run_on: str
    why: tuple[str, ...]
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in ("distros", "commands", "why", "reasons"):
            data[name] = list(data[name])
        return data


@dataclass(frozen=True)
class RestartSummary:
    pending: tuple[PendingRestart, ...]
    ran: tuple[RestartRecord, ...]
    msg: str

    @property
    def restart(self) -> str:
        return merge_restarts(item.restart for item in self.pending)

    @property
    def action(self) -> str:
        return ACTION_DEFER if self.pending else ACTION_NONE


# --- small pieces ------------------------------------------------------------------------------------------


def powershell_argument(arg: str) -> str:
    """``arg`` as PowerShell reads it literally: bare when safe, else single-quoted (nothing inside runs)."""
    if _BARE_ARGUMENT.fullmatch(arg):
        return arg
    quoted = "".join(char * 2 if char in _POWERSHELL_SINGLE_QUOTES else char for char in arg)
    return f"'{quoted}'"


def command_line(argv: Iterable[str]) -> str:
    """argv as one line to paste into PowerShell; user-supplied values cannot run anything when pasted."""
    return " ".join(powershell_argument(str(arg)) for arg in argv)


def merge_restarts(required: Iterable[str | None]) -> str:
    """Fold restart_required values into the one restart that covers them all (a shutdown covers a terminate)."""
    merged = NO_RESTART
    for value in required:
        kind = NO_RESTART if value in (None, "") else str(value)
        if kind not in RESTART_CHOICES:
            raise RestartInputError(
                f"required: unknown restart kind {kind!r}; expected one of {', '.join(RESTART_CHOICES)}"
            )
        if kind == WSL_SHUTDOWN:
            merged = WSL_SHUTDOWN
        elif kind == DISTRO_TERMINATE and merged == NO_RESTART:
            merged = DISTRO_TERMINATE
    return merged


def wsl_exe_argv(restart: str, distro: str | None, program: str = "wsl.exe") -> tuple[str, ...]:
    """The wsl.exe call for a restart kind; ``()`` for ``none``."""
    if restart == WSL_SHUTDOWN:
        return (program, "--shutdown")
    if restart == DISTRO_TERMINATE:
        if not distro:
            raise RestartInputError(
                "distro: a distro_terminate restart needs the distro name (set distro - wsl_distro_name in the "
                "wsl_distro role - or gather effective.wsl.wsl_facts where WSL_DISTRO_NAME is set, as on the local "
                "connection; over SSH it is not)"
            )
        return (program, "--terminate", distro)
    if restart == NO_RESTART:
        return ()
    raise RestartInputError(f"required: unknown restart kind {restart!r}; expected one of {', '.join(RESTART_CHOICES)}")


def windows_wsl_exe(install_location: str | None) -> str:
    """The wsl.exe to run on Windows: the one in the Lxss\\Msi InstallLocation, System32's only without it."""
    folder = (install_location or "").strip().rstrip("\\/")
    return f"{folder}\\wsl.exe" if folder else SYSTEM32_WSL_EXE


def requests_from_changes(changes: Iterable[Mapping]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The restart kinds and the reasons (file and keys) in registered effective.wsl.wsl_config results."""
    required: list[str] = []
    why: list[str] = []
    for change in changes:
        if not isinstance(change, Mapping) or change.get("skipped") or change.get("failed"):
            continue
        kind = change.get("restart_required") or NO_RESTART
        required.append(kind)
        if kind == NO_RESTART:
            continue
        keys = [
            f"{item.get('section')}.{item.get('key')}"
            for item in change.get("changed_keys") or ()
            if isinstance(item, Mapping) and item.get("key")
        ]
        path = change.get("path") or ("/etc/wsl.conf" if kind == DISTRO_TERMINATE else ".wslconfig")
        why.append(f"{path}: {', '.join(keys)}" if keys else str(path))
    return tuple(required), tuple(why)


def controller_in_wsl(proc_version: str | None, environ: Mapping[str, str]) -> bool:
    """Whether the controller runs in WSL, by the same evidence wsl_facts uses for targets (``detect_wsl``)."""
    return detect_wsl(proc_version, dict(environ))["is_wsl"]


def default_gateways_from_proc_net_route(text: str | None) -> frozenset[str]:
    """IPv4 default gateways from the text of /proc/net/route (gateway column is little-endian hex)."""
    gateways: set[str] = set()
    for line in (text or "").splitlines()[1:]:
        columns = line.split()
        if len(columns) < 3 or columns[1] != "00000000":
            continue
        try:
            packed = struct.pack("<I", int(columns[2], 16))
        except (ValueError, struct.error):
            continue
        gateway = socket.inet_ntoa(packed)
        if gateway != "0.0.0.0":
            gateways.add(gateway)
    return frozenset(gateways)


def local_addresses_from_proc(fib_trie: str | None, if_inet6: str | None) -> frozenset[str]:
    """The controller's own addresses: IPv4 ``/32 host LOCAL`` leaves of /proc/net/fib_trie, IPv6 of if_inet6.

    In mirrored mode the distro's interfaces carry the Windows host's addresses (https://learn.microsoft.com/windows/wsl/networking,
    "Mirrored mode networking"), so a Windows
    host addressed by its LAN address is recognised as the controller's own.
    """
    found: set[str] = set()
    last_leaf = None
    for line in (fib_trie or "").splitlines():
        text = line.strip()
        if text.startswith("|--"):
            last_leaf = text[3:].strip()
        elif last_leaf and text.startswith("/32 host LOCAL"):
            found.add(last_leaf)
    for line in (if_inet6 or "").splitlines():
        columns = line.split()
        if columns and len(columns[0]) == 32:
            try:
                found.add(str(ipaddress.IPv6Address(int(columns[0], 16))))
            except ValueError:
                continue
    return frozenset(canonical_address(item) for item in found)


def canonical_address(address: str) -> str:
    """An IP address in one spelling (IPv4-mapped IPv6 as IPv4, zone and brackets dropped); a name lower-cased."""
    text = address.strip().strip("[]").split("%")[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return address.strip().lower().rstrip(".")
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return str(parsed)


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    text = canonical_address(address)
    if text in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def _account(name: str | None) -> tuple[str | None, str] | None:
    """(domain, user) of ``DOMAIN\\user``, ``user@domain`` or ``user``; ``.`` (this computer) counts as no domain."""
    if not name or not name.strip():
        return None
    text = name.strip().casefold()
    domain = None
    if "\\" in text:
        domain, text = text.rsplit("\\", 1)
    elif "@" in text:
        text, domain = text.split("@", 1)
        domain = domain.split(".")[0]
    return (None if domain in (None, "", ".") else domain.split(".")[0]), text


def same_windows_user(first: str | None, second: str | None) -> bool | None:
    """True/False when both accounts are known (user names equal, domains equal where both are given), else None."""
    a, b = _account(first), _account(second)
    if a is None or b is None:
        return None
    if a[1] != b[1]:
        return False
    return a[0] is None or b[0] is None or a[0] == b[0]


def user_key(name: str | None) -> str:
    account = _account(name)
    return account[1] if account else ""


def target_on_controller_host(controller: ControllerContext, target: TargetContext) -> bool:
    """Does ``target`` run on the Windows host (and in the user VM, for interop) that the controller runs in?

    Over interop (effective.wsl.interop) the Windows side IS the controller's host, reached from the controller's own
    VM. Over the local connection the target is the controller. Otherwise the target's address - and every address
    its name resolves to - is compared with every address of the controller's Windows host: loopback, the NAT
    gateway, the controller's own addresses (mirrored mode), the given ones; and its name with the host's name.
    """
    if target.connection == CONNECTION_INTEROP:
        return True
    if not controller.in_wsl:
        return False
    if target.connection == CONNECTION_LOCAL:
        return True
    candidates = {canonical_address(item) for item in target.resolved_addresses}
    if target.address:
        candidates.add(canonical_address(target.address))
    if any(is_loopback(item) for item in candidates):
        return True
    known = {canonical_address(item) for item in controller.windows_host_addresses}
    if candidates & known:
        return True
    names = {name.casefold().split(".")[0] for name in controller.windows_host_names if name}
    return (
        bool(target.address) and canonical_address(target.address).split(".")[0] in names and not _is_ip(target.address)
    )


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip().strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


# --- the decision ------------------------------------------------------------------------------------------


def plan_restart(
    request: RestartRequest,
    policy: str,
    controller: ControllerContext,
    target: TargetContext,
    wsl_exe: str = "wsl.exe",
) -> RestartRecord:
    """Decide what to do about the restart that ``request`` needs on ``target``."""
    if policy not in POLICY_CHOICES:
        raise RestartInputError(f"policy: unknown value {policy!r}; expected one of {', '.join(POLICY_CHOICES)}")
    restart = merge_restarts(request.required)
    local_distro = target.connection == CONNECTION_LOCAL and not target.is_windows
    distro = request.distro or target.distro_name or (controller.distro_name if local_distro else None)
    if restart == NO_RESTART:
        return RestartRecord(
            NO_RESTART, ACTION_NONE, policy, "", "", None, None, (), (), None, (), "", "", "No WSL restart is needed."
        )
    paste_argv = wsl_exe_argv(restart, distro)
    on_controller_host = target_on_controller_host(controller, target)

    owner = request.windows_user or (target.connection_user if target.is_windows else None) or None
    # Over a Windows connection wsl.exe runs as the connection account; for another user's VM it cannot help.
    other_user = bool(
        target.is_windows
        and request.windows_user
        and same_windows_user(request.windows_user, target.connection_user) is not True
    )

    cut_off = []
    if on_controller_host and (controller.in_wsl or target.connection == CONNECTION_INTEROP):
        own_distro = (
            distro is None
            or controller.distro_name is None
            or distro.casefold() == (controller.distro_name or "").casefold()
        )
        if restart == WSL_SHUTDOWN or own_distro:
            cut_off.append(CUT_OFF_CONTROLLER)
    if not target.is_windows and target.connection == CONNECTION_REMOTE:
        cut_off.append(CUT_OFF_REMOTE_DISTRO)

    if on_controller_host:
        host_key, host_label = CONTROLLER_HOST_KEY, CONTROLLER_HOST_LABEL
        if target.is_windows and target.name:
            host_label = f"{CONTROLLER_HOST_LABEL} ({target.name})"
    elif target.is_windows:
        host_label = target.name or target.address or "the Windows host"
        host_key = host_label.casefold()
    elif target.windows_host:
        host_label, host_key = target.windows_host, target.windows_host.casefold()
    else:
        name = target.name or target.address or "?"
        host_label, host_key = f"the Windows host of {name}", f"distro:{name.casefold()}"
    run_on = f"on {host_label}" + (f" as {owner}" if owner else "")

    why = _why(restart, distro, request.why)
    command = command_line(paste_argv)
    if policy == POLICY_NEVER:
        action, reason = ACTION_SKIP, "restart policy 'never'"
    elif other_user:
        action = ACTION_DEFER
        reason = _other_user_reason(owner, target.connection_user)
    elif policy == POLICY_AUTO and cut_off:
        action, reason = ACTION_DEFER, _cut_off_reason(restart, distro, cut_off, target)
    else:
        action, reason = ACTION_RUN, None

    if action == ACTION_RUN:
        msg = f"Running {command} {run_on}. {why}"
        if cut_off:
            reason_text = _cut_off_reason(restart, distro, cut_off, target)
            msg += f" Restart policy 'now': {reason_text}; the connection ends here."
        argv = wsl_exe_argv(restart, distro, wsl_exe)
    elif action == ACTION_SKIP:
        msg = f"WSL restart not run ({reason}). {why} Run {_where(run_on)} when convenient: {command}"
        argv = paste_argv
    else:
        msg = (
            f"WSL restart deferred: {why} Not run now because {reason}. Close the WSL sessions and run "
            f"{_where(run_on)}: {command}"
        )
        argv = paste_argv
    return RestartRecord(
        restart=restart,
        action=action,
        policy=policy,
        windows_host=host_label,
        host_key=host_key,
        windows_user=owner,
        distro=distro,
        why=(why,),
        cut_off=tuple(cut_off),
        reason=reason,
        argv=argv,
        command_line=command,
        run_on=run_on,
        msg=msg,
        reported_by=target.name,
    )


def _where(run_on: str) -> str:
    return f"in PowerShell {run_on}"


def _why(restart: str, distro: str | None, details: tuple[str, ...]) -> str:
    changed = f" Changed: {'; '.join(details)}." if details else ""
    if restart == WSL_SHUTDOWN:
        return (
            ".wslconfig changed; WSL reads it only when the user's VM starts, so every distro of that user must stop "
            f"(wsl --shutdown).{changed}"
        )
    return f"/etc/wsl.conf of {distro!r} changed; WSL reads it only when the distro starts (wsl --terminate).{changed}"


def _cut_off_reason(restart: str, distro: str | None, cut_off: list[str], target: TargetContext) -> str:
    parts = []
    if CUT_OFF_CONTROLLER in cut_off:
        if restart == WSL_SHUTDOWN:
            parts.append("it would stop the WSL VM the Ansible controller runs in")
        else:
            parts.append(f"it would terminate the distro {distro!r} the Ansible controller runs in")
    if CUT_OFF_REMOTE_DISTRO in cut_off:
        parts.append(
            f"it would run inside the distro {target.name or target.address!r}, reached over a non-local connection, "
            "and stop the work of whoever uses that WSL (and this connection)"
        )
    return "; ".join(parts)


def _other_user_reason(owner: str | None, connection_user: str | None) -> str:
    caller = repr(connection_user) if connection_user else "the connection account (unknown)"
    return (
        f"the VM belongs to {owner!r} and the connection runs as {caller}: WSL keeps one VM per Windows user and "
        "wsl.exe acts on the caller's VM only, so it must run in a session of that user"
    )


# --- the whole run -----------------------------------------------------------------------------------------


def records_from(values: Iterable) -> list[RestartRecord]:
    """RestartRecords from dicts (facts) or records; other values are ignored."""
    records = []
    for value in values:
        if isinstance(value, RestartRecord):
            records.append(value)
        elif isinstance(value, Mapping) and value.get("restart") in (WSL_SHUTDOWN, DISTRO_TERMINATE):
            records.append(RestartRecord.from_dict(value))
    return records


def append_record(existing: Iterable, record: RestartRecord, run_id: str | None, seq: int) -> list[dict]:
    """The host's record list after ``record``: records of other runs (a persistent fact cache) are dropped.

    ``seq`` orders the records of every host of the run (the adapter uses the controller's clock).
    """
    kept = [item for item in records_from(existing) if item.run_id == run_id]
    return [item.as_dict() for item in kept] + [replace(record, run_id=run_id, seq=seq).as_dict()]


def summarize(records: Iterable, run_id: str | None = None) -> RestartSummary:
    """Fold every decision of a run into what is still to do, per (Windows host, Windows user).

    A run shutdown applies every earlier pending restart of that user's VM; a run terminate applies earlier pending
    terminates of its distro; a pending shutdown covers every pending terminate of the same user. On the controller's
    own host, records whose user is unknown belong to the one known user there (the owner of the controller's VM).
    """
    chosen = [item for item in records_from(records) if run_id is None or item.run_id == run_id]
    chosen.sort(key=lambda item: item.seq)
    groups: dict[tuple[str, str], list[RestartRecord]] = {}
    known_on_controller = {user_key(item.windows_user) for item in chosen if item.host_key == CONTROLLER_HOST_KEY}
    known_on_controller.discard("")
    for item in chosen:
        user = user_key(item.windows_user)
        if item.host_key == CONTROLLER_HOST_KEY and not user and len(known_on_controller) == 1:
            user = next(iter(known_on_controller))
        groups.setdefault((item.host_key, user), []).append(item)

    pending: list[PendingRestart] = []
    ran: list[RestartRecord] = []
    for group in groups.values():
        shutdowns: list[RestartRecord] = []
        terminates: dict[str, list[RestartRecord]] = {}
        for item in group:
            if item.pending:
                if item.restart == WSL_SHUTDOWN:
                    shutdowns.append(item)
                else:
                    terminates.setdefault(item.distro or "", []).append(item)
                continue
            ran.append(item)
            if item.restart == WSL_SHUTDOWN:
                shutdowns.clear()
                terminates.clear()
            else:
                terminates.pop(item.distro or "", None)
        if shutdowns or terminates:
            pending.append(_pending(shutdowns, terminates))
    return RestartSummary(tuple(pending), tuple(ran), _summary_message(pending, ran))


def _pending(shutdowns: list[RestartRecord], terminates: dict[str, list[RestartRecord]]) -> PendingRestart:
    involved = shutdowns + [item for items in terminates.values() for item in items]
    lead = next((item for item in shutdowns + involved if item.windows_user), involved[0])
    distros = tuple(sorted(name for name in terminates if name))
    if shutdowns:
        restart, commands = WSL_SHUTDOWN, (shutdowns[0].command_line,)
    else:
        restart = DISTRO_TERMINATE
        commands = tuple(terminates[name][-1].command_line for name in sorted(terminates))
    return PendingRestart(
        restart=restart,
        windows_host=lead.windows_host,
        host_key=lead.host_key,
        windows_user=lead.windows_user,
        distros=distros,
        commands=commands,
        run_on=lead.run_on,
        why=_unique(why for item in involved for why in item.why),
        reasons=_unique(item.reason for item in involved if item.reason),
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _summary_message(pending: list[PendingRestart], ran: list[RestartRecord]) -> str:
    lines = []
    if not pending:
        lines.append("No WSL restart is pending.")
    else:
        lines.append(f"WSL restarts still to do ({len(pending)}). Close the WSL sessions concerned, then:")
        for item in pending:
            covered = (
                f" It also applies /etc/wsl.conf of {', '.join(item.distros)}."
                if item.restart == WSL_SHUTDOWN and item.distros
                else ""
            )
            lines.append(
                f"- {_where(item.run_on)}: {'; '.join(item.commands)} - {' '.join(item.why)}{covered} "
                f"Not run because {'; '.join(item.reasons)}."
            )
    lines.extend(f"Ran: {item.command_line} {item.run_on}." for item in ran)
    return "\n".join(lines)


def decode_wsl_output(data: bytes | str | None) -> str:
    """Text of wsl.exe output, whether it came as UTF-8 or as UTF-16LE without BOM (microsoft/WSL WslClient.cpp).

    A module that decoded UTF-16LE bytes as UTF-8 hands back text with a NUL after every ASCII
    character; that text is re-read as UTF-16LE. Carriage returns are dropped (CRLF and ``\\r\\r\\n``).
    """
    if data is None:
        return ""
    if isinstance(data, str):
        if "\x00" not in data:
            return data.replace("\r", "")
        try:
            data = data.encode("latin-1")
        except UnicodeEncodeError:
            return data.replace("\x00", "").replace("\r", "")
    return decode_text(data)[0].replace("\r", "").replace("\x00", "")
