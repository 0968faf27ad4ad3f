# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Documentation only: the Windows implementation is wsl_host_facts.ps1, interpreted by the action plugin of the
# same name on the controller.

DOCUMENTATION = r"""
module: wsl_host_facts
short_description: Facts about WSL on a Windows host, for one Windows user
version_added: 0.1.0
description:
  - Reads, without changing anything, what decides how WSL 2 runs for a Windows user and interprets it on the
    controller into C(ansible_facts.wsl_host).
  - Reads the user's C(.wslconfig) (any of UTF-8, UTF-8 with BOM, UTF-16 with BOM), the WSL policy under
    C(HKLM\Software\Policies\WSL), the Windows build and UBR, the WSL version, the user's distributions, the
    C(vEthernet (WSL...)) adapter, the NAT addresses WSL persists in the registry, the Hyper-V firewall setting of
    the WSL VM creator C({40E0AC32-46A5-438A-A0B2-2B479E8F2E90}), the IPv6 and Hyper-V firewall kill switches and
    the user's Downloads, Desktop and Documents folders.
  - Decides the networking mode WSL will really use. C(networkingMode) in C(.wslconfig) is the request; policy
    C(AllowNetworkingModeUserSetting=0) replaces it with C(DefaultNetworkingMode); mirrored falls back to NAT on
    Windows before build 22621.2428, with IPv6 disabled, or without Hyper-V firewall v2.
  - Gives the address at which a distro reaches this host (C(windows_host_address)) - the C(vEthernet (WSL...))
    address in NAT mode, C(127.0.0.1) in mirrored mode.
  - A read that fails (missing key, cmdlet or permission) gives null and an entry in C(read_errors); it does not
    fail the task.
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
    platforms: windows
options:
  user:
    description:
      - Windows account whose WSL is described (C(.wslconfig), distributions, known folders), as C(name) or
        C(DOMAIN\name).
      - There is one WSL VM per Windows user, so an Ansible connection user that differs from the desktop user
        sees a different WSL.
      - Defaults to the connection user.
      - The registry hive of another user is only readable while that user is logged on; otherwise the per-user
        facts are null and C(read_errors) says why.
    type: str
notes:
  - Run it as a task, not through C(ansible_facts_modules), because C(gather_facts) runs modules without their
    action plugin and this module's interpretation happens in the action plugin.
  - WSL policy, the Hyper-V firewall setting and the registry values under C(HKLM) are readable without
    elevation on a default installation.
  - Runs the real C(wsl.exe), the one in the folder named by C(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\Msi)
    C(InstallLocation) (the C(System32) stub often fails from a WinRM or OpenSSH session, microsoft/WSL#9231), with
    C(WSL_UTF8=1). C(System32\wsl.exe) is used only when that key is absent (inbox WSL). The path is returned as
    C(wsl_exe_path).
  - Lists the connection user's distributions with C(wsl.exe --list --verbose). Another user's distributions can
    only be read from that user's registry hive (loaded while they are logged on); their WSL version is taken
    from the C(Flags) value (C(LXSS_DISTRO_FLAGS_VM_MODE)), not from C(Version), which is the file-system format.
  - Runs C(wsl.exe --version) only when the WSL version is not in the registry; labels are localised (zh-TW uses
    a full-width colon), so the fields are read by position.
  - Decides whether the Hyper-V firewall is v2 the way WSL does (C(WslCoreFirewallSupport.cpp)) - querying
    C(MSFT_NetFirewallHyperVProfile) succeeds, however many objects it returns.
  - Verified on a real Windows host - nothing yet; every Windows behaviour above rests on the source named with it
    (see C(docs/networking.md) and C(tests/unit/fixtures/wsl_host_facts/README.md)).
seealso:
  - module: effective.wsl.wsl_facts
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Describe WSL for the connection user
  effective.wsl.wsl_host_facts:

- name: Describe WSL for the desktop user
  effective.wsl.wsl_host_facts:
    user: CORP\alice

- name: Warn when mirrored mode was asked for but WSL will use NAT
  ansible.builtin.debug:
    msg: "{{ ansible_facts.wsl_host.networking.fallback_reasons }}"
  when:
    - ansible_facts.wsl_host.networking.mode == 'mirrored'
    - ansible_facts.wsl_host.networking.effective_mode != 'mirrored'
"""

RETURN = r"""
ansible_facts:
  description: Facts added under C(wsl_host).
  returned: success
  type: dict
  contains:
    wsl_host:
      description: WSL on this host for O(user).
      returned: success
      type: dict
      contains:
        user:
          description: The account described.
          type: str
          sample: DESKTOP-1\alice
        sid:
          description: Its SID.
          type: str
        profile_dir:
          description: Its profile directory.
          type: str
          sample: C:\Users\alice
        elevated:
          description:
            - Whether the session that gathered the facts runs elevated (as administrator). Over
              P(effective.wsl.interop#connection) it is the elevation of the process that started WSL, normally
              false; the Hyper-V firewall modules need true.
          type: bool
          sample: false
        os:
          description: Windows build (C(build), C(ubr), C(version), C(windows_11), C(product_name),
            C(display_version)).
          type: dict
          sample: {build: 22631, ubr: 4890, version: 10.0.22631.4890, windows_11: true}
        wsl_exe_path:
          description: The C(wsl.exe) this module ran (the real one under C(Lxss\Msi InstallLocation), else
            C(System32\wsl.exe)); use it to run C(wsl.exe) on this host from other tasks.
          type: str
          sample: C:\Program Files\WSL\wsl.exe
        wsl_version:
          description: Installed WSL package version; null for inbox WSL.
          type: str
          sample: 2.6.1
        wsl_version_source:
          description: C(registry) or C(wsl_version) (parsed C(wsl --version)).
          type: str
        wsl_version_details:
          description: Kernel, WSLg and other versions when C(wsl --version) was read.
          type: dict
        wslconfig:
          description: The user's C(.wslconfig) (C(path), C(exists), C(encoding), effective C(settings) by
            section and key, C(rejected_keys) whose value WSL ignores).
          type: dict
        policy:
          description: Raw values under C(HKLM\Software\Policies\WSL) (DWORDs as unsigned integers).
          type: dict
          sample: {AllowNetworkingModeUserSetting: 0, DefaultNetworkingMode: 1}
        policy_overrides:
          description: Policies that override user settings or disallow features, each with C(policy), C(value),
            C(settings) and C(effect).
          type: list
          elements: dict
        networking:
          description:
            - C(requested_mode) (from C(.wslconfig)), C(mode) (after policy), C(mode_source)
              (C(wslconfig), C(policy), C(default) or C(safe_mode)), C(effective_mode) (after the fallbacks
              mirrored to NAT, bridged without C(vmSwitch) to none, consomme without virtio to NAT),
              C(fallback_reasons), C(host_address_loopback), C(nat) (C(vEthernet) adapter and the persisted NAT
              addresses) and C(notes).
          type: dict
        dns_tunneling:
          description: Whether WSL will tunnel DNS (C(enabled)) and the nameserver address distros then see
            (C(address)); pass it to the C(dns_tunneling_address) option of M(effective.wsl.wsl_facts).
          type: dict
          sample: {enabled: true, address: 10.255.255.254}
        firewall:
          description: Hyper-V firewall for WSL (C(enabled), C(configured), C(forced_on_by_policy), C(available),
            C(version) - 0 none, 1 or 2 as WSL probes it, C(vm_creator_id), C(vm_setting) from the ActiveStore,
            C(nat_network)).
          type: dict
        windows_host_address:
          description: Address at which the user's distros reach this host; null when it cannot be known.
          type: str
          sample: 172.24.208.1
        known_folders:
          description: Expanded C(downloads), C(desktop) and C(documents) folders of the user.
          type: dict
          sample: {downloads: C:\Users\alice\Downloads, desktop: C:\Users\alice\OneDrive\Desktop}
        distributions:
          description: Registered distributions (C(name), C(version), C(default); from C(wsl --list --verbose), for the
            connection user, C(state); from the registry, for another user, C(guid), C(base_path), C(default_uid)).
          type: list
          elements: dict
        pull:
          description:
            - What the last C(ansible-pull) runs of M(effective.wsl.wsl_pull)'s scheduled task reported, read from
              C(AppData\Local\effective.wsl\pull) in the user's profile; null when there is none.
            - C(distros) (per distro C(time), C(ref), C(commit), C(result) V(ok)/V(changed)/V(failed), the counts
              C(ok), C(changed), C(failed), the first C(failures), C(restart) with C(required), C(command),
              C(policy) and C(pending), and a C(facts) summary), C(runner) (the scheduled task's own record),
              C(last_run), C(failed), C(pending_restart) (V(none), V(distro_terminate) or V(wsl_shutdown)),
              C(restart_not_run_because) and C(notes) (records that could not be read).
          type: dict
          sample: {last_run: "2026-12-01T08:02:11Z", failed: false, pending_restart: distro_terminate,
                   restart_not_run_because: another WSL session of the user is active}
        notes:
          description: What could not be decided and why.
          type: list
          elements: str
        read_errors:
          description: Reads that failed on the host (C(read), C(message)).
          type: list
          elements: dict
"""
