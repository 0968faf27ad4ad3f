"""Test PKI for the molecule scenarios: a private "corporate" root CA and a server certificate it signs, plus a
second, untrusted CA with its own server certificate (the negative control of tls_probe.py).

Usage: python make_ca.py DIR   (writes corp-root-ca.pem, server.pem, server.key, rogue-server.pem, rogue-server.key)
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SERVER_NAME = "intranet.corp.example"


def name(common_name: str) -> x509.Name:
    # Most general RDN first, as CAs issue them; Windows shows the reverse: CN=..., O=Corp.
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Corp"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


def make_ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_server(ca_key, ca_certificate) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name(SERVER_NAME))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(SERVER_NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def write(directory: Path, stem: str, key, certificate) -> None:
    (directory / f"{stem}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        key_path = directory / f"{stem}.key"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_path.chmod(0o600)


def main(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_certificate = make_ca("Corp Root CA")
    write(directory, "corp-root-ca", None, ca_certificate)
    write(directory, "server", *make_server(ca_key, ca_certificate))
    rogue_key, rogue_certificate = make_ca("Rogue Root CA")
    write(directory, "rogue-server", *make_server(rogue_key, rogue_certificate))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
