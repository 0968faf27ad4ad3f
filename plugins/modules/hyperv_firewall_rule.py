#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module: the Windows implementation is hyperv_firewall_rule.ps1, driven by
# the action plugin plugins/action/hyperv_firewall_rule.py, which validates every option first.

DOCUMENTATION = r"""
module: hyperv_firewall_rule
short_description: Manage a Hyper-V firewall rule for WSL (or another VM creator) on Windows
description:
  - Creates, updates or removes one Hyper-V firewall rule, identified by its O(name), with
    C(New-NetFirewallHyperVRule), C(Set-NetFirewallHyperVRule) and C(Remove-NetFirewallHyperVRule); an existing
    rule is turned on or off with C(Enable-NetFirewallHyperVRule) / C(Disable-NetFirewallHyperVRule), which exist on
    every build (C(Set-NetFirewallHyperVRule) lacks C(-Enabled) on some).
  - Every cmdlet and parameter a task needs is checked against the host's cmdlets before the first write, so a
    build whose parameter set differs fails with nothing changed.
  - In mirrored networking mode the Hyper-V firewall blocks inbound traffic to WSL by default; a rule like
    this opens one port without allowing everything.
  - Every option is validated and canonicalised on the controller before anything reaches the host (ports
    sorted, de-duplicated and merged; protocol names and numbers; addresses and subnets normalised; the VM
    creator GUID braced and upper-case). Bad input fails with a message naming the option, the value and
    what is allowed; every problem of the task is reported at once.
  - Only the options given in the task are enforced; the others keep their current value (or the cmdlet
    default when the rule is created).
  - Rules whose name starts with C(WslCore) belong to WSL itself and are refused.
  - Reports the rule's C(EnforcementStatus), and warns when a firewall profile of the VM creator has
    C(AllowLocalFirewallRules=False), because local rules are then silently not applied.
  - Needs Windows 11 22H2 build 22621.2428 or later and an elevated (administrator) connection.
version_added: 0.1.0
author:
  - effective.wsl contributors (@effective-wsl)
options:
  name:
    description:
      - The rule's C(Name) (its ID), the only stable key of a rule. A literal string; PowerShell's wildcard and
        escape characters (V(*), V(?), V([), V(]) and the backtick) and names starting with C(WslCore) are refused.
    type: str
    required: true
  display_name:
    description:
      - The rule's C(DisplayName). When a rule is created without it, the display name is O(name).
    type: str
  state:
    description:
      - V(present) creates or updates the rule, V(absent) removes it (by name only).
      - With V(absent) only O(name) may be given; any other option is an error, since it would be ignored.
    type: str
    default: present
    choices: [present, absent]
  enabled:
    description:
      - Whether the rule is enabled (passed as the strings C(True)/C(False) the cmdlet's enum expects).
    type: bool
  direction:
    description:
      - Traffic direction. The cmdlet default for a new rule is V(inbound).
    type: str
    choices: [inbound, outbound]
  action:
    description:
      - What the rule does with matching traffic. The cmdlet default for a new rule is V(allow).
    type: str
    choices: [allow, block]
  protocol:
    description:
      - V(tcp), V(udp), V(icmpv4), V(icmpv6), V(any), or an IP protocol number 0-255 (6, 17, 1 and 58 are
        the same as the names).
      - Required when O(local_ports) or O(remote_ports) are given, and must then be TCP or UDP - or ICMPv4/ICMPv6
        with ICMP types in O(local_ports), the form of WSL's own ICMP rules.
    type: str
  local_ports:
    description:
      - Local ports (on the WSL side for inbound rules) as integers or V(low-high) ranges, or V(any).
      - Sorted, de-duplicated, and overlapping or adjacent ranges merged before they are compared.
      - With O(protocol=icmpv4) or O(protocol=icmpv6), ICMP types 0-255 instead (V([3, 11]) is what WSL's own
        ICMPv4 rule carries); they are sorted but never merged into ranges.
    type: list
    elements: str
  remote_ports:
    description:
      - Remote ports, in the same form as O(local_ports); TCP and UDP only.
    type: list
    elements: str
  local_addresses:
    description:
      - Local IPv4/IPv6 addresses, CIDR subnets (V(10.0.0.0/8), V(192.168.1.0/255.255.255.0)), ranges
        V(first-last), or V(any). Subnets are normalised (host bits cleared, V(/32) becomes the address).
    type: list
    elements: str
  remote_addresses:
    description:
      - Remote addresses, in the same form as O(local_addresses).
    type: list
    elements: str
  profiles:
    description:
      - Firewall profiles the rule applies to; V(any) alone means all.
      - Which profile WSL's Hyper-V firewall port gets is not documented; read it with C(Get-NetFirewallHyperVPort)
        rather than assume one.
    type: list
    elements: str
    choices: [any, domain, private, public]
  vm_creator_id:
    description:
      - The VM creator the rule is scoped to, a GUID with or without braces. Defaults to WSL's, so a rule
        never applies to every VM creator (Windows Sandbox, containers) by accident.
    type: str
    default: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The cmdlets run with C(-WhatIf); RV(rule) is then the predicted rule.
  diff_mode:
    support: full
  platform:
    platforms: windows
notes:
  - Ports given without a protocol are refused, because the cmdlets accept ports only with TCP or UDP (and ICMP
    types with ICMPv4/ICMPv6).
  - Run on a real Windows host - nothing yet. The PowerShell parses and its options match this documentation;
    the interpretation is tested against real public captures of C(Get-NetFirewallHyperVRule) output where one
    exists and constructed output otherwise; see C(docs/hyperv_firewall.md) for what rests on which source and
    for the opt-in check against a real host.
seealso:
  - module: effective.wsl.hyperv_firewall_vm_setting
"""

EXAMPLES = r"""
- name: Let the LAN reach a web server in WSL (mirrored mode)
  effective.wsl.hyperv_firewall_rule:
    name: MyWebServer
    display_name: My Web Server
    direction: inbound
    protocol: tcp
    local_ports: [80]

- name: Allow a port range from the office subnet only, Private and Public profiles
  effective.wsl.hyperv_firewall_rule:
    name: wsl-dev-servers
    display_name: WSL dev servers
    direction: inbound
    action: allow
    protocol: tcp
    local_ports: [3000, 8000-8100]
    remote_addresses: [10.20.0.0/16]
    profiles: [private, public]

- name: Remove the rule again
  effective.wsl.hyperv_firewall_rule:
    name: MyWebServer
    state: absent
"""

RETURN = r"""
operation:
  description: What was done (or would be done in check mode).
  returned: always
  type: str
  choices: [create, update, remove, none]
  sample: create
changed_keys:
  description: Options whose value differed on the host and were (or would be) set.
  returned: always
  type: list
  elements: str
  sample: [local_ports, vm_creator_id]
cmdlets:
  description: The cmdlets called (or, in check mode, called with C(-WhatIf)), in order.
  returned: always
  type: list
  elements: str
  sample: [Set-NetFirewallHyperVRule, Disable-NetFirewallHyperVRule]
rule:
  description:
    - The rule after the task, in the module's option vocabulary; null when it does not exist.
    - Unrestricted conditions read V(any).
  returned: always
  type: dict
  sample:
    name: MyWebServer
    display_name: My Web Server
    enabled: true
    direction: inbound
    action: allow
    protocol: tcp
    local_ports: ["80"]
    remote_ports: [any]
    local_addresses: [any]
    remote_addresses: [any]
    profiles: [any]
    vm_creator_id: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
    enforcement_status: OK
    policy_store_source_type: Local
enforcement_status:
  description: The rule's C(EnforcementStatus) (for example V(OK), V(NoApplicablePorts) while WSL is not running).
  returned: always
  type: str
  sample: OK
profiles:
  description: The effective (ActiveStore) per-profile settings of the rule's VM creator.
  returned: always
  type: list
  elements: dict
  sample:
    - profile: public
      enabled: true
      default_inbound_action: block
      default_outbound_action: allow
      allow_local_firewall_rules: true
"""
