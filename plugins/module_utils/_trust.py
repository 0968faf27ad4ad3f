# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Target-side trust-store engine for wsl_ca_import (standard library only: it ships to the distro).

What lives here: the trust-store layout of each distro family (sources at ``LAYOUTS``), family detection
from os-release, the names of the files we manage and how we recognise them again, a minimal DER reader
for the subject of a certificate, the plan (add / remove / keep) for a state, and the runtime
environment script. File I/O is limited to reading a directory; writing is the module's job.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field

from ansible_collections.effective.wsl.plugins.module_utils._trustspec import AUTO_FAMILY, FAMILIES, STATES

RUNTIME_ENV_PATH = "/etc/profile.d/effective-wsl-ca.sh"
STATE_DIR = "/var/lib/effective-wsl"  # the lock (flock on the folder) and the marker below
# Written before the certificate files change, removed when the update command succeeded: a run that finds
# it runs the update again, even when every file is already in place.
UPDATE_PENDING_MARKER = f"{STATE_DIR}/ca-trust-update-pending"
MANAGED_MARKER = "# Managed by effective.wsl.wsl_ca_import"
OS_RELEASE_PATHS = ("/etc/os-release", "/usr/lib/os-release")  # os-release(5): the second is the fallback


class TrustError(ValueError):
    """Input or state the module cannot act on; the message says what is allowed."""


@dataclass(frozen=True)
class TrustLayout:
    family: str
    anchor_dir: str
    # Debian's update-ca-certificates runs `find -L` (recursive). Alpine's C rewrite and p11-kit
    # (redhat, suse, arch) read only the regular files directly in the anchor directory, so there we
    # manage files with a name prefix instead of a sub-folder.
    scans_subdirectories: bool
    update_command: tuple[str, ...]
    bundle: str
    package: str
    # Debian leaves dangling links in /etc/ssl/certs after a removal unless run with --fresh.
    update_command_after_removal: tuple[str, ...] = ()

    def update_argv(self, removed_any: bool) -> list[str]:
        if removed_any and self.update_command_after_removal:
            return list(self.update_command_after_removal)
        return list(self.update_command)


# Drop-in directory, update command and resulting bundle per family: update-ca-certificates(8) (Debian, Alpine),
# update-ca-trust(8) (Fedora/RHEL, Arch), the openSUSE ca-certificates README; canonical/cloud-init
# cloudinit/config/cc_ca_certs.py uses the same mapping.
LAYOUTS = {
    "debian": TrustLayout(
        family="debian",
        anchor_dir="/usr/local/share/ca-certificates",
        scans_subdirectories=True,
        update_command=("update-ca-certificates",),
        update_command_after_removal=("update-ca-certificates", "--fresh"),
        bundle="/etc/ssl/certs/ca-certificates.crt",
        package="ca-certificates",
    ),
    "alpine": TrustLayout(
        family="alpine",
        anchor_dir="/usr/local/share/ca-certificates",
        scans_subdirectories=False,
        update_command=("update-ca-certificates",),
        bundle="/etc/ssl/certs/ca-certificates.crt",
        package="ca-certificates (ca-certificates-bundle lacks update-ca-certificates)",
    ),
    "redhat": TrustLayout(
        family="redhat",
        anchor_dir="/etc/pki/ca-trust/source/anchors",
        scans_subdirectories=False,
        update_command=("update-ca-trust", "extract"),
        bundle="/etc/pki/tls/certs/ca-bundle.crt",
        package="ca-certificates",
    ),
    "suse": TrustLayout(
        family="suse",
        anchor_dir="/etc/pki/trust/anchors",
        scans_subdirectories=False,
        update_command=("update-ca-certificates",),
        bundle="/etc/ssl/ca-bundle.pem",
        package="ca-certificates",
    ),
    "arch": TrustLayout(
        family="arch",
        anchor_dir="/etc/ca-certificates/trust-source/anchors",
        scans_subdirectories=False,
        update_command=("update-ca-trust",),
        bundle="/etc/ssl/certs/ca-certificates.crt",
        package="ca-certificates-utils",
    ),
}

# os-release ID / ID_LIKE values per family. ID wins over ID_LIKE; ID_LIKE is read left to right.
_FAMILY_IDS = {
    "debian": ("debian", "ubuntu", "raspbian", "linuxmint", "pop", "kali"),
    "redhat": ("rhel", "fedora", "centos", "almalinux", "rocky", "amzn", "ol", "circle"),
    "suse": ("suse", "opensuse", "opensuse-leap", "opensuse-tumbleweed", "sles", "sled", "sle-micro"),
    "arch": ("arch", "archarm", "manjaro", "endeavouros"),
    "alpine": ("alpine",),
}
_ID_TO_FAMILY = {distro_id: family for family, ids in _FAMILY_IDS.items() for distro_id in ids}

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PEM_BLOCK_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL)
_FINGERPRINT_PREFIX_LEN = 16


# --------------------------------------------------------------------------- family detection


def parse_os_release(text: str) -> dict[str, str]:
    """KEY=value lines of os-release(5); values may be single- or double-quoted with backslash escapes."""
    values = {}
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        values[key.strip()] = value
    return values


def detect_family(os_release: dict[str, str]) -> str | None:
    """The family of ``ID``, else of the first ``ID_LIKE`` entry we know; None when nothing matches."""
    candidates = [os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()]
    for candidate in candidates:
        family = _ID_TO_FAMILY.get(candidate.strip().lower())
        if family:
            return family
    return None


def resolve_family(requested: str | None, os_release_text: str | None) -> str:
    """``family`` when given (validated), else (None or ``auto``) detected; an unknown distro is an error naming
    ID/ID_LIKE."""
    if requested and requested != AUTO_FAMILY:
        if requested not in FAMILIES:
            raise TrustError(f"family: {requested!r} is not supported; allowed: {', '.join(FAMILIES)}")
        return requested
    if os_release_text is None:
        raise TrustError(
            f"family: cannot detect the distro family: none of {', '.join(OS_RELEASE_PATHS)} exists; "
            f"set family to one of {', '.join(FAMILIES)}"
        )
    os_release = parse_os_release(os_release_text)
    family = detect_family(os_release)
    if family is None:
        raise TrustError(
            f"family: unknown distro family (os-release ID={os_release.get('ID', '')!r}, "
            f"ID_LIKE={os_release.get('ID_LIKE', '')!r}); set family to one of {', '.join(FAMILIES)} "
            "if the distro uses that family's trust store"
        )
    return family


# --------------------------------------------------------------------------- certificates (stdlib DER)

_OID_SHORT_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "0.9.2342.19200300.100.1.1": "UID",
    "0.9.2342.19200300.100.1.25": "DC",
}
_STRING_DECODERS = {
    0x0C: "utf-8",  # UTF8String
    0x13: "ascii",  # PrintableString
    0x16: "ascii",  # IA5String
    0x14: "latin-1",  # T61String (treated as Latin-1, as OpenSSL does)
    0x1E: "utf-16-be",  # BMPString
    0x1C: "utf-32-be",  # UniversalString
}


def _read_tlv(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, value start, value end) of the DER element at ``offset``."""
    if offset + 2 > len(data):
        raise TrustError("truncated DER")
    tag = data[offset]
    length = data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise TrustError("unsupported DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise TrustError("truncated DER")
    return tag, start, end


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    children = []
    offset = start
    while offset < end:
        tag, value_start, value_end = _read_tlv(data, offset)
        children.append((tag, value_start, value_end))
        offset = value_end
    return children


def _decode_oid(encoded: bytes) -> str:
    arcs = []
    value = 0
    for byte in encoded:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs:
        raise TrustError("empty OID")
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(arc) for arc in head + arcs[1:])


def _escape_dn_value(value: str) -> str:
    escaped = re.sub(r'([\\,+"<>;=])', r"\\\1", value)
    if escaped.startswith(("#", " ")):
        escaped = "\\" + escaped
    if escaped.endswith(" ") and len(escaped) > 1:
        escaped = escaped[:-1] + "\\ "
    return escaped


def _decode_name(data: bytes, start: int, end: int) -> list[list[tuple[str, str]]]:
    rdns = []
    for set_tag, set_start, set_end in _children(data, start, end):
        if set_tag != 0x31:
            raise TrustError("malformed Name")
        attributes = []
        for _seq_tag, attr_start, attr_end in _children(data, set_start, set_end):
            (oid_tag, oid_start, oid_end), (value_tag, value_start, value_end) = _children(data, attr_start, attr_end)[
                :2
            ]
            if oid_tag != 0x06:
                raise TrustError("malformed AttributeTypeAndValue")
            encoding = _STRING_DECODERS.get(value_tag, "latin-1")
            text = data[value_start:value_end].decode(encoding, errors="replace")
            attributes.append((_decode_oid(data[oid_start:oid_end]), text))
        rdns.append(attributes)
    return rdns


@dataclass(frozen=True)
class TrustedCertificate:
    """A single certificate as the target sees it: DER bytes plus what we name and report it by."""

    der: bytes
    subject: str
    common_name: str

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    def pem(self) -> str:
        body = base64.b64encode(self.der).decode("ascii")
        lines = [body[start : start + 64] for start in range(0, len(body), 64)]
        return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def certificate_from_der(der: bytes) -> TrustedCertificate:
    """Read the subject of an X.509 certificate (Certificate → tbsCertificate → subject)."""
    try:
        tag, cert_start, cert_end = _read_tlv(der, 0)
        if tag != 0x30 or cert_end != len(der):
            raise TrustError("not a DER SEQUENCE")
        tbs_tag, tbs_start, tbs_end = _read_tlv(der, cert_start)
        if tbs_tag != 0x30:
            raise TrustError("no tbsCertificate")
        fields = _children(der, tbs_start, tbs_end)
        if fields and fields[0][0] == 0xA0:  # [0] EXPLICIT version
            fields = fields[1:]
        # serialNumber, signature, issuer, validity, subject
        subject_tag, subject_start, subject_end = fields[4]
        if subject_tag != 0x30:
            raise TrustError("no subject")
        rdns = _decode_name(der, subject_start, subject_end)
    except (IndexError, ValueError) as error:
        raise TrustError(f"not an X.509 certificate ({error})") from None
    subject = ", ".join(
        "+".join(f"{_OID_SHORT_NAMES.get(oid, oid)}={_escape_dn_value(value)}" for oid, value in rdn)
        for rdn in reversed(rdns)
    )
    common_names = [value for rdn in rdns for oid, value in rdn if oid == "2.5.4.3"]
    return TrustedCertificate(der=der, subject=subject, common_name=common_names[-1] if common_names else "")


def certificate_from_pem(text: str) -> TrustedCertificate:
    """Exactly one CERTIFICATE block and nothing else that looks like PEM (never a key)."""
    blocks = _PEM_BLOCK_RE.findall(text)
    labels = [label for label, _body in blocks]
    if "PRIVATE KEY-----" in text or any("PRIVATE KEY" in label for label in labels):
        raise TrustError("holds a private key; allowed: one PEM CERTIFICATE block")
    if labels != ["CERTIFICATE"]:
        raise TrustError(f"has PEM blocks {labels}; allowed: exactly one CERTIFICATE block")
    try:
        der = base64.b64decode(re.sub(r"\s", "", blocks[0][1]), validate=True)
    except (binascii.Error, ValueError):
        raise TrustError("the CERTIFICATE block is not valid base64") from None
    return certificate_from_der(der)


# --------------------------------------------------------------------------- managed files


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise TrustError(
            f"name: {name!r} is not allowed; allowed: 1-64 characters of A-Z a-z 0-9 . _ - starting with a "
            "letter or digit (it becomes a folder or file-name prefix in the trust store)"
        )
    return name


@dataclass(frozen=True)
class ManagedLocation:
    """Where our files live: a folder of their own (Debian) or a name prefix in the anchor directory."""

    directory: str
    prefix: str

    @property
    def pattern(self) -> re.Pattern:
        fingerprint = f"([0-9a-f]{{{_FINGERPRINT_PREFIX_LEN}}})"
        return re.compile("^" + re.escape(self.prefix) + fingerprint + r"-[A-Za-z0-9._-]+\.crt$")

    @property
    def display(self) -> str:
        return f"{self.directory}/{self.prefix}*" if self.prefix else f"{self.directory}/"


def managed_location(layout: TrustLayout, name: str) -> ManagedLocation:
    validate_name(name)
    if layout.scans_subdirectories:
        return ManagedLocation(directory=f"{layout.anchor_dir}/{name}", prefix="")
    return ManagedLocation(directory=layout.anchor_dir, prefix=f"{name}-")


def safe_label(common_name: str) -> str:
    """A file-name-safe rendering of a CN: ASCII letters, digits, ``._-``; at most 48 characters."""
    ascii_text = unicodedata.normalize("NFKD", common_name).encode("ascii", "ignore").decode("ascii")
    label = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")[:48].strip("._-")
    return label or "certificate"


def file_name_for(location: ManagedLocation, cert: TrustedCertificate) -> str:
    """``<prefix><first 16 hex of SHA-256>-<CN>.crt`` (.crt: Debian and Alpine ignore other extensions)."""
    return f"{location.prefix}{cert.fingerprint[:_FINGERPRINT_PREFIX_LEN]}-{safe_label(cert.common_name)}.crt"


@dataclass(frozen=True)
class ManagedFile:
    path: str
    cert: TrustedCertificate


@dataclass
class ScanResult:
    managed: dict[str, ManagedFile] = field(default_factory=dict)  # fingerprint -> file
    # Files that look like ours by name but are not (content does not match the name): never touched.
    ignored: list[str] = field(default_factory=list)
    duplicates: list[ManagedFile] = field(default_factory=list)


def scan_managed(physical_directory: str, location: ManagedLocation) -> ScanResult:
    """Our files in ``physical_directory``: the name matches our pattern AND the content is one certificate
    whose SHA-256 starts with the fingerprint in the name. Paths in the result are logical (location-based).
    """
    result = ScanResult()
    if not os.path.isdir(physical_directory):
        return result
    for entry in sorted(os.listdir(physical_directory)):
        match = location.pattern.match(entry)
        physical_path = os.path.join(physical_directory, entry)
        logical_path = f"{location.directory}/{entry}"
        if not match:
            if not location.prefix and not entry.startswith("."):
                result.ignored.append(logical_path)  # a stranger inside our own folder
            continue
        if os.path.islink(physical_path) or not os.path.isfile(physical_path):
            result.ignored.append(logical_path)
            continue
        try:
            with open(physical_path, encoding="ascii") as handle:
                cert = certificate_from_pem(handle.read())
        except (OSError, UnicodeDecodeError, TrustError):
            result.ignored.append(logical_path)
            continue
        if not cert.fingerprint.startswith(match.group(1)):
            result.ignored.append(logical_path)
            continue
        managed_file = ManagedFile(path=logical_path, cert=cert)
        if cert.fingerprint in result.managed:
            result.duplicates.append(managed_file)
        else:
            result.managed[cert.fingerprint] = managed_file
    return result


@dataclass
class Plan:
    add: list[ManagedFile] = field(default_factory=list)
    remove: list[ManagedFile] = field(default_factory=list)
    keep: list[ManagedFile] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.add or self.remove)


def plan_changes(
    scan: ScanResult,
    wanted: list[TrustedCertificate],
    state: str,
    location: ManagedLocation,
    allow_empty: bool = False,
) -> Plan:
    """What to write and delete so the managed files reach ``state`` for ``wanted``."""
    if state not in STATES:
        raise TrustError(f"state: {state!r} is not supported; allowed: {', '.join(STATES)}")
    if state == "exact" and not wanted and not allow_empty:
        raise TrustError(
            "certificates: the list is empty and state=exact would remove every certificate this module "
            f"manages in {location.display}; allowed: at least one certificate, or allow_empty: true"
        )
    wanted_by_fingerprint = {}
    for cert in wanted:
        wanted_by_fingerprint.setdefault(cert.fingerprint, cert)
    plan = Plan()
    if state == "absent":
        for fingerprint in wanted_by_fingerprint:
            if fingerprint in scan.managed:
                plan.remove.append(scan.managed[fingerprint])
        plan.remove.extend(dup for dup in scan.duplicates if dup.cert.fingerprint in wanted_by_fingerprint)
        plan.keep = [item for fp, item in scan.managed.items() if fp not in wanted_by_fingerprint]
        return plan
    for fingerprint, cert in wanted_by_fingerprint.items():
        if fingerprint in scan.managed:
            plan.keep.append(scan.managed[fingerprint])
        else:
            plan.add.append(ManagedFile(path=f"{location.directory}/{file_name_for(location, cert)}", cert=cert))
    if state == "exact":
        plan.remove = [item for fp, item in scan.managed.items() if fp not in wanted_by_fingerprint]
        plan.remove.extend(scan.duplicates)
    else:
        plan.keep.extend(item for fp, item in scan.managed.items() if fp not in wanted_by_fingerprint)
    return plan


def bundle_fingerprints(text: str) -> set[str]:
    """SHA-256 of every CERTIFICATE block of a PEM bundle (what the update command rebuilt)."""
    fingerprints = set()
    for label, body in _PEM_BLOCK_RE.findall(text):
        if label != "CERTIFICATE":
            continue
        try:
            fingerprints.add(hashlib.sha256(base64.b64decode(re.sub(r"\s", "", body), validate=True)).hexdigest())
        except (binascii.Error, ValueError):
            continue
    return fingerprints


def describe(managed_file: ManagedFile) -> dict[str, str]:
    """What the module returns for one certificate in added / removed / kept."""
    return {
        "fingerprint": managed_file.cert.fingerprint,
        "thumbprint": managed_file.cert.thumbprint,
        "subject": managed_file.cert.subject,
        "path": managed_file.path,
    }


def file_listing(paths: list[str]) -> str:
    return "".join(f"{path}\n" for path in sorted(paths))


# --------------------------------------------------------------------------- runtime environment


def runtime_env_script(layout: TrustLayout) -> str:
    """/etc/profile.d script for tools that ignore the system store: pip-installed requests reads certifi unless
    REQUESTS_CA_BUNDLE is set (requests docs, "CA Certificates"), Node.js its bundled store plus
    NODE_EXTRA_CA_CERTS (Node.js docs, cli.md)."""
    return (
        f"{MANAGED_MARKER}: do not edit.\n"
        "# pip-installed requests (certifi) and Node.js read their own CA lists, not the system store;\n"
        f"# point them at the {layout.family} system bundle, which holds the imported company CAs.\n"
        f"export SSL_CERT_FILE={layout.bundle}\n"
        f"export REQUESTS_CA_BUNDLE={layout.bundle}\n"
        f"export NODE_EXTRA_CA_CERTS={layout.bundle}\n"
    )
