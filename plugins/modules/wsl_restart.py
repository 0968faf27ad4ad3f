#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# This file holds documentation only; the action plugin plugins/action/wsl_restart.py does the work.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_restart
short_description: Restart WSL after configuration changes, without killing a controller that runs inside WSL
version_added: 0.1.0
description:
  - Turns the O(required) restarts (the C(restart_required) values returned by M(effective.wsl.wsl_config)) into one
    C(wsl.exe) call. C(.wslconfig) changes need C(wsl --shutdown), which stops the WSL VM and every distro of
    that Windows user; C(/etc/wsl.conf) changes need C(wsl --terminate <distro>). A shutdown covers a terminate.
  - The decision runs on the controller. It finds out whether the controller itself runs inside WSL (C(/proc/version)
    mentions C(microsoft), or C(WSL_DISTRO_NAME) is set) and whether the target is the Windows host of that WSL VM
    (reached through a loopback address as in mirrored mode, through the controller's default gateway as in NAT mode,
    or through one of O(windows_host_addresses)), or is the controller's own distro over the local connection.
  - With O(policy=auto), a restart that would stop the controller is deferred. The task then sets the fact
    C(wsl_restart_deferred) and returns in RV(msg) what to run and why; O(summarize=true) folds the restarts deferred
    by every host of the run into one such message.
  - C(wsl.exe) is run with C(WSL_UTF8=1) (and C(WSLENV=WSL_UTF8) from inside a distro), through
    M(ansible.windows.win_command) on Windows or M(ansible.builtin.command) in a distro. Its output is decoded whether
    it arrives as UTF-8 or as UTF-16LE (inbox WSL ignores C(WSL_UTF8)).
  - This is an action plugin; the decision needs no module on the target.
options:
  required:
    description:
      - Restarts that changes need, usually the C(restart_required) values of M(effective.wsl.wsl_config) results.
      - V(none) entries are ignored; V(wsl_shutdown) wins over V(distro_terminate).
    type: list
    elements: str
    choices: [wsl_shutdown, distro_terminate, none]
    default: []
  distro:
    description:
      - Name of the distro to terminate for V(distro_terminate).
      - Defaults to C(ansible_facts.wsl.distro_name) of the target (from M(effective.wsl.wsl_facts)), then to the
        controller's C(WSL_DISTRO_NAME) when the target is the local connection.
    type: str
  policy:
    description:
      - V(auto) runs the restart unless it would stop the controller; then it defers and says what to run.
      - V(now) always runs it; a controller inside the stopped VM loses its connection and the run ends there.
      - V(never) never runs it and says what to run.
    type: str
    choices: [auto, now, never]
    default: auto
  windows_host_addresses:
    description:
      - Addresses at which the controller reaches its own Windows host, for example
        C(ansible_facts.wsl.networking.windows_host_address) gathered on the controller's distro.
      - Loopback addresses and the controller's default gateways are always counted.
    type: list
    elements: str
    default: []
  summarize:
    description:
      - Run nothing; fold the C(wsl_restart_deferred) facts of every host in this run into one restart and one
        message (a shutdown covers any terminate). Use it as the last task of a playbook.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: In check mode the decision is made and reported; C(wsl.exe) is not run.
  diff_mode:
    support: none
  platform:
    platforms: [windows, posix]
    details: The target is the Windows host (C(wsl --shutdown), C(wsl --terminate)) or a WSL distro (through interop).
notes:
  - C(.wslconfig) belongs to one Windows user and WSL runs one VM per user; C(wsl --shutdown) run by the connection user
    stops that user's VM only.
  - Store WSL could not start from session 0 (WinRM, SSH) on older builds (wsl-reference 5.2); a failing C(wsl.exe) is
    reported with its decoded output.
seealso:
  - module: effective.wsl.wsl_config
  - module: effective.wsl.wsl_facts
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Configure .wslconfig on the Windows host
  effective.wsl.wsl_config:
    path: C:\Users\dev\.wslconfig
    type: wslconfig
    settings:
      wsl2:
        networkingMode: mirrored
  register: wslconfig_result

- name: Restart WSL if needed, unless the controller runs inside it
  effective.wsl.wsl_restart:
    required:
      - "{{ wslconfig_result.restart_required }}"
    policy: auto
  register: restart_result

- name: Say what still has to be run
  ansible.builtin.debug:
    msg: "{{ restart_result.msg }}"
  when: restart_result.action == 'defer'

- name: At the end of the playbook, one message for every deferred restart
  effective.wsl.wsl_restart:
    summarize: true
  register: restart_summary
"""

RETURN = r"""
restart:
  description: The restart the changes need after merging O(required) (or the deferred facts with O(summarize)).
  returned: always
  type: str
  choices: [wsl_shutdown, distro_terminate, none]
  sample: wsl_shutdown
action:
  description:
    - V(run) the command ran (or would run in check mode); V(defer) it would stop the controller and was not run;
      V(skip) O(policy=never); V(none) nothing to restart.
  returned: always
  type: str
  sample: defer
command:
  description: The C(wsl.exe) argv for the restart; empty when none is needed.
  returned: always
  type: list
  elements: str
  sample: [wsl.exe, --shutdown]
command_line:
  description: RV(command) as one line to paste into PowerShell or cmd.
  returned: always
  type: str
  sample: wsl.exe --terminate Ubuntu
controller_in_wsl:
  description: Whether the controller runs inside WSL.
  returned: always
  type: bool
controller_affected:
  description: Whether running RV(command) on this target stops the controller.
  returned: always
  type: bool
msg:
  description: What was done or what to run, and why.
  returned: always
  type: str
  sample: >-
    WSL restart deferred: .wslconfig changed; WSL reads it only when its VM starts, so every distro must stop
    (wsl --shutdown). Not run now because it would stop this WSL VM, and with it the Ansible controller running inside
    it. Close your WSL sessions and run in PowerShell or cmd on Windows: wsl.exe --shutdown (or set the restart policy
    to 'now' to accept the lost connection).
rc:
  description: Exit code of C(wsl.exe).
  returned: when the command ran
  type: int
stdout:
  description: Output of C(wsl.exe), decoded from UTF-8 or UTF-16LE, without carriage returns.
  returned: when the command ran
  type: str
stderr:
  description: Error output of C(wsl.exe), decoded like RV(stdout).
  returned: when the command ran
  type: str
ansible_facts:
  description: Set when the restart was deferred, so a later O(summarize=true) task can report it.
  returned: when RV(action=defer)
  type: dict
  contains:
    wsl_restart_deferred:
      description: The deferred restart.
      type: dict
      sample: {restart: wsl_shutdown, distro: null, command: wsl.exe --shutdown, msg: "WSL restart deferred: ..."}
"""
