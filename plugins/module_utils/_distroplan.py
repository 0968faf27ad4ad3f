# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of effective.wsl.wsl_distro_plan: which links to make, and the warnings, from the WSL facts and the
task's options. Pure functions, used on the target by the module and on the controller by the action plugin when
no module needs to run."""

from __future__ import annotations

from ansible_collections.effective.wsl.plugins.module_utils._winpath import DEFAULT_AUTOMOUNT_ROOT

# Options of a link the plan passes on; automount_root comes from the facts, project_paths warn once, here.
LINK_OPTIONS = ("src", "dest", "state", "force", "require_target", "parents", "owner", "group")

ARGUMENT_SPEC = {
    "gather": {"type": "bool", "default": True},
    "windows_host": {"type": "str", "default": ""},
    "windows_user": {"type": "str", "default": ""},
    "downloads_link": {"type": "str", "default": ""},
    "downloads_folder": {"type": "str", "default": ""},
    "symlinks": {"type": "list", "elements": "dict", "default": []},
    "project_paths": {"type": "list", "elements": "str", "default": []},
    "restart": {"type": "dict"},
    "make_links": {"type": "bool", "default": False},
    # raw: settings effective.wsl.wsl_config would refuse are its to report, with its message.
    "wsl_conf_settings": {"type": "raw", "default": {}},
    "wsl_conf_unknown_keys": {"type": "str", "default": "error", "choices": ["error", "warn"]},
}

NO_DOWNLOADS = (
    "No Downloads link: the Windows Downloads folder is unknown. Set wsl_distro_windows_host to the inventory name "
    "of the Windows host (its facts give known_folders.downloads) or wsl_distro_windows_user to the Windows user "
    "name; set wsl_distro_downloads_link to '' to silence this."
)


def automount_root(wsl_facts: dict) -> str:
    automount = wsl_facts.get("automount") or {}
    return automount.get("root") or DEFAULT_AUTOMOUNT_ROOT


def downloads_folder(given: str, windows_user: str) -> str:
    """The given Downloads folder (the Windows host's known folder, which may be redirected, e.g. to OneDrive), else
    the user's default one, else empty."""
    if given:
        return given
    return f"C:/Users/{windows_user}/Downloads" if windows_user else ""


def project_path_warnings(project_paths: list[str], root: str) -> list[str]:
    return [
        f"{path} is on the Windows file system (under {root}). Linux tools reach it through the 9p/drvfs bridge, many "
        "times slower than the Linux file system: keep the project in the Linux home and reach Windows files through "
        "links."
        for path in project_paths
        if f"{path}/".startswith(root)
    ]


def plan_links(downloads_link: str, downloads_src: str, symlinks: list[dict], root: str) -> list[dict]:
    """wsl_symlink options for each link: the Downloads link first, then the given ones (unset options left out)."""
    links = []
    if downloads_link and downloads_src:
        links.append({"src": downloads_src, "dest": downloads_link})
    for link in symlinks:
        links.append({name: link[name] for name in LINK_OPTIONS if link.get(name) is not None})
    return [dict(link, automount_root=root) for link in links]


def plan(params: dict, root: str) -> dict:
    """automount_root, downloads_src and links of the result, and the warnings, for the options in ``params``."""
    downloads_src = downloads_folder(params["downloads_folder"], params["windows_user"])
    warnings = project_path_warnings(params["project_paths"], root)
    if params["downloads_link"] and not downloads_src:
        warnings.append(NO_DOWNLOADS)
    return {
        "automount_root": root,
        "downloads_src": downloads_src,
        "links": plan_links(params["downloads_link"], downloads_src, params["symlinks"], root),
        "warnings": warnings,
    }
