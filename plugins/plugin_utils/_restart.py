# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private engine: which WSL restart a change needs, and whether running it would stop the controller.

Private to effective.wsl; it may change at any time. Pure functions over plain data (the action
plugin ``effective.wsl.wsl_restart`` reads the controller's /proc files and environment and passes
them in).

- ``.wslconfig`` is read when the utility VM starts: changes need ``wsl --shutdown``, which stops the
  VM and every distro of that Windows user (wsl-reference §1.1).
- ``/etc/wsl.conf`` is read when a distro starts: changes need ``wsl --terminate <distro>``.
- A controller running inside WSL on the targeted Windows host dies with ``wsl --shutdown`` (and
  with ``wsl --terminate`` of its own distro), so the default policy defers those restarts.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ansible_collections.effective.wsl.plugins.module_utils._wslnet import detect_wsl
from ansible_collections.effective.wsl.plugins.plugin_utils._wslhost import decode_text

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

# wsl-reference §5.2: WSL_UTF8=1 makes wsl.exe write UTF-8; from inside WSL the variable only reaches
# the Windows process when WSLENV names it.
WSL_EXE_ENV_WINDOWS = {"WSL_UTF8": "1"}
WSL_EXE_ENV_LINUX = {"WSL_UTF8": "1", "WSLENV": "WSL_UTF8"}

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class RestartInputError(ValueError):
    """Bad input (unknown restart kind or policy, missing distro name); the message names it."""


@dataclass(frozen=True)
class ControllerContext:
    """What the controller knows about itself."""

    in_wsl: bool
    distro_name: str | None = None
    windows_host_addresses: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TargetContext:
    """The host the restart command would run on."""

    is_windows: bool
    is_controller: bool
    address: str | None = None
    distro_name: str | None = None


@dataclass(frozen=True)
class RestartPlan:
    restart: str
    action: str
    argv: tuple[str, ...]
    controller_affected: bool
    msg: str

    @property
    def command_line(self) -> str:
        return command_line(self.argv)


def command_line(argv: Iterable[str]) -> str:
    """argv as a line to paste into PowerShell or cmd."""
    return " ".join(f'"{arg}"' if any(char in arg for char in " \t&|<>^;") else arg for arg in argv)


def merge_restarts(required: Iterable[str | None]) -> str:
    """Fold restart_required values into the one restart that covers them all.

    ``wsl --shutdown`` stops every distro, so it also covers any pending ``wsl --terminate``.
    """
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


def wsl_exe_argv(restart: str, distro: str | None) -> tuple[str, ...]:
    """The wsl.exe call for a restart kind; ``()`` for ``none``."""
    program = "wsl.exe"
    if restart == WSL_SHUTDOWN:
        return (program, "--shutdown")
    if restart == DISTRO_TERMINATE:
        if not distro:
            raise RestartInputError(
                "distro: a distro_terminate restart needs the distro name (set distro, or gather "
                "effective.wsl.wsl_facts so ansible_facts.wsl.distro_name is known)"
            )
        return (program, "--terminate", distro)
    if restart == NO_RESTART:
        return ()
    raise RestartInputError(f"required: unknown restart kind {restart!r}; expected one of {', '.join(RESTART_CHOICES)}")


def controller_in_wsl(proc_version: str | None, environ: Mapping[str, str]) -> bool:
    """Whether the controller runs in WSL, by the same evidence wsl_facts uses for targets (wsl-reference §3.1)."""
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


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    if address.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def target_hosts_controller(controller: ControllerContext, target: TargetContext) -> bool:
    """Would a restart run on ``target`` stop the WSL VM the controller runs in?

    A Windows target is the controller's own host when the play reaches it through loopback (mirrored
    mode, wsl-reference §3.2) or through one of the addresses at which the controller sees its
    Windows host (NAT gateway, windows_host_address from wsl_facts). A Linux target reached over the
    local connection *is* the controller.
    """
    if not controller.in_wsl:
        return False
    if target.is_controller:
        return True
    if not target.is_windows:
        return False
    if is_loopback(target.address):
        return True
    return bool(target.address) and target.address in controller.windows_host_addresses


def plan_restart(
    required: Iterable[str | None],
    policy: str,
    controller: ControllerContext,
    target: TargetContext,
    distro: str | None = None,
) -> RestartPlan:
    """Decide what to do about the restarts that changes need."""
    if policy not in POLICY_CHOICES:
        raise RestartInputError(f"policy: unknown value {policy!r}; expected one of {', '.join(POLICY_CHOICES)}")
    restart = merge_restarts(required)
    distro = distro or target.distro_name or (controller.distro_name if target.is_controller else None)
    if restart == NO_RESTART:
        return RestartPlan(NO_RESTART, ACTION_NONE, (), False, "No WSL restart is needed.")
    argv = wsl_exe_argv(restart, distro)
    affected = _restart_stops_controller(restart, distro, controller, target)
    command = command_line(argv)
    why = _why(restart, distro)

    if policy == POLICY_NEVER:
        msg = f"WSL restart not run (restart policy 'never'). {why} Run on Windows when convenient: {command}"
        return RestartPlan(restart, ACTION_SKIP, argv, affected, msg)
    if policy == POLICY_AUTO and affected:
        return RestartPlan(restart, ACTION_DEFER, argv, affected, deferred_message(restart, distro))
    msg = f"Running {command}. {why}"
    if affected:
        msg += " The controller runs inside this WSL instance: its connection ends here (restart policy 'now')."
    return RestartPlan(restart, ACTION_RUN, argv, affected, msg)


def deferred_message(restart: str, distro: str | None) -> str:
    """The one message a deferred restart ends with: what to run, where, and why."""
    command = command_line(wsl_exe_argv(restart, distro))
    if restart == WSL_SHUTDOWN:
        stops = "it would stop this WSL VM, and with it the Ansible controller running inside it"
    else:
        stops = f"it would terminate the distro {distro!r} the Ansible controller runs in"
    return (
        f"WSL restart deferred: {_why(restart, distro)} Not run now because {stops}. "
        f"Close your WSL sessions and run in PowerShell or cmd on Windows: {command} "
        "(or set the restart policy to 'now' to accept the lost connection)."
    )


def summarize_deferred(pending: Iterable[Mapping[str, str | None]]) -> RestartPlan:
    """Fold the restarts deferred by several roles/hosts into the one message a run ends with."""
    pending = [item for item in pending if item]
    restart = merge_restarts(item.get("restart") for item in pending)
    if restart == NO_RESTART:
        return RestartPlan(NO_RESTART, ACTION_NONE, (), False, "No WSL restart is pending.")
    distros = sorted({item.get("distro") for item in pending if item.get("restart") == DISTRO_TERMINATE} - {None})
    if restart == WSL_SHUTDOWN:
        return RestartPlan(restart, ACTION_DEFER, wsl_exe_argv(restart, None), True, deferred_message(restart, None))
    if len(distros) > 1:
        argvs = [wsl_exe_argv(restart, name) for name in distros]
        commands = "; ".join(command_line(argv) for argv in argvs)
        msg = (
            f"WSL restart deferred: /etc/wsl.conf changed in the distros {', '.join(distros)}; it is read when a "
            f"distro starts. Close your WSL sessions and run on Windows: {commands}"
        )
        return RestartPlan(restart, ACTION_DEFER, argvs[0], True, msg)
    distro = distros[0] if distros else None
    return RestartPlan(restart, ACTION_DEFER, wsl_exe_argv(restart, distro), True, deferred_message(restart, distro))


def decode_wsl_output(data: bytes | str | None) -> str:
    """Text of wsl.exe output, whether it came as UTF-8 or as UTF-16LE without BOM (wsl-reference §5.2).

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


def _restart_stops_controller(
    restart: str, distro: str | None, controller: ControllerContext, target: TargetContext
) -> bool:
    if not target_hosts_controller(controller, target):
        return False
    if restart == WSL_SHUTDOWN:
        return True
    # wsl --terminate stops only the named distro; the controller's own distro is the only one that hurts.
    # An unknown controller distro name is treated as "could be ours".
    return controller.distro_name is None or distro == controller.distro_name


def _why(restart: str, distro: str | None) -> str:
    if restart == WSL_SHUTDOWN:
        return ".wslconfig changed; WSL reads it only when its VM starts, so every distro must stop (wsl --shutdown)."
    return f"/etc/wsl.conf of {distro!r} changed; WSL reads it only when the distro starts (wsl --terminate)."
