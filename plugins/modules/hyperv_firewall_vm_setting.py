#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module: the Windows implementation is hyperv_firewall_vm_setting.ps1,
# driven by the action plugin plugins/action/hyperv_firewall_vm_setting.py, which validates every option first.

DOCUMENTATION = r"""
module: hyperv_firewall_vm_setting
short_description: Manage the Hyper-V firewall settings of the WSL VM (or another VM creator) on Windows
description:
  - Sets the Hyper-V firewall settings of one VM creator (WSL by default) with C(Set-NetFirewallHyperVVMSetting),
    and the per-profile O(allow_local_firewall_rules) with C(Set-NetFirewallHyperVProfile) on the Domain, Private
    and Public profiles.
  - C(Set-) is used once the VM creator is registered (WSL registers its creator when its VM starts and keeps its
    own setting in the lowest-priority C(SystemDefaults) store) or any of its settings objects exists;
    C(New-NetFirewallHyperVVMSetting) / C(New-NetFirewallHyperVProfile) only before that, as Microsoft's cmdlet
    help says. A C(Set-) that finds no object falls back to C(New-).
  - Runs its PowerShell twice - a read (objects, registered creators, the parameters of this host's cmdlets) and,
    outside check mode and only when something differs, a write. Every cmdlet and parameter is checked before
    the first write, so a build whose parameter set differs fails with nothing changed.
  - Only the options given in the task are enforced; with none, the module only reports the settings.
  - Values are compared with the local (persistent) store, which is what the cmdlets write. The effective
    values (ActiveStore, where MDM/Intune policy can take precedence) are returned in RV(effective).
  - Warns when a profile has C(AllowLocalFirewallRules=False), because local Hyper-V firewall rules are then silently
    not applied.
  - Needs Windows 11 22H2 build 22621.2428 or later and an elevated (administrator) connection.
version_added: 0.1.0
author:
  - effective.wsl contributors (@effective-wsl)
options:
  vm_creator_id:
    description:
      - The VM creator whose settings are managed, a GUID with or without braces. Defaults to WSL's.
    type: str
    default: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
  enabled:
    description:
      - Whether the Hyper-V firewall is enabled for this VM creator.
    type: bool
  default_inbound_action:
    description:
      - What happens to inbound traffic that no rule matches. WSL's effective default is V(block).
      - V(allow) opens every port of the VM to the network; prefer effective.wsl.hyperv_firewall_rule for
        single ports.
    type: str
    choices: [allow, block, not_configured]
  default_outbound_action:
    description:
      - What happens to outbound traffic that no rule matches. WSL's effective default is V(allow).
    type: str
    choices: [allow, block, not_configured]
  loopback_enabled:
    description:
      - Whether loopback traffic between the host and the VM is allowed.
    type: bool
  allow_host_policy_merge:
    description:
      - Whether host Windows Firewall settings and host rules based only on addresses and ports also apply to
        the VM.
    type: bool
  allow_local_firewall_rules:
    description:
      - Whether locally defined Hyper-V firewall rules (such as those of effective.wsl.hyperv_firewall_rule)
        are applied. Set on the Domain, Private and Public profiles of the creator.
    type: bool
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only the read runs; the returned settings are then the predicted ones.
  diff_mode:
    support: full
  platform:
    platforms: windows
notes:
  - Run on a real Windows host - nothing yet. The PowerShell parses and its options match this documentation;
    the decisions are tested against a real public capture of C(Get-NetFirewallHyperVVMSetting -PolicyStore
    ActiveStore) and constructed reads; see C(docs/hyperv_firewall.md) for what rests on which source.
seealso:
  - module: effective.wsl.hyperv_firewall_rule
"""

EXAMPLES = r"""
- name: Allow all inbound traffic to WSL (what Set-NetFirewallHyperVVMSetting -DefaultInboundAction Allow does)
  effective.wsl.hyperv_firewall_vm_setting:
    default_inbound_action: allow

- name: Keep the default block, but make sure local rules are applied
  effective.wsl.hyperv_firewall_vm_setting:
    default_inbound_action: block
    allow_local_firewall_rules: true

- name: Only report the current settings
  effective.wsl.hyperv_firewall_vm_setting:
  register: wsl_firewall

- name: Show the effective inbound action
  ansible.builtin.debug:
    msg: "{{ wsl_firewall.effective.vm_setting.default_inbound_action }}"
"""

RETURN = r"""
changed_keys:
  description: Options whose value differed on the host and were (or would be) set.
  returned: always
  type: list
  elements: str
  sample: [default_inbound_action]
cmdlets:
  description: The cmdlets called in order (in check mode, the ones that would be).
  returned: always
  type: list
  elements: str
  sample: [Set-NetFirewallHyperVVMSetting]
creator_registered:
  description: Whether C(Get-NetFirewallHyperVVMCreator) lists the VM creator.
  returned: always
  type: bool
created:
  description: The cmdlet nouns for which a C(New-) cmdlet created the object (the creator was not registered).
  returned: always
  type: list
  elements: str
  sample: [NetFirewallHyperVVMSetting]
vm_setting:
  description: The VM creator's settings in the local store after the task; null when none exists.
  returned: always
  type: dict
  sample:
    vm_creator_id: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
    enabled: true
    default_inbound_action: allow
    default_outbound_action: allow
    loopback_enabled: true
    allow_host_policy_merge: true
profiles:
  description: Per-profile settings in the local store after the task, keyed by profile; null entries do not exist.
  returned: always
  type: dict
  sample:
    public:
      profile: public
      enabled: true
      default_inbound_action: block
      default_outbound_action: allow
      allow_local_firewall_rules: true
effective:
  description:
    - The effective settings (ActiveStore) read after the task, C(vm_setting) and C(profiles) as above.
    - In check mode they are read before anything would change.
  returned: always
  type: dict
  sample:
    vm_setting:
      vm_creator_id: "{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}"
      enabled: true
      default_inbound_action: block
      default_outbound_action: allow
      loopback_enabled: true
      allow_host_policy_merge: true
    profiles: {}
"""
