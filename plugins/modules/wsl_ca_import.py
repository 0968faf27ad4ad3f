#!/usr/bin/python
# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# The action plugin plugins/action/wsl_ca_import.py parses and validates the certificates on the controller
# and runs this module on the target with one PEM certificate per item of O(certificates).

from __future__ import annotations

DOCUMENTATION = r"""
module: wsl_ca_import
short_description: Import company root CAs from Windows into the trust store of a WSL distro
version_added: 0.1.0
description:
  - A CA that is installed on Windows (pushed by GPO, or the root of a TLS-inspecting proxy) is unknown inside
    WSL, so C(curl) fails with C(60 SSL certificate problem self signed certificate in certificate chain).
    This module puts such CAs into the distro's own trust store and rebuilds the system bundle, so every tool that
    uses it trusts them. It never disables verification.
  - Certificates come from O(certificates) (PEM or DER strings, or the items that
    M(ansible.windows.win_certificate_info) returns) and from O(src) files on the target (for example an export
    under C(/mnt/c/Users/<user>/Downloads)). They are parsed and checked on the controller with C(cryptography)
    before anything is written; any problem fails the task and leaves the trust store untouched.
  - Refused unless explicitly allowed, with a message that names the input (its index, O(src) path or
    thumbprint) - any input that holds a private key (always refused, alone or inside a bundle, PEM or DER,
    and PKCS#12 files), certificates that are not CAs (no C(basicConstraints CA:TRUE)), expired or not yet valid
    certificates. Duplicates (same SHA-256) are imported once.
  - The distro family is read from C(/etc/os-release) (C(ID), then C(ID_LIKE)). Debian and Ubuntu use
    C(/usr/local/share/ca-certificates/<name>/) with C(update-ca-certificates); Alpine uses
    C(/usr/local/share/ca-certificates/<name>-*.crt); Fedora, RHEL, CentOS, Alma, Rocky and Amazon Linux use
    C(/etc/pki/ca-trust/source/anchors/<name>-*.crt) with C(update-ca-trust extract); openSUSE and SLES use
    C(/etc/pki/trust/anchors/<name>-*.crt) with C(update-ca-certificates); Arch uses
    C(/etc/ca-certificates/trust-source/anchors/<name>-*.crt) with C(update-ca-trust). Only Debian's tool reads
    sub-folders, so the other families get a file-name prefix instead of a folder.
  - Each certificate is one PEM file named C(<first 16 hex digits of its SHA-256>-<subject CN>.crt), mode 0644,
    owned by root, written atomically; folders it creates get mode 0755, whatever the umask. The module only ever
    changes or removes files it recognises as its own (name pattern and content fingerprint agree); other
    certificates are never touched.
  - The family's update command runs when a certificate file was added or removed, when an earlier run changed the
    files but its update failed (a marker in C(/var/lib/effective-wsl) says so), and when the system bundle lacks a
    certificate this module manages (never in check mode). Runs on one distro take turns (C(flock) on
    C(/var/lib/effective-wsl)) from reading the store to the end of the update, so concurrent runs never write the
    bundle at the same time.
options:
  certificates:
    description:
      - Certificates to import (or, with O(state=absent), to remove).
      - Each item is a string - PEM text (several CERTIFICATE blocks are allowed) or base64 DER - or a mapping as
        returned in C(certificates) by M(ansible.windows.win_certificate_info) - base64 DER under C(raw) (also read
        from C(cert_data)); C(thumbprint), when present, must match the DER.
    type: list
    elements: raw
    default: []
  windows_certificates:
    description:
      - A listing of a Windows certificate store - the C(certificates) that M(ansible.windows.win_certificate_info)
        returns (base64 DER under C(raw) or C(cert_data)).
      - O(select) is required with it, so that a whole store is never imported by accident.
    type: list
    elements: dict
    default: []
  src:
    description:
      - Paths of PEM or DER certificate files on the target, for example C(/mnt/c/Users/alice/Downloads/corp.cer).
      - Read with M(ansible.builtin.slurp), so C(~) is expanded on the target; a missing file fails the task.
    type: list
    elements: str
    default: []
  select:
    description:
      - Import only the certificates (from O(certificates) and O(src)) that match every given criterion.
      - Useful with a whole Windows store listing from M(ansible.windows.win_certificate_info).
    type: dict
    suboptions:
      subject:
        description:
          - Shell-style globs (C(fnmatch), case-insensitive), matched against the subject written exactly as Windows
            prints it (certmgr, PowerShell, M(ansible.windows.win_certificate_info)) - most specific part first,
            C(S=) for the state, C(E=) for an e-mail address, values with a comma in double quotes, for example
            C(CN=Corp Root CA, O="Corp, Inc.", S=Bavaria, C=DE). One must match.
        type: list
        elements: str
      issuer:
        description:
          - Globs like O(select.subject), matched against the issuer.
        type: list
        elements: str
      thumbprints:
        description:
          - SHA-1 thumbprints as Windows shows them; case, spaces, colons and the invisible mark that certmgr adds
            when copying are ignored. One must match.
        type: list
        elements: str
  allow_non_ca:
    description:
      - Also import certificates without C(basicConstraints CA:TRUE) (server or old v1 certificates).
      - Not needed with O(state=absent), which removes certificates whatever they are.
    type: bool
    default: false
  allow_expired:
    description:
      - Also import certificates outside their validity period.
      - Not needed with O(state=absent), so that expired CAs can be taken out.
    type: bool
    default: false
  state:
    description:
      - V(present) adds the given certificates and keeps every other one this module manages.
      - V(absent) removes the given certificates if this module wrote them.
      - V(exact) makes the managed certificates exactly the given ones; the others this module wrote are removed.
    type: str
    choices: [present, absent, exact]
    default: present
  allow_empty:
    description:
      - Allow O(state=exact) with no certificate (after O(select)), which removes every certificate this module
        manages under O(name).
    type: bool
    default: false
  family:
    description:
      - Trust-store family. V(auto) detects it from C(/etc/os-release); any other value is used instead.
      - Required for a distro that is none of the known ones (or derived from them through C(ID_LIKE)).
    type: str
    choices: [auto, debian, redhat, suse, arch, alpine]
    default: auto
  name:
    description:
      - Name of the managed set - the folder (Debian family) or file-name prefix (other families) that holds the
        certificates this module writes. Different names are independent sets.
      - 1 to 64 characters of letters, digits, C(.), C(_) and C(-), starting with a letter or digit.
    type: str
    default: effective-wsl
  runtime_env:
    description:
      - V(true) writes C(/etc/profile.d/effective-wsl-ca.sh), exporting C(SSL_CERT_FILE), C(REQUESTS_CA_BUNDLE) and
        C(NODE_EXTRA_CA_CERTS) set to the family's system bundle, for tools that do not read the system store
        (pip-installed C(requests) uses C(certifi); Node.js has its own list). Login shells read it.
      - V(false) removes that file. Unset leaves it as it is.
    type: bool
notes:
  - With no certificate given (O(certificates), O(windows_certificates) and O(src) all empty) and O(state) other than
    V(exact), nothing is done and the task warns; the module does not run, so RV(family), RV(bundle),
    RV(managed_location) and RV(update_command) are not returned.
  - Needs root on the target (C(become)) and the family's C(ca-certificates) package, which provides the update
    command; it is checked before anything is written.
  - Processes read the bundle when they start; running programs keep their old trust.
  - Tools with their own stores (Java C(cacerts) outside Fedora/RHEL, Firefox, Chromium's NSS database) are not
    updated.
seealso:
  - module: ansible.windows.win_certificate_info
  - name: CA trust guide
    description: docs/ca_trust.md in this collection (paths per family, what is tested, runtime quirks).
    link: https://github.com/effective-wsl/effective.wsl/blob/main/docs/ca_trust.md
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff lists the managed certificate files (and the runtime environment script) before and after.
  platform:
    platforms: posix
author:
  - effective.wsl contributors (@effective-wsl)
"""

EXAMPLES = r"""
- name: Read the machine's root CAs on the Windows host
  ansible.windows.win_certificate_info:
    store_name: Root
    store_location: LocalMachine
  delegate_to: windows_host
  register: windows_roots

- name: Trust the company roots inside the distro
  become: true
  effective.wsl.wsl_ca_import:
    certificates: "{{ windows_roots.certificates }}"
    select:
      subject:
        - "*O=Example Corp*"
    runtime_env: true

- name: Import a CA exported with certmgr (DER) to the Windows Downloads folder
  become: true
  effective.wsl.wsl_ca_import:
    src:
      - /mnt/c/Users/alice/Downloads/corp-root.cer

- name: Keep exactly these two CAs (by thumbprint) in the managed set, removing others it wrote before
  become: true
  effective.wsl.wsl_ca_import:
    certificates: "{{ windows_roots.certificates }}"
    select:
      thumbprints:
        - 3B1EFD3A66EA28B16697394703A72CA340A05BD5
        - "a8 98 5d 3a 65 e5 e5 c4 b2 d7 d6 6d 40 c6 dd 2f b1 9c 54 36"
    state: exact

- name: Remove a CA this module imported earlier
  become: true
  effective.wsl.wsl_ca_import:
    src:
      - /mnt/c/Users/alice/Downloads/corp-root.cer
    state: absent
"""

RETURN = r"""
added:
  description: Certificates written by this run (in check mode - that would be written).
  returned: always
  type: list
  elements: dict
  contains:
    fingerprint:
      description: SHA-256 of the DER, lower-case hex.
      type: str
      sample: 5f1c0a...e9
    thumbprint:
      description: SHA-1 of the DER, upper-case hex, as Windows shows it.
      type: str
      sample: 3B1EFD3A66EA28B16697394703A72CA340A05BD5
    subject:
      description: Subject, most specific part first.
      type: str
      sample: CN=Example Corp Root CA, O=Example Corp, C=DE
    path:
      description: The certificate file in the trust store.
      type: str
      sample: /usr/local/share/ca-certificates/effective-wsl/5f1c0a1b2c3d4e5f-Example_Corp_Root_CA.crt
removed:
  description: Certificates this module had written and removed in this run; same keys as RV(added).
  returned: always
  type: list
  elements: dict
kept:
  description: Certificates this module manages under O(name) that stay as they are; same keys as RV(added).
  returned: always
  type: list
  elements: dict
family:
  description: The trust-store family used.
  returned: always
  type: str
  sample: debian
bundle:
  description: The system bundle that the update command rebuilds (what C(SSL_CERT_FILE) points to).
  returned: always
  type: str
  sample: /etc/ssl/certs/ca-certificates.crt
managed_location:
  description: Where the managed certificate files live (a folder, or a folder plus file-name prefix).
  returned: always
  type: str
  sample: /usr/local/share/ca-certificates/effective-wsl/
update_command:
  description: The command that rebuilt the bundle; empty when nothing needed it or in check mode.
  returned: always
  type: list
  elements: str
  sample: [update-ca-certificates]
problems:
  description: Every problem found in the input (the task then fails and nothing is changed).
  returned: when the certificates cannot be imported
  type: list
  elements: str
  sample: ["certificates[1] (subject 'CN=www.example.com', thumbprint 0A1B...): is not a CA certificate ..."]
update_stdout:
  description: Output of RV(update_command).
  returned: when the update command ran
  type: str
  sample: "1 added, 0 removed; done."
runtime_env_path:
  description: The profile script managed through O(runtime_env).
  returned: when O(runtime_env) is set
  type: str
  sample: /etc/profile.d/effective-wsl-ca.sh
"""

import contextlib
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.effective.wsl.plugins.module_utils._safefile import (
    NEW_DIRECTORY_MODE,
    NEW_FILE_MODE,
    LockTimeout,
    ensure_directory,
    locked,
    write_atomically,
)
from ansible_collections.effective.wsl.plugins.module_utils._trust import (
    LAYOUTS,
    OS_RELEASE_PATHS,
    RUNTIME_ENV_PATH,
    STATE_DIR,
    UPDATE_PENDING_MARKER,
    TrustError,
    bundle_fingerprints,
    certificate_from_pem,
    describe,
    file_listing,
    managed_location,
    plan_changes,
    resolve_family,
    runtime_env_script,
    scan_managed,
)
from ansible_collections.effective.wsl.plugins.module_utils._trustspec import ARGUMENT_SPEC


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write_file(physical_path: str, text: str) -> None:
    """Atomically, in the destination folder (so it gets that folder's SELinux label), 0644, root's when root."""
    ensure_directory(os.path.dirname(physical_path), NEW_DIRECTORY_MODE)
    owner = 0 if os.geteuid() == 0 else -1
    write_atomically(physical_path, text.encode("ascii"), mode=NEW_FILE_MODE, uid=owner, gid=owner)


def run_module(module: AnsibleModule, root: str = "/") -> dict:
    """Everything the module does, with file paths under ``root``; a real run holds the trust-store lock.

    ``root`` is a private test hook (unit tests pass a temporary directory); the module entry point always
    uses "/". Returned paths are the paths on the target, without ``root``.
    """
    if module.check_mode:
        return _run(module, root)
    state_dir = os.path.join(root, STATE_DIR.lstrip("/"))
    with contextlib.suppress(PermissionError):  # without root: no lock; a run that must write fails on the write
        ensure_directory(state_dir, NEW_DIRECTORY_MODE)
    try:
        with locked(state_dir):
            return _run(module, root)
    except LockTimeout as error:
        module.fail_json(msg=f"{error}; nothing was changed")


def _run(module: AnsibleModule, root: str) -> dict:
    params = module.params

    def physical(path: str) -> str:
        return os.path.join(root, path.lstrip("/"))

    try:
        os_release = next(
            (text for text in (_read_text(physical(path)) for path in OS_RELEASE_PATHS) if text is not None), None
        )
        family = resolve_family(params["family"], os_release)
        layout = LAYOUTS[family]
        location = managed_location(layout, params["name"])
        wanted = []
        for index, item in enumerate(params["certificates"]):
            if not isinstance(item, str):
                raise TrustError(f"certificates[{index}]: the target side accepts PEM strings only")
            try:
                wanted.append(certificate_from_pem(item))
            except TrustError as error:
                raise TrustError(f"certificates[{index}]: {error}") from None
        scan = scan_managed(physical(location.directory), location)
        plan = plan_changes(scan, wanted, params["state"], location, allow_empty=params["allow_empty"])
    except TrustError as error:
        module.fail_json(msg=str(error))

    for ignored in scan.ignored:
        module.warn(f"{ignored} is not a certificate file written by this module; it was left untouched")

    env_before = _read_text(physical(RUNTIME_ENV_PATH))
    env_after = env_before
    if params["runtime_env"] is True:
        env_after = runtime_env_script(layout)
    elif params["runtime_env"] is False:
        env_after = None
    env_changed = env_after != env_before

    pending = os.path.exists(physical(UPDATE_PENDING_MARKER))
    if pending:
        module.warn(
            f"an earlier run changed the trust store but its update failed ({UPDATE_PENDING_MARKER}); "
            "the update runs again"
        )
    bundle_text = _read_text(physical(layout.bundle)) if plan.keep and params["state"] != "absent" else None
    missing = []
    if bundle_text is not None:
        in_bundle = bundle_fingerprints(bundle_text)
        missing = [item for item in plan.keep if item.cert.fingerprint not in in_bundle]
    if missing:
        module.warn(
            f"{layout.bundle} lacks {len(missing)} certificate(s) this module manages "
            f"({', '.join(item.path for item in missing)}); the update runs again"
        )
    needs_update = plan.changed or pending or bool(missing)
    update_argv = layout.update_argv(removed_any=bool(plan.remove) or pending) if needs_update else []
    update_executable = None
    if update_argv:
        update_executable = module.get_bin_path(update_argv[0])
        if update_executable is None:
            module.fail_json(
                msg=f"{update_argv[0]} was not found on the target, so the {family} trust store cannot be rebuilt; "
                f"install the package {layout.package} first (nothing was changed)",
                family=family,
            )

    changed = needs_update or env_changed
    result = {
        "changed": changed,
        "family": family,
        "bundle": layout.bundle,
        "managed_location": location.display,
        "added": [describe(item) for item in plan.add],
        "removed": [describe(item) for item in plan.remove],
        "kept": [describe(item) for item in plan.keep],
        "update_command": [],
    }
    if params["runtime_env"] is not None:
        result["runtime_env_path"] = RUNTIME_ENV_PATH

    if module._diff:
        paths_before = [item.path for item in scan.managed.values()] + [item.path for item in scan.duplicates]
        removed_paths = {item.path for item in plan.remove}
        paths_after = [path for path in paths_before if path not in removed_paths] + [item.path for item in plan.add]
        if env_before is not None:
            paths_before.append(RUNTIME_ENV_PATH)
        if env_after is not None:
            paths_after.append(RUNTIME_ENV_PATH)
        diffs = [
            {
                "before_header": f"{location.display} (managed certificates)",
                "after_header": f"{location.display} (managed certificates)",
                "before": file_listing(paths_before),
                "after": file_listing(paths_after),
            }
        ]
        if env_changed:
            diffs.append(
                {
                    "before_header": RUNTIME_ENV_PATH,
                    "after_header": RUNTIME_ENV_PATH,
                    "before": env_before or "",
                    "after": env_after or "",
                }
            )
        result["diff"] = diffs

    if module.check_mode or not changed:
        return result

    if update_argv:
        _write_file(physical(UPDATE_PENDING_MARKER), " ".join(update_argv) + "\n")
    for item in plan.add:
        _write_file(physical(item.path), item.cert.pem())
    for item in plan.remove:
        os.unlink(physical(item.path))
    if env_changed:
        if env_after is None:
            os.unlink(physical(RUNTIME_ENV_PATH))
        else:
            _write_file(physical(RUNTIME_ENV_PATH), env_after)

    if update_argv:
        command = [update_executable, *update_argv[1:]]
        rc, stdout, stderr = module.run_command(command)
        result["update_command"] = update_argv
        if rc != 0:
            module.fail_json(
                msg=f"{' '.join(update_argv)} failed with rc={rc}; the certificate files were already changed, "
                "so the trust store is only partly updated: fix the error and run the task again, which runs the "
                f"update again ({UPDATE_PENDING_MARKER} records it)",
                rc=rc,
                stdout=stdout,
                stderr=stderr,
                **{key: value for key, value in result.items() if key != "changed"},
            )
        result["update_stdout"] = stdout
        os.unlink(physical(UPDATE_PENDING_MARKER))
    return result


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**run_module(module))


if __name__ == "__main__":
    main()
