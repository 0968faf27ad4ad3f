"""module_utils/_trust.py: family detection, layouts, names, the stdlib DER reader, scanning and planning."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._trust import (
    LAYOUTS,
    ManagedLocation,
    TrustError,
    certificate_from_der,
    certificate_from_pem,
    detect_family,
    file_name_for,
    managed_location,
    parse_os_release,
    plan_changes,
    resolve_family,
    runtime_env_script,
    safe_label,
    scan_managed,
    validate_name,
)
from ansible_collections.effective.wsl.tests.unit.plugins import ca_factory

# Shortened real os-release files (ID / ID_LIKE as the distros ship them).
OS_RELEASE_SAMPLES = {
    "debian-12": ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n', "debian"),
    "ubuntu-24.04": ('NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n', "debian"),
    "linuxmint": ('NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
    "pengwin": ('NAME="Pengwin"\nID=pengwin\nID_LIKE=debian\n', "debian"),
    "kali": ('NAME="Kali GNU/Linux"\nID=kali\nID_LIKE=debian\n', "debian"),
    "fedora-41": ('NAME="Fedora Linux"\nID=fedora\nVERSION_ID=41\n', "redhat"),
    "rhel-9": ('NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\n', "redhat"),
    "centos-stream": ('NAME="CentOS Stream"\nID="centos"\nID_LIKE="rhel fedora"\n', "redhat"),
    "almalinux-9": ('NAME="AlmaLinux"\nID="almalinux"\nID_LIKE="rhel centos fedora"\n', "redhat"),
    "rocky-9": ('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n', "redhat"),
    "amazon-2023": ('NAME="Amazon Linux"\nID="amzn"\nID_LIKE="fedora"\n', "redhat"),
    "oracle-9": ('NAME="Oracle Linux Server"\nID="ol"\nID_LIKE="fedora"\n', "redhat"),
    "opensuse-leap": ('NAME="openSUSE Leap"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\n', "suse"),
    "opensuse-tumbleweed": ('NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "suse"),
    "sles-15": ('NAME="SLES"\nID="sles"\nID_LIKE="suse"\n', "suse"),
    "arch": ('NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n', "arch"),
    "manjaro": ('NAME="Manjaro Linux"\nID=manjaro\nID_LIKE=arch\n', "arch"),
    "endeavouros": ('NAME="EndeavourOS"\nID="endeavouros"\nID_LIKE="arch"\n', "arch"),
    "alpine": ('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\n', "alpine"),
    "unknown-derivative-of-ubuntu": ("ID=acme-os\nID_LIKE='ubuntu'\n", "debian"),
}


@pytest.mark.parametrize(("text", "family"), OS_RELEASE_SAMPLES.values(), ids=OS_RELEASE_SAMPLES.keys())
def test_family_detection(text, family):
    assert detect_family(parse_os_release(text)) == family
    assert resolve_family(None, text) == family
    assert resolve_family("auto", text) == family  # the module's default


def test_id_wins_over_id_like():
    assert detect_family({"ID": "fedora", "ID_LIKE": "debian"}) == "redhat"


def test_id_like_is_read_left_to_right_skipping_unknown_entries():
    assert detect_family({"ID": "mystery", "ID_LIKE": "gentoo suse debian"}) == "suse"


def test_os_release_quoting_and_comments():
    parsed = parse_os_release('# comment\nID="a \\"b\\""\nID_LIKE=\'x y\'\n\nBROKEN LINE\nEMPTY=\n')
    assert parsed == {"ID": 'a "b"', "ID_LIKE": "x y", "EMPTY": ""}


@pytest.mark.parametrize("text", ["ID=nixos\n", 'ID=gentoo\nID_LIKE=""\n', "ID=void\n", ""])
def test_unknown_family_without_override_is_refused(text):
    with pytest.raises(TrustError) as raised:
        resolve_family(None, text)
    message = str(raised.value)
    assert message.startswith("family: unknown distro family (os-release ID=")
    assert "set family to one of debian, redhat, suse, arch, alpine" in message


def test_family_override_wins_over_detection_and_allows_unknown_distros():
    assert resolve_family("arch", "ID=nixos\n") == "arch"
    assert resolve_family("suse", None) == "suse"


def test_missing_os_release_and_bad_override_are_refused():
    with pytest.raises(TrustError, match=r"none of /etc/os-release, /usr/lib/os-release exists"):
        resolve_family(None, None)
    with pytest.raises(TrustError, match=r"none of /etc/os-release, /usr/lib/os-release exists"):
        resolve_family("auto", None)
    with pytest.raises(TrustError, match=r"family: 'gentoo' is not supported; allowed: debian, redhat"):
        resolve_family("gentoo", "ID=debian\n")


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    ("family", "directory", "prefix", "update", "bundle"),
    [
        (
            "debian",
            "/usr/local/share/ca-certificates/effective-wsl",
            "",
            ["update-ca-certificates"],
            "/etc/ssl/certs/ca-certificates.crt",
        ),
        (
            "alpine",
            "/usr/local/share/ca-certificates",
            "effective-wsl-",
            ["update-ca-certificates"],
            "/etc/ssl/certs/ca-certificates.crt",
        ),
        (
            "redhat",
            "/etc/pki/ca-trust/source/anchors",
            "effective-wsl-",
            ["update-ca-trust", "extract"],
            "/etc/pki/tls/certs/ca-bundle.crt",
        ),
        ("suse", "/etc/pki/trust/anchors", "effective-wsl-", ["update-ca-certificates"], "/etc/ssl/ca-bundle.pem"),
        (
            "arch",
            "/etc/ca-certificates/trust-source/anchors",
            "effective-wsl-",
            ["update-ca-trust"],
            "/etc/ssl/certs/ca-certificates.crt",
        ),
    ],
)
def test_layout_per_family(family, directory, prefix, update, bundle):
    layout = LAYOUTS[family]
    location = managed_location(layout, "effective-wsl")
    assert (location.directory, location.prefix) == (directory, prefix)
    assert layout.update_argv(removed_any=False) == update
    assert layout.bundle == bundle


def test_debian_rebuilds_fresh_after_a_removal_others_do_not_need_to():
    assert LAYOUTS["debian"].update_argv(removed_any=True) == ["update-ca-certificates", "--fresh"]
    assert LAYOUTS["alpine"].update_argv(removed_any=True) == ["update-ca-certificates"]
    assert LAYOUTS["redhat"].update_argv(removed_any=True) == ["update-ca-trust", "extract"]


@pytest.mark.parametrize("bad_name", ["", "../etc", "a/b", "-leading-dash", ".hidden", "x" * 65, "with space"])
def test_bad_names_are_refused(bad_name):
    with pytest.raises(TrustError, match=r"^name: .* is not allowed; allowed: 1-64 characters"):
        validate_name(bad_name)


def test_good_names():
    for good in ("effective-wsl", "corp_2024", "A.b-c", "x" * 64):
        assert validate_name(good) == good


# --------------------------------------------------------------------------- certificates and names


@pytest.fixture(scope="module")
def root():
    return ca_factory.root_ca()


@pytest.fixture(scope="module")
def intermediate(root):
    return ca_factory.intermediate_ca(root)


def test_stdlib_der_reader_agrees_with_cryptography(root, intermediate):
    for issued in (root, intermediate, ca_factory.leaf(intermediate)):
        cert = certificate_from_pem(issued.pem)
        assert cert.der == issued.der
        assert cert.fingerprint == issued.sha256
        assert cert.thumbprint == issued.thumbprint
        expected_subject = ", ".join(rdn.rfc4514_string() for rdn in reversed(issued.certificate.subject.rdns))
        assert cert.subject == expected_subject


def test_der_reader_handles_unicode_multi_valued_and_unknown_attributes():
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    subject = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Müller, Söhne & Co"),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IT"),
                ]
            ),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.EMAIL_ADDRESS, "pki@example.com")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "Zürich Root CA (G2)")]),
        ]
    )
    issued = ca_factory.issue(subject)
    cert = certificate_from_der(issued.der)
    assert cert.common_name == "Zürich Root CA (G2)"
    assert cert.subject.startswith("CN=Zürich Root CA (G2), 1.2.840.113549.1.9.1=pki@example.com, ")
    assert ("O=Müller\\, Söhne & Co" in cert.subject and "+OU=IT" in cert.subject) or "OU=IT+" in cert.subject


@pytest.mark.parametrize(
    ("common_name", "label"),
    [
        ("Example Corp Root CA", "Example_Corp_Root_CA"),
        ("Zürich Root CA (G2)", "Zurich_Root_CA_G2"),
        ("../../etc/passwd", "etc_passwd"),
        ("日本語", "certificate"),
        ("", "certificate"),
        ("a" * 80, "a" * 48),
    ],
)
def test_safe_label(common_name, label):
    assert safe_label(common_name) == label


def test_file_name_is_fingerprint_prefix_plus_cn_and_matches_the_managed_pattern(root):
    cert = certificate_from_pem(root.pem)
    for location in (
        ManagedLocation(directory="/usr/local/share/ca-certificates/effective-wsl", prefix=""),
        ManagedLocation(directory="/etc/pki/ca-trust/source/anchors", prefix="corp-"),
    ):
        file_name = file_name_for(location, cert)
        assert file_name == f"{location.prefix}{root.sha256[:16]}-Example_Corp_Root_CA.crt"
        assert location.pattern.match(file_name).group(1) == root.sha256[:16]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no pem here", r"has PEM blocks \[\]; allowed: exactly one CERTIFICATE block"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "holds a private key"),
        ("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", "not valid base64"),
        ("-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n", "not an X.509 certificate"),
    ],
)
def test_target_side_refuses_anything_but_one_certificate(text, message):
    with pytest.raises(TrustError, match=message):
        certificate_from_pem(text)


def test_target_side_refuses_two_certificates_in_one_item(root, intermediate):
    with pytest.raises(TrustError, match=r"has PEM blocks \['CERTIFICATE', 'CERTIFICATE'\]"):
        certificate_from_pem(root.pem + intermediate.pem)


# --------------------------------------------------------------------------- scanning and planning

DEBIAN_LOCATION = ManagedLocation(directory="/usr/local/share/ca-certificates/effective-wsl", prefix="")
FLAT_LOCATION = ManagedLocation(directory="/etc/pki/ca-trust/source/anchors", prefix="effective-wsl-")


def write(directory, file_name, text):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, file_name)
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)
    return path


def test_scan_recognises_only_our_files_in_a_flat_anchor_directory(tmp_path, root, intermediate):
    ours = certificate_from_pem(root.pem)
    write(tmp_path, file_name_for(FLAT_LOCATION, ours), root.pem)
    write(tmp_path, "corp-root.pem", intermediate.pem)  # the admin's own file
    write(tmp_path, f"effective-wsl-{'0' * 16}-Fake.crt", intermediate.pem)  # name says ours, content does not
    write(tmp_path, f"other-{root.sha256[:16]}-X.crt", root.pem)  # another managed set
    scan = scan_managed(str(tmp_path), FLAT_LOCATION)
    assert list(scan.managed) == [ours.fingerprint]
    assert scan.managed[ours.fingerprint].path == f"{FLAT_LOCATION.directory}/{file_name_for(FLAT_LOCATION, ours)}"
    assert scan.ignored == [f"{FLAT_LOCATION.directory}/effective-wsl-{'0' * 16}-Fake.crt"]


def test_scan_reports_strangers_in_our_own_folder(tmp_path, root):
    write(tmp_path, "dropped-by-hand.crt", root.pem)
    write(tmp_path, ".effective-wsl-inflight.tmp", "partial")
    scan = scan_managed(str(tmp_path), DEBIAN_LOCATION)
    assert scan.managed == {}
    assert scan.ignored == [f"{DEBIAN_LOCATION.directory}/dropped-by-hand.crt"]


def test_scan_of_missing_directory_is_empty(tmp_path):
    assert scan_managed(str(tmp_path / "absent"), DEBIAN_LOCATION).managed == {}


@pytest.fixture
def store_with_root(tmp_path, root):
    cert = certificate_from_pem(root.pem)
    write(tmp_path, file_name_for(DEBIAN_LOCATION, cert), root.pem)
    return scan_managed(str(tmp_path), DEBIAN_LOCATION)


def paths(items):
    return [item.path.rsplit("/", 1)[1] for item in items]


def test_plan_present_adds_missing_and_keeps_existing(store_with_root, root, intermediate):
    wanted = [certificate_from_pem(intermediate.pem), certificate_from_pem(root.pem)]
    plan = plan_changes(store_with_root, wanted, "present", DEBIAN_LOCATION)
    assert paths(plan.add) == [f"{intermediate.sha256[:16]}-Example_Corp_Issuing_CA.crt"]
    assert paths(plan.keep) == [f"{root.sha256[:16]}-Example_Corp_Root_CA.crt"]
    assert plan.remove == [] and plan.changed


def test_plan_present_with_everything_in_place_changes_nothing(store_with_root, root):
    plan = plan_changes(store_with_root, [certificate_from_pem(root.pem)], "present", DEBIAN_LOCATION)
    assert (plan.add, plan.remove, plan.changed) == ([], [], False)


def test_plan_present_keeps_managed_certificates_that_are_not_listed(store_with_root, intermediate):
    plan = plan_changes(store_with_root, [certificate_from_pem(intermediate.pem)], "present", DEBIAN_LOCATION)
    assert len(plan.add) == 1 and len(plan.keep) == 1 and plan.remove == []


def test_plan_absent_removes_only_listed_managed_certificates(store_with_root, root, intermediate):
    plan = plan_changes(
        store_with_root,
        [certificate_from_pem(root.pem), certificate_from_pem(intermediate.pem)],
        "absent",
        DEBIAN_LOCATION,
    )
    assert paths(plan.remove) == [f"{root.sha256[:16]}-Example_Corp_Root_CA.crt"]
    assert plan.add == [] and plan.keep == []


def test_plan_exact_replaces_the_managed_set(store_with_root, root, intermediate):
    plan = plan_changes(store_with_root, [certificate_from_pem(intermediate.pem)], "exact", DEBIAN_LOCATION)
    assert paths(plan.add) == [f"{intermediate.sha256[:16]}-Example_Corp_Issuing_CA.crt"]
    assert paths(plan.remove) == [f"{root.sha256[:16]}-Example_Corp_Root_CA.crt"]
    assert plan.keep == []


def test_plan_exact_with_empty_list_is_refused_unless_allowed(store_with_root):
    with pytest.raises(TrustError) as raised:
        plan_changes(store_with_root, [], "exact", DEBIAN_LOCATION)
    assert str(raised.value).startswith("certificates: the list is empty and state=exact would remove every")
    assert "allow_empty: true" in str(raised.value)
    plan = plan_changes(store_with_root, [], "exact", DEBIAN_LOCATION, allow_empty=True)
    assert len(plan.remove) == 1


def test_plan_deduplicates_wanted_certificates(root):
    cert = certificate_from_pem(root.pem)
    plan = plan_changes(scan_managed("/nonexistent", DEBIAN_LOCATION), [cert, cert], "present", DEBIAN_LOCATION)
    assert len(plan.add) == 1


def test_plan_rejects_unknown_state(store_with_root):
    with pytest.raises(TrustError, match="state: 'latest' is not supported; allowed: present, absent, exact"):
        plan_changes(store_with_root, [], "latest", DEBIAN_LOCATION)


def test_runtime_env_script_points_every_variable_at_the_bundle():
    script = runtime_env_script(LAYOUTS["redhat"])
    assert script.startswith("# Managed by effective.wsl.wsl_ca_import")
    for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
        assert f"export {variable}=/etc/pki/tls/certs/ca-bundle.crt\n" in script


# --------------------------------------------------------------------------- the real Debian tool


@pytest.mark.skipif(not shutil.which("update-ca-certificates"), reason="Debian's update-ca-certificates is not here")
def test_debian_update_ca_certificates_reads_our_sub_folder(tmp_path, root):
    """Debian's tool, pointed at temporary directories, picks up a certificate in <localcertsdir>/effective-wsl/
    and drops it again after a removal with --fresh. A stand-in "distro" CA plays the Mozilla set."""
    local = tmp_path / "local"
    share = tmp_path / "share"
    etc_certs = tmp_path / "etc-ssl-certs"
    hooks = tmp_path / "hooks"
    for directory in (local, share, etc_certs, hooks):
        directory.mkdir()
    distro_ca = ca_factory.root_ca("Distro Shipped Root")
    (share / "distro.crt").write_text(distro_ca.pem)
    conf = tmp_path / "ca-certificates.conf"
    conf.write_text("distro.crt\n")
    cert = certificate_from_pem(root.pem)
    write(local / "effective-wsl", file_name_for(DEBIAN_LOCATION, cert), cert.pem())
    argv = [
        shutil.which("update-ca-certificates"),
        *("--certsconf", str(conf), "--certsdir", str(share), "--localcertsdir", str(local)),
        *("--etccertsdir", str(etc_certs), "--hooksdir", str(hooks)),
    ]
    completed = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert "2 added, 0 removed" in completed.stdout
    bundle = etc_certs / "ca-certificates.crt"
    assert bundle.read_text() == distro_ca.pem + cert.pem()
    assert (etc_certs / file_name_for(DEBIAN_LOCATION, cert).replace(".crt", ".pem")).is_symlink()

    os.unlink(local / "effective-wsl" / file_name_for(DEBIAN_LOCATION, cert))
    subprocess.run([*argv, "--fresh"], capture_output=True, text=True, check=True)
    assert bundle.read_text() == distro_ca.pem
    dangling = [entry.name for entry in etc_certs.iterdir() if entry.is_symlink() and not entry.exists()]
    assert dangling == []
