# SIMULATION: shared helpers of the WSL simulator's interop shims (tests/wslsim), not real WSL code.
"""Configuration, call log and path translation shared by the simulated wslinfo, wslpath and .exe shims."""

from __future__ import annotations

import json
import os
import re
import sys

STATE_DIR = "/run/wslsim"
CONFIG_PATH = f"{STATE_DIR}/config.json"
CALLS_LOG = f"{STATE_DIR}/calls.log"
CLIPBOARD_PATH = f"{STATE_DIR}/clipboard"
POWERSHELL_ANSWERS = f"{STATE_DIR}/powershell-answers.json"
POWERSHELL_MODULES = f"{STATE_DIR}/powershell-modules.json"


def load_config() -> dict:
    with open(CONFIG_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def record_call(program: str, argv: list[str], **extra) -> None:
    entry = {
        "program": program,
        "argv": argv,
        "cwd": os.getcwd(),
        "env": {name: os.environ[name] for name in ("WSL_UTF8", "WSLENV") if name in os.environ},
        **extra,
    }
    with open(CALLS_LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def refuse_without_interop(config: dict) -> None:
    """wsl.conf [interop] enabled=false: Windows binaries cannot be executed from the distro."""
    if not config["interop"]:
        sys.stderr.write(f"{sys.argv[0]}: cannot execute binary file: Exec format error\n")
        sys.exit(126)


def drive_mounts(automount_root: str) -> dict[str, str]:
    """Drive letter -> mount point, for every single-letter mount under the automount root (like drvfs mounts)."""
    drives = {}
    pattern = re.compile(re.escape(automount_root) + r"([a-zA-Z])$")
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            mount_point = line.split()[4].replace("\\040", " ")
            match = pattern.match(mount_point)
            if match:
                drives[match.group(1).lower()] = mount_point
    return drives


def collapse(segments: list[str]) -> list[str] | None:
    """Drop '.' and empty segments and resolve '..'; None when '..' climbs above the root (wslpath: EINVAL)."""
    result: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not result:
                return None
            result.pop()
            continue
        result.append(segment)
    return result


def linux_to_windows(path: str, config: dict) -> str | None:
    """An absolute, collapsed Linux path -> Windows path (backslashes), like wslpath -w."""
    root = config["automount_root"]
    for letter, mount_point in sorted(drive_mounts(root).items()):
        if path == mount_point or path.startswith(mount_point + "/"):
            rest = path[len(mount_point) :].lstrip("/")
            return f"{letter.upper()}:\\" + rest.replace("/", "\\")
    return f"\\\\wsl.localhost\\{config['distro_name']}" + path.replace("/", "\\")


def windows_to_linux(path: str, config: dict) -> str | None:
    """An absolute Windows path (backslashes) -> Linux path, like wslpath -u; None when it cannot be translated."""
    if path.startswith("\\\\?\\"):
        path = path[4:]
    drive = re.match(r"^([a-zA-Z]):\\(.*)$", path, re.DOTALL)
    if drive:
        segments = collapse(drive.group(2).split("\\"))
        if segments is None:
            return None
        return config["automount_root"] + drive.group(1).lower() + "".join("/" + s for s in segments)
    unc = re.match(r"^\\\\(wsl\.localhost|wsl\$)\\([^\\]+)(\\.*)?$", path, re.IGNORECASE)
    if unc and unc.group(2).lower() == config["distro_name"].lower():
        segments = collapse((unc.group(3) or "").split("\\"))
        if segments is None:
            return None
        return "/" + "/".join(segments)
    return None
