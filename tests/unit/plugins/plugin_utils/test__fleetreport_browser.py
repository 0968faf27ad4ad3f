"""The fleet report page in headless Chromium (Debian's chromium): it loads without a console message.

Chromium's ``--enable-logging=stderr --v=0`` writes every console message of the page to stderr as
``INFO:CONSOLE...] "<message>", source: <url> (<line>)``: script errors ("Uncaught ..."), blocked or failed
resource loads (the page's Content-Security-Policy forbids any), and console.log calls. The page logs nothing
itself, so any such line is a defect. A control page with a script error and an external image proves the check
sees them. The screenshot stays in tests/output/fleet_report/ for a human to look at.

Without chromium the tests are skipped, except in CI (.ci/run installs it and sets WSLSIM_REQUIRED=1).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from ansible_collections.effective.wsl.plugins.plugin_utils._fleetreport import build_report, render_html
from ansible_collections.effective.wsl.tests.unit.plugins.plugin_utils.test__fleetreport import NOW, simulated_fleet

OUTPUT = Path(__file__).resolve().parents[3] / "output" / "fleet_report"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CONSOLE_LINE = re.compile(r":CONSOLE[:(]\d*\)?\] (.*)")

if CHROMIUM is None and os.environ.get("WSLSIM_REQUIRED") == "1":
    pytest.fail("chromium is required in CI (apt-get install chromium)", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(page: Path, *arguments: str) -> tuple[str, list[str]]:
    """Run headless Chromium on ``page``; return stdout and the console messages it logged."""
    with tempfile.TemporaryDirectory(prefix="fleet-chromium-") as profile:
        command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # the tests run as root; the page is our own file
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *arguments,
            page.as_uri(),
        ]
        # Generous deadline for a cold start on the shared 2-core machine; a normal run takes 1-5 s.
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout, [match.group(1) for match in CONSOLE_LINE.finditer(completed.stderr)]


@pytest.fixture(scope="module")
def report_page() -> Path:
    hosts, results = simulated_fleet(500)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / "fleet-500-browser.html"
    page.write_text(render_html(build_report(hosts, results, NOW)), encoding="utf-8")
    return page


def test_the_check_sees_script_errors_and_blocked_loads(tmp_path):
    control = tmp_path / "control.html"
    page = render_html(build_report(["a"], {}, NOW))
    control.write_text(
        page.replace("</body>", '<img src="http://example.invalid/x.png"><script>noSuchFunction();</script></body>'),
        encoding="utf-8",
    )
    _dom, messages = chromium(control, "--dump-dom")
    assert any("Uncaught ReferenceError: noSuchFunction" in message for message in messages), messages
    assert any("Content Security Policy" in message for message in messages), messages


def test_page_loads_without_console_messages_and_its_script_runs(report_page):
    dom, messages = chromium(report_page, "--dump-dom")
    assert messages == []
    assert dom.count('<tr data-state="') == 500
    # The filter script ran: it counted the visible rows into #shown (served empty).
    assert re.search(r'<span id="shown">500</span>', dom)


def test_screenshot_is_kept(report_page):
    screenshot = OUTPUT / "fleet-500.png"
    screenshot.unlink(missing_ok=True)
    _out, messages = chromium(report_page, f"--screenshot={screenshot}", "--window-size=1400,1100")
    assert messages == []
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
