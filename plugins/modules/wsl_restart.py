#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# This file holds documentation only; the action plugin plugins/action/wsl_restart.py does the work.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_restart
short_description: Restart WSL after configuration changes, without cutting anyone off
version_added: 0.1.0
description:
  - Turns the restarts that changes need (O(changes), the registered results of M(effective.wsl.wsl_config), or
    O(required)) into one decision and at most one C(wsl.exe) call. C(.wslconfig) changes need C(wsl --shutdown),
    which stops the VM of one Windows user and every distro in it; C(/etc/wsl.conf) changes need
    C(wsl --terminate <distro>). A shutdown covers the terminates of that user's distros.
  - "WHOSE: WSL runs one VM per Windows user, and C(wsl --shutdown) / C(wsl --terminate) act on the caller's VM only.
    Over a Windows connection the caller is the connection account; from inside a distro it is the distro's owner."
  - "WHO WOULD BE CUT OFF: the controller, when it runs inside the VM (or distro) the restart stops; and whoever works
    in a distro reached over a non-local connection (SSH, C(community.general.wsl)), where C(wsl.exe) would run inside
    that distro."
  - The controller finds out whether it runs in WSL (C(/proc/version), C(WSL_DISTRO_NAME)) and whether the target is
    its own Windows host - the local connection, C(effective.wsl.interop), or an address that is, or a name that
    resolves to, one of the host's addresses (loopback, the NAT gateway, the controller's own addresses, which are
    the host's in mirrored mode, O(windows_host_addresses)), or the host's computer name.
  - "Topologies: from inside WSL against its own Windows host (WinRM at the gateway, 127.0.0.1, a host name or the LAN
    address) or its own distro (local connection, implicit C(localhost) included), V(auto) defers - the controller
    would be cut off. From a central controller against another Windows host, V(auto) runs C(wsl --shutdown) as the
    connection account. Against a distro over SSH, V(auto) defers. With O(windows_user) other than the connection
    account it is never run over that connection."
  - Every decision is recorded in the host fact C(wsl_restart_records) (JSON, one record per decision, V(never)
    included); O(summarize=true) folds the records of every host of the run, the implicit localhost included, into
    what is still to do per Windows host and user, with the exact command, for whom, and why it was not run.
  - On Windows the real C(wsl.exe) runs, the one in the folder named by
    C(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi) C(InstallLocation) (from the host facts'
    C(wsl_exe_path) when gathered, else read with M(ansible.windows.win_reg_stat)); the System32 one, which often
    fails from a WinRM session, only when that key is absent (inbox WSL). In a distro C(wsl.exe) runs through interop.
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
  changes:
    description:
      - Registered results of M(effective.wsl.wsl_config); their C(restart_required) adds to O(required) and their
        C(path) and C(changed_keys) say why. Skipped and failed results are ignored.
    type: list
    elements: raw
    default: []
  distro:
    description:
      - Name of the distro to terminate for V(distro_terminate).
      - Defaults to C(ansible_facts.wsl.distro_name) of the target (from M(effective.wsl.wsl_facts); it comes from
        C(WSL_DISTRO_NAME), which SSH sessions lack), then to the controller's C(WSL_DISTRO_NAME) when the target is
        the local connection.
    type: str
  policy:
    description:
      - V(auto) runs the restart unless it would cut someone off (see above); then it defers and says what to run.
      - V(now) runs it; a controller inside the stopped VM or distro loses its connection and the run ends there.
      - V(never) never runs it and says what to run.
      - Whatever the policy, a restart of another user's VM (O(windows_user) is not the connection account) is not run
        over this connection.
    type: str
    choices: [auto, now, never]
    default: auto
  windows_user:
    description:
      - The Windows user whose VM needs the restart (C(wsl_host_user) in the M(effective.wsl.wsl_host) role).
        Defaults to the connection account on Windows; for a distro, its Windows owner when known.
      - Accounts compare by user name, case-insensitively; C(DOMAIN\user) and C(user@domain) match C(user), and
        differ when both name different domains.
    type: str
  windows_host:
    description:
      - For a distro target, the inventory name of the Windows host it runs on, so that its restarts are counted with
        that host's (a shutdown there covers the distro's terminate).
    type: str
  windows_host_addresses:
    description:
      - More addresses (or names, resolved on the controller) of the Windows host the controller runs on, for
        example C(ansible_facts.wsl.networking.windows_host_address) gathered on the controller's distro.
      - Loopback addresses, the controller's default gateways and its own addresses always count.
    type: list
    elements: str
    default: []
  summarize:
    description:
      - Run nothing; fold the C(wsl_restart_records) of every host in this run into what is still to do, per Windows
        host and user (a shutdown covers that user's terminates). Use it as the last task of a playbook.
    type: bool
    default: false
  validate:
    description:
      - Only check that the restart can be planned (for example that the distro name is known), failing with the
        reason when not; nothing is recorded or run. Use it before writing the file that needs the restart.
    type: bool
    default: false
  report:
    description:
      - Return the message of a deferred or skipped restart (what to run, where, and why it was not run) as a
        warning of this task, so that it is shown at once. The roles set it from C(*_restart_report).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: >-
      In check mode the decision is made, recorded and summarized as in a real run; C(wsl.exe) is not run (on Windows
      the C(InstallLocation) registry value is still read, so that the reported command is exact).
  diff_mode:
    support: none
  platform:
    platforms: [windows, posix]
    details: The target is the Windows host (C(wsl --shutdown), C(wsl --terminate)) or a WSL distro (through interop).
notes:
  - C(.wslconfig) belongs to one Windows user and WSL runs one VM per user; C(wsl --shutdown) run by the connection user
    stops that user's VM only.
  - The "run this" lines are meant for PowerShell; values that are not plain names are single-quoted, so nothing in
    them runs when pasted.
  - Records live in host facts; they carry the run they belong to, so a persistent fact cache does not bring back
    the restarts of an earlier run.
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

- name: Restart WSL if needed, unless that cuts someone off
  effective.wsl.wsl_restart:
    changes:
      - "{{ wslconfig_result }}"
    policy: auto
  register: restart_result

- name: Before writing wsl.conf over SSH, make sure the restart can be planned
  effective.wsl.wsl_restart:
    required: [distro_terminate]
    distro: Ubuntu-24.04
    validate: true

- name: At the end of the playbook, one message for every restart still to do
  effective.wsl.wsl_restart:
    summarize: true
  register: restart_summary

- name: Say it
  ansible.builtin.debug:
    msg: "{{ restart_summary.msg }}"
  when: restart_summary.action == 'defer'
"""

RETURN = r"""
restart:
  description: The restart the changes need after merging (with O(summarize), the strongest one still to do).
  returned: always
  type: str
  choices: [wsl_shutdown, distro_terminate, none]
  sample: wsl_shutdown
action:
  description:
    - V(run) the command ran (or would run in check mode); V(defer) it was not run because it would cut someone off
      or the VM belongs to another user; V(skip) O(policy=never); V(none) nothing to restart.
    - With O(summarize), V(defer) when a restart is still to do, else V(none).
  returned: always
  type: str
  sample: defer
command:
  description: The C(wsl.exe) argv that ran (or would run); for a restart not run, the one to run on Windows.
  returned: unless O(summarize)
  type: list
  elements: str
  sample: ['C:\Program Files\WSL\wsl.exe', --shutdown]
command_line:
  description: The command as one line to paste into PowerShell (user-supplied values single-quoted).
  returned: unless O(summarize)
  type: str
  sample: wsl.exe --terminate Ubuntu
controller_in_wsl:
  description: Whether the controller runs inside WSL.
  returned: unless O(summarize)
  type: bool
controller_affected:
  description: Whether running RV(command) on this target stops the controller.
  returned: unless O(summarize)
  type: bool
cut_off:
  description: Who running RV(command) would cut off, V(controller) and/or V(remote_distro).
  returned: unless O(summarize)
  type: list
  elements: str
reason:
  description: Why the restart was not run; null when it ran.
  returned: unless O(summarize)
  type: str
windows_host:
  description: The Windows host whose VM or distro restarts.
  returned: unless O(summarize)
  type: str
  sample: this controller's Windows host (windows)
windows_user:
  description: The Windows user whose VM it is, when known.
  returned: unless O(summarize)
  type: str
record:
  description:
    - The decision as recorded (JSON), for a status file or a later summary. Keys - C(restart), C(action),
      C(policy), C(windows_host), C(host_key), C(windows_user), C(distro), C(why), C(cut_off), C(reason), C(argv),
      C(command_line), C(run_on), C(msg), C(reported_by), C(run_id), C(seq), C(check_mode), C(outcome)
      (V(ran), V(failed), V(connection_closed) or null).
  returned: when a restart was needed
  type: dict
pending:
  description:
    - What is still to do, one entry per Windows host and user - C(restart), C(windows_host), C(windows_user),
      C(distros) (whose C(wsl.conf) changed; a shutdown covers them), C(commands), C(run_on), C(why), C(reasons).
  returned: with O(summarize)
  type: list
  elements: dict
ran:
  description: The records of the restarts that ran in this run.
  returned: with O(summarize)
  type: list
  elements: dict
msg:
  description: What was done or what to run, for whom, and why.
  returned: always
  type: str
  sample: >-
    WSL restart deferred: .wslconfig changed; WSL reads it only when the user's VM starts, so every distro of that user
    must stop (wsl --shutdown). Not run now because it would stop the WSL VM the Ansible controller runs in. Close the
    WSL sessions and run in PowerShell on this controller's Windows host (windows) as dev: wsl.exe --shutdown
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
  description: The records of this host in this run, the new one last.
  returned: when a restart was needed (not with O(validate) or O(summarize))
  type: dict
  contains:
    wsl_restart_records:
      description: One RV(record) per decision.
      type: list
      elements: dict
"""
