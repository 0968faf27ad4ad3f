"""plugins/action/wsl_ca_import.py: what reaches the target module, and every refusal before it.

In-process tests replace _execute_module (slurp answers from a dict of files; the module call is recorded),
so nothing here touches this machine's trust store. One ansible-playbook run checks the wiring of the
failure path for real (it fails before any module could write).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from ansible_collections.effective.wsl.plugins.action import wsl_ca_import
from ansible_collections.effective.wsl.plugins.action.wsl_ca_import import ActionModule
from ansible_collections.effective.wsl.tests.unit.plugins import ca_factory

REPO = Path(__file__).resolve().parents[4]
DOWNLOADS = "/mnt/c/Users/alice/Downloads"


@pytest.fixture(scope="module")
def root():
    return ca_factory.root_ca()


@pytest.fixture(scope="module")
def issuing(root):
    return ca_factory.intermediate_ca(root)


class Harness:
    """An ActionModule whose target is a dict of files; records the module arguments it would send."""

    def __init__(self, files=None, module_result=None):
        self.files = files or {}
        self.module_result = module_result or {"changed": True, "added": [], "warnings": ["from module"]}
        self.module_calls = []
        self.slurped = []

    def run(self, check_mode=False, **args):
        task = MagicMock(args=args, async_val=0, check_mode=check_mode, action="effective.wsl.wsl_ca_import")
        connection = MagicMock()
        connection._shell.tmpdir = None
        action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        action._load_name = "effective.wsl.wsl_ca_import"  # set by the plugin loader; 2.16 needs it for errors
        action._execute_module = self._execute_module
        action._remove_tmp_path = lambda path: None
        return action.run(task_vars={})

    def _execute_module(self, module_name, module_args, task_vars):
        if module_name == "ansible.builtin.slurp":
            self.slurped.append(module_args["src"])
            content = self.files.get(module_args["src"])
            if content is None:
                return {"failed": True, "msg": f"file not found: {module_args['src']}"}
            return {"content": base64.b64encode(content).decode(), "encoding": "base64"}
        assert module_name == "effective.wsl.wsl_ca_import"
        self.module_calls.append(module_args)
        return dict(self.module_result, invocation={"module_args": module_args})


def test_pem_der_file_and_win_item_become_validated_pems(root, issuing):
    harness = Harness(files={f"{DOWNLOADS}/corp.der": root.der})
    result = harness.run(
        certificates=[issuing.pem, ca_factory.win_certificate_info_item(root)],
        src=[f"{DOWNLOADS}/corp.der"],
        state="exact",
        name="corp",
        runtime_env=True,
    )
    (module_args,) = harness.module_calls
    assert module_args == {
        "certificates": [issuing.pem, root.pem],  # de-duplicated: the DER file and the win item are the same CA
        "state": "exact",
        "allow_empty": False,
        "family": "auto",
        "name": "corp",
        "runtime_env": True,
    }
    assert harness.slurped == [f"{DOWNLOADS}/corp.der"]
    assert result["changed"] is True
    assert result["invocation"]["module_args"]["src"] == [f"{DOWNLOADS}/corp.der"]  # the user's args, not PEMs
    assert result["warnings"] == ["from module"]


def test_select_picks_from_a_store_listing_and_warns_about_unmatched_thumbprints(root, issuing):
    server = ca_factory.leaf(issuing)
    store = [ca_factory.win_certificate_info_item(item) for item in (root, issuing, server)]
    harness = Harness()
    result = harness.run(
        certificates=store, select={"thumbprints": [root.thumbprint.lower(), "AB" * 20], "subject": ["*root*"]}
    )
    assert harness.module_calls[0]["certificates"] == [root.pem]
    assert result["warnings"] == [
        "from module",
        f"select.thumbprints: {'AB' * 20} matches none of the given certificates",
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("key_alone", "certificates[0]: holds a PEM private key"),
        ("key_bundled", "certificates[0]: holds a PEM private key"),
        ("leaf", "is not a CA certificate (basicConstraints CA:TRUE missing)"),
        ("expired", "expired on"),
        ("garbage", "certificates[0]: is neither PEM nor valid base64 DER"),
        ("win_item_without_raw", "mapping has no 'raw' key"),
        ("missing_src", f"src[0] {DOWNLOADS}/missing.der: cannot be read on the target (file not found:"),
        ("key_der_src", f"src[0] {DOWNLOADS}/key.der: holds a private key"),
    ],
)
def test_bad_input_fails_on_the_controller_and_never_calls_the_module(root, issuing, kind, expected):
    item = ca_factory.win_certificate_info_item(root)
    del item["raw"]
    args = {
        "key_alone": {"certificates": [root.key_pem]},
        "key_bundled": {"certificates": [root.pem + issuing.key_pem]},
        "leaf": {"certificates": [ca_factory.leaf(issuing).pem]},
        "expired": {"certificates": [ca_factory.expired_ca().pem]},
        "garbage": {"certificates": ["bm90IGEgY2VydA=!="]},
        "win_item_without_raw": {"certificates": [item]},
        "missing_src": {"src": [f"{DOWNLOADS}/missing.der"]},
        "key_der_src": {"src": [f"{DOWNLOADS}/key.der"]},
    }[kind]
    harness = Harness(files={f"{DOWNLOADS}/key.der": root.key_der})
    result = harness.run(**args)
    assert result["failed"] is True
    assert result["changed"] is False
    assert result["msg"].startswith("wsl_ca_import: 1 problem, nothing was changed: ")
    assert expected in result["msg"]
    assert "insecure" not in result["msg"].lower()
    assert harness.module_calls == []


def test_all_problems_are_listed_together(root):
    harness = Harness()
    result = harness.run(certificates=["garbage!", root.key_pem], src=["/nope.pem"])
    assert result["msg"].startswith("wsl_ca_import: 3 problems, nothing was changed: ")
    assert [problem.split(":")[0] for problem in result["problems"]] == [
        "certificates[0]",
        "certificates[1]",
        "src[0] /nope.pem",
    ]
    assert harness.module_calls == []


def test_allow_flags_let_leaf_and_expired_through(issuing):
    leaf, expired = ca_factory.leaf(issuing), ca_factory.expired_ca()
    harness = Harness()
    harness.run(certificates=[leaf.pem, expired.pem], allow_non_ca=True, allow_expired=True)
    assert harness.module_calls[0]["certificates"] == [leaf.pem, expired.pem]


def test_empty_exact_is_left_to_the_module_which_refuses_it(root):
    harness = Harness(module_result={"failed": True, "msg": "certificates: the list is empty and state=exact ..."})
    result = harness.run(certificates=[root.pem], select={"subject": ["CN=Nobody"]}, state="exact")
    assert harness.module_calls[0]["certificates"] == []
    assert result["failed"] is True


def test_unknown_option_is_refused_by_the_argument_spec(root):
    from ansible.errors import AnsibleActionFail

    with pytest.raises(AnsibleActionFail, match="insecure"):
        Harness().run(certificates=[root.pem], insecure=True)


def test_playbook_failure_names_the_inputs_and_runs_no_module(tmp_path, root):
    """A real ansible-playbook run on the local connection: a missing src and a key both fail on the controller."""
    key_file = tmp_path / "key.pem"
    key_file.write_text(root.key_pem)
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Import
      effective.wsl.wsl_ca_import:
        certificates:
          - "{{{{ lookup('ansible.builtin.file', '{key_file}') }}}}"
        src:
          - {tmp_path}/does-not-exist.der
      register: imported
      ignore_errors: true
    - name: Save
      ansible.builtin.copy:
        content: "{{{{ imported | to_json }}}}"
        dest: {tmp_path}/result.json
        mode: "0644"
"""
    )
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache/collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
    )
    ansible_playbook = Path(sys.executable).with_name("ansible-playbook")
    completed = subprocess.run(
        [str(ansible_playbook), "-i", "localhost,", "-c", "local", str(playbook)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["failed"] is True and result["changed"] is False
    assert result["problems"][0] == (
        "certificates[0]: holds a PEM private key; allowed: CERTIFICATE blocks only (remove the key from the file)"
    )
    assert result["problems"][1].startswith(f"src[0] {tmp_path}/does-not-exist.der: cannot be read on the target")
    assert "added" not in result


def test_missing_cryptography_fails_with_a_clear_message(monkeypatch, root):
    from ansible_collections.effective.wsl.plugins.action import wsl_ca_import as action_module

    monkeypatch.setattr(action_module, "CRYPTOGRAPHY_IMPORT_ERROR", ImportError("No module named 'cryptography'"))
    harness = Harness()
    result = harness.run(certificates=[root.pem])
    assert result["failed"] is True
    assert result["msg"].startswith("wsl_ca_import needs the Python package cryptography on the controller")
    assert harness.module_calls == []


def test_absent_removes_expired_and_non_ca_certificates_without_allow_flags(issuing):
    leaf, expired = ca_factory.leaf(issuing), ca_factory.expired_ca()
    harness = Harness()
    harness.run(certificates=[leaf.pem, expired.pem], state="absent")
    assert harness.module_calls[0]["certificates"] == [leaf.pem, expired.pem]
    assert harness.module_calls[0]["state"] == "absent"


def test_absent_still_refuses_private_keys(root):
    harness = Harness()
    result = harness.run(certificates=[root.key_pem], state="absent")
    assert result["failed"] is True and "private key" in result["msg"]
    assert harness.module_calls == []


def test_a_module_that_crashed_keeps_its_detail(root):
    crashed = {"failed": True, "msg": None, "module_stderr": "/bin/sh: 1: /usr/bin/python3: not found", "rc": 127}
    result = Harness(module_result=crashed).run(certificates=[root.pem])
    assert result["failed"] is True and result["msg"] == "/bin/sh: 1: /usr/bin/python3: not found"


def test_a_windows_listing_without_select_is_refused_before_anything_runs(root):
    harness = Harness()
    listing = [ca_factory.win_certificate_info_item(root)]
    for select in (None, {"subject": None, "issuer": [], "thumbprints": None}):
        result = harness.run(windows_certificates=listing, select=select)
        assert result["failed"] is True
        assert result["problems"] == [wsl_ca_import.WHOLE_STORE]
        assert result["msg"].endswith("nothing was changed: " + wsl_ca_import.WHOLE_STORE)
    assert harness.module_calls == []


def test_a_windows_listing_is_selected_from_and_named_in_problems(root, issuing):
    harness = Harness()
    listing = [ca_factory.win_certificate_info_item(item) for item in (root, issuing)]
    harness.run(windows_certificates=listing, certificates=[issuing.pem], select={"subject": ["*root*"]})
    assert harness.module_calls[0]["certificates"] == [root.pem]
    failed = harness.run(windows_certificates=[{"subject": "CN=x"}], select={"subject": ["*"]})
    assert failed["problems"][0].startswith("windows_certificates[0]: ")


@pytest.mark.parametrize("state", ["present", "absent"])
def test_nothing_given_warns_and_runs_no_module(state):
    harness = Harness()
    result = harness.run(state=state, runtime_env=True)
    nothing = {"changed": False, "added": [], "removed": [], "kept": [], "warnings": [wsl_ca_import.NOTHING_GIVEN]}
    assert result == nothing
    assert harness.module_calls == [] and harness.slurped == []
    # state=exact with nothing is the module's to judge (it refuses unless allow_empty).
    harness.run(state="exact")
    assert harness.module_calls[0]["certificates"] == []
