#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# This file holds documentation only; the action plugin plugins/action/wsl_distro_plan.py does the work.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_distro_plan
short_description: Gather the WSL facts of a distro and plan the work of the wsl_distro role
version_added: 0.1.0
description:
  - The first task of the P(effective.wsl.wsl_distro#role) role; every decision that is data is made here, in one task
    run, instead of a chain of C(set_fact), C(debug) and C(fail) tasks.
  - Runs M(effective.wsl.wsl_facts) (unless O(gather=false)) and returns its C(ansible_facts.wsl).
  - Fails when the target is not a WSL distro (C(ansible_facts.wsl.is_wsl) false), naming the host.
  - With O(restart), checks that the C(wsl --terminate <distro>) a C(/etc/wsl.conf) change needs can be planned, by
    running the M(effective.wsl.wsl_restart) action with C(validate=true); fails with its reason otherwise (for
    example when the distro name is unknown). Nothing is recorded.
  - Works out the automount root (from the facts, V(/mnt/) by default), the Windows Downloads folder (the
    C(known_folders.downloads) of O(windows_host)'s M(effective.wsl.wsl_host_facts), else
    C(C:/Users/<windows_user>/Downloads)) and returns the links to make as M(effective.wsl.wsl_symlink) options.
  - Warns, in this task's result, about each item of O(project_paths) under the automount root, and when a Downloads
    link is asked for but the folder is unknown.
  - This is an action plugin; the only module it runs on the target is M(effective.wsl.wsl_facts).
options:
  gather:
    description:
      - Run M(effective.wsl.wsl_facts) first. With V(false) the facts gathered earlier (C(ansible_facts.wsl)) are used.
    type: bool
    default: true
  windows_host:
    description:
      - Inventory name of the Windows host whose C(ansible_facts.wsl_host.known_folders) give the Downloads folder.
    type: str
    default: ""
  windows_user:
    description: Windows user name for the Downloads folder when the host facts do not give it.
    type: str
    default: ""
  downloads_link:
    description: Path of the link to the Windows Downloads folder. Empty means no Downloads link.
    type: str
    default: ""
  symlinks:
    description:
      - Further links, each a dict of M(effective.wsl.wsl_symlink) options (C(src), C(dest), C(state), C(force),
        C(require_target), C(parents), C(owner), C(group)); returned after the Downloads link with the automount root.
    type: list
    elements: dict
    default: []
  project_paths:
    description: Paths of the project; each one under the automount root gets a warning (file access there is slow).
    type: list
    elements: str
    default: []
  restart:
    description:
      - Check that the distro restart a C(/etc/wsl.conf) change needs can be planned. Unset means no check.
      - Keys are options of M(effective.wsl.wsl_restart) - C(distro), C(policy), C(windows_user), C(windows_host);
        empty values are left out.
    type: dict
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Changes nothing in any mode; the facts are gathered in check mode too.
  diff_mode:
    support: none
  platform:
    platforms: posix
    details: Runs against the WSL distro.
seealso:
  - module: effective.wsl.wsl_facts
  - module: effective.wsl.wsl_symlink
  - module: effective.wsl.wsl_restart
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Gather WSL facts of the distro and plan its links
  effective.wsl.wsl_distro_plan:
    windows_user: steff
    downloads_link: ~/downloads
    project_paths:
      - "{{ playbook_dir }}"
    restart:
      policy: auto
  register: plan

- name: Link Windows folders
  effective.wsl.wsl_symlink:
    src: "{{ item.src | default(omit) }}"
    dest: "{{ item.dest }}"
    automount_root: "{{ item.automount_root }}"
  loop: "{{ plan.links }}"
"""

RETURN = r"""
ansible_facts:
  description: C(wsl), the facts of M(effective.wsl.wsl_facts), when O(gather=true).
  returned: success and gather
  type: dict
automount_root:
  description: The automount root used to translate Windows paths, with a trailing slash.
  returned: success
  type: str
  sample: /mnt/
downloads_src:
  description: The Windows Downloads folder; empty when unknown.
  returned: success
  type: str
  sample: C:/Users/steff/Downloads
links:
  description: M(effective.wsl.wsl_symlink) options of each link to make, the Downloads link first.
  returned: success
  type: list
  elements: dict
  sample: [{"src": "C:/Users/steff/Downloads", "dest": "~/downloads", "automount_root": "/mnt/"}]
restart_check:
  description: What M(effective.wsl.wsl_restart) would do after a change, when O(restart) was given.
  returned: success and restart
  type: str
"""
