"""Build the collection tarball from the files git tracks, and check that it holds exactly the intended files.

`ansible-galaxy collection build` packs every file of the directory that galaxy.yml's build_ignore does not
name, untracked ones included: a vault.yml, a WinRM CA, a test key lying in a checkout would ship. This copies
the tracked files (as they are in the working tree) into OUTPUT_DIR/tree, builds there, and then lists the
tarball: it must hold exactly the tracked files that build_ignore does not exclude, nothing else.

usage: python tools/build_collection.py OUTPUT_DIR        build OUTPUT_DIR/<namespace>-<name>-<version>.tar.gz
       python tools/build_collection.py --check TARBALL   only the check (against this checkout)
"""

from __future__ import annotations

import fnmatch
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
# What ansible-galaxy always leaves out (ansible/galaxy/collection/__init__.py, _build_files_manifest_walk).
GALAXY_IGNORES = ("galaxy.yml", "galaxy.yaml", ".git", "*.pyc", "*.retry", "tests/output")
GALAXY_IGNORED_DIRS = {"CVS", ".bzr", ".hg", ".git", ".svn", "__pycache__", ".tox"}
GENERATED = {"MANIFEST.json", "FILES.json"}


def tracked_files(root: pathlib.Path) -> list[str]:
    """Files git tracks that exist in the working tree (a deletion not yet committed is not shipped)."""
    listing = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached"], check=True, capture_output=True
    ).stdout.decode()
    return sorted(name for name in listing.split("\0") if name and os.path.lexists(root / name))


def ignore_patterns(root: pathlib.Path) -> list[str]:
    meta = yaml.safe_load((root / "galaxy.yml").read_text(encoding="utf-8"))
    return [*GALAXY_IGNORES, f"{meta['namespace']}-{meta['name']}-*.tar.gz", *meta.get("build_ignore", [])]


def is_ignored(path: str, patterns: list[str]) -> bool:
    """ansible-galaxy's rule: a file is left out when it, or one of its directories, matches a pattern."""
    parts = path.split("/")
    if GALAXY_IGNORED_DIRS.intersection(parts[:-1]):
        return True
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)


def expected_members(root: pathlib.Path) -> set[str]:
    patterns = ignore_patterns(root)
    return {path for path in tracked_files(root) if not is_ignored(path, patterns)} | GENERATED


def check(root: pathlib.Path, tarball: pathlib.Path) -> list[str]:
    """Problems with the tarball's content: files that are not tracked or are excluded, tracked files missing."""
    with tarfile.open(tarball) as archive:
        members = {member.name for member in archive.getmembers() if not member.isdir()}
    expected = expected_members(root)
    problems = [f"{name}: in the tarball but not a tracked, shipped file" for name in sorted(members - expected)]
    problems += [f"{name}: tracked and not in build_ignore, but missing" for name in sorted(expected - members)]
    return problems


def galaxy_command() -> str:
    sibling = pathlib.Path(sys.executable).parent / "ansible-galaxy"
    return str(sibling) if sibling.exists() else (shutil.which("ansible-galaxy") or "ansible-galaxy")


def build(root: pathlib.Path, output: pathlib.Path) -> pathlib.Path:
    tree = output / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    for name in tracked_files(root):
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target, follow_symlinks=False)
    subprocess.run(
        [galaxy_command(), "collection", "build", "--force", "--output-path", str(output), str(tree)], check=True
    )
    meta = yaml.safe_load((root / "galaxy.yml").read_text(encoding="utf-8"))
    return output / f"{meta['namespace']}-{meta['name']}-{meta['version']}.tar.gz"


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--check":
        tarball = pathlib.Path(argv[1])
    elif len(argv) == 1 and not argv[0].startswith("-"):
        tarball = build(ROOT, pathlib.Path(argv[0]).resolve())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(ROOT, tarball)
    for problem in problems:
        print(f"{tarball.name}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{tarball}: {len(expected_members(ROOT))} files, exactly the tracked files meant to ship")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
