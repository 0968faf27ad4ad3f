#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_distro_plan
short_description: Gather the WSL facts of a distro, plan the work of the wsl_distro role and make its links
version_added: 0.1.0
description:
  - The first task of the P(effective.wsl.wsl_distro#role) role; every decision that is data is made here, in one task
    run, instead of a chain of C(set_fact), C(debug) and C(fail) tasks, and with O(make_links=true) the links are made
    in the same task run instead of a loop task.
  - One module execution on the target gathers the facts of M(effective.wsl.wsl_facts) (unless O(gather=false)) and,
    with O(make_links=true), makes the links with the engine of M(effective.wsl.wsl_symlink). Its action plugin adds
    what only the controller knows (the Windows host's facts, the host's inventory name, the restart check).
  - Fails when the target is not a WSL distro (C(ansible_facts.wsl.is_wsl) false), naming the host; no link is made.
  - Works out the automount root (from the facts, V(/mnt/) by default), the Windows Downloads folder
    (O(downloads_folder), else the C(known_folders.downloads) of O(windows_host)'s M(effective.wsl.wsl_host_facts),
    else C(C:/Users/<windows_user>/Downloads)) and returns the links to make as M(effective.wsl.wsl_symlink) options.
  - Warns, in this task's result, about each item of O(project_paths) under the automount root, and when a Downloads
    link is asked for but the folder is unknown.
  - With O(make_links=true), makes each planned link, in order, as a loop of M(effective.wsl.wsl_symlink) over
    RV(links) would - each link's options are validated as that module validates them, every link is tried, and the
    task fails, naming each failed link, if one failed. Each link's result is in RV(link_results); their warnings are
    this task's and, in diff mode, their diffs are this task's (a list, one per link that has one).
  - With O(restart), checks that the C(wsl --terminate <distro>) a C(/etc/wsl.conf) change needs can be planned, by
    running the M(effective.wsl.wsl_restart) action with C(validate=true), and fails with its reason otherwise (for
    example when the distro name is unknown). Nothing is recorded. The check needs the facts, so it runs after the
    links were made (they need no restart) and before the role touches C(/etc/wsl.conf). When RV(wsl_conf_current)
    is V(true), the file is not written and needs no restart, so there is no check.
options:
  gather:
    description:
      - Gather the facts of M(effective.wsl.wsl_facts) first.
      - With V(false) the facts gathered earlier (C(ansible_facts.wsl)) are used, and links take the automount root
        from C(/etc/wsl.conf) as M(effective.wsl.wsl_symlink) does.
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
  downloads_folder:
    description:
      - The Windows Downloads folder the Downloads link points to, for example V(D:\\OneDrive\\Downloads).
      - Empty means the C(known_folders.downloads) of O(windows_host)'s facts, else
        C(C:/Users/<windows_user>/Downloads).
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
        empty values are left out. C(windows_user) and C(windows_host) default to O(windows_user) and O(windows_host).
    type: dict
  make_links:
    description:
      - Also make the planned links, in the same module execution as the facts.
      - V(false) only plans them (RV(links)); with O(gather=false) too, nothing runs on the target.
    type: bool
    default: false
  wsl_conf_settings:
    description:
      - Settings for C(/etc/wsl.conf), as O(effective.wsl.wsl_config#module:settings). The module reads
        C(/etc/wsl.conf) as the connecting user, never writes it, and tells in RV(wsl_conf_current) whether the file
        already holds them, decided by the engine of M(effective.wsl.wsl_config) as that module would decide with
        O(effective.wsl.wsl_config#module:type=wslconf) and its defaults. The P(effective.wsl.wsl_distro#role) role
        skips its M(effective.wsl.wsl_config) task, and the C(become) it needs, when it does.
      - Empty means no check (RV(wsl_conf_current) is V(false)).
    type: raw
    default: {}
  wsl_conf_unknown_keys:
    description: O(effective.wsl.wsl_config#module:unknown_keys) for the check of O(wsl_conf_settings).
    type: str
    choices: [error, warn]
    default: error
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - The facts are gathered in check mode too; the links report what they would change.
  diff_mode:
    support: full
    details: With O(make_links=true), the diff of each link that has one.
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
- name: Gather WSL facts of the distro and link Windows folders
  effective.wsl.wsl_distro_plan:
    windows_user: steff
    downloads_link: ~/downloads
    symlinks:
      - src: 'D:\work'
        dest: ~/work
    project_paths:
      - "{{ playbook_dir }}"
    restart:
      policy: auto
    make_links: true
  register: plan

- name: Only plan, and show the links that would be made
  effective.wsl.wsl_distro_plan:
    windows_user: steff
    downloads_link: ~/downloads
  register: planned

- name: Show them
  ansible.builtin.debug:
    msg: "{{ planned.links | map(attribute='dest') | list }}"
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
link_results:
  description:
    - The result of each item of RV(links), in the same order, as M(effective.wsl.wsl_symlink) returns it (for example
      C(dest), C(src), C(previous_target), C(changed)), or C(failed) and C(msg).
  returned: when make_links is true and the target is a WSL distro
  type: list
  elements: dict
  sample: [{"changed": true, "dest": "/home/steff/downloads", "src": "/mnt/c/Users/steff/Downloads"}]
wsl_conf_current:
  description:
    - V(true) when C(/etc/wsl.conf) already holds O(wsl_conf_settings) and M(effective.wsl.wsl_config) would change
      nothing; the warnings that module would give about them are then this task's.
    - V(false) when it would change the file, and whenever it has more to say - the file is missing, cannot be read
      by the connecting user or is not a regular file, the settings are refused, or no module ran
      (O(gather=false) and O(make_links=false)).
  returned: success
  type: bool
  sample: true
restart_check:
  description: What M(effective.wsl.wsl_restart) would do after a change, when O(restart) was given.
  returned: success and restart
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.effective.wsl.plugins.module_utils._distroplan import ARGUMENT_SPEC, plan
from ansible_collections.effective.wsl.plugins.module_utils._safefile import FileRefused
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import validate_settings
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_file import Failure, read_and_decide
from ansible_collections.effective.wsl.plugins.module_utils._wslfacts import WSL_CONF_PATH, gather
from ansible_collections.effective.wsl.plugins.module_utils._wslsymlink import (
    LINK_REQUIRED_IF,
    LINK_SPEC,
    SymlinkError,
    distro_automount_root,
    link,
)

# The options of the role's effective.wsl.wsl_config task, apart from the settings. Its policy (from the host's
# wsl_host facts) is left out: Windows policies only govern .wslconfig keys (POLICY_KEYS of _wslconf_effect), never
# a wsl.conf decision.
WSL_CONF_TASK = {"type": "wslconf", "follow": False, "create": True, "policy": None}


def wsl_conf_current(settings: object, unknown_keys: str) -> tuple[bool, list[str]]:
    """Whether /etc/wsl.conf already holds ``settings``, decided by effective.wsl.wsl_config's engine on the bytes the
    connecting user reads, and then the warnings that task would give. False whenever that task has more to do or to
    say: a change, a missing or unreadable file, settings it refuses."""
    if not settings:
        return False, []
    try:
        requested, warnings = validate_settings(settings, WSL_CONF_TASK["type"], unknown_keys)
        snapshot, decision = read_and_decide(WSL_CONF_PATH, WSL_CONF_TASK, requested)
    except (WslConfError, Failure, FileRefused):
        return False, []
    if snapshot.data is None or decision.changed:
        return False, []
    return True, warnings + decision.warnings


def make_links(module: AnsibleModule, links: list[dict]) -> dict:
    """Each link validated and made as effective.wsl.wsl_symlink would, every one tried: changed, link_results,
    the diffs, and failed with a message naming each failed link."""
    validator = ArgumentSpecValidator(LINK_SPEC, required_if=LINK_REQUIRED_IF)
    outcomes, diffs, failures = [], [], []
    for planned in links:
        options = {name: value for name, value in planned.items() if name != "automount_root"}
        validated = validator.validate(options)
        if validated.error_messages:
            outcome = {"failed": True, "msg": "; ".join(validated.error_messages)}
        else:
            params = dict(validated.validated_parameters, automount_root=planned["automount_root"], project_paths=[])
            outcome = link(module, params)
        outcomes.append(outcome)
        if outcome.get("failed"):
            failures.append(f"{planned.get('dest')}: {outcome['msg']}")
        elif outcome.get("diff"):
            diffs.append(outcome["diff"])
    result = {"changed": any(outcome.get("changed") for outcome in outcomes), "link_results": outcomes}
    if diffs:
        result["diff"] = diffs
    if failures:
        result["failed"] = True
        result["msg"] = f"{len(failures)} of {len(links)} links failed: " + "; ".join(failures)
    return result


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    result = {"changed": False}
    if params["gather"]:
        facts = gather(module)
        result["ansible_facts"] = {"wsl": facts}
        if not facts["is_wsl"]:
            module.exit_json(**result)  # the action plugin refuses the host, naming it
        root = facts["automount"]["root"]
    else:
        try:
            root = distro_automount_root()
        except SymlinkError as error:
            module.fail_json(msg=str(error))
    planned = plan(params, root)
    for warning in planned.pop("warnings"):
        module.warn(warning)
    result.update(planned)
    if params["make_links"]:
        result.update(make_links(module, planned["links"]))
    result["wsl_conf_current"], wsl_conf_warnings = wsl_conf_current(
        params["wsl_conf_settings"], params["wsl_conf_unknown_keys"]
    )
    for warning in wsl_conf_warnings:
        module.warn(warning)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
