#!/usr/bin/python
# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_facts
short_description: Facts about the WSL distribution the task runs in, networking first
version_added: 0.1.0
description:
  - Reports whether the target is a WSL distribution, its WSL version, name and kernel, how it is networked
    (NAT, mirrored or another mode), the address at which it reaches Windows, DNS tunneling, interop,
    automount and systemd state, and the effective C(/etc/wsl.conf) values.
  - The networking mode comes from C(wslinfo --networking-mode) when that program exists (WSL 2.0 and later);
    otherwise it is guessed from the interfaces (C(loopback0) means mirrored, a default route through C(eth0) to a
    private gateway means NAT) and C(networking.notes) explains the guess.
  - The Windows host address is never taken from C(/etc/resolv.conf), which holds C(10.255.255.254) when DNS
    tunneling is on.
  - On a Linux host that is not WSL it returns C(is_wsl=false) and runs no command.
  - It runs at most one command (C(wslinfo --networking-mode)), asks the kernel for interfaces, addresses and
    routes over rtnetlink (what C(ip -j addr) and C(ip -j route) show, without starting C(ip), so busybox
    distributions such as Alpine are covered too) and reads everything else from files, so it can be added to
    C(gather_facts) through C(ansible_facts_modules).
  - The module never changes anything.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
    details: The module changes nothing.
  facts:
    support: full
  platform:
    platforms: posix
options:
  dns_tunneling_address:
    description:
      - The DNS tunneling address configured in C(.wslconfig) (C([experimental] dnsTunnelingIpAddress)), which the
        distro cannot read itself.
      - DNS tunneling is reported on when C(/etc/resolv.conf) names this address as a nameserver.
      - Defaults to WSL's default C(10.255.255.254).
      - C(ansible_facts.wsl_host.dns_tunneling.address) from M(effective.wsl.wsl_host_facts) holds the value.
    type: str
notes:
  - Supports C(gather_facts) through C(ansible_facts_modules), see the examples.
seealso:
  - module: effective.wsl.wsl_host_facts
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Gather WSL facts
  effective.wsl.wsl_facts:

- name: Reach a Windows service from the distro, whatever the networking mode
  ansible.builtin.uri:
    url: "http://{{ ansible_facts.wsl.networking.windows_host_address }}:8080/health"
  when: ansible_facts.wsl.networking.windows_host_address is not none

- name: Tell the distro the tunneling address that .wslconfig configures
  effective.wsl.wsl_facts:
    dns_tunneling_address: "{{ hostvars['windows-host'].ansible_facts.wsl_host.dns_tunneling.address }}"

# In inventory or group_vars: gather WSL facts together with the usual facts.
# ansible_facts_modules:
#   - ansible.builtin.setup
#   - effective.wsl.wsl_facts
"""

RETURN = r"""
ansible_facts:
  description: Facts added under C(wsl).
  returned: always
  type: dict
  contains:
    wsl:
      description: Everything this module found. Keys other than C(is_wsl), C(kernel) and C(user) are null when
        not WSL.
      returned: always
      type: dict
      contains:
        is_wsl:
          description: Whether this is a WSL distribution (Microsoft kernel, WSL environment or WSLInterop entry).
          type: bool
          sample: true
        version:
          description: WSL version, 1 or 2.
          type: int
          sample: 2
        distro_name:
          description: Name of the distribution (C(WSL_DISTRO_NAME)); null when the variable is not set (for
            example over SSH).
          type: str
          sample: Ubuntu-24.04
        kernel:
          description: Kernel release from C(/proc/version).
          type: str
          sample: 5.15.167.4-microsoft-standard-WSL2
        user:
          description: The account the module ran as, so that roles can decide on C(become) without C(setup).
          type: dict
          contains:
            name:
              description: User name.
              type: str
              sample: steff
            uid:
              description: Effective user id.
              type: int
              sample: 1000
            home:
              description: Home directory.
              type: str
              sample: /home/steff
        networking:
          description: How the distro is networked.
          type: dict
          contains:
            mode:
              description: C(nat), C(mirrored), C(virtioproxy), C(consomme), C(bridged), C(none), C(wsl1) or
                C(unknown).
              type: str
              sample: nat
            mode_source:
              description: C(wslinfo) when C(wslinfo --networking-mode) said so, C(heuristic) when guessed.
              type: str
              sample: wslinfo
            eth0:
              description: IPv4 address, prefix, broadcast, MTU and MAC of eth0; null without eth0.
              type: dict
              sample: {address: 172.24.222.66, prefix: 20, broadcast: 172.24.223.255, mtu: 1492,
                       mac: "00:15:5d:a1:b2:c3"}
            default_gateway:
              description: IPv4 default gateway. In NAT mode this is Windows; in mirrored mode the LAN router.
              type: str
              sample: 172.24.208.1
            default_interface:
              description: Interface of the default route.
              type: str
              sample: eth0
            windows_host_address:
              description:
                - Address at which the distro reaches Windows; the default gateway in NAT mode, C(127.0.0.1) in
                  mirrored mode and under WSL 1, null when it cannot be known.
              type: str
              sample: 172.24.208.1
            dns_servers:
              description: Nameservers of C(/etc/resolv.conf).
              type: list
              elements: str
              sample: [10.255.255.254]
            dns_search:
              description: Search domains of C(/etc/resolv.conf).
              type: list
              elements: str
            dns_tunneling:
              description: Whether DNS tunneling is on (resolv.conf names the tunneling address); null when
                resolv.conf is unreadable.
              type: bool
              sample: true
            dns_tunneling_address:
              description: The tunneling address compared against the nameservers.
              type: str
              sample: 10.255.255.254
            resolv_conf_generated:
              description: Whether WSL generated C(/etc/resolv.conf).
              type: bool
            interfaces:
              description: Every interface with state, MTU, MAC and IPv4/IPv6 addresses, keyed by name.
              type: dict
            notes:
              description: How the mode was decided and what the addresses mean.
              type: list
              elements: str
        interop:
          description: Windows interop.
          type: dict
          contains:
            enabled:
              description: Whether Windows programs can be started (wsl.conf allows it and the WSLInterop binfmt
                entry is registered and enabled).
              type: bool
            enabled_in_wsl_conf:
              description: Effective C([interop] enabled) of wsl.conf.
              type: bool
            append_windows_path:
              description: Effective C([interop] appendWindowsPath) of wsl.conf.
              type: bool
            binfmt:
              description: The WSLInterop binfmt entry (enabled, interpreter, flags); null when not registered.
              type: dict
        automount:
          description: Windows drive mounts.
          type: dict
          contains:
            enabled:
              description: Effective C([automount] enabled).
              type: bool
            root:
              description: Effective C([automount] root), with a trailing slash.
              type: str
              sample: /mnt/
            drives:
              description: Drives mounted under the root (drvfs, 9p or virtiofs), by lower-case letter.
              type: dict
              sample: {c: /mnt/c}
        systemd:
          description: systemd state.
          type: dict
          contains:
            enabled_in_wsl_conf:
              description: Effective C([boot] systemd).
              type: bool
            running:
              description: Whether PID 1 is systemd.
              type: bool
        wsl_conf:
          description: C(/etc/wsl.conf).
          type: dict
          contains:
            path:
              description: Path read.
              type: str
            exists:
              description: Whether the file exists.
              type: bool
            settings:
              description: Effective values by section and key (canonical spellings), defaults included where the
                parser provides them.
              type: dict
"""

import ipaddress

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.effective.wsl.plugins.module_utils._wslfacts import gather


def main():
    module = AnsibleModule(
        argument_spec={"dns_tunneling_address": {"type": "str"}},
        supports_check_mode=True,
    )
    address = module.params["dns_tunneling_address"]
    if address is not None:
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            module.fail_json(msg=f"dns_tunneling_address: {address!r} is not an IPv4 address (e.g. 10.255.255.254)")
    module.exit_json(changed=False, ansible_facts={"wsl": gather(module, address)})


if __name__ == "__main__":
    main()
