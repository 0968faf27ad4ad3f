"""Test certificates made on the fly with ``cryptography`` (no private key is ever committed).

Import as ``ansible_collections.effective.wsl.tests.unit.plugins.ca_factory`` (works from every test directory).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")

    @property
    def key_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def sha256(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    @property
    def thumbprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA1()).hex().upper()


def name(common_name: str, organization: str = "Example Corp", country: str = "DE") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    subject: x509.Name,
    issuer: Issued | None = None,
    ca: bool | None = True,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    server_names: tuple[str, ...] = (),
) -> Issued:
    """A certificate signed by ``issuer`` (self-signed without one). ``ca=None`` leaves out basicConstraints."""
    key = ec.generate_private_key(ec.SECP256R1())
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - DAY)
        .not_valid_after(not_after or NOW + 365 * DAY)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if server_names:
        alternatives = []
        for server_name in server_names:
            try:
                alternatives.append(x509.IPAddress(ipaddress.ip_address(server_name)))
            except ValueError:
                alternatives.append(x509.DNSName(server_name))
        builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    return Issued(certificate=builder.sign(signer_key, hashes.SHA256()), key=key)


def root_ca(common_name: str = "Example Corp Root CA", organization: str = "Example Corp", **kwargs) -> Issued:
    return issue(name(common_name, organization=organization), **kwargs)


def intermediate_ca(root: Issued, common_name: str = "Example Corp Issuing CA") -> Issued:
    return issue(name(common_name), issuer=root)


def leaf(issuer: Issued, common_name: str = "www.example.com") -> Issued:
    return issue(name(common_name), issuer=issuer, ca=False, server_names=(common_name,))


def expired_ca(common_name: str = "Example Corp Old Root CA") -> Issued:
    return issue(name(common_name), not_before=NOW - 800 * DAY, not_after=NOW - 30 * DAY)


def future_ca(common_name: str = "Example Corp Next Root CA") -> Issued:
    return issue(name(common_name), not_before=NOW + 30 * DAY, not_after=NOW + 800 * DAY)


def win_certificate_info_item(issued: Issued) -> dict:
    """An item shaped like ansible.windows.win_certificate_info's ``certificates`` (the keys we read + a few)."""
    cert = issued.certificate
    return {
        "raw": base64.b64encode(issued.der).decode("ascii"),
        "thumbprint": issued.thumbprint,
        "subject": ", ".join(rdn.rfc4514_string() for rdn in reversed(cert.subject.rdns)),
        "issuer": ", ".join(rdn.rfc4514_string() for rdn in reversed(cert.issuer.rdns)),
        "has_private_key": False,
        "friendly_name": "",
        "valid_to_iso8601": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
