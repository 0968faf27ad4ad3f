# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for effective.wsl.wsl_ca_import: read, parse and check the certificates on the controller,
then run the module on the target with one validated PEM per certificate."""

from __future__ import annotations

import base64
import binascii
import datetime

from ansible.plugins.action import ActionBase

from ansible_collections.effective.wsl.plugins.module_utils._trustspec import ARGUMENT_SPEC
from ansible_collections.effective.wsl.plugins.plugin_utils._certs import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    CertificateInputError,
    build_selection,
    parse_certificates_option,
    parse_file_bytes,
    select_and_validate,
)
from ansible_collections.effective.wsl.plugins.plugin_utils._module_results import failure_detail

MODULE_NAME = "effective.wsl.wsl_ca_import"
# Options the target side needs; the rest (src, select, allow_non_ca, allow_expired) are applied here.
TARGET_OPTIONS = ("state", "allow_empty", "family", "name", "runtime_env")
WHOLE_STORE = (
    "select is empty while certificates come from a Windows store listing (windows_certificates): name the CAs to "
    "import by subject, issuer or thumbprints (e.g. select: {subject: ['CN=Corp Root CA*']}); importing a whole store "
    "is refused"
)
NOTHING_GIVEN = (
    "No CA certificates given (certificates, windows_certificates and src are empty): nothing to import, the trust "
    "store was not looked at."
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if CRYPTOGRAPHY_IMPORT_ERROR is not None:
            result.update(
                failed=True,
                msg="wsl_ca_import needs the Python package cryptography on the controller (a dependency of "
                f"ansible-core; install it into the Python that runs Ansible): {CRYPTOGRAPHY_IMPORT_ERROR}",
            )
            return result
        try:
            return self._run(result, args, task_vars)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _run(self, result: dict, args: dict, task_vars: dict) -> dict:
        if args["windows_certificates"] and not any((args["select"] or {}).values()):
            return self._failed(result, [WHOLE_STORE])
        if not (args["certificates"] or args["windows_certificates"] or args["src"]) and args["state"] != "exact":
            result.update(changed=False, added=[], removed=[], kept=[], warnings=[NOTHING_GIVEN])
            return result
        problems: list[str] = []
        certificates = []
        for option in ("certificates", "windows_certificates"):
            try:
                certificates.extend(parse_certificates_option(args[option], option))
            except CertificateInputError as error:
                problems.extend(error.problems)
        for index, path in enumerate(args["src"]):
            origin = f"src[{index}] {path}"
            try:
                content = self._read_target_file(path, origin, task_vars)
                certificates.extend(parse_file_bytes(content, origin))
            except CertificateInputError as error:
                problems.extend(error.problems)
        try:
            selection = build_selection(args["select"])
        except CertificateInputError as error:
            problems.extend(error.problems)
        if problems:
            return self._failed(result, problems)

        # Removing a certificate is fine whatever it is: an expired CA is exactly what one wants to take out.
        removing = args["state"] == "absent"
        try:
            to_import, warnings = select_and_validate(
                certificates,
                selection,
                now=datetime.datetime.now(datetime.timezone.utc),
                allow_non_ca=args["allow_non_ca"] or removing,
                allow_expired=args["allow_expired"] or removing,
            )
        except CertificateInputError as error:
            return self._failed(result, error.problems)

        # Unset options (runtime_env) stay unset: the module tells an unset runtime_env from false.
        module_args = {option: args[option] for option in TARGET_OPTIONS if args[option] is not None}
        module_args["certificates"] = [cert.pem() for cert in to_import]
        module_result = self._execute_module(module_name=MODULE_NAME, module_args=module_args, task_vars=task_vars)
        result.update(module_result)
        if module_result.get("failed"):
            result["msg"] = failure_detail(module_result)
        result["invocation"] = {"module_args": self._task.args}
        if warnings:
            result["warnings"] = [*result.get("warnings", []), *warnings]
        return result

    def _read_target_file(self, path: str, origin: str, task_vars: dict) -> bytes:
        slurped = self._execute_module(
            module_name="ansible.builtin.slurp", module_args={"src": path}, task_vars=task_vars
        )
        if slurped.get("failed"):
            raise CertificateInputError(
                [
                    f"{origin}: cannot be read on the target ({failure_detail(slurped)}); allowed: the path "
                    "of an existing PEM or DER certificate file"
                ]
            )
        try:
            return base64.b64decode(slurped["content"])
        except (KeyError, binascii.Error, ValueError):
            raise CertificateInputError([f"{origin}: slurp returned no usable content"]) from None

    @staticmethod
    def _failed(result: dict, problems: list[str]) -> dict:
        count = len(problems)
        result.update(
            failed=True,
            changed=False,
            msg=f"wsl_ca_import: {count} problem{'s' if count > 1 else ''}, nothing was changed: "
            + "; ".join(problems),
            problems=problems,
        )
        return result
