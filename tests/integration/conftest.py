"""Fixtures for tests that run inside the WSL simulator (tests/wslsim); see docs/testing.md.

- `wsl_nat`, `wsl_mirrored`: one simulated distro per test module (fast; tests in a module share its state).
- `wsl_any_mode`: the same, parametrized over both networking modes.
- `wsl_simulator(**options)`: a fresh distro with other options (dns_tunneling, windows_user, automount_root,
  interop, distro_name, wsl_conf, wsl_version), removed at the end of the test.

Tests that use them get the `simulator` marker. Where the simulator cannot run (not root and no user namespaces)
they are skipped with the reason, unless WSLSIM_REQUIRED=1 (CI), which turns that into a failure.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wslsim"))

import wslsim

# The simulator passes the caller's collections path inside; by default this checkout's (make deps).
os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", str(Path(__file__).resolve().parents[2] / ".cache" / "collections"))

SIMULATOR_FIXTURES = {"wsl_nat", "wsl_mirrored", "wsl_any_mode", "wsl_simulator", "simulator_available"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SIMULATOR_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.simulator)


@pytest.fixture(scope="session")
def simulator_available() -> None:
    try:
        wslsim.check_requirements()
    except wslsim.SimulatorUnavailable as exc:
        if os.environ.get("WSLSIM_REQUIRED") == "1":
            pytest.fail(f"WSL simulator required (WSLSIM_REQUIRED=1) but unavailable: {exc}")
        pytest.skip(f"WSL simulator unavailable: {exc}")


@pytest.fixture(scope="module")
def wsl_nat(simulator_available):
    with wslsim.Simulator(mode="nat") as simulator:
        yield simulator


@pytest.fixture(scope="module")
def wsl_mirrored(simulator_available):
    with wslsim.Simulator(mode="mirrored") as simulator:
        yield simulator


@pytest.fixture(scope="module", params=wslsim.MODES)
def wsl_any_mode(request, simulator_available):
    with wslsim.Simulator(mode=request.param) as simulator:
        yield simulator


@pytest.fixture
def wsl_simulator(simulator_available):
    """Factory: `sim = wsl_simulator(mode="mirrored", dns_tunneling=False)`; each call starts a fresh distro."""
    with contextlib.ExitStack() as stack:

        def start(**options) -> wslsim.Simulator:
            return stack.enter_context(wslsim.Simulator(**options))

        yield start
