#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# This file holds documentation only; the action plugin plugins/action/wsl_fleet_report.py does the work.

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_fleet_report
short_description: Write one HTML page and one JSON file about WSL on a fleet of Windows hosts
version_added: 0.1.0
description:
  - Reads, for every host of O(hosts), the result of M(effective.wsl.wsl_host_facts) registered under O(result_var)
    (register it with C(ignore_unreachable) and C(ignore_errors) so every host has one) and writes, on the
    controller, a JSON file and one self-contained HTML page (inline CSS and SVG chart, no external resource).
  - Per host it shows the effective networking mode, the WSL version, the policies that override user settings,
    the Hyper-V firewall state, the last C(ansible-pull) run of M(effective.wsl.wsl_pull) with its failures, and the
    WSL restart still pending, with a summary chart. A host that did not answer, or has no registered result, is
    listed as C(unreachable) with the reason; it is never dropped.
  - Each host gets one state, the first that applies; V(unreachable), V(facts failed), V(pull failed),
    V(restart pending), V(stale) (no pull for more than O(stale_after_days)), V(never pulled), V(ok).
  - This is an action plugin; it runs on the controller only, whatever host the task is for (use C(run_once), or a
    play for C(localhost)).
options:
  hosts:
    description: Inventory names of the Windows hosts to report on, for example C(groups['wsl_windows']).
    type: list
    elements: str
    required: true
  result_var:
    description: Name of the variable each host registered the M(effective.wsl.wsl_host_facts) result in.
    type: str
    default: wsl_fleet_facts
  html:
    description: Path of the HTML page on the controller; its directory is created.
    type: path
    required: true
  json:
    description: Path of the JSON file on the controller (the same data, format C(effective.wsl.fleet_report) 1).
    type: path
    required: true
  stale_after_days:
    description: A host whose last pull is older than this many days is V(stale).
    type: int
    default: 7
  title:
    description: Title of the page.
    type: str
    default: WSL fleet report
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Builds the report and writes nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
    details: Runs on the controller.
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Read WSL facts and pull status from every Windows host
  hosts: wsl_windows
  gather_facts: false
  tasks:
    - name: Read WSL host facts
      effective.wsl.wsl_host_facts:
      ignore_unreachable: true
      ignore_errors: true
      register: wsl_fleet_facts

- name: Write the report
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Write the fleet report
      effective.wsl.wsl_fleet_report:
        hosts: "{{ groups['wsl_windows'] }}"
        html: reports/wsl-fleet.html
        json: reports/wsl-fleet.json
"""

RETURN = r"""
html:
  description: Path of the HTML page.
  returned: always
  type: str
json:
  description: Path of the JSON file.
  returned: always
  type: str
summary:
  description: Number of C(hosts), hosts per state (C(states)), per effective networking mode (C(networking_modes))
    and with a pending WSL restart (C(pending_restarts)).
  returned: success
  type: dict
  sample: {hosts: 500, states: {unreachable: 12, ok: 430}, networking_modes: {nat: 300, mirrored: 188},
           pending_restarts: 20}
msg:
  description: The summary in one line.
  returned: always
  type: str
"""
