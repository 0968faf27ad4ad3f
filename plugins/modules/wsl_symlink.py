#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_symlink
short_description: Link a Windows folder (such as Downloads) into a WSL distro, with Windows path translation
version_added: 0.1.0
description:
  - Creates or removes a symbolic link inside a WSL distro, for example C(~/downloads) pointing to the Windows
    Downloads folder.
  - O(src) may be written the Windows way (V(C:\\Users\\Steff\\Downloads), V(c:/Users/Steff/Downloads),
    V(\\\\wsl.localhost\\<distro>\\...)); it is translated like C(wslpath -u) to the path under the distro's
    automount root (C([automount] root) in C(/etc/wsl.conf), V(/mnt/) by default).
  - The link is created at a temporary name in the directory of O(dest) and renamed over O(dest), so O(dest) is
    never missing or half-written.
  - Only symbolic links are ever replaced or removed. A file or a directory at O(dest) is an error, with or
    without O(force), and is left untouched - also an empty directory, because a directory at O(dest) usually
    means somebody keeps data there.
  - Warns when O(dest) or an item of O(project_paths) lives on the Windows file system (a drive under the
    automount root, or a C(drvfs)/C(9p) entry of C(/proc/mounts)). Access across the file systems is slow -
    a C(git status) of a large repository there can take half a minute - so source code belongs on the Linux side.
options:
  src:
    description:
      - The folder or file the link points to; required with O(state=link).
      - A Windows drive path (V(C:\\Users\\Steff\\Downloads), V(c:/Users/Steff/Downloads), V(C:)), a
        V(\\\\wsl$\\<distro>\\...) or V(\\\\wsl.localhost\\<distro>\\...) path of this distro, or an absolute
        Linux path. V(~), V(~user) and C($VARIABLES) of the module's environment are expanded on the target (this
        is a path option).
      - Not allowed, with a clear error - relative paths, unexpanded variables such as V(%USERPROFILE%) (take the
        real folder from the C(known_folders) of M(effective.wsl.wsl_host_facts), which also follows OneDrive
        redirection), UNC shares other than C(\\wsl$) and C(\\wsl.localhost), device paths (V(\\\\?\\C:\\...)),
        a path of another distro (when C(WSL_DISTRO_NAME) is set) and drives that are not mounted.
      - The link stores the translated path. Ignored with O(state=absent).
    type: path
  dest:
    description:
      - Path of the link. V(~) and V(~user) are expanded on the target, for the user the module runs as (with
        C(become), that is the become user - write V(~steff/downloads) to mean a given user's home).
      - A Windows path is translated like O(src), but a link on the Windows file system is slow to use.
      - Must not be O(src), nor lie above it.
      - Run as root, the module follows no symbolic link on the way to O(dest) that another user controls (a link
        owned by another user, or in a folder another user owns or may write) - such a path is refused, because
        the user could aim it at any folder, for example C(~/links -> /etc). Links that only root controls (such
        as C(/home -> /data/home)) are followed. The folders are opened one by one without following links and the
        change is made inside the folder that was opened, so renaming or linking a folder meanwhile redirects
        nothing. To manage links in a user's home, run the task as that user (C(become_user)).
    type: path
    required: true
  state:
    description:
      - V(link) creates or corrects the link; V(absent) removes it.
      - V(absent) removes only a symbolic link; a file or directory at O(dest) is an error.
    type: str
    choices: [link, absent]
    default: link
  force:
    description:
      - Replace an existing symbolic link at O(dest) that points elsewhere (also a dangling one).
      - Without it, such a link is an error and stays as it is.
      - Never replaces a file or a directory.
    type: bool
    default: false
  require_target:
    description:
      - Fail when O(src) does not exist. Set to V(false) to create a link to a folder that will appear later.
      - A drive that is not mounted (for example V(Z:\\x) without C(/mnt/z)) is an error either way.
    type: bool
    default: true
  parents:
    description:
      - Create the missing parent directories of O(dest) (owned by O(owner) and O(group) when given).
      - Without it, a missing parent directory is an error.
    type: bool
    default: false
  owner:
    description:
      - Owner of the link (a user name or a numeric id), set without following the link (C(lchown)).
      - Default for a new link is the user the module runs as. A link replaced with O(force) keeps the owner and
        group of the old link when the module runs as root; an unchanged link keeps its owner.
    type: str
  group:
    description:
      - Group of the link (a group name or a numeric id), set without following the link.
    type: str
  automount_root:
    description:
      - The distro's automount root used to translate drive paths.
      - Default is C([automount] root) from C(/etc/wsl.conf) when set, else V(/mnt/). A trailing V(/) is added
        when missing, as WSL does.
    type: str
  project_paths:
    description:
      - Paths to check for the cross-file-system warning, for example where source code is checked out.
      - Each item is a Linux or Windows path like O(src); it is expanded (V(~)) and resolved (symlinks followed)
        before the check. Nothing is changed and the paths need not exist.
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports what would change; creates, replaces and removes nothing.
  diff_mode:
    support: full
    details:
      - Before and after are the link target, or V(absent), V(file), V(directory), plus the owner and group asked for.
  platform:
    platforms: posix
    details: Runs inside the WSL distro (for example over the local connection).
notes:
  - The link target is compared with O(src) after normalising both (a link written as C(/mnt/c/Users/x/) matches
    C(C:\\Users\\x)); symlinks in O(src) are not resolved, so the link points exactly where O(src) says.
  - New parent folders (O(parents=true)) get mode 0755, whatever the umask.
  - The filters P(effective.wsl.to_wsl_path#filter) and P(effective.wsl.to_windows_path#filter) use the same
    translation on the controller.
seealso:
  - plugin: effective.wsl.to_wsl_path
    plugin_type: filter
  - plugin: effective.wsl.to_windows_path
    plugin_type: filter
  - module: ansible.builtin.file
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Link the Windows Downloads folder to ~/downloads
  effective.wsl.wsl_symlink:
    src: C:\Users\Steff\Downloads
    dest: ~/downloads

- name: Link the real Downloads folder, which OneDrive may have moved, reported by the Windows host's facts
  effective.wsl.wsl_symlink:
    src: "{{ hostvars['workstation'].ansible_facts.wsl_host.known_folders.downloads }}"
    dest: ~/downloads
    force: true
  become: true
  become_user: steff  # as the owner of the home, not as root

- name: Link a folder that does not exist yet, creating ~/links on the way, and check where code lives
  effective.wsl.wsl_symlink:
    src: D:/Shared/Team
    dest: ~/links/team
    require_target: false
    parents: true
    project_paths:
      - ~/src

- name: Remove the link (never a file or a directory)
  effective.wsl.wsl_symlink:
    dest: ~/downloads
    state: absent
"""

RETURN = r"""
src:
  description: O(src) translated to the path inside the distro (the link target); null with O(state=absent).
  returned: always
  type: str
  sample: /mnt/c/Users/Steff/Downloads
dest:
  description: The absolute path of the link, V(~) expanded.
  returned: always
  type: str
  sample: /home/steff/downloads
previous_target:
  description: Where the link at O(dest) pointed before the task; null when O(dest) was not a symbolic link.
  returned: always
  type: str
  sample: /mnt/c/Users/Steff/OldDownloads
automount_root:
  description: The automount root used for the translation.
  returned: always
  type: str
  sample: /mnt/
windows_fs_paths:
  description: O(dest) and O(project_paths) items that live on the Windows file system (each also gives a warning).
  returned: always
  type: list
  elements: str
  sample: [/mnt/c/Users/Steff/src]
created_directories:
  description: Parent directories created (or, in check mode, that would be created) for O(parents=true).
  returned: always
  type: list
  elements: str
  sample: [/home/steff/links]
"""


from ansible.module_utils.basic import AnsibleModule

from ansible_collections.effective.wsl.plugins.module_utils._wslsymlink import LINK_REQUIRED_IF, LINK_SPEC, link


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            **LINK_SPEC,
            "automount_root": {"type": "str"},
            "project_paths": {"type": "list", "elements": "path", "default": []},
        },
        required_if=LINK_REQUIRED_IF,
        supports_check_mode=True,
    )
    result = link(module, module.params)
    if result.get("failed"):
        module.fail_json(msg=result["msg"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
