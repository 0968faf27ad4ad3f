"""plugin_utils/_certs.py: parsing PEM/DER/win_certificate_info input, private-key refusal, CA and validity
checks, select, de-duplication."""

from __future__ import annotations

import base64
import datetime
import json
import pathlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

from ansible_collections.effective.wsl.plugins.plugin_utils._certs import (
    CertificateInputError,
    Selection,
    build_selection,
    normalize_thumbprint,
    parse_certificates_option,
    parse_file_bytes,
    parse_pem_text,
    select_and_validate,
    windows_style_name,
)
from ansible_collections.effective.wsl.tests.unit.plugins import ca_factory

NOW = ca_factory.NOW


@pytest.fixture(scope="module")
def root():
    return ca_factory.root_ca()


@pytest.fixture(scope="module")
def intermediate(root):
    return ca_factory.intermediate_ca(root)


@pytest.fixture(scope="module")
def server(intermediate):
    return ca_factory.leaf(intermediate)


@pytest.fixture(scope="module")
def expired():
    return ca_factory.expired_ca()


def problems_of(callable_, *args, **kwargs) -> list[str]:
    with pytest.raises(CertificateInputError) as raised:
        callable_(*args, **kwargs)
    return raised.value.problems


# --------------------------------------------------------------------------- parsing


def test_pem_bundle_yields_every_certificate_in_order(root, intermediate):
    parsed = parse_certificates_option([root.pem + "\n" + intermediate.pem])
    assert [cert.sha256 for cert in parsed] == [root.sha256, intermediate.sha256]
    assert [cert.origin for cert in parsed] == ["certificates[0] block 1", "certificates[0] block 2"]


def test_pem_with_crlf_and_surrounding_text_is_accepted(root):
    text = "Bag Attributes: exported by certmgr\r\n" + root.pem.replace("\n", "\r\n") + "trailing words\r\n"
    (parsed,) = parse_certificates_option([text])
    assert parsed.der == root.der


def test_base64_der_string_is_accepted(root):
    (parsed,) = parse_certificates_option([base64.b64encode(root.der).decode()])
    assert parsed.sha256 == root.sha256
    assert parsed.thumbprint == root.thumbprint
    assert parsed.subject == "CN=Example Corp Root CA, O=Example Corp, C=DE"
    assert parsed.issuer == parsed.subject
    assert parsed.is_ca


def test_win_certificate_info_item_reads_raw_and_checks_thumbprint(root):
    item = ca_factory.win_certificate_info_item(root)
    (parsed,) = parse_certificates_option([item])
    assert parsed.sha256 == root.sha256
    assert parsed.origin == f"certificates[0] (thumbprint {root.thumbprint})"


def test_win_certificate_info_item_reads_cert_data_as_documented(root):
    item = ca_factory.win_certificate_info_item(root)
    item["cert_data"] = item.pop("raw")
    (parsed,) = parse_certificates_option([item])
    assert parsed.sha256 == root.sha256


def test_win_certificate_info_thumbprint_mismatch_is_refused(root, intermediate):
    item = ca_factory.win_certificate_info_item(root)
    item["thumbprint"] = intermediate.thumbprint
    (problem,) = problems_of(parse_certificates_option, [item])
    assert "'thumbprint' does not match 'raw'" in problem
    assert root.thumbprint in problem


def test_pem_file_bytes_with_bom_and_der_file_bytes(root):
    assert parse_file_bytes(b"\xef\xbb\xbf" + root.pem.encode(), "src[0] /x.pem")[0].der == root.der
    assert parse_file_bytes(root.der, "src[0] /x.cer")[0].der == root.der


def test_pem_is_rendered_with_64_character_lines(root):
    (parsed,) = parse_certificates_option([root.pem])
    lines = parsed.pem().splitlines()
    assert lines[0] == "-----BEGIN CERTIFICATE-----" and lines[-1] == "-----END CERTIFICATE-----"
    assert all(len(line) <= 64 for line in lines[1:-1])
    assert parsed.pem() == root.pem  # cryptography writes RFC 7468 PEM too


# --------------------------------------------------------------------------- bad input


def test_private_key_pem_alone_is_refused(root):
    (problem,) = problems_of(parse_certificates_option, [root.key_pem])
    assert problem.startswith("certificates[0]: holds a PEM private key")
    assert "allowed: CERTIFICATE blocks only" in problem


def test_private_key_bundled_with_a_certificate_refuses_the_whole_input(root, intermediate):
    problems = problems_of(parse_certificates_option, [intermediate.pem, root.pem + root.key_pem])
    assert problems == [
        "certificates[1]: holds a PEM private key; allowed: CERTIFICATE blocks only (remove the key from the file)"
    ]


def test_rsa_style_private_key_label_is_refused_even_when_malformed():
    text = "-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all\n"
    (problem,) = problems_of(parse_certificates_option, [text])
    assert "private key" in problem


def test_private_key_der_is_refused(root):
    (problem,) = problems_of(parse_certificates_option, [base64.b64encode(root.key_der).decode()])
    assert problem.startswith("certificates[0]: holds a private key")


def test_encrypted_private_key_der_file_is_refused(root):
    encrypted = root.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, BestAvailableEncryption(b"secret")
    )
    (problem,) = problems_of(parse_file_bytes, encrypted, "src[0] /mnt/c/Users/alice/Downloads/key.der")
    assert problem.startswith("src[0] /mnt/c/Users/alice/Downloads/key.der: holds a private key")


def test_pkcs12_file_is_refused(root):
    bundle = pkcs12.serialize_key_and_certificates(
        b"corp", root.key, root.certificate, None, BestAvailableEncryption(b"pw")
    )
    (problem,) = problems_of(parse_file_bytes, bundle, "src[0] /mnt/c/corp.pfx")
    assert "PKCS#12" in problem and "Export-Certificate -Type CERT" in problem


def test_garbage_base64_is_refused():
    (problem,) = problems_of(parse_certificates_option, ["this is !!! not base64"])
    assert problem == "certificates[0]: is neither PEM nor valid base64 DER; allowed: PEM text or base64 DER"


def test_valid_base64_that_is_not_a_certificate_is_refused():
    (problem,) = problems_of(parse_certificates_option, [base64.b64encode(b"hello world").decode()])
    assert problem.startswith("certificates[0]: is not a DER certificate")


def test_win_certificate_info_item_without_raw_is_refused(root):
    item = ca_factory.win_certificate_info_item(root)
    del item["raw"]
    (problem,) = problems_of(parse_certificates_option, [item])
    assert problem.startswith(f"certificates[0] (thumbprint {root.thumbprint}): mapping has no 'raw' key")
    assert "ansible.windows.win_certificate_info" in problem


def test_win_certificate_info_item_with_garbage_raw_is_refused():
    (problem,) = problems_of(parse_certificates_option, [{"raw": "%%%", "thumbprint": "AB"}])
    assert problem == "certificates[0] (thumbprint AB): 'raw' is not valid base64; allowed: base64 DER"


def test_other_pem_blocks_and_wrong_types_are_refused(root):
    public_key = (
        root.key.public_key()
        .public_bytes(
            __import__("cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.PEM,
            __import__(
                "cryptography.hazmat.primitives.serialization", fromlist=["PublicFormat"]
            ).PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )
    problems = problems_of(parse_certificates_option, [public_key, 42, ""])
    assert problems[0] == "certificates[0]: PEM block 'PUBLIC KEY' is not allowed; allowed: CERTIFICATE"
    assert problems[1].startswith("certificates[1]: is a int; allowed:")
    assert problems[2] == "certificates[2]: is empty; allowed: PEM text or base64 DER"


def test_utf16_pem_file_from_powershell_out_file_is_accepted(root):
    content = "\ufeff".encode("utf-16-le") + root.pem.replace("\n", "\r\n").encode("utf-16-le")
    (parsed,) = parse_file_bytes(content, "src[0] /mnt/c/x.pem")
    assert parsed.der == root.der


def test_pem_file_that_is_not_utf8_is_refused(root):
    (problem,) = problems_of(parse_file_bytes, b"\xff\x00" + root.pem.encode(), "src[0] /mnt/c/x.pem")
    assert problem.startswith("src[0] /mnt/c/x.pem: PEM file is not UTF-8 text")


def test_empty_file_is_refused():
    (problem,) = problems_of(parse_file_bytes, b"", "src[0] /mnt/c/empty.cer")
    assert problem == "src[0] /mnt/c/empty.cer: the file is empty; allowed: a PEM or DER certificate file"


def test_every_problem_is_reported_at_once(root):
    problems = problems_of(parse_certificates_option, ["garbage!", root.key_pem, {"thumbprint": "AA"}])
    assert [problem.split(":")[0] for problem in problems] == [
        "certificates[0]",
        "certificates[1]",
        "certificates[2] (thumbprint AA)",
    ]


# --------------------------------------------------------------------------- checks


def test_leaf_certificate_is_refused_unless_allowed(root, server):
    certs = parse_certificates_option([root.pem, server.pem])
    (problem,) = problems_of(select_and_validate, certs, Selection(), NOW)
    assert problem.startswith("certificates[1] (subject 'CN=www.example.com, O=Example Corp, C=DE', thumbprint ")
    assert "is not a CA certificate (basicConstraints CA:TRUE missing)" in problem
    assert "allow_non_ca: true" in problem
    imported, _warnings = select_and_validate(certs, Selection(), NOW, allow_non_ca=True)
    assert [cert.sha256 for cert in imported] == [root.sha256, server.sha256]


def test_certificate_without_basic_constraints_is_not_a_ca():
    v1_style = ca_factory.issue(ca_factory.name("Legacy Root"), ca=None)
    (cert,) = parse_certificates_option([v1_style.pem])
    assert not cert.is_ca


def test_expired_ca_is_refused_unless_allowed(expired):
    certs = parse_certificates_option([expired.pem])
    (problem,) = problems_of(select_and_validate, certs, Selection(), NOW)
    assert "expired on" in problem and "allow_expired: true" in problem
    imported = select_and_validate(certs, Selection(), NOW, allow_expired=True)[0]
    assert len(imported) == 1


def test_not_yet_valid_ca_is_refused_unless_allowed():
    future = ca_factory.future_ca()
    certs = parse_certificates_option([future.pem])
    (problem,) = problems_of(select_and_validate, certs, Selection(), NOW)
    assert "is not valid before" in problem
    assert select_and_validate(certs, Selection(), NOW, allow_expired=True)[0]


def test_validity_is_judged_against_the_given_time(root):
    certs = parse_certificates_option([root.pem])
    later = NOW + datetime.timedelta(days=400)
    (problem,) = problems_of(select_and_validate, certs, Selection(), later)
    assert "expired on" in problem


def test_duplicates_by_sha256_are_imported_once(root, intermediate):
    certs = parse_certificates_option(
        [root.pem, ca_factory.win_certificate_info_item(root), intermediate.pem, base64.b64encode(root.der).decode()]
    )
    imported, warnings = select_and_validate(certs, Selection(), NOW)
    assert [cert.sha256 for cert in imported] == [root.sha256, intermediate.sha256]
    assert imported[0].origin == "certificates[0]"
    assert warnings == []


# --------------------------------------------------------------------------- select


@pytest.fixture(scope="module")
def store(root, intermediate, server, expired):
    """A Windows Root-store-like listing: two good CAs, a leaf and an expired CA."""
    other = ca_factory.root_ca("Globex Root", organization="Globex")
    items = [ca_factory.win_certificate_info_item(item) for item in (root, intermediate, server, expired, other)]
    return parse_certificates_option(items)


def test_select_subject_glob_is_case_insensitive(store, root):
    selection = build_selection({"subject": ["cn=example corp root*"], "issuer": None, "thumbprints": None})
    imported = select_and_validate(store, selection, NOW)[0]
    assert [cert.sha256 for cert in imported] == [root.sha256]


def test_select_issuer_glob(store, root, intermediate):
    selection = build_selection({"issuer": ["*CN=Example Corp Root CA*"]})
    imported = select_and_validate(store, selection, NOW)[0]
    assert {cert.sha256 for cert in imported} == {root.sha256, intermediate.sha256}


def test_select_filters_before_checks_so_unselected_leaf_and_expired_do_not_fail(store):
    selection = build_selection({"subject": ["*O=Globex*"]})
    imported = select_and_validate(store, selection, NOW)[0]
    assert [cert.subject for cert in imported] == ["CN=Globex Root, O=Globex, C=DE"]


def test_select_thumbprints_ignore_case_spaces_colons_and_certmgr_mark(store, intermediate):
    spaced = " ".join(intermediate.thumbprint[i : i + 2] for i in range(0, 40, 2)).lower()
    selection = build_selection({"thumbprints": ["\u200e" + spaced]})
    imported, warnings = select_and_validate(store, selection, NOW)
    assert [cert.sha256 for cert in imported] == [intermediate.sha256]
    assert warnings == []


def test_select_criteria_combine_with_and(store, root):
    selection = build_selection({"subject": ["*Example Corp*"], "thumbprints": [root.thumbprint]})
    imported = select_and_validate(store, selection, NOW)[0]
    assert [cert.sha256 for cert in imported] == [root.sha256]


def test_select_that_matches_nothing_warns(store):
    selection = build_selection({"subject": ["CN=Nobody*"], "thumbprints": ["00" * 20]})
    imported, warnings = select_and_validate(store, selection, NOW)
    assert imported == []
    assert warnings == [
        "select.thumbprints: " + "00" * 20 + " matches none of the given certificates",
        "select matched none of the 5 given certificate(s)",
    ]


def test_select_string_counts_as_one_glob(store, root):
    imported = select_and_validate(store, build_selection({"subject": "CN=Example Corp Root CA*"}), NOW)[0]
    assert [cert.sha256 for cert in imported] == [root.sha256]


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ({"thumbprints": ["XYZ"]}, "select.thumbprints[0]: 'XYZ' is not a SHA-1 thumbprint"),
        ({"subjects": ["x"]}, "select: unknown key(s) subjects; allowed: subject, issuer, thumbprints"),
        ({"subject": [3]}, "select.subject: 3 is not a string"),
    ],
)
def test_bad_select_is_refused(select, expected):
    (problem,) = problems_of(build_selection, select)
    assert problem.startswith(expected)


def test_normalize_thumbprint():
    assert normalize_thumbprint("ab:cd " * 10, "x") == "ABCD" * 10


# ---------------------------------------------------------------------------------------------
# Names as Windows prints them (certmgr, PowerShell .Subject, win_certificate_info 'subject').

WINDOWS_SUBJECTS = json.loads(
    (pathlib.Path(__file__).parents[2] / "fixtures" / "certs" / "windows_subjects.json").read_text()
)["certificates"]


@pytest.mark.parametrize("case", WINDOWS_SUBJECTS, ids=lambda case: case["thumbprint"][:8])
def test_subject_is_rendered_like_the_real_windows_listing(case):
    # Real captures: "S=" for the state, "E=" for the e-mail address, a value with a comma in double quotes.
    certificate = parse_pem_text(case["pem"], "listing")[0]
    assert certificate.thumbprint == case["thumbprint"]
    assert certificate.subject == case["windows_subject"]


def test_subject_with_quoted_values_like_sabnzbd_917():
    # Real capture (https://github.com/sabnzbd/sabnzbd/issues/917) of the subject of thawte Primary Root CA - G3.
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "thawte, Inc."),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Certification Services Division"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "(c) 2008 thawte, Inc. - For authorized use only"),
            x509.NameAttribute(NameOID.COMMON_NAME, "thawte Primary Root CA - G3"),
        ]
    )
    assert windows_style_name(name) == (
        'CN=thawte Primary Root CA - G3, OU="(c) 2008 thawte, Inc. - For authorized use only", '
        'OU=Certification Services Division, O="thawte, Inc.", C=US'
    )


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("plain  two spaces", "plain  two spaces"),  # consecutive spaces alone are not quoted
        (" leading", '" leading"'),
        ("a+b", '"a+b"'),
        ("a=b", '"a=b"'),
        ("a;b", '"a;b"'),
        ("a#b", '"a#b"'),
        ("it's", '"it\'s"'),
        ('say "hi"', "'say \"hi\"'"),  # a double quote: single quotes around the value
        ("", '""'),
    ],
)
def test_windows_quoting_rules(value, printed):
    # [MS-OSCO] subject name conversion (learn.microsoft.com/en-us/openspecs/sharepoint_protocols/ms-osco/...).
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, value, _validate=False)])
    assert windows_style_name(name) == f"OU={printed}"


def test_unknown_attribute_types_and_multi_valued_rdns():
    name = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "John Doe"),
                    x509.NameAttribute(x509.ObjectIdentifier("1.3.6.1.4.1.311.1.1"), "Sample Text"),
                ]
            )
        ]
    )
    assert windows_style_name(name) == "CN=John Doe + OID.1.3.6.1.4.1.311.1.1=Sample Text"


def test_a_glob_copied_from_certmgr_selects_the_certificate():
    certificates = [parse_pem_text(case["pem"], "listing")[0] for case in WINDOWS_SUBJECTS]

    def selected(glob):
        selection = build_selection({"subject": [glob]})
        return [cert.thumbprint for cert in certificates if selection.matches(cert)]

    assert selected('*O="Trustwave Holdings, Inc.", L=Chicago, S=Illinois*') == [
        "2F8F364FE1589744215987A52A9AD06995267FB5"
    ]
    assert selected("E=info@e-szigno.hu, CN=Microsec*") == ["89DF74FE5CF40F4A80F9E3377D54DA91E101318E"]
    assert len(selected("*, S=*")) == 3
