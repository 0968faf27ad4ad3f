# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report: one row per Windows host from its wsl_host_facts result, as JSON and one HTML page.

Private to effective.wsl; it may change at any time. Pure functions: the action plugin
``effective.wsl.wsl_fleet_report`` collects each host's registered result and writes the two files.

The page is self-contained (inline CSS, inline SVG, a few lines of inline script, a Content-Security-Policy
that forbids loading anything else), so it can be mailed, archived as a build artefact or opened offline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from html import escape

from ansible_collections.effective.wsl.plugins.plugin_utils._pullstatus import parse_timestamp, utc_timestamp

REPORT_FORMAT = "effective.wsl.fleet_report"
VERSION = 1

UNREACHABLE = "unreachable"
FACTS_FAILED = "facts failed"
PULL_FAILED = "pull failed"
RESTART_PENDING = "restart pending"
NEVER_PULLED = "never pulled"
STALE = "stale"
OK = "ok"
# Worst first: a host shows the first that applies; the chart and the page use this order and these colours.
STATES = (UNREACHABLE, FACTS_FAILED, PULL_FAILED, RESTART_PENDING, STALE, NEVER_PULLED, OK)
COLOURS = {
    UNREACHABLE: "#6b7280",
    FACTS_FAILED: "#9333ea",
    PULL_FAILED: "#dc2626",
    RESTART_PENDING: "#d97706",
    STALE: "#ca8a04",
    NEVER_PULLED: "#2563eb",
    OK: "#16a34a",
}


class ReportError(ValueError):
    """Bad input; the message names the option and value."""


def _facts_of(result: Mapping) -> dict | None:
    facts = (result.get("ansible_facts") or {}).get("wsl_host")
    return facts if isinstance(facts, Mapping) else None


def _firewall_text(firewall: Mapping | None) -> str:
    if not firewall:
        return "unknown"
    if firewall.get("available") is False:
        return "not available"
    state = "on" if firewall.get("enabled") else "off"
    inbound = ((firewall.get("vm_setting") or {}).get("default_inbound_action") or "").lower()
    return f"{state}, inbound {inbound}" if inbound else state


def host_row(name: str, result: Mapping | None, now: datetime, stale_after: timedelta) -> dict:
    """What the report shows for one host, from its registered wsl_host_facts result (None: never contacted)."""
    row = {
        "host": name,
        "state": None,
        "reason": None,
        "user": None,
        "networking_mode": None,
        "requested_mode": None,
        "wsl_version": None,
        "windows_build": None,
        "policy_overrides": [],
        "firewall": None,
        "last_pull": None,
        "pull_result": None,
        "ref": None,
        "failures": [],
        "pending_restart": None,
        "restart_not_run_because": None,
    }
    if result is None:
        return row | {"state": UNREACHABLE, "reason": "not contacted (no result registered for this host)"}
    if result.get("unreachable"):
        return row | {"state": UNREACHABLE, "reason": str(result.get("msg") or "unreachable")}
    facts = _facts_of(result)
    if result.get("failed") or facts is None:
        return row | {"state": FACTS_FAILED, "reason": str(result.get("msg") or "no wsl_host facts in the result")}

    networking = facts.get("networking") or {}
    pull = facts.get("pull") or None
    row.update(
        user=facts.get("user"),
        networking_mode=networking.get("effective_mode"),
        requested_mode=networking.get("requested_mode"),
        wsl_version=facts.get("wsl_version"),
        windows_build=(facts.get("os") or {}).get("version"),
        policy_overrides=[
            f"{item.get('policy')}={item.get('value')}: {item.get('effect')}"
            for item in facts.get("policy_overrides") or []
        ],
        firewall=_firewall_text(facts.get("firewall")),
    )
    if not pull or not pull.get("distros"):
        return row | {"state": NEVER_PULLED, "reason": "no pull status in the user's profile"}

    distros = pull["distros"]
    latest = max(distros, key=lambda d: parse_timestamp(d.get("time")) or datetime.min.replace(tzinfo=timezone.utc))
    failures = [
        f"{d['distro']}: {f.get('task')}: {f.get('msg')}"
        for d in distros
        if d.get("result") == "failed"
        for f in d["failures"]
    ]
    row.update(
        last_pull=pull.get("last_run"),
        pull_result="failed" if pull.get("failed") else latest.get("result"),
        ref=latest.get("ref"),
        failures=failures,
        pending_restart=pull.get("pending_restart") if pull.get("pending_restart") != "none" else None,
        restart_not_run_because=pull.get("restart_not_run_because"),
    )
    last = parse_timestamp(pull.get("last_run"))
    if pull.get("failed"):
        state, reason = PULL_FAILED, f"{len(failures)} failure(s) in the last pull"
    elif row["pending_restart"]:
        state, reason = RESTART_PENDING, row["restart_not_run_because"] or "the scheduled task has not run it yet"
    elif last is None or now - last > stale_after:
        state, reason = STALE, f"no pull for more than {stale_after.days} day(s)"
    else:
        state, reason = OK, None
    return row | {"state": state, "reason": reason}


def build_report(
    hosts: Iterable[str],
    results: Mapping[str, Mapping | None],
    now: datetime,
    stale_after_days: int = 7,
) -> dict:
    """The report as data (the JSON file): every listed host, whether it answered or not."""
    if not isinstance(stale_after_days, int) or isinstance(stale_after_days, bool) or stale_after_days < 1:
        raise ReportError(f"stale_after_days: {stale_after_days!r} is not allowed; expected a whole number from 1")
    names = list(dict.fromkeys(hosts))
    rows = [host_row(name, results.get(name), now, timedelta(days=stale_after_days)) for name in names]
    rows.sort(key=lambda row: (STATES.index(row["state"]), row["host"].lower()))
    states = Counter(row["state"] for row in rows)
    answered = [row for row in rows if row["state"] not in (UNREACHABLE, FACTS_FAILED)]
    modes = Counter(row["networking_mode"] or "unknown" for row in answered)
    return {
        "format": REPORT_FORMAT,
        "version": VERSION,
        "generated": utc_timestamp(now),
        "stale_after_days": stale_after_days,
        "summary": {
            "hosts": len(rows),
            "states": {state: states.get(state, 0) for state in STATES},
            "networking_modes": dict(sorted(modes.items())),
            "pending_restarts": sum(1 for row in rows if row["pending_restart"]),
        },
        "hosts": rows,
    }


# --- HTML -------------------------------------------------------------------------------------------------

_CSS = """
:root{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f9fafb}
body{margin:0 auto;padding:24px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}
p.meta{color:#4b5563;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px}
.card b{display:block;font-size:22px}
.charts{display:flex;flex-wrap:wrap;gap:24px;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px}
.charts h2{font-size:15px;margin:0 0 8px}
.controls{margin:16px 0 8px;display:flex;gap:16px;align-items:center}
.controls input[type=search]{padding:6px 8px;width:280px;border:1px solid #d1d5db;border-radius:6px}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e5e7eb;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #e5e7eb}
th{background:#f3f4f6;position:sticky;top:0;white-space:nowrap}
td.state{min-width:150px;max-width:260px;overflow-wrap:anywhere}
td.host{font-weight:600;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
ul{margin:0;padding-left:16px}
.muted{color:#6b7280}
"""

_SCRIPT = """
(function () {
  var search = document.getElementById('filter');
  var problems = document.getElementById('problems');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#hosts tbody tr'));
  var count = document.getElementById('shown');
  function apply() {
    var needle = search.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var visible = row.textContent.toLowerCase().indexOf(needle) !== -1 &&
        (!problems.checked || row.getAttribute('data-state') !== 'ok');
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  search.addEventListener('input', apply);
  problems.addEventListener('change', apply);
  apply();
}());
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _bar_chart(title: str, counts: Mapping[str, int], colours: Mapping[str, str]) -> str:
    """A horizontal bar chart as inline SVG; one bar per key, with its count."""
    bar_height, gap, label_width, bar_width = 20, 6, 130, 260
    total = max(counts.values(), default=0) or 1
    height = len(counts) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_width + bar_width + 60}" '
        f'height="{height}" aria-label="{escape(title)}">'
    ]
    for index, (label, value) in enumerate(counts.items()):
        top = gap + index * (bar_height + gap)
        width = round(bar_width * value / total)
        colour = colours.get(label, "#2563eb")
        parts.append(
            f'<text x="{label_width - 6}" y="{top + 15}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{top}" width="{width}" height="{bar_height}" rx="3" fill="{colour}"/>'
            f'<text x="{label_width + width + 6}" y="{top + 15}" font-size="13">{value}</text>'
        )
    parts.append("</svg>")
    return f"<div><h2>{escape(title)}</h2>{''.join(parts)}</div>"


UNKNOWN = "\u2013"  # an en dash: nothing known


def _cell(value, empty: str = UNKNOWN) -> str:
    if value in (None, "", []):
        return f'<span class="muted">{empty}</span>'
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{escape(str(item))}</li>" for item in value) + "</ul>"
    return escape(str(value))


def _row_html(row: Mapping) -> str:
    state = row["state"]
    answered = state not in (UNREACHABLE, FACTS_FAILED)  # else nothing is known: no "none" or "never"
    badge = f'<span class="badge" style="background:{COLOURS[state]}">{escape(state)}</span>'
    mode = row["networking_mode"]
    if mode and row["requested_mode"] and row["requested_mode"] != mode:
        mode = f"{mode} (asked {row['requested_mode']})"
    restart = row["pending_restart"]
    if restart and row["restart_not_run_because"]:
        restart = f"{restart}: {row['restart_not_run_because']}"
    last_pull = row["last_pull"]
    if last_pull:
        last_pull = f"{last_pull} ({row['pull_result']}{', ' + row['ref'] if row['ref'] else ''})"
    cells = [
        f'<td class="host">{escape(row["host"])}</td>',
        f'<td class="state">{badge}<br>{_cell(row["reason"], "")}</td>',
        f"<td>{_cell(row['user'])}</td>",
        f"<td>{_cell(mode)}</td>",
        f"<td>{_cell(row['wsl_version'])}</td>",
        f"<td>{_cell(row['policy_overrides'], 'none' if answered else UNKNOWN)}</td>",
        f"<td>{_cell(row['firewall'])}</td>",
        f"<td>{_cell(last_pull, 'never' if answered else UNKNOWN)}</td>",
        f"<td>{_cell(row['failures'], 'none' if answered else UNKNOWN)}</td>",
        f"<td>{_cell(restart, 'none' if answered else UNKNOWN)}</td>",
    ]
    return f'<tr data-state="{escape(state)}">{"".join(cells)}</tr>'


def render_html(report: Mapping, title: str = "WSL fleet report") -> str:
    summary = report["summary"]
    states = summary["states"]
    cards = "".join(
        f'<div class="card"><b style="color:{COLOURS[state]}">{count}</b>{escape(state)}</div>'
        for state, count in states.items()
    )
    charts = _bar_chart("Hosts by state", states, COLOURS) + _bar_chart(
        "Effective networking mode (hosts that answered)", summary["networking_modes"], {}
    )
    headers = (
        "Host",
        "State",
        "User",
        "Networking",
        "WSL",
        "Policy overrides",
        "Hyper-V firewall",
        "Last pull",
        "Failures",
        "Pending restart",
    )
    head = "".join(f"<th>{name}</th>" for name in headers)
    body = "\n".join(_row_html(row) for row in report["hosts"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p class="meta">Generated {escape(report["generated"])} · {summary["hosts"]} hosts ·
{summary["pending_restarts"]} with a pending WSL restart · stale after {report["stale_after_days"]} day(s)</p>
<div class="cards">{cards}</div>
<div class="charts">{charts}</div>
<div class="controls">
<input type="search" id="filter" placeholder="Filter hosts, users, failures…" aria-label="Filter">
<label><input type="checkbox" id="problems"> only hosts that need attention</label>
<span><span id="shown"></span> shown</span>
</div>
<div class="table"><table id="hosts">
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table></div>
<script>{_SCRIPT}</script>
</body>
</html>
"""
