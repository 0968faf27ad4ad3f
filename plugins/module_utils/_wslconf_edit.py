# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validating requested settings and editing ``.wslconfig`` / ``/etc/wsl.conf`` in place.

PRIVATE to the effective.wsl collection: the API may change at any time. Pure functions over
plain data, standard library only (this file ships to targets). The scanner and the key schema
are in ``_wslconf`` (the ``.wslconfig`` keys in ``_wslconfig_schema``), the bytes of a file in
``_wslconf_codec``; every edit is checked by reading the result back the way WSL does.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from ansible_collections.effective.wsl.plugins.module_utils._typename import builtin_type_name
from ansible_collections.effective.wsl.plugins.module_utils._wslconf import (
    FILE_TYPES,
    RESTART_FOR_FILE_TYPE,
    Document,
    Entry,
    KeySpec,
    clean_hostname,
    effective_settings,
    is_read,
    key_states,
    lookup_entry,
    lookup_key,
    mangles_section,
    parse,
    schema,
    sections,
    strtol0,
    wsl_parse_value,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import (
    FileFormat,
    WslConfError,
    decode,
    encode,
    line_ending,
)

# _wslconf_effect and _wslconfig_schema serve .wslconfig only and are imported where a .wslconfig needs them: the
# targets compile every module they import from source on each run (AnsiballZ ships no bytecode), and the wsl.conf
# paths (wsl_distro_plan's check, wsl_config on /etc/wsl.conf) need neither.


def suggest(name: str, candidates: list[str]) -> str:
    """' (did you mean X?)' for the closest candidate, case-insensitively, or ''."""
    import difflib  # only a refusal needs it: reading and writing a good file does not import it

    lowered = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]}?)" if close else ""


# --------------------------------------------------------------------------------------------
# Requested settings: validation and canonical rendering
# --------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SIZE_INPUT_RE = re.compile(r"\s*(\d+)\s*([A-Za-z]*)\s*")
_SIZE_INPUT_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30}
_SIZE_INPUT_UNITS.update({"gb": 1 << 30, "t": 1 << 40, "tb": 1 << 40})
_SIZE_RENDER_UNITS = (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10))
_FILE_LABEL = {"wslconfig": ".wslconfig", "wslconf": "wsl.conf"}


@dataclass
class Requested:
    """One validated setting: ``text`` is what goes after '=' (None removes the key)."""

    section: str  # canonical spelling (the user's for unknown keys)
    key: str
    text: str | None
    value: object  # typed value, comparable with KeyState.value
    spec: KeySpec | None = None  # None for an unknown key let through by unknown_keys=warn
    note: str = ""  # unknown keys: the warning given once, when the key is written

    @property
    def label(self) -> str:
        return f"[{self.section}] {self.key}"


def quote_string(value: str) -> str:
    """Escape a string for WSL's parser; quote it when blanks at either end or '#' need protecting."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\b", "\\b")
    if value != value.strip(" \t") or "#" in value:
        return f'"{escaped}"'
    return escaped


def _render_size(number: int) -> str:
    if number == 0:
        return "0"
    for unit, factor in _SIZE_RENDER_UNITS:
        if number % factor == 0:
            return f"{number // factor}{unit}"
    return str(number)


def _bad(label: str, value: object, reason: str, allowed: str) -> WslConfError:
    return WslConfError(f"{label}: {value!r} {reason}; allowed: {allowed}")


def canonical_value(spec: KeySpec, value: object) -> tuple[str, object]:
    """(text to write, typed value) for a user value, or WslConfError naming key, value and what is allowed."""
    label = f"[{spec.section}] {spec.key}"
    kind = spec.type
    if isinstance(value, (dict, list, tuple, set)) and kind != "port-list":
        raise _bad(label, value, f"is a {builtin_type_name(value)}", _allowed_text(spec))
    if isinstance(value, str) and any(c in value for c in "\n\r\0"):
        raise _bad(label, value, "contains a line break or NUL", "a single line")
    if kind == "bool":
        if isinstance(value, bool):
            typed = value
        elif isinstance(value, int) and value in (0, 1):
            typed = bool(value)
        elif isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            typed = value.strip().lower() in ("true", "1")
        else:
            raise _bad(label, value, "is not a boolean WSL accepts", "true or false (WSL rejects yes/no/on/off)")
        return ("true" if typed else "false"), typed
    if kind == "int":
        number = _int_input(value)
        if number is None:
            raise _bad(label, value, "is not an integer", _allowed_text(spec))
        if not -(1 << 31) <= number < (1 << 31):
            raise _bad(label, value, "is out of range", "a 32-bit integer")
        if spec.key == "processors" and number < 1:
            raise _bad(label, value, "is not a CPU count", "1 or more (null removes the key: all CPUs)")
        if spec.octal:
            if number < 0:
                raise _bad(label, value, "is negative", "an octal mode such as 022")
            return f"0{number:o}", number
        return str(number), number
    if kind == "size":
        number = _size_input(value)
        if number is None:
            raise _bad(label, value, "is not a size", _allowed_text(spec))
        from ansible_collections.effective.wsl.plugins.module_utils._wslconfig_schema import UINT64_BOUND

        if number >= UINT64_BOUND:
            raise _bad(label, value, "is too large", "less than 16EB")
        return _render_size(number), number
    if kind == "enum":
        if isinstance(value, str):
            for choice in spec.choices:
                if value.strip().lower() == choice.lower():
                    if choice == "consomme":
                        # WSL before 2.9 rejects "consomme"; every WSL with that mode reads "virtioproxy"
                        # (WslCoreConfig.h:121-128, renamed in microsoft/WSL b9e1d7044 for 2.9.0)
                        return "virtioproxy", "virtioproxy"
                    return choice, choice
        hint = suggest(str(value), list(spec.choices))
        raise _bad(label, value, f"is not a valid value{hint}", ", ".join(spec.choices))
    if kind == "ip":
        try:
            text = str(ipaddress.IPv4Address(str(value).strip()))
        except ValueError:
            raise _bad(label, value, "is not an IPv4 address", "a dotted IPv4 address such as 10.255.255.254") from None
        return text, text
    if kind == "port-list":
        ports = _port_list_input(label, value)
        return ",".join(str(port) for port in ports), sorted(set(ports))
    if kind == "mac":
        ok, typed, _reason = wsl_parse_value(spec, str(value).strip())
        if not ok:
            raise _bad(label, value, "is not a MAC address", "six hex pairs separated by ':' or '-'")
        return typed, typed
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise _bad(label, value, f"is a {builtin_type_name(value)}", _allowed_text(spec))
    text = str(value)
    if kind == "path":
        _check_windows_path(label, text)
    if kind == "hostname":
        return quote_string(text), clean_hostname(text)
    return quote_string(text), text


def _allowed_text(spec: KeySpec) -> str:
    return {
        "bool": "true or false",
        "int": "an integer",
        "size": "a whole number of bytes, or a whole number with B, KB, MB, GB or TB (e.g. 8GB, 8192MB, 8589934592)",
        "path": "an absolute Windows path such as C:\\\\wsl\\\\kernel",
        "string": "a string",
        "hostname": "a host name",
        "enum": ", ".join(spec.choices),
        "ip": "an IPv4 address",
        "port-list": "a list of ports 1-65535",
        "mac": "a MAC address",
    }[spec.type]


def _int_input(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return strtol0(value.strip())
    return None


def _size_input(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE_INPUT_RE.fullmatch(value)
    if not match or match.group(2).lower() not in _SIZE_INPUT_UNITS:
        return None
    return int(match.group(1)) * _SIZE_INPUT_UNITS[match.group(2).lower()]


def _port_list_input(label: str, value: object) -> list[int]:
    allowed = "ports 1-65535 as a list or a comma-separated string, e.g. [3000, 9000] or '3000,9000'"
    if isinstance(value, str):
        items: list = [item for item in value.split(",") if item.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    else:
        raise _bad(label, value, "is not a port list", allowed)
    ports: list[int] = []
    for item in items:
        if isinstance(item, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", item):
            # WSL reads each comma-separated item with std::stoi, which stops at the '-' (microsoft/WSL
            # src/windows/common/WslCoreConfig.cpp, parseIgnoredPorts).
            raise _bad(
                label,
                item,
                "is a range; WSL does not support ranges and would read only the first port",
                "list every port, e.g. 3000,3001,3002",
            )
        if isinstance(item, str) and item.strip().isdigit():
            port = int(item.strip())
        elif isinstance(item, int) and not isinstance(item, bool):
            port = item
        else:
            raise _bad(label, item, "is not a port number", allowed)
        if not 1 <= port <= 65535:
            raise _bad(label, item, "is out of range", allowed)
        if port not in ports:
            ports.append(port)
    return ports


def _check_windows_path(label: str, path: str) -> None:
    allowed = "an absolute Windows path with a drive letter, such as C:\\wsl\\kernel (backslashes are escaped for you)"
    if path.startswith(("\\\\", "//")):
        raise _bad(label, path, "is a UNC path (WSL needs a local file)", allowed)
    if re.search(r"%[^%]+%", path):
        raise _bad(label, path, "contains an environment variable WSL does not expand", allowed)
    if not re.match(r"[A-Za-z]:[\\/]", path):
        raise _bad(label, path, "is not an absolute Windows path", allowed)
    if '"' in path:
        raise _bad(label, path, "contains a double quote", allowed)


def validate_settings(
    settings: object, file_type: str, unknown_keys: str = "error"
) -> tuple[list[Requested], list[str]]:
    """Check and canonicalise the ``settings`` option before anything is read.

    Returns (requested settings, warnings); raises WslConfError listing every problem found.
    """
    if file_type not in FILE_TYPES:
        raise WslConfError(f"type: {file_type!r} is not supported; allowed: {', '.join(FILE_TYPES)}")
    if unknown_keys not in ("error", "warn"):
        raise WslConfError(f"unknown_keys: {unknown_keys!r} is not supported; allowed: error, warn")
    if not isinstance(settings, dict):
        raise WslConfError(
            f"settings: must be a dict of section -> {{key: value}}, got {builtin_type_name(settings)} {settings!r}"
        )
    label = _FILE_LABEL[file_type]
    known_sections = sections(file_type)
    errors: list[str] = []
    warnings: list[str] = []
    requested: dict[str, Requested] = {}
    for section, keys in settings.items():
        if not isinstance(section, str) or not _NAME_RE.fullmatch(section):
            errors.append(
                f"settings: section {section!r} is not a name WSL accepts; "
                "allowed: letters and digits, starting with a letter"
            )
            continue
        if not isinstance(keys, dict):
            errors.append(f"settings.{section}: must be a dict of key -> value, got {builtin_type_name(keys)} {keys!r}")
            continue
        section_known = section.lower() in (name.lower() for name in known_sections)
        if not section_known and unknown_keys == "error":
            errors.append(
                f"settings: unknown section [{section}] for {label}{suggest(section, known_sections)}; "
                f"allowed: {', '.join(known_sections)} (unknown_keys=warn lets it through)"
            )
            continue
        for key, value in keys.items():
            if not isinstance(key, str) or not _NAME_RE.fullmatch(key):
                errors.append(
                    f"[{section}] {key!r}: not a key name WSL accepts (it would make the line invalid); "
                    "allowed: letters and digits, starting with a letter (no '_', '-' or '.')"
                )
                continue
            spec = lookup_key(file_type, section, key)
            try:
                if spec is None:
                    item = _unknown_key(file_type, section, key, value, unknown_keys)
                else:
                    text, typed = (None, None) if value is None else canonical_value(spec, value)
                    item = Requested(spec.section, spec.key, text, typed, spec)
            except WslConfError as exc:
                errors.append(str(exc))
                continue
            if file_type == "wslconfig" and item.text is not None and not item.text.isascii():
                # wsl.conf keeps UTF-8: init is built with musl, whose C locale hands each byte back unchanged
                errors.append(
                    f"{item.label}: {value!r} contains non-ASCII characters; allowed: ASCII only (WSL reads "
                    ".wslconfig values one byte per character, configfile.cpp:749, and would mangle them)"
                )
                continue
            if item.spec is not None and item.spec.type == "hostname" and item.value != str(value):
                warnings.append(
                    f"{item.label}: WSL cleans {value!r} to {item.value!r} before using it (letters, digits, one "
                    "'.', inner '-', at most 64 characters)"
                )
            identity = f"{item.section}.{item.key}".lower()
            if identity in requested:
                errors.append(
                    f"{item.label}: given more than once (names are case-insensitive, legacy aliases included)"
                )
                continue
            requested[identity] = item
    if errors:
        raise WslConfError("; ".join(errors))
    return list(requested.values()), warnings


def _unknown_key(file_type, section, key, value, unknown_keys) -> Requested:
    candidates = [spec.key for spec in schema(file_type) if spec.section.lower() == section.lower()]
    hint = suggest(key, candidates or [spec.key for spec in schema(file_type)])
    if unknown_keys == "error":
        raise WslConfError(
            f"[{section}] {key}: unknown key for {_FILE_LABEL[file_type]}{hint}; allowed in [{section}]: "
            f"{', '.join(candidates) or 'none (unknown section)'} (unknown_keys=warn lets it through)"
        )
    note = f"[{section}] {key}: unknown key{hint}; written as asked, WSL will warn and ignore it"
    if value is None:
        return Requested(section, key, None, None)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, str)):
        if isinstance(value, str) and any(c in value for c in "\n\r\0"):
            raise _bad(f"[{section}] {key}", value, "contains a line break or NUL", "a single line")
        text = quote_string(str(value))
    else:
        raise _bad(f"[{section}] {key}", value, f"is a {builtin_type_name(value)}", "a string, number or boolean")
    processed = parse(f"[a]\nk={text}\n", file_type).entries[1].value
    return Requested(section, key, text, processed, note=note)


# --------------------------------------------------------------------------------------------
# Minimal edits
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    changed: bool
    before: str
    after: str
    data: bytes  # the bytes to write (equal to the input when nothing changed)
    changed_keys: list[dict] = field(default_factory=list)  # {section, key, before, after}
    warnings: list[str] = field(default_factory=list)
    restart_required: str = "none"


def _occurrences(doc: Document, item: Requested) -> list[Entry]:
    if item.spec is not None:
        names = {name.lower() for name in (item.spec.name, *item.spec.aliases)}
    else:
        names = {f"{item.section}.{item.key}".lower()}
    return [
        entry
        for entry in doc.entries
        if entry.kind == "key" and entry.section is not None and entry.wsl_name.lower() in names
    ]


def _read_value(item: Requested, entry: Entry) -> tuple[bool, object]:
    if item.spec is None:
        return True, entry.value
    accepted, typed, _reason = wsl_parse_value(item.spec, entry.value or "")
    return accepted, typed


def _section_blocks(doc: Document, section: str, removed: set[int]) -> list[tuple[Entry, int]]:
    """Read blocks of ``section``: (header, offset just past its last kept entry)."""
    blocks = []
    current: Entry | None = None
    insert_at = 0
    for entry in doc.entries:
        if not is_read(doc, entry):
            break
        if entry.kind == "section" or (current is not None and mangles_section(entry, current.name)):
            if current is not None:
                blocks.append((current, insert_at))
            current = entry if entry.kind == "section" and entry.name.lower() == section.lower() else None
            insert_at = entry.end
        elif current is not None and id(entry) not in removed:
            insert_at = entry.end
    if current is not None:
        blocks.append((current, insert_at))
    return blocks


def _key_separator(doc: Document) -> str:
    """'=' or ' = ': the style of the file's first key, '=' (the WSL GUI's style) for a new file."""
    for entry in doc.entries:
        if entry.kind == "key":
            return " = " if entry.separator.strip(" \t") == "=" and entry.separator.startswith(" ") else "="
    return "="


def plan_edits(text: str, file_type: str, requested: list[Requested]) -> tuple[str, list[dict]]:
    """Apply ``requested`` to ``text`` with minimal edits; return (new text, changed keys).

    Changing a key rewrites only its value (spelling, spacing and inline comment stay); a new key
    goes after the last line of the first block of its section; a missing section is appended; a
    null value removes every occurrence of the key. A key whose typed value already equals the
    request is left alone, even when spelled differently (``8192MB`` satisfies ``8GB``).
    """
    doc = parse(text, file_type)
    eol = line_ending(text, file_type)
    separator = _key_separator(doc)
    label = _FILE_LABEL[file_type]
    operations: list[tuple[int, int, str]] = []
    changes: list[dict] = []
    removed: set[int] = set()
    additions: list[Requested] = []

    for item in requested:
        occurrences = _occurrences(doc, item)
        read = next((entry for entry in occurrences if is_read(doc, entry)), None)
        accepted, current = _read_value(item, read) if read is not None else (False, None)
        before = current if accepted else (read.value if read is not None else None)
        if item.text is None:
            if occurrences:
                for entry in occurrences:
                    operations.append((entry.start, entry.end, ""))
                    removed.add(id(entry))
                changes.append({"section": item.section, "key": item.key, "before": before, "after": None})
            continue
        if read is not None:
            if accepted and current == item.value:
                continue
            operations.append((read.value_start, read.value_end, item.text))
            changes.append({"section": item.section, "key": item.key, "before": before, "after": item.value})
            continue
        if occurrences:
            stop = doc.stopped_at
            raise WslConfError(
                f"{item.label}: line {occurrences[0].line} sets it, but WSL stops reading {label} at line {stop.line} "
                f"({_stop_reason(doc)}), so the value would not be used; fix or remove line {stop.line} first"
            )
        additions.append(item)
        changes.append({"section": item.section, "key": item.key, "before": None, "after": item.value})

    new_sections: dict[str, list[Requested]] = {}
    for item in additions:
        blocks = _section_blocks(doc, item.section, removed)
        if blocks:
            operations.append((blocks[0][1], blocks[0][1], f"{item.key}{separator}{item.text}{eol}"))
        elif doc.stopped_at is not None:
            stop = doc.stopped_at
            raise WslConfError(
                f"{item.label}: there is no [{item.section}] section before line {stop.line}, where WSL stops "
                f"reading {label} ({_stop_reason(doc)}); a new section after it would not be read; fix or remove "
                f"line {stop.line} first"
            )
        else:
            new_sections.setdefault(item.section, []).append(item)

    new_text = _apply(text, operations, eol, file_type)
    if new_sections:
        new_text += _line_break_needed(new_text, eol, file_type)
        for section, items in new_sections.items():
            if new_text.strip(" \t\r\n\ufeff"):
                new_text += eol
            new_text += f"[{section}]{eol}" + "".join(f"{item.key}{separator}{item.text}{eol}" for item in items)
    _check_applied(new_text, file_type, requested)
    return new_text, changes


def _stop_reason(doc: Document) -> str:
    """The whole line where WSL stops reading wsl.conf, and why."""
    return f"{doc.line_text(doc.stopped_at)!r}: {doc.stopped_at.message}"


def _apply(text: str, operations: list[tuple[int, int, str]], eol: str, file_type: str) -> str:
    pieces = []
    position = 0
    for start, end, replacement in sorted(operations, key=lambda op: (op[0], op[1] > op[0])):
        if start == end == len(text):
            replacement = _line_break_needed(text, eol, file_type) + replacement
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def _line_break_needed(text: str, eol: str, file_type: str) -> str:
    """What must follow ``text`` so that WSL reads a line appended after it as a new line.

    Comments and invalid lines run to the next LF even past a lone CR, and a backslash before the
    last LF continues a value onto the appended line, so the candidates are checked with the parser.
    """
    if not text:
        return ""
    for prefix in ("", eol, "\n", eol + eol, "\n\n"):
        probe = text + prefix
        entries = parse(probe + "a=1\n", file_type).entries
        if any(entry.kind == "key" and entry.start == len(probe) and entry.name == "a" for entry in entries):
            return prefix
    return "\n"


def _check_applied(text: str, file_type: str, requested: list[Requested]) -> None:
    """Never report success for a setting WSL would not read: re-read the result as WSL does."""
    doc = parse(text, file_type)
    for item in requested:
        occurrences = _occurrences(doc, item)
        if item.text is None:
            if occurrences:
                raise WslConfError(f"{item.label}: internal check failed, the key is still present after removal")
            continue
        read = next((entry for entry in occurrences if is_read(doc, entry)), None)
        accepted, current = _read_value(item, read) if read is not None else (False, None)
        if not accepted or current != item.value:
            raise WslConfError(
                f"{item.label}: internal check failed, WSL would read {current!r} instead of {item.value!r}; "
                "nothing was written"
            )


# --------------------------------------------------------------------------------------------
# Diagnostics: lines WSL ignores, where wsl.conf stops, keys that do nothing in the current mode
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    """One thing WSL ignores or warns about in a file.

    ``kind`` is the warning WSL prints (``unknown_key``, ``invalid_section``, ``invalid_key``,
    ``expected``, ``invalid_escape``, ``duplicate``, ``invalid_value``) with ``line`` as WSL numbers
    it (for the line where WSL stops reading wsl.conf, the message says so), or, when ``wsl`` is false,
    advice of the engine's own (``bom``, ``non_ascii``).
    """

    kind: str
    line: int
    message: str
    wsl: bool = True
    key: str = ""  # canonical or written "section.key" of the line, when it is a key


def diagnose(doc: Document) -> list[str]:
    """Warnings about what WSL will ignore in ``doc`` (microsoft/WSL src/shared/configfile/configfile.cpp)."""
    return [item.message for item in diagnostics(doc)]


def diagnostics(doc: Document) -> list[Diagnostic]:
    """What WSL warns about or ignores in ``doc``, in file order."""
    label = _FILE_LABEL[doc.file_type]
    found: list[Diagnostic] = []
    # The distro's init reads wsl.conf with fopen and the parser of src/shared/configfile/configfile.cpp, which has
    # no BOM handling (microsoft/WSL src/linux/init/WslDistributionConfig.cpp).
    if doc.file_type == "wslconf" and doc.text.startswith("\ufeff"):
        found.append(
            Diagnostic(
                "bom",
                1,
                "wsl.conf starts with a UTF-8 BOM: WSL reads it as part of line 1, which makes line 1 invalid; "
                "remove the BOM",
                wsl=False,
            )
        )
    seen: dict[str, Entry] = {}
    for entry in doc.entries:
        if not is_read(doc, entry):
            break
        where = f"{label} line {entry.line}"
        if entry.kind == "invalid":
            found.append(
                Diagnostic(
                    entry.warning,
                    entry.wsl_line,
                    f"{where}: invalid line {doc.line_text(entry)!r}, WSL ignores it: {entry.message}",
                )
            )
            continue
        if entry.kind != "key":
            continue
        found.extend(_key_diagnostics(doc, entry, where, seen))
    stop = doc.stopped_at
    if stop is not None:
        lost = [
            f"[{entry.section}] {entry.name} (line {entry.line})"
            for entry in doc.entries
            if entry.kind == "key" and entry.start >= stop.start and entry.section is not None
        ]
        found.append(
            Diagnostic(
                stop.warning,  # WSL warns about the line, then stops (configfile.cpp:808-812)
                stop.wsl_line,
                f"WSL STOPS READING {label} AT LINE {stop.line} ({_stop_reason(doc)}): every key "
                "after it keeps its default" + (f"; lost: {', '.join(lost)}" if lost else ""),
            )
        )
    return found


def _key_diagnostics(doc: Document, entry: Entry, where: str, seen: dict[str, Entry]) -> list[Diagnostic]:
    file_type = doc.file_type
    written = f"{entry.display_section}.{entry.name}" if entry.section is not None else entry.name
    if entry.section is None:
        message = (
            f"{where}: key {entry.name} is outside any section; WSL reports an unknown key and ignores it "
            "(WSL issue #12671)"
        )
        return [Diagnostic("unknown_key", entry.wsl_line, message, key=written)]
    if entry.broken_header is not None:
        header = entry.broken_header
        message = (
            f"{where}: key {entry.name} follows the broken header on line {header.line} "
            f"({doc.line_text(header)!r}), so WSL looks it up as {entry.wsl_name!r}, reports an unknown key and "
            f"ignores it (configfile.cpp keeps part of the broken name); fix line {header.line}"
        )
        return [Diagnostic("unknown_key", entry.wsl_line, message, key=written)]
    spec = lookup_entry(file_type, entry)
    if spec is None:
        candidates = [s.key for s in schema(file_type) if s.section.lower() == entry.section.lower()]
        hint = suggest(entry.name, candidates or [s.key for s in schema(file_type)])
        message = f"{where}: unknown key [{entry.section}] {entry.name}{hint}; WSL ignores it"
        return [Diagnostic("unknown_key", entry.wsl_line, message, key=written)]
    if spec.name in seen:
        message = (
            f"{where}: duplicate of [{spec.section}] {spec.key} (first on line {seen[spec.name].line}); "
            "WSL uses the first and ignores this one"
        )
        return [Diagnostic("duplicate", entry.wsl_line, message, key=spec.name)]
    seen[spec.name] = entry
    found = []
    value = entry.value or ""
    if file_type == "wslconfig" and not doc.text[entry.value_start : entry.value_end].isascii():
        found.append(
            Diagnostic(
                "non_ascii",
                entry.wsl_line,
                f"{where}: [{spec.section}] {spec.key} has non-ASCII characters; WSL reads .wslconfig values one "
                f"byte per character and gets {wsl_parse_value(spec, value)[1]!r}; write ASCII only",
                wsl=False,
                key=spec.name,
            )
        )
    accepted, _typed, reason = wsl_parse_value(spec, value)
    if not accepted:
        consequence = "WSL keeps its default"
        if spec.type == "mac":
            consequence = "WSL refuses to start the VM"
        elif spec.key == "dnsTunnelingIpAddress":
            consequence = "WSL disables DNS tunneling"
        message = f"{where}: [{spec.section}] {spec.key} = {value!r} is rejected ({reason}); {consequence}"
        found.append(Diagnostic("invalid_value", entry.wsl_line, message, key=spec.name))
    elif spec.type == "port-list":
        from ansible_collections.effective.wsl.plugins.module_utils._wslconfig_schema import rejected_port_items

        for item in rejected_port_items(value):
            message = (
                f"{where}: [{spec.section}] {spec.key} item {item!r} is not a port 1-65535; WSL warns and skips it"
            )
            found.append(Diagnostic("invalid_value", entry.wsl_line, message, key=spec.name))
    return found


_MODE_LABEL = {"nat": "NAT", "consomme": "consomme (virtioproxy)"}


def mode_warnings(text: str, file_type: str) -> list[str]:
    """Keys set in .wslconfig that WSL turns off or ignores with the rest of the file (§1.3, §1.6)."""
    if file_type != "wslconfig":
        return []
    from ansible_collections.effective.wsl.plugins.module_utils._wslconf_effect import SAFE_MODE_EFFECT, resolve

    doc = parse(text, file_type)
    settings = effective_settings(text, file_type)
    rejected = [name for name, state in key_states(doc).items() if state.read and not state.accepted]
    effect = resolve(settings, rejected)
    mode = effect["mode"]
    warnings = []
    if effect["safe_mode"]:
        warnings.append(f"[wsl2] safeMode = true turns off {SAFE_MODE_EFFECT}")
    else:
        warnings += [note for note in effect["notes"] if "not checked" not in note]
    for section, values in settings.items():
        for key in values:
            spec = lookup_key(file_type, section, key)
            if spec.modes and mode not in spec.modes and not (effect["safe_mode"] and spec.key == "dnsTunneling"):
                labels = [_MODE_LABEL.get(name, name) for name in spec.modes]
                allowed = " or ".join(labels) if len(labels) < 3 else f"{', '.join(labels[:-1])} or {labels[-1]}"
                warnings.append(
                    f"[{section}] {key} only applies in {allowed} mode; networkingMode is "
                    f"{_MODE_LABEL.get(mode, mode)}, so WSL ignores it"
                )
    if mode == "mirrored" and settings.get("wsl2", {}).get("firewall") is False:
        warnings.append("[wsl2] firewall = false has no effect: the Hyper-V firewall is always on in mirrored mode")
    if not effect["dns_tunneling"]:
        for key in ("bestEffortDnsParsing", "dnsTunnelingIpAddress"):
            if key in settings.get("experimental", {}):
                warnings.append(f"[experimental] {key} only applies with DNS tunneling, which is off; WSL ignores it")
    return warnings


def policy_warnings(requested: list[Requested], policy: dict | None) -> list[str]:
    """Requested .wslconfig keys that HKLM\\Software\\Policies\\WSL overrides (WslCoreConfig.cpp:333-403)."""
    written = [item for item in requested if item.spec and item.spec.file_type == "wslconfig" and item.text is not None]
    if not policy or not written:
        return []
    from ansible_collections.effective.wsl.plugins.module_utils._wslconf_effect import (
        POLICY_KEYS,
        policy_allows,
        policy_default_mode,
    )

    warnings = []
    default_mode = policy_default_mode(policy) or "nat"
    for item in written:
        for policy_name, keys in POLICY_KEYS.items():
            if item.spec.name not in keys or policy_allows(policy, policy_name):
                continue
            overridden = bool(item.value)
            if item.spec.key == "networkingMode":
                requested_mode = "consomme" if item.value == "virtioproxy" else str(item.value).lower()
                overridden = requested_mode not in ("none", default_mode)  # none is always allowed
                message = f"WSL uses {_MODE_LABEL.get(default_mode, default_mode)} instead"
            elif item.spec.key == "firewall":
                overridden = item.value is False
                message = "WSL keeps the firewall on (except that mirrored mode always has it on)"
            else:
                message = "WSL ignores the value"
            if overridden:
                warnings.append(
                    f"{item.label} = {item.text}: overridden by policy {policy_name}=0 "
                    f"(HKLM\\Software\\Policies\\WSL); {message}"
                )
    return warnings


def update(data: bytes | None, file_type: str, requested: list[Requested], policy: dict | None = None) -> Result:
    """Decide everything for one file: the new bytes, what changed, warnings, which restart.

    ``data`` is the current file (None when it does not exist). The output keeps the encoding, BOM
    and line endings of the input; a new file is UTF-8 without BOM (CRLF for .wslconfig, LF for wsl.conf).
    """
    text, fmt = decode(data, file_type) if data is not None else ("", FileFormat())
    new_text, changes = plan_edits(text, file_type, requested)
    new_data = encode(new_text, fmt) if changes else (data or b"")
    # an unknown key asked for with unknown_keys=warn is mentioned once, when it is written, not on every run
    unknown = {f"{item.section}.{item.key}".lower(): item for item in requested if item.spec is None}
    written = {f"{change['section']}.{change['key']}".lower() for change in changes if change["after"] is not None}
    warnings = [item.note for name, item in unknown.items() if name in written]
    warnings += [
        found.message
        for found in diagnostics(parse(new_text, file_type))
        if not (found.kind == "unknown_key" and found.key.lower() in unknown)
    ]
    warnings += mode_warnings(new_text, file_type) + policy_warnings(requested, policy)
    if fmt.encoding == "utf-16-be":
        warnings.append(
            ".wslconfig is UTF-16 big-endian: the Windows C runtime WSL uses may not read it; UTF-8 is safer"
        )
    return Result(
        changed=bool(changes),
        before=text,
        after=new_text,
        data=new_data,
        changed_keys=changes,
        warnings=warnings,
        restart_required=RESTART_FOR_FILE_TYPE[file_type] if changes else "none",
    )
