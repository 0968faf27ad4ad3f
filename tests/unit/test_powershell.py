"""Every PowerShell file parses, and every .ps1 module's $spec equals its documentation (tools/pscheck.py)."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "unit" / "fixtures" / "powershell"
sys.path.insert(0, str(ROOT / "tools"))

import pscheck  # noqa: E402

POWERSHELL_FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for pattern in ("*.ps1", "*.psm1")
    for directory in ("plugins", "roles", "tools")
    for p in (ROOT / directory).rglob(pattern)
)
MODULES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plugins" / "modules").glob("*.ps1"))


@pytest.mark.parametrize("path", POWERSHELL_FILES or [pytest.param(None, marks=pytest.mark.skip("no .ps1 yet"))])
def test_powershell_parses(path):
    allowed = pscheck.load_allowlist()
    errors = [e for e in pscheck.parse_errors(ROOT / path) if (path, e.line) not in allowed]
    assert not errors, "\n".join(map(str, errors))


@pytest.mark.parametrize("path", MODULES or [pytest.param(None, marks=pytest.mark.skip("no .ps1 module yet"))])
def test_module_spec_matches_documentation(path):
    assert pscheck.contract_problems(ROOT / path) == []


def test_broken_fixture_is_reported_with_positions():
    errors = pscheck.parse_errors(FIXTURES / "broken_syntax.ps1")
    assert errors, "a .ps1 with an unclosed hashtable and an unclosed if condition must not parse"
    assert 9 in {e.line for e in errors}, errors  # the unclosed if condition


def test_valid_fixture_parses():
    assert pscheck.parse_errors(FIXTURES / "good_module.ps1") == []


def test_spec_is_read_as_data():
    spec = pscheck.extract_spec(FIXTURES / "good_module.ps1")
    assert spec["supports_check_mode"] is True
    assert spec["options"]["state"] == {"type": "str", "default": "present", "choices": ["absent", "present"]}
    assert spec["options"]["ports"]["aliases"] == ["port"]
    assert spec["options"]["owner"]["options"]["kind"]["choices"] == ["user", "group"]


def test_matching_fixture_has_no_contract_problem():
    assert pscheck.contract_problems(FIXTURES / "good_module.ps1") == []


def test_mismatch_fixture_reports_every_difference():
    problems = [p.split(": ", 1)[1] for p in pscheck.contract_problems(FIXTURES / "mismatch_module.ps1")]
    assert problems == [
        "option enabled: documented but not in $spec",
        "option owner.kind: type is 'int' in $spec but 'str' in DOCUMENTATION",
        "option owner.kind: choices is None in $spec but ['user', 'group'] in DOCUMENTATION",
        "option state: default is 'absent' in $spec but 'present' in DOCUMENTATION",
        "option state: choices is ['absent', 'present', 'query'] in $spec but ['absent', 'present'] in DOCUMENTATION",
        "supports_check_mode is False in $spec but attributes.check_mode.support is 'full'",
    ]


def test_documented_wire_option_is_a_mismatch(tmp_path):
    module = tmp_path / "wire.ps1"
    module.write_text((FIXTURES / "good_module.ps1").read_text())
    stub = (FIXTURES / "good_module.py").read_text()
    stub = stub.replace("attributes:", "  _properties:\n    description: [Wire.]\n    type: dict\nattributes:")
    (tmp_path / "wire.py").write_text(stub)
    assert any("_properties: documented but not in $spec" in p for p in pscheck.contract_problems(module))


def test_expanding_string_in_spec_is_refused(tmp_path):
    module = tmp_path / "expanding.ps1"
    module.write_text((FIXTURES / "good_module.ps1").read_text().replace("default = 'present'", 'default = "$env:X"'))
    (tmp_path / "expanding.py").write_text((FIXTURES / "good_module.py").read_text())
    assert any("expands variables" in p for p in pscheck.contract_problems(module))


def test_allowlist_entry_needs_a_reason(tmp_path):
    allowlist = tmp_path / "allow.txt"
    allowlist.write_text("plugins/modules/x.ps1:12\n")
    with pytest.raises(ValueError, match="needs a '# reason'"):
        pscheck.load_allowlist(allowlist)
    allowlist.write_text("plugins/modules/x.ps1:12  # [List`1[String]] generic type literal\n")
    assert pscheck.load_allowlist(allowlist) == {("plugins/modules/x.ps1", 12)}
