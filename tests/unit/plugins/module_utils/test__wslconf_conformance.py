"""WSL's own test expectations, run against the engine.

``tests/unit/fixtures/conformance/wsl-test-cases.json`` holds 249 cases taken from the test suite of
microsoft/WSL at 3e27a6a50 (``test/windows/UnitTests.cpp``, ``PolicyTests.cpp``, ``NetworkTests.cpp`` and
others); every case names its source file and line in ``src``, shown in the test id. Categories: P (what
WSL reads and warns about), S (effective settings after WSL's post-processing), H (the host name WSL
uses), N (what ``wslinfo --networking-mode`` means), W (WSL's writer tests; the engine writes minimal
edits instead of WSL's rewrite, so only their structural assertions apply). Cases the engine does not
follow are in ``NOT_FOLLOWED`` with the reason, and listed in docs/wsl_config.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import (
    FILE_TYPES,
    effective_settings,
    key_states,
    lookup_key,
    parse,
    schema,
    wsl_parse_value,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import (
    diagnostics,
    mode_warnings,
    update,
    validate_settings,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_effect import resolve
from ansible_collections.effective.wsl.plugins.module_utils._wslnet import classify_networking

FIXTURE = Path(__file__).parents[2] / "fixtures" / "conformance" / "wsl-test-cases.json"
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
NOT_FOLLOWED: dict[str, str] = {}  # case id -> reason (none today; keep docs/wsl_config.md in step)
PROC_VERSION_WSL2 = "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@host) #1 SMP\n"
MAC = lookup_key("wslconfig", "wsl2", "macAddress")


def cases(category: str) -> list:
    return [
        pytest.param(
            case,
            id=f"{case['id']} [{case['src']}]",
            marks=[pytest.mark.skip(reason=NOT_FOLLOWED[case["id"]])] if case["id"] in NOT_FOLLOWED else [],
        )
        for case in CASES
        if case["cat"] == category
    ]


def _normal(value):
    """The fixture's spelling of a typed value: modes and enums lower case, MAC addresses as bytes."""
    if isinstance(value, str) and re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", value):
        return [int(part, 16) for part in value.split(":")]
    if isinstance(value, str) and value.lower() in ("nat", "virtioproxy", "consomme", "gradual", "disabled"):
        return "consomme" if value.lower() == "virtioproxy" else value.lower()
    return value


def _flat(text: str, file_type: str) -> dict:
    settings = effective_settings(text, file_type)
    return {
        f"{section}.{key}".lower(): _normal(value) for section, keys in settings.items() for key, value in keys.items()
    }


def _resolve(text: str, policy: dict | None = None) -> dict:
    doc = parse(text, "wslconfig")
    rejected = [name for name, state in key_states(doc).items() if state.read and not state.accepted]
    return resolve(effective_settings(text, "wslconfig"), rejected, policy)


def test_fixture_is_complete_and_cited():
    assert len(CASES) == 249
    assert {case["cat"] for case in CASES} == {"P", "S", "H", "W", "N"}
    assert all(re.match(r"(test|src)/\S+\.(cpp|h)\b", case["src"]) for case in CASES)


@pytest.mark.parametrize("case", cases("P"))
def test_parse(case):
    if case.get("kind") == "mac":
        accepted, typed, _reason = wsl_parse_value(MAC, case["value"])
        assert (_normal(typed) if accepted else None) == case["expected"]
        return
    text, file_type = case["text"], case["file_type"]
    flat = _flat(text, file_type)
    for name, expected in case["values"].items():
        if expected == [] and case.get("empty_ok"):
            assert flat.get(name, []) == []
        else:
            assert flat.get(name) == expected, name
    for name in case["absent"]:
        assert name not in flat
    if case.get("exact"):
        assert set(flat) == set(case["values"])
    if case["warnings"] is not None:
        found = sorted([d.kind, d.line] for d in diagnostics(parse(text, file_type)) if d.wsl)
        assert found == sorted(case["warnings"])
    warnings = mode_warnings(text, file_type)
    for pattern in case["semantic"]:
        assert any(re.search(pattern, warning) for warning in warnings), (pattern, warnings)


@pytest.mark.parametrize("case", cases("S"))
def test_semantics(case):
    policy = case.get("policy") or {}
    effect = _resolve(case["text"], policy)
    kind = case["kind"]
    if kind == "bool_semantic":
        field = {
            "firewall": "firewall",
            "localhost": "localhost_forwarding",
            "hal": "host_address_loopback",
            "autoProxy": "auto_proxy",
            "dns": "dns_tunneling",
            "bedp": "best_effort_dns_parsing",
            "gui": "gui_applications",
            "safe": "safe_mode",
            "hwpc": "hardware_performance_counters",
        }[case["label"]]
        assert effect[field] is case["expected"]
    elif kind == "dns":
        assert effect["dns_tunneling"] is case["expected"]
    elif kind == "firewall":
        assert effect["firewall"] is case["expected"]
    elif kind == "mode":
        assert _normal(effect["mode"]) == case["expected_mode"]
        if case.get("expect_warning"):
            assert any(case["expect_warning"] in note for note in effect["notes"]), effect["notes"]
    elif kind == "policy":
        assert sorted(effect["policy_overridden"]) == sorted(case["expect_settings"])
    else:
        pytest.fail(f"unknown S kind {kind}")


@pytest.mark.parametrize("case", cases("H"))
def test_hostname(case):
    assert effective_settings(case["text"], "wslconf")["network"]["hostname"] == case["expected"]


@pytest.mark.parametrize("case", cases("N"))
def test_wslinfo(case):
    result = classify_networking(
        links=None,
        routes=None,
        resolv_conf=None,
        wslinfo_output=case["printed"],
        proc_version=PROC_VERSION_WSL2,
        env={"WSL_DISTRO_NAME": "Ubuntu"},
    )
    assert (result["mode"], result["mode_source"]) == (case["expected"], "wslinfo")


def _in_order(text: str, needles: list[str]) -> bool:
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


@pytest.mark.parametrize("case", cases("W"))
def test_writer_structure(case):
    text = case["text"]
    for name, expected in (case.get("pre_reads") or {}).items():
        assert _flat(text, "wslconfig").get(name) == expected
    requested = validate_settings(case["settings"], "wslconfig")[0]
    after = update(text.encode(), "wslconfig", requested).after
    flat = _flat(after, "wslconfig")
    for name, expected in case["reads"].items():
        assert flat.get(name) == expected, (name, after)
    for name in case.get("unset", []):
        assert name not in flat
    for needles in (case.get("order"), case.get("between")):
        if needles:
            assert _in_order(after, needles), after
    if case.get("after_first_line"):
        assert after.splitlines()[1].startswith(case["after_first_line"]), after


def test_every_schema_key_of_the_fixture_is_known():
    """Every key the fixture reads is in the engine's schema (no silent unknown key)."""
    known = {spec.name.lower() for file_type in FILE_TYPES for spec in schema(file_type)}
    named = {
        name
        for case in CASES
        if case["cat"] == "P"
        for name in [*(case.get("values") or {}), *(case.get("absent") or [])]
    }
    assert named <= known, named - known
