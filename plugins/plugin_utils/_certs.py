# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side certificate engine for wsl_ca_import.

Turns what a user hands us (PEM text, base64 DER, ``ansible.windows.win_certificate_info`` items,
bytes of files fetched from the target) into validated CA certificates: parsed with ``cryptography``,
refused when they hold a private key, are not CAs or are outside their validity period, filtered with
``select`` and de-duplicated by SHA-256. Pure functions; every error names the input it is about.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import fnmatch
import hashlib
import re
from dataclasses import dataclass

from ansible_collections.effective.wsl.plugins.module_utils._typename import builtin_type_name

try:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
except ImportError as import_error:
    # ansible-core itself requires cryptography; this keeps the plugin importable where it is missing
    # (ansible-test's import sanity environment) so the action can fail with a clear message instead.
    CRYPTOGRAPHY_IMPORT_ERROR: ImportError | None = import_error
else:
    CRYPTOGRAPHY_IMPORT_ERROR = None

_PEM_BLOCK_RE = re.compile(
    r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----",
    re.DOTALL,
)
# certmgr's "Thumbprint" field, copied from the Details tab, starts with an invisible U+200E (a public report:
# https://blog.octal.pl/?p=23; unverified in Microsoft's documentation).
_THUMBPRINT_NOISE_RE = re.compile(r"[\s:\u200e\u200f\ufeff]")
_THUMBPRINT_RE = re.compile(r"^[0-9A-F]{40}$")
WIN_CERT_INFO_DER_KEYS = ("raw", "cert_data")


class CertificateInputError(ValueError):
    """One or more inputs cannot be imported; the message lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Certificate:
    """A parsed certificate and where it came from (``origin``, used in every message about it)."""

    der: bytes
    origin: str
    certificate: x509.Certificate

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def thumbprint(self) -> str:
        """SHA-1 of the DER in upper-case hex, as Windows shows it."""
        return hashlib.sha1(self.der).hexdigest().upper()

    @property
    def subject(self) -> str:
        return windows_style_name(self.certificate.subject)

    @property
    def issuer(self) -> str:
        return windows_style_name(self.certificate.issuer)

    @property
    def is_ca(self) -> bool:
        try:
            constraints = self.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        except x509.ExtensionNotFound:
            return False
        return bool(constraints.value.ca)

    def pem(self) -> str:
        body = base64.b64encode(self.der).decode("ascii")
        lines = [body[start : start + 64] for start in range(0, len(body), 64)]
        return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"

    def describe(self) -> str:
        return f"{self.origin} (subject {self.subject!r}, thumbprint {self.thumbprint})"


@dataclass(frozen=True)
class Selection:
    """The ``select`` option: every given criterion must match (globs are case-insensitive)."""

    subject: tuple[str, ...] = ()
    issuer: tuple[str, ...] = ()
    thumbprints: tuple[str, ...] = ()

    def matches(self, cert: Certificate) -> bool:
        if self.subject and not _matches_any_glob(cert.subject, self.subject):
            return False
        if self.issuer and not _matches_any_glob(cert.issuer, self.issuer):
            return False
        return not self.thumbprints or cert.thumbprint in self.thumbprints


# The keywords Windows prints for attribute types; any other type is "OID.<dotted>". Sources: [MS-OSCO], the
# Subject name conversion (learn.microsoft.com/en-us/openspecs/sharepoint_protocols/ms-osco/
# dbdc3411-ed0a-4713-a01b-1ae0da5e75d4), and CertNameToStr (learn.microsoft.com, wincrypt nf-wincrypt-certnametostra).
WINDOWS_NAME_KEYWORDS = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "1.2.840.113549.1.9.1": "E",
    "2.5.4.6": "C",
    "2.5.4.8": "S",
    "2.5.4.9": "STREET",
    "2.5.4.12": "T",
    "2.5.4.42": "G",
    "2.5.4.43": "I",
    "2.5.4.4": "SN",
    "2.5.4.5": "SERIALNUMBER",
    "0.9.2342.19200300.100.1.25": "DC",
    "2.5.4.13": "Description",
    "2.5.4.17": "PostalCode",
    "2.5.4.18": "POBox",
    "2.5.4.20": "Phone",
}
_WINDOWS_QUOTE_TRIGGERS = frozenset(",+=\n<>#;'")


def _windows_value(value: str) -> str:
    """Quote a value as Windows does: "..." for a leading/trailing space, an empty value or one of , + = LF < > # ; ',
    '...' when the value holds a double quote."""
    if '"' in value:
        return f"'{value}'"
    if not value or value != value.strip(" ") or _WINDOWS_QUOTE_TRIGGERS.intersection(value):
        return f'"{value}"'
    return value


def _windows_attribute(attribute: x509.NameAttribute) -> str:
    oid = attribute.oid.dotted_string
    key = WINDOWS_NAME_KEYWORDS.get(oid, f"OID.{oid}")
    value = attribute.value if isinstance(attribute.value, str) else attribute.value.hex()
    return f"{key}={_windows_value(value)}"


def windows_style_name(name: x509.Name) -> str:
    """A name as Windows prints it (certmgr, PowerShell ``.Subject``, ``win_certificate_info``'s ``subject``).

    ``E=it@corp.example, CN=Corp Root, O="Corp, Inc.", S=Bavaria, C=DE``: most specific RDN first, ", " between,
    " + " inside a multi-valued RDN, Windows keywords (S for stateOrProvinceName, E for emailAddress), values
    quoted instead of RFC 4514's backslash escapes. Real capture: sabnzbd/sabnzbd#917.
    """
    return ", ".join(" + ".join(map(_windows_attribute, rdn)) for rdn in reversed(name.rdns))


def normalize_thumbprint(value: str, origin: str) -> str:
    """Upper-case 40-hex SHA-1; spaces, colons and certmgr's invisible marks are dropped."""
    cleaned = _THUMBPRINT_NOISE_RE.sub("", str(value)).upper()
    if not _THUMBPRINT_RE.match(cleaned):
        raise CertificateInputError(
            [f"{origin}: {value!r} is not a SHA-1 thumbprint; allowed: 40 hexadecimal digits, as Windows shows them"]
        )
    return cleaned


def build_selection(select: dict | None) -> Selection:
    """Validate the ``select`` option (keys subject, issuer, thumbprints; a string counts as a one-item list)."""
    if not select:
        return Selection()
    unknown = sorted(set(select) - {"subject", "issuer", "thumbprints"})
    if unknown:
        raise CertificateInputError(
            [f"select: unknown key(s) {', '.join(unknown)}; allowed: subject, issuer, thumbprints"]
        )

    def as_tuple(key: str) -> tuple[str, ...]:
        value = select.get(key)
        if value is None:
            return ()
        values = [value] if isinstance(value, str) else list(value)
        for item in values:
            if not isinstance(item, str):
                raise CertificateInputError([f"select.{key}: {item!r} is not a string; allowed: a list of strings"])
        return tuple(values)

    thumbprints = tuple(
        normalize_thumbprint(item, f"select.thumbprints[{index}]") for index, item in enumerate(as_tuple("thumbprints"))
    )
    return Selection(subject=as_tuple("subject"), issuer=as_tuple("issuer"), thumbprints=thumbprints)


def _matches_any_glob(text: str, globs: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(fnmatch.fnmatchcase(lowered, glob.lower()) for glob in globs)


def _der_holds_private_key(der: bytes) -> bool:
    try:
        serialization.load_der_private_key(der, password=None)
    except TypeError:
        return True  # an encrypted PKCS#8 key: "password was not given"
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True


def _der_is_pkcs12(der: bytes) -> bool:
    try:
        pkcs12.load_pkcs12(der, None)
    except TypeError:
        return True
    except ValueError as error:
        # Wrong or missing password still means "this is a PKCS#12 file".
        return "password" in str(error).lower()
    return True


def parse_der(der: bytes, origin: str) -> Certificate:
    """One DER certificate; keys and PKCS#12 files are refused with their own message."""
    try:
        return Certificate(der=der, origin=origin, certificate=x509.load_der_x509_certificate(der))
    except ValueError:
        pass
    if _der_holds_private_key(der):
        raise CertificateInputError(
            [f"{origin}: holds a private key; allowed: certificates only (export the CA without its private key)"]
        )
    if _der_is_pkcs12(der):
        raise CertificateInputError(
            [
                f"{origin}: is a PKCS#12 (.pfx/.p12) file, which can hold private keys; allowed: a DER (.cer) or "
                "PEM certificate (Export-Certificate -Type CERT)"
            ]
        )
    raise CertificateInputError([f"{origin}: is not a DER certificate; allowed: PEM text or DER (base64 in YAML)"])


def parse_pem_text(text: str, origin: str) -> list[Certificate]:
    """Every certificate of a PEM bundle; any private key anywhere in the text refuses the whole input."""
    blocks = _PEM_BLOCK_RE.findall(text)
    if "PRIVATE KEY-----" in text or any("PRIVATE KEY" in label for label, _body in blocks):
        raise CertificateInputError(
            [f"{origin}: holds a PEM private key; allowed: CERTIFICATE blocks only (remove the key from the file)"]
        )
    if not blocks:
        raise CertificateInputError(
            [f"{origin}: has a '-----BEGIN' line but no complete PEM block; allowed: BEGIN/END CERTIFICATE blocks"]
        )
    certificates = []
    problems = []
    for position, (label, body) in enumerate(blocks, start=1):
        block_origin = f"{origin} block {position}" if len(blocks) > 1 else origin
        if label != "CERTIFICATE":
            problems.append(f"{block_origin}: PEM block {label!r} is not allowed; allowed: CERTIFICATE")
            continue
        try:
            der = base64.b64decode(re.sub(r"\s", "", body), validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"{block_origin}: the CERTIFICATE block is not valid base64")
            continue
        try:
            certificates.append(parse_der(der, block_origin))
        except CertificateInputError as error:
            problems.extend(error.problems)
    if problems:
        raise CertificateInputError(problems)
    return certificates


def parse_text(text: str, origin: str) -> list[Certificate]:
    """A ``certificates`` string: PEM (one or several blocks) or base64 DER."""
    if "-----BEGIN" in text:
        return parse_pem_text(text, origin)
    compact = re.sub(r"\s", "", text)
    if not compact:
        raise CertificateInputError([f"{origin}: is empty; allowed: PEM text or base64 DER"])
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise CertificateInputError(
            [f"{origin}: is neither PEM nor valid base64 DER; allowed: PEM text or base64 DER"]
        ) from None
    return [parse_der(der, origin)]


def parse_file_bytes(content: bytes, origin: str) -> list[Certificate]:
    """The bytes of a ``src`` file: PEM (UTF-8 with or without BOM, CRLF, or UTF-16 with BOM as written by
    PowerShell 5.1 ``Out-File``, whose default encoding is UTF-16LE with BOM:
    https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding)
    or raw DER."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return parse_pem_text(content.decode("utf-16"), origin)
        except UnicodeDecodeError:
            raise CertificateInputError([f"{origin}: has a UTF-16 byte order mark but is not UTF-16 text"]) from None
    if b"-----BEGIN" in content:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CertificateInputError(
                [f"{origin}: PEM file is not UTF-8 text; allowed: PEM in UTF-8/ASCII (or UTF-16 with BOM) or DER"]
            ) from None
        return parse_pem_text(text, origin)
    if not content:
        raise CertificateInputError([f"{origin}: the file is empty; allowed: a PEM or DER certificate file"])
    return [parse_der(content, origin)]


def parse_win_certificate_info_item(item: dict, origin: str) -> list[Certificate]:
    """An item of ``ansible.windows.win_certificate_info``'s ``certificates`` list.

    The module returns the base64 DER under ``raw`` (its RETURN docs call it ``cert_data``, so both
    are read). A ``thumbprint`` in the item must match the DER.
    """
    thumbprint = item.get("thumbprint")
    if thumbprint:
        origin = f"{origin} (thumbprint {thumbprint})"
    encoded = next((item[key] for key in WIN_CERT_INFO_DER_KEYS if item.get(key)), None)
    if encoded is None:
        raise CertificateInputError(
            [
                f"{origin}: mapping has no 'raw' key; allowed: an item of ansible.windows.win_certificate_info "
                "'certificates' (base64 DER under 'raw') or a PEM/DER string"
            ]
        )
    if not isinstance(encoded, str):
        raise CertificateInputError([f"{origin}: 'raw' is {builtin_type_name(encoded)}; allowed: a base64 DER string"])
    try:
        der = base64.b64decode(re.sub(r"\s", "", encoded), validate=True)
    except (binascii.Error, ValueError):
        raise CertificateInputError([f"{origin}: 'raw' is not valid base64; allowed: base64 DER"]) from None
    certificate = parse_der(der, origin)
    if thumbprint and normalize_thumbprint(thumbprint, f"{origin} 'thumbprint'") != certificate.thumbprint:
        raise CertificateInputError(
            [f"{origin}: 'thumbprint' does not match 'raw' (SHA-1 of raw is {certificate.thumbprint})"]
        )
    return [certificate]


def parse_certificates_option(values: list, option: str = "certificates") -> list[Certificate]:
    """Every item of the list option ``option``; all problems are collected before raising."""
    parsed: list[Certificate] = []
    problems: list[str] = []
    for index, value in enumerate(values or []):
        origin = f"{option}[{index}]"
        try:
            if isinstance(value, str):
                parsed.extend(parse_text(value, origin))
            elif isinstance(value, dict):
                parsed.extend(parse_win_certificate_info_item(value, origin))
            else:
                problems.append(
                    f"{origin}: is a {builtin_type_name(value)}; allowed: a PEM/DER string or a "
                    "win_certificate_info item (mapping with 'raw')"
                )
        except CertificateInputError as error:
            problems.extend(error.problems)
    if problems:
        raise CertificateInputError(problems)
    return parsed


def check_certificate(
    cert: Certificate, now: datetime.datetime, allow_non_ca: bool = False, allow_expired: bool = False
) -> list[str]:
    """Problems that forbid importing ``cert`` as a trust anchor (empty list: fine)."""
    problems = []
    if not allow_non_ca and not cert.is_ca:
        problems.append(
            f"{cert.describe()}: is not a CA certificate (basicConstraints CA:TRUE missing), so it cannot anchor "
            "a chain; allowed: root or intermediate CA certificates; set allow_non_ca: true to import it anyway"
        )
    if not allow_expired:
        not_before = cert.certificate.not_valid_before_utc
        not_after = cert.certificate.not_valid_after_utc
        if now > not_after:
            problems.append(
                f"{cert.describe()}: expired on {not_after.isoformat()}; allowed: currently valid certificates; "
                "leave it out with select or set allow_expired: true"
            )
        elif now < not_before:
            problems.append(
                f"{cert.describe()}: is not valid before {not_before.isoformat()}; allowed: currently valid "
                "certificates; set allow_expired: true to import it anyway"
            )
    return problems


def select_and_validate(
    certificates: list[Certificate],
    selection: Selection,
    now: datetime.datetime,
    allow_non_ca: bool = False,
    allow_expired: bool = False,
) -> tuple[list[Certificate], list[str]]:
    """Apply ``select``, check the selected ones, drop duplicates (same SHA-256; the first one wins).

    Returns the certificates to import and warnings (select criteria that matched nothing).
    Raises CertificateInputError listing every selected certificate that fails a check.
    """
    selected = [cert for cert in certificates if selection.matches(cert)]
    warnings = []
    found_thumbprints = {cert.thumbprint for cert in certificates}
    warnings.extend(
        f"select.thumbprints: {thumbprint} matches none of the given certificates"
        for thumbprint in selection.thumbprints
        if thumbprint not in found_thumbprints
    )
    if certificates and not selected:
        warnings.append(f"select matched none of the {len(certificates)} given certificate(s)")
    problems = []
    unique: dict[str, Certificate] = {}
    for cert in selected:
        problems.extend(check_certificate(cert, now, allow_non_ca=allow_non_ca, allow_expired=allow_expired))
        unique.setdefault(cert.sha256, cert)
    if problems:
        raise CertificateInputError(problems)
    return list(unique.values()), warnings
