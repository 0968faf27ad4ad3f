"""Test PKI for the molecule scenarios: a private "corporate" root CA and a server certificate it signs, plus a
second, untrusted CA with its own server certificate (the negative control of tls_probe.py).

Usage: python make_ca.py DIR   (writes corp-root-ca.pem, server.pem, server.key, rogue-server.pem, rogue-server.key)
"""

from __future__ import annotations

import sys
from pathlib import Path

# The one certificate factory of the test suite (tests/unit/plugins/ca_factory.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests" / "unit" / "plugins"))
import ca_factory

SERVER_NAME = "intranet.corp.example"


def write(directory: Path, stem: str, issued: ca_factory.Issued, with_key: bool) -> None:
    (directory / f"{stem}.pem").write_text(issued.pem)
    if with_key:
        key_path = directory / f"{stem}.key"
        key_path.write_text(issued.key_pem)
        key_path.chmod(0o600)


def main(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    corporate = ca_factory.root_ca("Corp Root CA", organization="Corp")
    write(directory, "corp-root-ca", corporate, with_key=False)
    write(directory, "server", ca_factory.leaf(corporate, SERVER_NAME), with_key=True)
    rogue = ca_factory.root_ca("Rogue Root CA", organization="Rogue")
    write(directory, "rogue-server", ca_factory.leaf(rogue, SERVER_NAME), with_key=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
