# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gathering of ansible_facts.wsl on the target: the files and commands effective.wsl.wsl_facts reads, decided by
the pure functions of _wslnet and _wslconf. Shared by wsl_facts and effective.wsl.wsl_distro_plan."""

from __future__ import annotations

import os
import pwd
import socket
from typing import TYPE_CHECKING

from ansible_collections.effective.wsl.plugins.module_utils._wslnet import (
    RTNETLINK_DUMPS,
    classify_networking,
    detect_wsl,
    interop_summary,
    parse_drive_mounts,
    rtnetlink_dump_request,
    rtnetlink_to_ip_json,
    split_rtnetlink_answer,
)

if TYPE_CHECKING:
    from ansible.module_utils.basic import AnsibleModule

WSL_CONF_PATH = "/etc/wsl.conf"
OBSERVED_FILES = {
    "proc_version": "/proc/version",
    "resolv_conf": "/etc/resolv.conf",
    "wsl_conf": WSL_CONF_PATH,
    "proc_mounts": "/proc/mounts",
    "interop_binfmt": "/proc/sys/fs/binfmt_misc/WSLInterop",
    "pid1_comm": "/proc/1/comm",
}


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def command_output(module: AnsibleModule, argv: list[str]) -> str | None:
    """Run one command; None when it is missing or fails."""
    executable = module.get_bin_path(argv[0])
    if executable is None:
        return None
    rc, stdout, _stderr = module.run_command([executable, *argv[1:]], environ_update={"LC_ALL": "C"})
    return stdout if rc == 0 else None


def read_rtnetlink() -> tuple[list[dict], list[dict]] | tuple[None, None]:
    """Links with their addresses, and routes, straight from the kernel (what `ip -j addr` and `ip -j route` show)."""
    answers = []
    try:
        with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as sock:
            sock.settimeout(5)  # the kernel answers at once; this only bounds a broken sandbox
            for sequence, (request_type, answer_type, family_header) in enumerate(RTNETLINK_DUMPS, start=1):
                sock.send(rtnetlink_dump_request(request_type, family_header, sequence))
                payloads, done = [], False
                while not done:
                    messages, done = split_rtnetlink_answer(sock.recv(1 << 16))
                    payloads += [payload for kind, payload in messages if kind == answer_type]
                answers.append(payloads)
    except OSError:
        return None, None
    return rtnetlink_to_ip_json(*answers)


def current_user() -> dict:
    uid = os.geteuid()
    try:
        entry = pwd.getpwuid(uid)
    except KeyError:  # a uid without a passwd entry (containers)
        return {"name": None, "uid": uid, "home": os.environ.get("HOME")}
    return {"name": entry.pw_name, "uid": uid, "home": entry.pw_dir}


def gather(module: AnsibleModule, dns_tunneling_address: str | None = None) -> dict:
    """ansible_facts.wsl of this host; ``module`` runs the commands (wslinfo)."""
    files = {name: read_text(path) for name, path in OBSERVED_FILES.items()}
    env = dict(os.environ)
    wsl = detect_wsl(files["proc_version"], env, files["interop_binfmt"])
    facts = {
        "is_wsl": wsl["is_wsl"],
        "version": wsl["version"],
        "distro_name": env.get("WSL_DISTRO_NAME"),
        "kernel": wsl["kernel"],
        "user": current_user(),
        "networking": None,
        "interop": None,
        "automount": None,
        "systemd": None,
        "wsl_conf": None,
    }
    if not wsl["is_wsl"]:
        return facts

    # Imported here: compiling the wsl.conf parser is most of this module's cost, and a non-WSL host needs none.
    from ansible_collections.effective.wsl.plugins.module_utils._wslconf import default_value, effective_settings

    settings = effective_settings(files["wsl_conf"] or "", "wslconf")

    def setting(section: str, key: str):
        value = settings.get(section, {}).get(key)
        return default_value("wslconf", section, key) if value is None else value

    automount_root = setting("automount", "root")
    if not automount_root.endswith("/"):
        automount_root += "/"
    links, routes = read_rtnetlink()
    facts["networking"] = classify_networking(
        links=links,
        routes=routes,
        resolv_conf=files["resolv_conf"],
        wslinfo_output=command_output(module, ["wslinfo", "--networking-mode"]),
        proc_version=files["proc_version"],
        env=env,
        interop_binfmt=files["interop_binfmt"],
        dns_tunneling_address=dns_tunneling_address,
    )
    facts["interop"] = interop_summary(
        setting("interop", "enabled"),
        setting("interop", "appendWindowsPath"),
        files["interop_binfmt"],
    )
    facts["automount"] = {
        "enabled": setting("automount", "enabled"),
        "root": automount_root,
        "drives": parse_drive_mounts(files["proc_mounts"], automount_root),
    }
    facts["systemd"] = {
        "enabled_in_wsl_conf": setting("boot", "systemd"),
        "running": (files["pid1_comm"] or "").strip() == "systemd",
    }
    facts["wsl_conf"] = {"path": WSL_CONF_PATH, "exists": files["wsl_conf"] is not None, "settings": settings}
    return facts
