"""Install collections from the PyPI ``ansible`` wheel into a collections path.

Galaxy is not reachable from every build machine; PyPI is. The ``ansible`` package bundles the
collections we depend on, so we download its wheel (no install) and unpack only what is asked for.

usage: python tools/extract_collections.py DEST namespace.name [namespace.name ...]
"""

import pathlib
import subprocess
import sys
import tempfile
import zipfile

# The ``ansible`` release that goes with the development ansible-core (2.21); it needs Python 3.12.
ANSIBLE_WHEEL_VERSION = "14.5.0"


def main(argv: list[str]) -> int:
    dest, collections = (argv[0], argv[1:]) if argv else ("", [])
    if not collections:
        print(__doc__, file=sys.stderr)
        return 2
    prefixes = tuple(f"ansible_collections/{name.replace('.', '/')}/" for name in collections)
    with tempfile.TemporaryDirectory() as download_dir:
        subprocess.check_call(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                f"ansible=={ANSIBLE_WHEEL_VERSION}",
                "-d",
                download_dir,
            ]
        )
        wheel = next(pathlib.Path(download_dir).glob("ansible-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            members = [m for m in archive.namelist() if m.startswith(prefixes)]
            missing = [
                c for c, p in zip(collections, prefixes, strict=True) if not any(m.startswith(p) for m in members)
            ]
            if missing:
                print(f"not in ansible {ANSIBLE_WHEEL_VERSION}: {', '.join(missing)}", file=sys.stderr)
                return 1
            archive.extractall(dest, members)
    print(f"extracted {len(members)} files of {', '.join(collections)} into {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
