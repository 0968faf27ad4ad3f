"""Print one 'N passed, N failed, N skipped' line over all JUnit XML files in a folder."""

import pathlib
import sys
from xml.etree import ElementTree


def main(folder: str) -> int:
    passed = failed = skipped = 0
    for report in sorted(pathlib.Path(folder).glob("*.xml")):
        for suite in ElementTree.parse(report).getroot().iter("testsuite"):
            tests, errors = int(suite.get("tests", 0)), int(suite.get("errors", 0))
            failures, skips = int(suite.get("failures", 0)), int(suite.get("skipped", 0))
            failed += failures + errors
            skipped += skips
            passed += tests - failures - errors - skips
    print(f"pytest: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "tests/output/junit"))
