"""plugins/modules/wsl_ca_import.py against a temporary root (run_module's private ``root`` hook).

The update command is replaced by a recorder: these tests check the files, modes, results, check mode and
diff; the real update-ca-certificates runs in test__trust.py (temporary dirs) and in the simulator test.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import threading

import pytest
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.effective.wsl.plugins.modules import wsl_ca_import
from ansible_collections.effective.wsl.tests.unit.plugins import ca_factory
from ansible_collections.effective.wsl.tests.unit.plugins.module_args import patch_module_args

DEBIAN_DIR = "usr/local/share/ca-certificates/effective-wsl"
REDHAT_DIR = "etc/pki/ca-trust/source/anchors"
PROFILE = "etc/profile.d/effective-wsl-ca.sh"


class ModuleFailed(Exception):
    def __init__(self, result):
        super().__init__(result["msg"])
        self.result = result


@pytest.fixture(scope="module")
def root_ca():
    return ca_factory.root_ca()


@pytest.fixture(scope="module")
def issuing_ca(root_ca):
    return ca_factory.intermediate_ca(root_ca)


@pytest.fixture
def target(tmp_path):
    """A fake distro root: Debian os-release and the admin's own certificate next to ours."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/os-release").write_text('PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n')
    local = tmp_path / "usr/local/share/ca-certificates"
    local.mkdir(parents=True)
    (local / "admin-own.crt").write_text(ca_factory.root_ca("Admin Root").pem)
    return tmp_path


class Runner:
    def __init__(self, root, tools=("update-ca-certificates", "update-ca-trust")):
        self.root = root
        self.tools = tools
        self.commands = []
        self.update_rc = 0

    def __call__(self, check_mode=False, diff=True, **params):
        args = dict(params, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(args):
            module = AnsibleModule(argument_spec=wsl_ca_import.ARGUMENT_SPEC, supports_check_mode=True)
        module.get_bin_path = lambda name, *a, **k: f"/usr/sbin/{name}" if name in self.tools else None
        module.run_command = self._run_command
        module.fail_json = self._fail_json
        self.warnings = []
        module.warn = self.warnings.append
        return wsl_ca_import.run_module(module, root=str(self.root))

    def _run_command(self, argv, **kwargs):
        self.commands.append(argv)
        return self.update_rc, "1 added, 0 removed; done.\n", ""

    @staticmethod
    def _fail_json(**result):
        raise ModuleFailed(result)


def snapshot(root):
    """Every file under root with its bytes and mode, to prove that a failed run changed nothing."""
    files = {}
    for directory, _dirs, names in os.walk(root):
        for file_name in names:
            path = os.path.join(directory, file_name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, root)] = (handle.read(), stat.S_IMODE(os.stat(path).st_mode))
    return files


def listing(root, relative_dir):
    directory = root / relative_dir
    return sorted(os.listdir(directory)) if directory.is_dir() else []


def test_present_writes_one_pem_per_certificate_and_runs_update_once(target, root_ca, issuing_ca):
    run = Runner(target)
    result = run(certificates=[root_ca.pem, issuing_ca.pem])
    expected = [
        f"{root_ca.sha256[:16]}-Example_Corp_Root_CA.crt",
        f"{issuing_ca.sha256[:16]}-Example_Corp_Issuing_CA.crt",
    ]
    assert listing(target, DEBIAN_DIR) == sorted(expected)
    written = target / DEBIAN_DIR / expected[0]
    assert written.read_text() == root_ca.pem
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert (written.stat().st_uid, written.stat().st_gid) == (
        (0, 0) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    )
    assert stat.S_IMODE((target / DEBIAN_DIR).stat().st_mode) == 0o755
    assert result["changed"] is True
    assert result["family"] == "debian"
    assert result["bundle"] == "/etc/ssl/certs/ca-certificates.crt"
    assert result["update_command"] == ["update-ca-certificates"]
    assert run.commands == [["/usr/sbin/update-ca-certificates"]]
    assert result["added"][0] == {
        "fingerprint": root_ca.sha256,
        "thumbprint": root_ca.thumbprint,
        "subject": "CN=Example Corp Root CA, O=Example Corp, C=DE",
        "path": f"/{DEBIAN_DIR}/{expected[0]}",
    }
    assert result["removed"] == [] and result["kept"] == []
    assert (target / "usr/local/share/ca-certificates/admin-own.crt").exists()


def test_second_run_is_unchanged_and_runs_nothing(target, root_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem])
    before = snapshot(target)
    result = run(certificates=[root_ca.pem])
    assert result["changed"] is False
    assert [item["fingerprint"] for item in result["kept"]] == [root_ca.sha256]
    assert run.commands == [["/usr/sbin/update-ca-certificates"]]  # only the first run
    assert snapshot(target) == before


def test_check_mode_reports_but_writes_nothing(target, root_ca):
    run = Runner(target)
    before = snapshot(target)
    result = run(check_mode=True, certificates=[root_ca.pem], runtime_env=True)
    assert result["changed"] is True
    assert [item["fingerprint"] for item in result["added"]] == [root_ca.sha256]
    assert result["update_command"] == []
    assert run.commands == []
    assert snapshot(target) == before


def test_diff_lists_files_before_and_after(target, root_ca, issuing_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem])
    result = run(certificates=[issuing_ca.pem], state="exact", runtime_env=True)
    files_diff, env_diff = result["diff"]
    assert files_diff["before_header"] == "/usr/local/share/ca-certificates/effective-wsl/ (managed certificates)"
    assert files_diff["before"] == f"/{DEBIAN_DIR}/{root_ca.sha256[:16]}-Example_Corp_Root_CA.crt\n"
    assert files_diff["after"] == (
        f"/etc/profile.d/effective-wsl-ca.sh\n/{DEBIAN_DIR}/{issuing_ca.sha256[:16]}-Example_Corp_Issuing_CA.crt\n"
    )
    assert env_diff["before"] == "" and "REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt" in env_diff["after"]
    assert run.commands[-1] == ["/usr/sbin/update-ca-certificates", "--fresh"]


def test_no_diff_without_diff_mode(target, root_ca):
    assert "diff" not in Runner(target)(diff=False, certificates=[root_ca.pem])


def test_absent_removes_only_what_is_listed_and_ours(target, root_ca, issuing_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem, issuing_ca.pem])
    result = run(certificates=[root_ca.pem, ca_factory.root_ca("Never Imported").pem], state="absent")
    assert [item["fingerprint"] for item in result["removed"]] == [root_ca.sha256]
    assert [item["fingerprint"] for item in result["kept"]] == [issuing_ca.sha256]
    assert listing(target, DEBIAN_DIR) == [f"{issuing_ca.sha256[:16]}-Example_Corp_Issuing_CA.crt"]
    assert run.commands[-1] == ["/usr/sbin/update-ca-certificates", "--fresh"]
    assert (target / "usr/local/share/ca-certificates/admin-own.crt").exists()


def test_exact_leaves_files_it_did_not_write(target, root_ca, issuing_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem])
    stranger = target / DEBIAN_DIR / "copied-by-hand.crt"
    stranger.write_text(issuing_ca.pem)
    result = run(certificates=[issuing_ca.pem], state="exact")
    assert [item["fingerprint"] for item in result["removed"]] == [root_ca.sha256]
    assert stranger.read_text() == issuing_ca.pem
    assert run.warnings == [
        f"/{DEBIAN_DIR}/copied-by-hand.crt is not a certificate file written by this module; it was left untouched"
    ]


def test_exact_with_allow_empty_removes_all_managed(target, root_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem])
    result = run(certificates=[], state="exact", allow_empty=True)
    assert [item["fingerprint"] for item in result["removed"]] == [root_ca.sha256]
    assert listing(target, DEBIAN_DIR) == []


def test_runtime_env_true_writes_and_false_removes_the_profile_script(target, root_ca):
    run = Runner(target)
    result = run(certificates=[root_ca.pem], runtime_env=True)
    script = (target / PROFILE).read_text()
    assert "export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt\n" in script
    assert "export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n" in script
    assert stat.S_IMODE((target / PROFILE).stat().st_mode) == 0o644
    assert result["runtime_env_path"] == "/etc/profile.d/effective-wsl-ca.sh"
    assert run(certificates=[root_ca.pem], runtime_env=True)["changed"] is False
    assert run(certificates=[root_ca.pem])["changed"] is False  # unset: left alone
    assert (target / PROFILE).exists()
    result = run(certificates=[root_ca.pem], runtime_env=False)
    assert result["changed"] is True and not (target / PROFILE).exists()
    assert len(run.commands) == 1  # the environment script never needs the update command


def test_redhat_family_uses_a_prefix_in_the_flat_anchor_directory(target, root_ca):
    (target / "etc/os-release").write_text('ID="rocky"\nID_LIKE="rhel centos fedora"\n')
    anchors = target / REDHAT_DIR
    anchors.mkdir(parents=True)
    (anchors / "corp.pem").write_text(root_ca.pem)  # the same CA, put there by the admin: not ours
    run = Runner(target)
    result = run(certificates=[root_ca.pem], name="corp")
    assert result["family"] == "redhat"
    assert result["managed_location"] == "/etc/pki/ca-trust/source/anchors/corp-*"
    assert listing(target, REDHAT_DIR) == sorted(["corp.pem", f"corp-{root_ca.sha256[:16]}-Example_Corp_Root_CA.crt"])
    assert run.commands == [["/usr/sbin/update-ca-trust", "extract"]]
    run(certificates=[], state="exact", allow_empty=True, name="corp")
    assert listing(target, REDHAT_DIR) == ["corp.pem"]


def test_family_option_overrides_os_release(target, root_ca):
    result = Runner(target)(certificates=[root_ca.pem], family="arch")
    assert result["family"] == "arch"
    assert listing(target, "etc/ca-certificates/trust-source/anchors") == [
        f"effective-wsl-{root_ca.sha256[:16]}-Example_Corp_Root_CA.crt"
    ]


def test_usr_lib_os_release_is_the_fallback(target, root_ca):
    os.unlink(target / "etc/os-release")
    (target / "usr/lib").mkdir(parents=True)
    (target / "usr/lib/os-release").write_text("ID=alpine\n")
    result = Runner(target)(certificates=[root_ca.pem])
    assert result["family"] == "alpine"
    assert f"effective-wsl-{root_ca.sha256[:16]}-Example_Corp_Root_CA.crt" in listing(
        target, "usr/local/share/ca-certificates"
    )


# --------------------------------------------------------------------------- failures leave everything untouched


@pytest.mark.parametrize(
    ("params", "os_release", "message"),
    [
        ({"certificates": []}, "ID=nixos\n", "family: unknown distro family (os-release ID='nixos'"),
        ({"certificates": [], "state": "exact"}, None, "certificates: the list is empty and state=exact"),
        ({"certificates": ["-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"]}, None, "private key"),
        ({"certificates": [{"raw": "AA=="}]}, None, "certificates[0]: the target side accepts PEM strings only"),
        ({"certificates": [], "name": "../../etc"}, None, "name: '../../etc' is not allowed"),
    ],
)
def test_bad_input_fails_and_changes_nothing(target, root_ca, params, os_release, message):
    run = Runner(target)
    run(certificates=[root_ca.pem], runtime_env=True)
    if os_release:
        (target / "etc/os-release").write_text(os_release)
    before = snapshot(target)
    with pytest.raises(ModuleFailed) as raised:
        run(**params)
    assert message in raised.value.result["msg"]
    assert snapshot(target) == before


def test_missing_update_command_fails_before_writing(target, root_ca):
    run = Runner(target, tools=())
    before = snapshot(target)
    with pytest.raises(ModuleFailed) as raised:
        run(certificates=[root_ca.pem])
    assert raised.value.result["msg"] == (
        "update-ca-certificates was not found on the target, so the debian trust store cannot be rebuilt; "
        "install the package ca-certificates first (nothing was changed)"
    )
    assert snapshot(target) == before


def test_failing_update_command_is_reported(target, root_ca):
    run = Runner(target)
    run.update_rc = 1
    with pytest.raises(ModuleFailed) as raised:
        run(certificates=[root_ca.pem])
    assert raised.value.result["msg"].startswith("update-ca-certificates failed with rc=1")
    assert raised.value.result["added"][0]["fingerprint"] == root_ca.sha256


def test_result_is_json_serialisable(target, root_ca):
    json.dumps(Runner(target)(certificates=[root_ca.pem]))


MARKER = "var/lib/effective-wsl/ca-trust-update-pending"


def test_a_failed_update_runs_again_on_the_next_run(target, root_ca):
    run = Runner(target)
    run.update_rc = 1
    with pytest.raises(ModuleFailed) as raised:
        run(certificates=[root_ca.pem])
    assert "runs the update again" in raised.value.result["msg"]
    assert (target / MARKER).read_text() == "update-ca-certificates\n"
    run.update_rc = 0
    run.commands.clear()
    result = run(certificates=[root_ca.pem])
    assert result["changed"] is True and result["added"] == []
    assert run.commands == [["/usr/sbin/update-ca-certificates", "--fresh"]]
    assert any("its update failed" in warning for warning in run.warnings)
    assert not (target / MARKER).exists()
    run.commands.clear()
    assert run(certificates=[root_ca.pem])["changed"] is False and run.commands == []


def test_check_mode_after_a_failed_update_reports_the_update_without_running_it(target, root_ca):
    run = Runner(target)
    run.update_rc = 1
    with pytest.raises(ModuleFailed):
        run(certificates=[root_ca.pem])
    run.commands.clear()
    assert run(check_mode=True, certificates=[root_ca.pem])["changed"] is True
    assert run.commands == [] and (target / MARKER).exists()


def test_a_bundle_without_a_managed_certificate_is_rebuilt(target, root_ca, issuing_ca):
    run = Runner(target)
    run(certificates=[root_ca.pem, issuing_ca.pem])
    bundle = target / "etc/ssl/certs/ca-certificates.crt"
    bundle.parent.mkdir(parents=True)
    bundle.write_text(root_ca.pem)  # an update that died half-way, before this version wrote markers
    run.commands.clear()
    result = run(certificates=[root_ca.pem, issuing_ca.pem])
    assert result["changed"] is True and run.commands == [["/usr/sbin/update-ca-certificates"]]
    assert any("lacks 1 certificate(s)" in warning for warning in run.warnings)
    bundle.write_text(root_ca.pem + issuing_ca.pem)
    run.commands.clear()
    assert run(certificates=[root_ca.pem, issuing_ca.pem])["changed"] is False and run.commands == []


def test_folders_and_files_get_explicit_modes_under_umask_077(target, root_ca):
    previous = os.umask(0o077)
    try:
        Runner(target)(certificates=[root_ca.pem], runtime_env=True)
    finally:
        os.umask(previous)
    for folder in (DEBIAN_DIR, "var/lib/effective-wsl", "etc/profile.d"):
        assert stat.S_IMODE((target / folder).stat().st_mode) == 0o755, folder
    for name in os.listdir(target / DEBIAN_DIR):
        assert stat.S_IMODE((target / DEBIAN_DIR / name).stat().st_mode) == 0o644
    assert stat.S_IMODE((target / PROFILE).stat().st_mode) == 0o644


def test_runs_take_turns_on_the_trust_store_lock(target, root_ca):
    """While another run holds the lock, a run waits; it then sees the files in place and changes nothing."""
    first = Runner(target)
    first(certificates=[root_ca.pem])
    state_dir = os.open(target / "var/lib/effective-wsl", os.O_RDONLY)
    fcntl.flock(state_dir, fcntl.LOCK_EX)
    second = Runner(target)
    outcome = {}
    waiting = threading.Thread(target=lambda: outcome.update(second(certificates=[root_ca.pem])))
    waiting.start()
    waiting.join(1.0)
    assert waiting.is_alive(), "the run must wait for the lock"
    fcntl.flock(state_dir, fcntl.LOCK_UN)
    os.close(state_dir)
    waiting.join(60)
    assert outcome["changed"] is False and second.commands == []
