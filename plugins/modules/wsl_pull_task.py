#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# This file holds documentation only; the action plugin plugins/action/wsl_pull_task.py does the work.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_pull_task
short_description: Register the Windows scheduled task that runs ansible-pull in a user's WSL distros
version_added: 0.1.0
description:
  - Registers, for one Windows user, the scheduled task of the pull mode (role M(effective.wsl.wsl_pull) uses it).
    At the user's logon (after O(logon_delay)) and daily at O(daily_at) it starts C(wsl_pull.ps1) from O(script_dir),
    which runs C(ansible-pull) of O(url) at O(ref) inside each of O(distros), then does the WSL restart the runs
    need when O(restart_policy) allows it and no other WSL session of the user is active.
  - The task runs as O(user) in their logon session (logon type C(interactive_token), limited rights, no stored
    password), because WSL is per user and this is the only account that has those distros.
  - The options are validated and turned into the exact arguments of M(community.windows.win_scheduled_task) in
    Python; that module registers the task (check mode and idempotence are its own).
  - The task's command line holds every value given here and is readable on the workstation; O(url) must not carry
    a password (use an SSH deploy key or a git credential helper in the distro).
options:
  user:
    description: The Windows account, for example C(CORP\alice), C(alice) or C(alice@corp.example).
    type: str
    required: true
  distros:
    description: The WSL distros of O(user) to run the pull in, in this order. Required with O(state=present).
    type: list
    elements: str
  url:
    description: The repository C(ansible-pull) clones (https, ssh, C(git@host:path) or file URL).
    type: str
  ref:
    description: The pinned tag, branch or commit to check out.
    type: str
  playbook:
    description: The playbook in the repository, relative to its root.
    type: str
    default: local.yml
  inventory:
    description: An inventory in the repository, relative to its root; default C(localhost,).
    type: str
  limit:
    description: A host pattern for the run (for example C(localhost,windows) when the inventory has a Windows host
      reached over M(effective.wsl.interop)); default what C(ansible-pull) sets (the local host's names).
    type: str
  restart_policy:
    description:
      - V(auto) lets the task run the WSL restart a pull needs (C(wsl --terminate <distro>) or C(wsl --shutdown)),
        after every distro ran, when no other WSL session of the user is active; else it only records it.
      - V(never) only records it in the status record (see M(effective.wsl.wsl_host_facts)).
    type: str
    choices: [auto, never]
    default: auto
  ansible_core:
    description: The pip requirement installed into the distro's venv when C(ansible-pull) is missing there.
    type: str
    default: ansible-core>=2.16
  script_dir:
    description: Where the role put C(wsl_pull.ps1) and C(wsl_pull.sh) on Windows (an admin-only directory).
    type: str
    default: C:\Program Files\effective.wsl\pull
  task_path:
    description: The Task Scheduler folder.
    type: str
    default: \effective.wsl\
  daily_at:
    description: The time of day (HH:MM, local time) of the daily run.
    type: str
    default: "12:30"
  random_delay:
    description: A random delay added to the daily run (ISO 8601), to spread the fleet's load on the git server.
    type: str
    default: PT30M
  logon_delay:
    description: How long after the user's logon the task starts (ISO 8601).
    type: str
    default: PT2M
  time_limit:
    description: The longest a run may take (ISO 8601).
    type: str
    default: PT1H
  state:
    description: V(present) registers or updates the task, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: M(community.windows.win_scheduled_task) reports what it would change.
  diff_mode:
    support: none
  platform:
    platforms: windows
requirements:
  - community.windows (M(community.windows.win_scheduled_task))
seealso:
  - module: community.windows.win_scheduled_task
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Pull the company's WSL configuration at logon
  effective.wsl.wsl_pull_task:
    user: CORP\alice
    distros: [Ubuntu]
    url: https://git.corp.example/platform/wsl-config.git
    ref: v1.4.0
"""

RETURN = r"""
task_name:
  description: The task's folder and name.
  returned: always
  type: str
  sample: \effective.wsl\wsl_pull-CORP_alice
command_line:
  description: The arguments of C(powershell.exe) in the task's action.
  returned: when O(state=present)
  type: str
  sample: -NoProfile -NonInteractive -ExecutionPolicy Bypass -WindowStyle Hidden -File "C:\Program Files\..."
"""
