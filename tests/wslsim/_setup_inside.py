"""Build the simulated distro's file systems; run by wslsim.py INSIDE the new mount namespace (never on the host).

Every directory that receives writes gets an overlay or a tmpfs, then the host's root mount is made read-only
in this namespace, so anything not listed here fails with EROFS instead of reaching the host.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys

STAGING = "/tmp"  # the first tmpfs (wslsim-state); it ends up hidden under the distro's own /tmp tmpfs


def mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"mount {' '.join(args)}: {result.stderr.strip()}")


def tmpfs(name: str, target: str, mode: str = "0755") -> None:
    mount("-t", "tmpfs", "-o", f"mode={mode},nosuid,nodev", name, target)


def write(path: str, content: str, mode: int = 0o644) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.chmod(path, mode)


def install(source: str, target: str) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    shutil.copyfile(source, target)
    os.chmod(target, 0o755)


def open_hidden(paths: list[str], covered: list[str]) -> dict[str, int]:
    """Open the paths that a tmpfs mounted below would hide, e.g. the repository checked out under /tmp."""
    hidden = [p for p in paths if any(p == d or p.startswith(d.rstrip("/") + "/") for d in covered)]
    return {path: os.open(path, os.O_RDONLY | os.O_DIRECTORY) for path in hidden}


def restore_hidden(descriptors: dict[str, int]) -> None:
    """Bind each opened directory back at its path, read-only like the rest of the host."""
    for path, descriptor in descriptors.items():
        os.makedirs(path, exist_ok=True)
        # --no-canonicalize: resolved to a path, the descriptor's link would name the (now hidden) path itself.
        mount("--no-canonicalize", "--bind", f"/proc/{os.getpid()}/fd/{descriptor}", path)
        mount("-o", "remount,bind,ro", path)
        os.close(descriptor)


def main(plan: dict) -> None:
    hidden = open_hidden(plan["keep_visible"], [STAGING, *plan["tmpfs_dirs"], plan["automount_root"]])
    mount("--make-rprivate", "/")
    tmpfs("wslsim-state", STAGING, "0700")
    # /proc/version names the WSL 2 kernel (-microsoft-standard-WSL2: microsoft/WSL test/windows/UnitTests.cpp).
    write(f"{STAGING}/proc-version", plan["proc_version"], 0o444)
    mount("--bind", f"{STAGING}/proc-version", "/proc/version")

    for directory in plan["overlay_dirs"]:
        if not os.path.isdir(directory) or os.path.islink(directory):
            continue
        name = directory.strip("/")
        upper, work = f"{STAGING}/overlay/{name}/upper", f"{STAGING}/overlay/{name}/work"
        os.makedirs(upper)
        os.makedirs(work)
        shutil.copystat(directory, upper)
        options = f"lowerdir={directory},upperdir={upper},workdir={work}"
        if plan["userns"]:
            options += ",userxattr"
        mount("-t", "overlay", "-o", options, f"wslsim-{name}", directory)

    modes = {"/tmp": "1777", "/var/tmp": "1777", "/dev/shm": "1777", "/run": "0755"}
    for directory in plan["tmpfs_dirs"]:
        tmpfs(f"wslsim-{directory.strip('/').replace('/', '-')}", directory, modes.get(directory, "0755"))
    for directory in ("/run/lock", "/run/WSL", "/run/wslsim/bin", "/run/wslsim/lib", "/run/user"):
        os.makedirs(directory, exist_ok=True)
    os.chmod("/run/lock", 0o1777)

    # the VM-wide WSLInterop binfmt registration (microsoft/WSL src/linux/init/binfmt.h).
    tmpfs("wslsim-binfmt", "/proc/sys/fs/binfmt_misc")
    write("/proc/sys/fs/binfmt_misc/status", "enabled\n")
    if plan["binfmt"] is not None:  # absent: as after a systemd shutdown wiped it (init.cpp protectBinfmt)
        write("/proc/sys/fs/binfmt_misc/WSLInterop", plan["binfmt"])

    root = plan["automount_root"]
    root_dir = root.rstrip("/")
    private_dirs = [d for d in (*plan["overlay_dirs"], *plan["tmpfs_dirs"]) if os.path.ismount(d)]
    if not os.path.isdir(root_dir) and any(root_dir.startswith(d + "/") for d in private_dirs):
        os.makedirs(root_dir)
    if not os.path.isdir(root_dir):
        raise SystemExit(
            f"automount_root {root!r}: the directory does not exist on this machine and the simulator does not "
            "create directories on the host's read-only part; use an existing directory or one under "
            + ", ".join(private_dirs)
        )
    tmpfs("wslsim-automount", root_dir)
    drive = f"{root}c"
    os.makedirs(drive)
    # A drvfs mount's device is C:\ (see docs/testing.md for what is and is not like drvfs).
    mount("-t", "tmpfs", "-o", "mode=0777", "C:\\", drive)
    user_dir = f"{drive}/Users/{plan['windows_user']}"
    for directory in ("Downloads", "Documents", "Desktop"):
        os.makedirs(f"{user_dir}/{directory}")
    os.makedirs(f"{drive}/Users/Public")
    os.makedirs(f"{drive}/Windows/System32/WindowsPowerShell/v1.0")
    os.makedirs(f"{drive}/Program Files/WSL")

    restore_hidden(hidden)

    # /etc/wsl.conf exists only when given; resolv.conf as WSL generates it (lxinitshared.h).
    if os.path.lexists("/etc/wsl.conf"):
        os.unlink("/etc/wsl.conf")
    if plan["wsl_conf"] is not None:
        write("/etc/wsl.conf", plan["wsl_conf"])
    write("/etc/resolv.conf", plan["resolv_conf"])
    os.makedirs("/usr/local/share/ca-certificates", exist_ok=True)
    os.makedirs("/etc/ssl/certs", exist_ok=True)

    shims = plan["shims_dir"]
    install(f"{shims}/_shimlib.py", "/run/wslsim/lib/_shimlib.py")
    for name in plan["linux_shims"]:
        install(f"{shims}/{name}", f"/run/wslsim/bin/{name}")
        if not plan["userns"]:  # unmapped (host root's) directories are read-only in a user namespace
            install(f"{shims}/{name}", f"/usr/bin/{name}")  # real WSL: /bin/wslinfo and /bin/wslpath -> /init
    windows_locations = {
        "wsl.exe": "Windows/System32",
        "clip.exe": "Windows/System32",
        "powershell.exe": "Windows/System32/WindowsPowerShell/v1.0",
    }
    for name in plan["windows_shims"]:
        install(f"{shims}/{name}", f"{drive}/{windows_locations[name]}/{name}")
        if plan["interop"]:
            install(f"{shims}/{name}", f"/run/wslsim/bin/{name}")
    config = plan["config"]
    write("/run/wslsim/config.json", json.dumps(config, indent=1))
    wslinfo = {
        "WSLINFO_MODE": config["mode"],
        "WSLINFO_VERSION": config["wsl_version"],
        "WSLINFO_VM_ID": config["vm_id"],
        "WSLINFO_MSAL_PROXY_PATH": config["automount_root"] + "c/Program Files/WSL/msal.wsl.proxy.exe",
    }
    write("/run/wslsim/wslinfo.env", "".join(f"{name}={shlex.quote(value)}\n" for name, value in wslinfo.items()))
    write("/run/wslsim/calls.log", "", 0o666)
    if plan["interop_socket"]:
        # interop.md: WSL_INTEROP names the interop socket /run/WSL/<pid>_interop (nobody listens here).
        server = socket.socket(socket.AF_UNIX)
        server.bind(plan["interop_socket"])
        server.close()

    # sysfs shows the network devices of the namespace that mounts it (ansible reads MTU and MAC there).
    # Read-only, like /proc/sys and /dev: their writable files are mostly global kernel settings or host
    # device nodes (device nodes stay usable on a read-only mount; /dev/pts and /dev/shm are mounts of their own).
    mount("-t", "sysfs", "-o", "ro,nosuid,nodev,noexec", "wslsim-sys", "/sys")
    mount("--rbind", "/proc/sys", "/proc/sys")
    mount("-o", "remount,bind,ro", "/proc/sys")
    mount("-o", "remount,bind,ro", "/dev")

    # Everything else of the host stays visible but read-only in this namespace.
    mount("-o", "remount,bind,ro", "/")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
