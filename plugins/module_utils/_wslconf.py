# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""WSL's INI dialect for ``.wslconfig`` and ``/etc/wsl.conf``: parse, validate, edit, render.

PRIVATE to the effective.wsl collection: the API may change at any time. Pure functions over
plain data, standard library only (this file ships to targets).

The scanner follows WSL's own parser (``src/shared/configfile/configfile.cpp``) character by
character, so "what WSL will read" is computed, not guessed (wsl-reference §1.2, §2.1). The
document keeps the original text untouched; edits are span replacements, so every byte that is
not edited survives (comments, unknown keys, odd spacing, BOM, CRLF, lone CR, UTF-16).
"""

from __future__ import annotations

import codecs
import difflib
import ipaddress
import re
from dataclasses import dataclass, field

FILE_TYPES = ("wslconfig", "wslconf")
RESTART_FOR_FILE_TYPE = {"wslconfig": "wsl_shutdown", "wslconf": "distro_terminate"}

# --------------------------------------------------------------------------------------------
# Schema (wsl-reference §1.3, §1.4, §1.5, §2.2)
# --------------------------------------------------------------------------------------------

VALUE_TYPES = ("bool", "int", "size", "path", "string", "enum", "ip", "port-list", "mac")
NETWORKING_MODES = ("none", "NAT", "bridged", "mirrored", "virtioproxy", "consomme")


@dataclass(frozen=True)
class KeySpec:
    """One key WSL knows: canonical spelling, value type and default."""

    file_type: str
    section: str
    key: str
    type: str
    default: object = None  # None: no default, or computed at run time (say so in ``note``)
    choices: tuple = ()
    note: str = ""
    modes: tuple = ()  # networking modes in which the key has an effect; () = all
    aliases: tuple = ()  # other "section.key" spellings WSL accepts for the same setting
    octal: bool = False  # render ints with a leading 0 (umask)
    documented: bool = True

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def restart(self) -> str:
        """What makes WSL read a change: ``wsl_shutdown`` (.wslconfig) or ``distro_terminate`` (wsl.conf)."""
        return RESTART_FOR_FILE_TYPE[self.file_type]


def _wslconfig_keys() -> list[KeySpec]:
    def k(section, key, type_, default=None, **kw):
        return KeySpec("wslconfig", section, key, type_, default, **kw)

    nat_like = ("NAT", "bridged")
    return [
        k("wsl2", "memory", "size", None, note="default 50% of host RAM; WSL raises values below 256MB to 256MB"),
        k("wsl2", "processors", "int", None, note="default all logical CPUs; <=0 means all"),
        k("wsl2", "swap", "size", None, note="default 25% of memory rounded up to a GB; 0 means no swap"),
        k("wsl2", "swapFile", "path", None, note="default %Temp%\\swap.vhdx"),
        k("wsl2", "kernel", "path", None, note="default inbox kernel; policy AllowKernelUserSetting can block it"),
        k("wsl2", "kernelModules", "path", None),
        k("wsl2", "kernelCommandLine", "string", None),
        k("wsl2", "localhostForwarding", "bool", True, modes=nat_like, note="ignored in mirrored mode"),
        k("wsl2", "safeMode", "bool", False),
        k("wsl2", "guiApplications", "bool", True),
        k("wsl2", "debugConsole", "bool", False),
        k("wsl2", "maxCrashDumpCount", "int", 10),
        k("wsl2", "nestedVirtualization", "bool", None, note="default true on Windows 11 x64, else false"),
        k("wsl2", "vmIdleTimeout", "int", 60000),
        k("wsl2", "dnsProxy", "bool", True, modes=("NAT",), note="NAT only"),
        k(
            "wsl2",
            "networkingMode",
            "enum",
            "NAT",
            choices=NETWORKING_MODES,
            aliases=("experimental.networkingMode",),
        ),
        k("wsl2", "firewall", "bool", True, aliases=("experimental.firewall",), note="always on in mirrored mode"),
        k("wsl2", "dnsTunneling", "bool", True, aliases=("experimental.dnsTunneling",)),
        k("wsl2", "autoProxy", "bool", True, aliases=("experimental.autoProxy",)),
        k("wsl2", "defaultVhdSize", "size", 1099511627776),
        k("wsl2", "ipv6", "bool", False, documented=False),
        k("wsl2", "dhcp", "bool", True, documented=False),
        k("wsl2", "dhcpTimeout", "int", 5000, documented=False),
        k("wsl2", "vmSwitch", "string", None, modes=("bridged",), documented=False, note="bridged mode only"),
        k("wsl2", "macAddress", "mac", None, modes=("bridged",), documented=False, note="bridged mode only"),
        k("wsl2", "gpuSupport", "bool", True, documented=False),
        k("wsl2", "virtio", "bool", None, documented=False, note="default true except on Windows 10 ARM64"),
        k("wsl2", "virtiofs", "bool", False, documented=False),
        k("wsl2", "virtio9p", "bool", False, documented=False, note="forced off by WSL"),
        k("wsl2", "hostFileSystemAccess", "bool", True, documented=False),
        k("wsl2", "hardwarePerformanceCounters", "bool", None, documented=False, note="default true on x64"),
        k("wsl2", "kernelBootTimeout", "int", 30000, documented=False),
        k("wsl2", "distributionStartTimeout", "int", 60000, documented=False),
        k("wsl2", "mountDeviceTimeout", "int", 5000, documented=False),
        k("wsl2", "loadDefaultKernelModules", "bool", True, documented=False),
        k("wsl2", "loadKernelModules", "string", None, documented=False),
        k("wsl2", "isolateDistroCgroup", "bool", True, documented=False),
        k("wsl2", "earlyBootLogging", "bool", None, documented=False, note="debug only"),
        k("wsl2", "debugConsoleLogFile", "path", None, documented=False, note="debug only"),
        k("wsl2", "kernelDebugPort", "int", None, documented=False, note="debug only"),
        k("wsl2", "systemDistro", "path", None, documented=False, note="internal"),
        k("wsl2", "telemetry", "bool", None, documented=False, note="internal"),
        k("wsl2", "crashDumpFolder", "path", None, documented=False, note="default %Temp%\\wsl-crashes"),
        k(
            "experimental",
            "autoMemoryReclaim",
            "enum",
            "dropCache",
            choices=("disabled", "gradual", "dropCache"),
        ),
        k("experimental", "sparseVhd", "bool", False),
        k("experimental", "bestEffortDnsParsing", "bool", False, note="only with DNS tunneling"),
        k(
            "experimental",
            "dnsTunnelingIpAddress",
            "ip",
            "10.255.255.254",
            note="only with DNS tunneling; an invalid address disables DNS tunneling",
        ),
        k("experimental", "initialAutoProxyTimeout", "int", 1000),
        k("experimental", "ignoredPorts", "port-list", None, modes=("mirrored",), note="mirrored only"),
        k("experimental", "hostAddressLoopback", "bool", False, modes=("mirrored",), note="mirrored only"),
        k("experimental", "swiotlb", "size", None, documented=False),
        k("experimental", "virtioFsAggregateShares", "bool", True, documented=False),
        k("experimental", "setVersionDebug", "bool", False, documented=False, note="debug only"),
        k("general", "distributionInstallPath", "path", None, documented=False, note="default %LOCALAPPDATA%\\wsl"),
        k("general", "instanceIdleTimeout", "int", 15000, documented=False),
    ]


def _wslconf_keys() -> list[KeySpec]:
    def k(section, key, type_, default=None, **kw):
        return KeySpec("wslconf", section, key, type_, default, **kw)

    return [
        k("boot", "systemd", "bool", False, note="WSL 2 only, needs an executable /sbin/init"),
        k("boot", "command", "string", None, note="run as root when the distro starts"),
        k("boot", "protectBinfmt", "bool", True),
        k("boot", "initTimeout", "int", 10000, documented=False),
        k("automount", "enabled", "bool", True),
        k("automount", "root", "string", "/mnt/", note="a trailing / is added if missing"),
        k("automount", "options", "string", None, note="DrvFs options such as metadata,uid=1000"),
        k("automount", "mountFsTab", "bool", True),
        k("automount", "ldconfig", "bool", True, documented=False),
        k("automount", "cgroups", "enum", "v2", choices=("v1", "v2"), documented=False),
        k("network", "generateHosts", "bool", True),
        k("network", "generateResolvConf", "bool", True, note="must stay true for DNS tunneling"),
        k("network", "hostname", "string", None, note="default the Windows host name"),
        k("interop", "enabled", "bool", True),
        k("interop", "appendWindowsPath", "bool", True),
        k("user", "default", "string", None, note="default the user created on first run"),
        k("gpu", "enabled", "bool", True),
        k("gpu", "appendLibPath", "bool", True, documented=False),
        k("time", "useWindowsTimezone", "bool", True),
        k("filesystem", "umask", "int", 0o022, octal=True, documented=False),
        k("fileServer", "enabled", "bool", True, documented=False),
        k("fileServer", "logFile", "string", None, documented=False),
        k("fileServer", "logLevel", "int", None, documented=False),
        k("fileServer", "logTruncate", "bool", True, documented=False),
        k("general", "guiApplications", "bool", None, documented=False, note="controlled by WSLg; do not set"),
    ]


SCHEMA: dict[str, tuple[KeySpec, ...]] = {
    "wslconfig": tuple(_wslconfig_keys()),
    "wslconf": tuple(_wslconf_keys()),
}

# lower-case "section.key" (including aliases) -> KeySpec
_LOOKUP: dict[str, dict[str, KeySpec]] = {}
for _file_type, _specs in SCHEMA.items():
    _LOOKUP[_file_type] = {}
    for _spec in _specs:
        for _name in (_spec.name, *_spec.aliases):
            _LOOKUP[_file_type][_name.lower()] = _spec


def sections(file_type: str) -> list[str]:
    """Canonical section names of a file type (alias-only sections included)."""
    names: dict[str, None] = {}
    for spec in SCHEMA[file_type]:
        names[spec.section] = None
        for alias in spec.aliases:
            names[alias.split(".", 1)[0]] = None
    return list(names)


def lookup_key(file_type: str, section: str, key: str) -> KeySpec | None:
    """The KeySpec WSL matches for ``section``/``key`` (case-insensitive, legacy aliases included)."""
    return _LOOKUP[file_type].get(f"{section}.{key}".lower())


def default_value(file_type: str, section: str, key: str) -> object:
    """WSL's default for a key, typed like effective_settings(); None where it is computed or absent."""
    spec = lookup_key(file_type, section, key)
    if spec is None:
        raise KeyError(f"unknown key [{section}] {key} for {file_type}")
    return spec.default


# --------------------------------------------------------------------------------------------
# Scanner: a faithful model of WSL's ParseConfigFile (configfile.cpp)
# --------------------------------------------------------------------------------------------


def _is_alpha(ch: str | None) -> bool:
    return ch is not None and ("a" <= ch <= "z" or "A" <= ch <= "Z")


def _is_alnum(ch: str | None) -> bool:
    return _is_alpha(ch) or (ch is not None and "0" <= ch <= "9")


_HSPACE = (" ", "\t")  # wsl-reference §1.2: only space and tab are skipped around names and '='


@dataclass
class Entry:
    """One logical line as WSL's parser sees it.

    ``start``/``end`` are offsets into the document text: ``start`` is where the line begins
    (before leading blanks), ``end`` is just past its line terminator (or EOF). For keys,
    ``value_start``/``value_end`` delimit the raw value text (quotes/escapes included, trailing
    blanks and the inline comment excluded).
    """

    kind: str  # "section" | "key" | "invalid"
    line: int
    start: int
    end: int
    name: str = ""  # section name or key name as written
    section: str | None = None  # for keys: the section name in force, as written; None outside any section
    value: str | None = None  # processed value (quotes removed, escapes applied, trailing blanks trimmed)
    value_start: int = 0
    value_end: int = 0
    separator: str = "="  # raw text from the end of the key name to the value start
    message: str = ""


@dataclass
class Document:
    text: str
    file_type: str
    entries: list[Entry] = field(default_factory=list)
    stopped_at: Entry | None = None  # wsl.conf: the invalid line where WSL stops reading (§2.1)

    def render(self) -> str:
        return self.text


class _Reader:
    """fgetwc() over a str; for .wslconfig the MSVC text mode turns CRLF into LF (§1.2)."""

    def __init__(self, text: str, start: int, crlf_as_lf: bool):
        self.text = text
        self.pos = start
        self.last = start  # offset of the character returned by the last getc()
        self.crlf_as_lf = crlf_as_lf
        self.eof = False

    def getc(self) -> str | None:
        self.last = self.pos
        if self.pos >= len(self.text):
            self.eof = True
            return None
        if self.crlf_as_lf and self.text.startswith("\r\n", self.pos):
            self.pos += 2
            return "\n"
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def next_is_newline(self) -> bool:
        return self.pos < len(self.text) and self.text[self.pos] == "\n"


def _line_end(text: str, pos: int) -> int:
    """Offset just past the line terminator at ``pos`` (CRLF, LF or lone CR), or pos at EOF."""
    if text.startswith("\r\n", pos):
        return pos + 2
    if pos < len(text) and text[pos] in "\r\n":
        return pos + 1
    return pos


def _skip_to_newline(text: str, pos: int) -> int:
    """Offset just past the next LF (WSL skips comments and invalid lines up to LF only)."""
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1


def _line_number(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def parse(text: str, file_type: str) -> Document:
    """Scan ``text`` exactly as WSL does; the Document keeps ``text`` unchanged."""
    if file_type not in FILE_TYPES:
        raise ValueError(f"file_type must be one of {', '.join(FILE_TYPES)}, got {file_type!r}")
    # .wslconfig: the CRT consumes a BOM (§1.2). wsl.conf: a BOM is just bytes on the first line (§2.1).
    start = 1 if file_type == "wslconfig" and text.startswith("\ufeff") else 0
    reader = _Reader(text, start, crlf_as_lf=file_type == "wslconfig")
    stop_on_invalid = file_type == "wslconf"
    doc = Document(text=text, file_type=file_type)
    section: str | None = None
    ch: str | None = ""

    def invalid(line_start: int, message: str) -> None:
        """Record an invalid line and skip to LF. In wsl.conf WSL stops at the first one (§2.1); the
        scan goes on so that callers can name the keys WSL will not read."""
        nonlocal ch
        while ch is not None and ch != "\n":
            ch = reader.getc()
        entry = Entry("invalid", _line_number(text, line_start), line_start, reader.pos, message=message)
        doc.entries.append(entry)
        if stop_on_invalid and doc.stopped_at is None:
            doc.stopped_at = entry

    while True:
        if ch == "#":  # pending comment, up to LF
            while True:
                ch = reader.getc()
                if ch == "\r":
                    ch = reader.getc()
                if ch == "\n" or ch is None:
                    break
        if reader.eof:
            break
        line_start = reader.pos
        ch = reader.getc()
        while ch in _HSPACE:
            ch = reader.getc()
        if ch is None or ch == "\n" or ch == "#":
            continue
        if ch == "\r":
            if reader.next_is_newline():
                reader.getc()
            ch = ""
            continue
        if ch == "[":
            ch = reader.getc()
            if not _is_alpha(ch):
                invalid(line_start, "a section name must start with a letter")
                continue
            name = ""
            while _is_alnum(ch):
                name += ch
                ch = reader.getc()
            if ch != "]":
                invalid(line_start, f"section [{name}: expected ']' (names are letters and digits only)")
                continue
            ch = reader.getc()
            while ch in _HSPACE:
                ch = reader.getc()
            if ch not in (None, "\n", "\r", "#"):
                invalid(line_start, f"section [{name}]: unexpected text after ']'")
                continue
            terminator = reader.last if ch is not None else len(text)
            end = _skip_to_newline(text, terminator) if ch == "#" else _line_end(text, terminator)
            section = name
            doc.entries.append(Entry("section", _line_number(text, line_start), line_start, end, name=name))
            if ch == "\r":
                ch = ""
            continue
        if not _is_alpha(ch):
            invalid(line_start, f"a key name must start with a letter, found {ch!r}")
            continue
        key = ""
        while _is_alnum(ch):
            key += ch
            ch = reader.getc()
        key_end = reader.last if ch is not None else len(text)
        while ch in _HSPACE:
            ch = reader.getc()
        if ch != "=":
            found = "end of line" if ch in (None, "\n", "\r") else repr(ch)
            invalid(line_start, f"key {key}: expected '=' after the name (letters and digits only), found {found}")
            continue
        ch = reader.getc()
        while ch in _HSPACE:
            ch = reader.getc()
        value_start = reader.last if ch is not None else len(text)
        value_end = value_start
        chars: list[str] = []
        trimmed = 0
        in_quote = False
        bad_escape = None
        while ch is not None and ch not in ("\n", "\r"):
            if ch == '"':
                in_quote = not in_quote
            elif ch == "\\":
                escaped = reader.getc()
                if escaped in ("\\", '"'):
                    chars.append(escaped)
                elif escaped == "b":
                    chars.append("\b")
                elif escaped == "n":
                    chars.append("\n")
                elif escaped == "t":
                    chars.append("\t")
                elif escaped == "\n":
                    pass  # line continuation
                else:
                    bad_escape = "end of file" if escaped is None else repr("\\" + escaped)
                    break
            elif ch == "#" and not in_quote:
                break
            else:
                chars.append(ch)
            if ch not in _HSPACE:
                trimmed = len(chars)
                value_end = reader.pos
            ch = reader.getc()
        if bad_escape is not None:
            invalid(line_start, f'key {key}: invalid escape {bad_escape} (allowed: \\\\ \\" \\n \\t \\b)')
            continue
        if in_quote:
            invalid(line_start, f"key {key}: unclosed quote")
            continue
        terminator = reader.last if ch is not None else len(text)
        end = _skip_to_newline(text, terminator) if ch == "#" else _line_end(text, terminator)
        value = "".join(chars[:trimmed]).split("\0", 1)[0]  # WSL hands the value on as a C string
        doc.entries.append(
            Entry(
                "key",
                _line_number(text, line_start),
                line_start,
                end,
                name=key,
                section=section,
                value=value,
                value_start=value_start,
                value_end=value_end,
                separator=text[key_end:value_start],
            )
        )
        if ch == "\r":
            ch = ""
    return doc


# --------------------------------------------------------------------------------------------
# Typed values as WSL reads them
# --------------------------------------------------------------------------------------------

_UINT64 = 1 << 64
_SIZE_UNITS = {"B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "G": 1 << 30, "GB": 1 << 30}
_SIZE_UNITS.update({"T": 1 << 40, "TB": 1 << 40})
_C_SPACE = " \t\n\v\f\r"


def _strtoull10(text: str) -> tuple[int, int]:
    """C strtoull(base 10): (value, index of the first unparsed character)."""
    i = 0
    while i < len(text) and text[i] in _C_SPACE:
        i += 1
    sign = 1
    if i < len(text) and text[i] in "+-":
        sign = -1 if text[i] == "-" else 1
        i += 1
    digits_start = i
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    if i == digits_start:
        return 0, 0
    number = int(text[digits_start:i])
    if number >= _UINT64:
        return _UINT64 - 1, i
    return (number * sign) % _UINT64, i


def _strtol0(text: str) -> int | None:
    """C strtol(base 0) that must consume the whole string (WSL checks ``*end == 0``), or None."""
    match = re.fullmatch(r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not match:
        return None
    digits = match.group(2)
    if digits[:2].lower() == "0x":
        number = int(digits[2:], 16)
    elif digits.startswith("0"):
        number = int(digits, 8)
    else:
        number = int(digits)
    return -number if match.group(1) == "-" else number


def wsl_parse_value(spec: KeySpec, raw: str) -> tuple[bool, object, str]:
    """Interpret a processed value like WSL: (accepted, typed value, reason when rejected)."""
    kind = spec.type
    if kind == "bool":
        # wsl-reference §1.2: only true/false (any case) and 1/0
        if raw in ("1", "0"):
            return True, raw == "1", ""
        if raw.lower() in ("true", "false"):
            return True, raw.lower() == "true", ""
        return False, None, "WSL accepts only true, false, 1 or 0"
    if kind == "int":
        number = _strtol0(raw)
        if number is None:
            return False, None, "not an integer"
        if spec.file_type == "wslconfig":
            # Windows: long is 32 bits, strtol saturates on overflow and WSL does not check errno
            number = max(-(1 << 31), min(number, (1 << 31) - 1))
        elif not -(1 << 31) <= number < (1 << 31):
            return False, None, "out of the 32-bit integer range"
        return True, number, ""
    if kind == "size":
        # ParseMemorySize: strtoull base 10, then nothing or one of B K KB M MB G GB T TB (upper case)
        number, end = _strtoull10(raw)
        if number == 0 and not (raw.startswith("0") and end == 1):
            return False, None, "not a size (digits, then B, K, KB, M, MB, G, GB, T or TB in upper case)"
        unit = raw[end:]
        if unit == "":
            return True, number, ""
        if unit not in _SIZE_UNITS:
            return False, None, "unknown unit (use B, K, KB, M, MB, G, GB, T or TB, upper case, no space)"
        return True, (number * _SIZE_UNITS[unit]) % _UINT64, ""
    if kind in ("path", "string"):
        return True, raw, ""
    if kind == "enum":
        for choice in spec.choices:
            if raw.lower() == choice.lower():
                return True, choice, ""
        return False, None, f"allowed: {', '.join(spec.choices)}"
    if kind == "ip":
        try:
            return True, str(ipaddress.IPv4Address(raw)), ""
        except ValueError:
            return False, None, "not an IPv4 address"
    if kind == "port-list":
        ports = set()
        for item in (part for part in raw.split(",") if part):
            match = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", item)  # std::stoi reads a prefix
            if match and 0 < int(match.group(1)) <= 65535:
                ports.add(int(match.group(1)))
        return True, sorted(ports), ""
    if kind == "mac":
        match = re.fullmatch(r"([0-9A-Fa-f]{2})([:-])([0-9A-Fa-f]{2})(?:\2([0-9A-Fa-f]{2})){4}", raw)
        if not match:
            return False, None, "not a MAC address (WSL refuses to start)"
        return True, ":".join(re.findall(r"[0-9A-Fa-f]{2}", raw)).upper(), ""
    raise ValueError(f"unknown value type {kind}")


@dataclass
class KeyState:
    """Where a known key stands in a document."""

    spec: KeySpec
    entries: list[Entry] = field(default_factory=list)  # every occurrence (aliases included), in file order
    read: Entry | None = None  # the occurrence WSL uses (first one it reaches)
    accepted: bool = False
    value: object = None  # typed value WSL uses when accepted


def key_states(doc: Document) -> dict[str, KeyState]:
    """Known keys found in ``doc`` by canonical "section.key"."""
    states: dict[str, KeyState] = {}
    for entry in doc.entries:
        if entry.kind != "key" or entry.section is None:
            continue
        spec = lookup_key(doc.file_type, entry.section, entry.name)
        if spec is None:
            continue
        state = states.setdefault(spec.name, KeyState(spec))
        state.entries.append(entry)
        if state.read is None and _is_read(doc, entry):
            state.read = entry
            state.accepted, state.value, _reason = wsl_parse_value(spec, entry.value or "")
    return states


def _is_read(doc: Document, entry: Entry) -> bool:
    return doc.stopped_at is None or entry.start < doc.stopped_at.start


def effective_settings(text: str, file_type: str) -> dict[str, dict[str, object]]:
    """What WSL will use from this file: {section: {key: typed value}} in canonical spelling.

    First occurrence wins (even when its value is rejected), legacy [experimental] aliases map to
    their [wsl2] key, unknown keys and rejected values are left out (WSL keeps its default), and
    for wsl.conf nothing after the first invalid line is read (wsl-reference §1.2, §2.1).
    """
    result: dict[str, dict[str, object]] = {}
    for state in key_states(parse(text, file_type)).values():
        if state.read is not None and state.accepted:
            result.setdefault(state.spec.section, {})[state.spec.key] = state.value
    return result


def suggest(name: str, candidates: list[str]) -> str:
    """' (did you mean X?)' for the closest candidate, case-insensitively, or ''."""
    lowered = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]}?)" if close else ""


# --------------------------------------------------------------------------------------------
# Bytes <-> text, keeping encoding, BOM and line endings
# --------------------------------------------------------------------------------------------


class WslConfError(ValueError):
    """Bad input or a file the engine refuses to edit; the message says what and why."""


@dataclass(frozen=True)
class FileFormat:
    encoding: str = "utf-8"  # "utf-8", "utf-16-le" or "utf-16-be"
    bom: bool = False


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes, file_type: str) -> tuple[str, FileFormat]:
    """Bytes to text the way WSL opens the file; encode(text, fmt) gives the same bytes back.

    .wslconfig: the CRT honours a UTF-8 or UTF-16 BOM, otherwise UTF-8 (§1.2). wsl.conf: read as
    bytes in the C locale (§2.1), so a BOM stays in the text (and makes line 1 invalid). Bytes
    that are not valid UTF-8 survive as surrogate escapes.
    """
    if file_type == "wslconfig":
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                body = data[len(bom) :]
                if encoding == "utf-8":
                    return body.decode("utf-8", "surrogateescape"), FileFormat("utf-8", True)
                try:
                    return body.decode(encoding, "surrogatepass"), FileFormat(encoding, True)
                except UnicodeDecodeError as exc:
                    message = f"the file starts with a {encoding} BOM but is not valid {encoding}: {exc}"
                    raise WslConfError(message) from None
    return data.decode("utf-8", "surrogateescape"), FileFormat()


def encode(text: str, fmt: FileFormat) -> bytes:
    if fmt.encoding == "utf-8":
        return (codecs.BOM_UTF8 if fmt.bom else b"") + text.encode("utf-8", "surrogateescape")
    bom = codecs.BOM_UTF16_LE if fmt.encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    return (bom if fmt.bom else b"") + text.encode(fmt.encoding, "surrogatepass")


def line_ending(text: str, file_type: str) -> str:
    """The file's line ending (CRLF wins when present); for an empty file CRLF for .wslconfig, LF for wsl.conf."""
    if "\r\n" in text:
        return "\r\n"
    if "\n" in text:
        return "\n"
    if "\r" in text:
        return "\r"
    return "\r\n" if file_type == "wslconfig" else "\n"


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
        raise _bad(label, value, f"is a {type(value).__name__}", _allowed_text(spec))
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
        if number >= _UINT64:
            raise _bad(label, value, "is too large", "less than 16EB")
        return _render_size(number), number
    if kind == "enum":
        if isinstance(value, str):
            for choice in spec.choices:
                if value.strip().lower() == choice.lower():
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
        raise _bad(label, value, f"is a {type(value).__name__}", _allowed_text(spec))
    text = str(value)
    if kind == "path":
        _check_windows_path(label, text)
    return quote_string(text), text


def _allowed_text(spec: KeySpec) -> str:
    return {
        "bool": "true or false",
        "int": "an integer",
        "size": "a whole number of bytes, or a whole number with B, KB, MB, GB or TB (e.g. 8GB, 8192MB, 8589934592)",
        "path": "an absolute Windows path such as C:\\\\wsl\\\\kernel",
        "string": "a string",
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
        return _strtol0(value.strip())
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
            raise _bad(
                label,
                item,
                "is a range; WSL does not support ranges and would read only the first port (wsl-reference §1.4)",
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
            f"settings: must be a dict of section -> {{key: value}}, got {type(settings).__name__} {settings!r}"
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
            errors.append(f"settings.{section}: must be a dict of key -> value, got {type(keys).__name__} {keys!r}")
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
                    item = _unknown_key(file_type, section, key, value, unknown_keys, warnings)
                else:
                    text, typed = (None, None) if value is None else canonical_value(spec, value)
                    item = Requested(spec.section, spec.key, text, typed, spec)
            except WslConfError as exc:
                errors.append(str(exc))
                continue
            if file_type == "wslconf" and item.text is not None and not item.text.isascii():
                errors.append(
                    f"{item.label}: {value!r} contains non-ASCII characters; allowed: ASCII only "
                    "(WSL reads /etc/wsl.conf in the C locale, wsl-reference §2.1)"
                )
                continue
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


def _unknown_key(file_type, section, key, value, unknown_keys, warnings) -> Requested:
    candidates = [spec.key for spec in SCHEMA[file_type] if spec.section.lower() == section.lower()]
    hint = suggest(key, candidates or [spec.key for spec in SCHEMA[file_type]])
    if unknown_keys == "error":
        raise WslConfError(
            f"[{section}] {key}: unknown key for {_FILE_LABEL[file_type]}{hint}; allowed in [{section}]: "
            f"{', '.join(candidates) or 'none (unknown section)'} (unknown_keys=warn lets it through)"
        )
    warnings.append(f"[{section}] {key}: unknown key{hint}; written as asked, WSL will warn and ignore it")
    if value is None:
        return Requested(section, key, None, None)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, str)):
        if isinstance(value, str) and any(c in value for c in "\n\r\0"):
            raise _bad(f"[{section}] {key}", value, "contains a line break or NUL", "a single line")
        text = quote_string(str(value))
    else:
        raise _bad(f"[{section}] {key}", value, f"is a {type(value).__name__}", "a string, number or boolean")
    processed = parse(f"[a]\nk={text}\n", file_type).entries[1].value
    return Requested(section, key, text, processed)


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
        if entry.kind == "key" and entry.section is not None and f"{entry.section}.{entry.name}".lower() in names
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
        if not _is_read(doc, entry):
            break
        if entry.kind == "section":
            if current is not None:
                blocks.append((current, insert_at))
            current = entry if entry.name.lower() == section.lower() else None
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
        read = next((entry for entry in occurrences if _is_read(doc, entry)), None)
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
                f"({stop.message}), so the value would not be used; fix or remove line {stop.line} first"
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
                f"reading {label} ({stop.message}); a new section after it would not be read; fix or remove "
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
        read = next((entry for entry in occurrences if _is_read(doc, entry)), None)
        accepted, current = _read_value(item, read) if read is not None else (False, None)
        if not accepted or current != item.value:
            raise WslConfError(
                f"{item.label}: internal check failed, WSL would read {current!r} instead of {item.value!r}; "
                "nothing was written"
            )


# --------------------------------------------------------------------------------------------
# Diagnostics: lines WSL ignores, where wsl.conf stops, keys that do nothing in the current mode
# --------------------------------------------------------------------------------------------


def diagnose(doc: Document) -> list[str]:
    """Warnings about what WSL will ignore in ``doc`` (wsl-reference §1.2, §2.1)."""
    label = _FILE_LABEL[doc.file_type]
    warnings: list[str] = []
    if doc.file_type == "wslconf" and doc.text.startswith("\ufeff"):
        warnings.append(
            "wsl.conf starts with a UTF-8 BOM: WSL reads it as part of line 1, which makes line 1 invalid "
            "(wsl-reference §2.1); remove the BOM"
        )
    seen: dict[str, Entry] = {}
    for entry in doc.entries:
        if not _is_read(doc, entry):
            break
        where = f"{label} line {entry.line}"
        if entry.kind == "invalid":
            warnings.append(f"{where}: invalid line, WSL ignores it: {entry.message}")
            continue
        if entry.kind != "key":
            continue
        if entry.section is None:
            warnings.append(
                f"{where}: key {entry.name} is outside any section; WSL reports an unknown key and ignores it "
                "(WSL issue #12671)"
            )
            continue
        spec = lookup_key(doc.file_type, entry.section, entry.name)
        if spec is None:
            candidates = [s.key for s in SCHEMA[doc.file_type] if s.section.lower() == entry.section.lower()]
            hint = suggest(entry.name, candidates or [s.key for s in SCHEMA[doc.file_type]])
            warnings.append(f"{where}: unknown key [{entry.section}] {entry.name}{hint}; WSL ignores it")
            continue
        if spec.name in seen:
            warnings.append(
                f"{where}: duplicate of [{spec.section}] {spec.key} (first on line {seen[spec.name].line}); "
                "WSL uses the first and ignores this one"
            )
            continue
        seen[spec.name] = entry
        accepted, _typed, reason = wsl_parse_value(spec, entry.value or "")
        if not accepted:
            consequence = "WSL keeps its default"
            if spec.type == "mac":
                consequence = "WSL refuses to start the VM"
            elif spec.key == "dnsTunnelingIpAddress":
                consequence = "WSL disables DNS tunneling"
            warnings.append(
                f"{where}: [{spec.section}] {spec.key} = {entry.value!r} is rejected ({reason}); {consequence}"
            )
    stop = doc.stopped_at
    if stop is not None:
        lost = [
            f"[{entry.section}] {entry.name} (line {entry.line})"
            for entry in doc.entries
            if entry.kind == "key" and entry.start >= stop.start and entry.section is not None
        ]
        warnings.append(
            f"WSL STOPS READING {label} AT LINE {stop.line} ({stop.message}): every key after it keeps its default"
            + (f"; lost: {', '.join(lost)}" if lost else "")
        )
    return warnings


def mode_warnings(text: str, file_type: str) -> list[str]:
    """Keys set in .wslconfig that have no effect in the effective networking mode (§1.3, §1.6)."""
    if file_type != "wslconfig":
        return []
    settings = effective_settings(text, file_type)
    wsl2 = settings.get("wsl2", {})
    experimental = settings.get("experimental", {})
    safe_mode = wsl2.get("safeMode") is True
    mode = "none" if safe_mode else wsl2.get("networkingMode", "NAT")
    warnings = []
    if safe_mode:
        warnings.append(
            "[wsl2] safeMode = true turns off networking (mode none), DNS tunneling, autoProxy, GPU, GUI apps, "
            "nested virtualisation, swap and any custom kernel"
        )
    for section, values in settings.items():
        for key in values:
            spec = lookup_key(file_type, section, key)
            if spec.modes and mode not in spec.modes:
                warnings.append(
                    f"[{section}] {key} only applies in {' or '.join(spec.modes)} mode; networkingMode is {mode}, "
                    "so WSL ignores it"
                )
    if mode == "mirrored" and wsl2.get("firewall") is False:
        warnings.append("[wsl2] firewall = false has no effect: the Hyper-V firewall is always on in mirrored mode")
    tunneling = wsl2.get("dnsTunneling", True) and mode in ("NAT", "mirrored", "consomme")
    if not tunneling:
        for key in ("bestEffortDnsParsing", "dnsTunnelingIpAddress"):
            if key in experimental:
                warnings.append(f"[experimental] {key} only applies with DNS tunneling, which is off; WSL ignores it")
    return warnings


# wsl-reference §1.1 and WslCoreConfig.cpp: policy value -> the keys it overrides
POLICY_KEYS = {
    "AllowKernelUserSetting": ("wsl2.kernel", "wsl2.kernelModules"),
    "AllowKernelCommandLineUserSetting": ("wsl2.kernelCommandLine",),
    "AllowKernelDebugUserSetting": ("wsl2.kernelDebugPort",),
    "AllowNestedVirtualization": ("wsl2.nestedVirtualization",),
    "AllowSystemDistroUserSetting": ("wsl2.systemDistro",),
    "AllowNetworkingModeUserSetting": ("wsl2.networkingMode",),
    "AllowFirewallUserSetting": ("wsl2.firewall",),
}
_POLICY_NETWORKING_MODES = {0: "none", 1: "NAT", 3: "mirrored", 4: "consomme"}


def _policy_forbids(policy: dict, name: str) -> bool:
    value = policy.get(name)
    return value is not None and str(value).strip().lower() in ("0", "false")


def policy_warnings(requested: list[Requested], policy: dict | None) -> list[str]:
    """Requested .wslconfig keys that HKLM\\Software\\Policies\\WSL overrides (wsl-reference §1.1)."""
    if not policy:
        return []
    warnings = []
    for item in requested:
        if item.spec is None or item.spec.file_type != "wslconfig" or item.text is None:
            continue
        for policy_name, keys in POLICY_KEYS.items():
            if item.spec.name not in keys or not _policy_forbids(policy, policy_name):
                continue
            overridden = bool(item.value)
            if item.spec.key == "networkingMode":
                try:
                    default_mode = _POLICY_NETWORKING_MODES.get(int(policy.get("DefaultNetworkingMode", 1)), "NAT")
                except (TypeError, ValueError):
                    default_mode = "NAT"
                same = item.value == default_mode or {item.value, default_mode} == {"virtioproxy", "consomme"}
                overridden = item.value != "none" and not same
                message = f"WSL uses {default_mode} instead"
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
    warnings = diagnose(parse(new_text, file_type)) + mode_warnings(new_text, file_type)
    warnings += policy_warnings(requested, policy)
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
