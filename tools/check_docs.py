"""Check that ``ansible-doc`` renders every module, filter and connection plugin of an installed effective.wsl.

usage: python tools/check_docs.py COLLECTIONS_PATH
"""

import os
import pathlib
import subprocess
import sys


def plugins(collection: pathlib.Path) -> list[tuple[str, str]]:
    found = [("module", p.stem) for p in sorted((collection / "plugins" / "modules").glob("*.py"))]
    found += [("filter", p.stem) for p in sorted((collection / "plugins" / "filter").glob("*.yml"))]
    found += [("connection", p.stem) for p in sorted((collection / "plugins" / "connection").glob("*.py"))]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    collections_path = pathlib.Path(argv[0]).resolve()
    collection = collections_path / "ansible_collections" / "effective" / "wsl"
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path))
    failures = 0
    for plugin_type, name in plugins(collection):
        done = subprocess.run(
            ["ansible-doc", "-t", plugin_type, f"effective.wsl.{name}"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        problem = done.returncode != 0 or "[WARNING]" in done.stderr or not done.stdout.strip()
        print(f"{'FAIL' if problem else 'ok'}  ansible-doc -t {plugin_type} effective.wsl.{name}")
        if problem:
            failures += 1
            print(done.stderr.strip(), file=sys.stderr)
    print(f"{failures} of {len(plugins(collection))} plugin docs failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
