# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""WSL's INI dialect for ``.wslconfig`` and ``/etc/wsl.conf``: the key schema and what WSL reads.

PRIVATE to the effective.wsl collection: the API may change at any time. Pure functions over
plain data, standard library only (this file ships to targets).

The scanner follows WSL's own parser (``src/shared/configfile/configfile.cpp``) character by
character, so "what WSL will read" is computed, not guessed (microsoft/WSL src/shared/configfile/configfile.cpp). The
document keeps the original text untouched; edits are span replacements, so every byte that is
not edited survives (comments, unknown keys, odd spacing, BOM, CRLF, lone CR, UTF-16).

Validation and editing live in ``_wslconf_edit``, the bytes of a file (encoding, BOM, line endings)
in ``_wslconf_codec``, the ``.wslconfig`` keys and the value types only they have in
``_wslconfig_schema``, imported on the first ``.wslconfig`` lookup. Readers of ``/etc/wsl.conf`` such as
``wsl_facts`` compile only this file: on the target, zipimport compiles every imported module_util from
source on every module run, twice (python/cpython#141276). For the same reason its classes are named
tuples and plain slotted classes, not dataclasses, whose machinery cost a third of importing it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

FILE_TYPES = ("wslconfig", "wslconf")
RESTART_FOR_FILE_TYPE = {"wslconfig": "wsl_shutdown", "wslconf": "distro_terminate"}

# --------------------------------------------------------------------------------------------
# Schema (src/linux/init/WslDistributionConfig.{h,cpp} of microsoft/WSL for wsl.conf; the .wslconfig
# keys are in _wslconfig_schema)
# --------------------------------------------------------------------------------------------

VALUE_TYPES = ("bool", "int", "size", "path", "string", "hostname", "enum", "ip", "port-list", "mac")


class KeySpec(NamedTuple):
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


def _wslconf_keys() -> list[KeySpec]:
    def k(section, key, type_, default=None, **kw):
        return KeySpec("wslconf", section, key, type_, default, **kw)

    return [
        k("boot", "systemd", "bool", False, note="WSL 2 only, needs an executable /sbin/init"),
        k("boot", "command", "string", None, note="run as root when the distro starts"),
        k("boot", "protectBinfmt", "bool", True),
        k("boot", "initTimeout", "int", 10000, documented=False),
        k("automount", "enabled", "bool", True),
        # notes: WslDistributionConfig.cpp:76-84 (root), WslDistributionConfig.h:74 (logLevel),
        # init.cpp:332-343 (general.guiApplications, read by the systemd generator)
        k("automount", "root", "string", "/mnt/", note="WSL adds a trailing / when missing; empty means /"),
        k("automount", "options", "string", None, note="DrvFs options such as metadata,uid=1000"),
        k("automount", "mountFsTab", "bool", True),
        k("automount", "ldconfig", "bool", True, documented=False),
        k("automount", "cgroups", "enum", "v2", choices=("v1", "v2"), documented=False),
        k("network", "generateHosts", "bool", True),
        k("network", "generateResolvConf", "bool", True, note="must stay true for DNS tunneling"),
        k(
            "network",
            "hostname",
            "hostname",
            None,
            note="default the Windows host name; WSL keeps letters, digits, one '.' and inner '-', 64 characters",
        ),
        k("interop", "enabled", "bool", True),
        k("interop", "appendWindowsPath", "bool", True),
        k("user", "default", "string", None, note="default the user created on first run"),
        k("gpu", "enabled", "bool", True),
        k("gpu", "appendLibPath", "bool", True, documented=False),
        k("time", "useWindowsTimezone", "bool", True),
        k("filesystem", "umask", "int", 0o022, octal=True, documented=False),
        k("fileServer", "enabled", "bool", True, documented=False),
        k("fileServer", "logFile", "string", None, documented=False),
        k("fileServer", "logLevel", "int", 4, documented=False, note="a Windows trace level; 4 is informational"),
        k("fileServer", "logTruncate", "bool", True, documented=False),
        k(
            "general",
            "guiApplications",
            "bool",
            True,
            documented=False,
            note="per distro: false keeps WSLg's systemd units out of this distro",
        ),
    ]


WSLCONF_KEYS: tuple[KeySpec, ...] = tuple(_wslconf_keys())
_INDEX: dict[str, dict[str, KeySpec]] = {}  # file type -> lower-case "section.key" (aliases too) -> KeySpec


def schema(file_type: str) -> tuple[KeySpec, ...]:
    """The keys WSL knows in a file type; the .wslconfig table is imported on its first use."""
    if file_type == "wslconfig":
        from ansible_collections.effective.wsl.plugins.module_utils._wslconfig_schema import WSLCONFIG_KEYS

        return WSLCONFIG_KEYS
    if file_type == "wslconf":
        return WSLCONF_KEYS
    raise ValueError(f"file_type must be one of {', '.join(FILE_TYPES)}, got {file_type!r}")


def _index(file_type: str) -> dict[str, KeySpec]:
    index = _INDEX.get(file_type)
    if index is None:
        index = _INDEX[file_type] = {
            name.lower(): spec for spec in schema(file_type) for name in (spec.name, *spec.aliases)
        }
    return index


def sections(file_type: str) -> list[str]:
    """Canonical section names of a file type (alias-only sections included)."""
    names: dict[str, None] = {}
    for spec in schema(file_type):
        names[spec.section] = None
        for alias in spec.aliases:
            names[alias.split(".", 1)[0]] = None
    return list(names)


def lookup_key(file_type: str, section: str, key: str) -> KeySpec | None:
    """The KeySpec WSL matches for ``section``/``key`` (case-insensitive, legacy aliases included)."""
    return _index(file_type).get(f"{section}.{key}".lower())


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


_HSPACE = (" ", "\t")  # only space and tab are skipped around names and '=' (configfile.cpp)


class Entry:
    """One logical line as WSL's parser sees it.

    ``start``/``end`` are offsets into the document text: ``start`` is where the line begins
    (before leading blanks), ``end`` is just past its line terminator (or EOF). For keys,
    ``value_start``/``value_end`` delimit the raw value text (quotes/escapes included, trailing
    blanks and the inline comment excluded).
    """

    __slots__ = (
        "broken_header",
        "end",
        "kind",
        "line",
        "message",
        "name",
        "section",
        "separator",
        "start",
        "value",
        "value_end",
        "value_start",
        "warning",
        "wsl_line",
    )

    def __init__(
        self,
        kind: str,  # "section" | "key" | "invalid"
        line: int,  # physical line (1-based, counting LF)
        start: int,
        end: int,
        name: str = "",  # section name or key name as written
        section: str | None = None,  # for keys: the section WSL files it under; None outside any section
        value: str | None = None,  # processed value (quotes removed, escapes applied, trailing blanks trimmed)
        value_start: int = 0,
        value_end: int = 0,
        separator: str = "=",  # raw text from the end of the key name to the value start
        message: str = "",
        warning: str = "",  # invalid lines: the kind of warning WSL prints (invalid_section, invalid_key, ...)
        wsl_line: int = 0,  # the line number WSL prints in its warnings for this entry (its own counter)
        broken_header: Entry | None = None,  # keys: the broken header that sent this key to a section WSL ignores
    ):
        self.kind = kind
        self.line = line
        self.start = start
        self.end = end
        self.name = name
        self.section = section
        self.value = value
        self.value_start = value_start
        self.value_end = value_end
        self.separator = separator
        self.message = message
        self.warning = warning
        self.wsl_line = wsl_line
        self.broken_header = broken_header

    def __repr__(self) -> str:
        return f"Entry({self.kind!r}, line={self.line}, name={self.name!r}, section={self.section!r})"

    @property
    def wsl_name(self) -> str:
        """The name WSL looks up: "section.key" as a C string (a broken header can leave NULs in it)."""
        full = self.name if self.section is None else f"{self.section}.{self.name}"
        return full.split("\0", 1)[0]

    @property
    def display_section(self) -> str:
        return (self.section or "").replace("\0", "")


class Document:
    __slots__ = ("entries", "file_type", "stopped_at", "text")

    def __init__(self, text: str, file_type: str):
        self.text = text
        self.file_type = file_type
        self.entries: list[Entry] = []
        self.stopped_at: Entry | None = None  # wsl.conf: the invalid line where WSL stops reading (§2.1)

    def render(self) -> str:
        return self.text

    def line_text(self, entry: Entry) -> str:
        """The physical line an entry starts on, without its terminator (for messages)."""
        text = self.text
        stop = min(
            (i for i in (text.find("\n", entry.start), text.find("\r", entry.start)) if i >= 0), default=len(text)
        )
        return text[entry.start : stop]


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


def _one_byte(ch: str) -> str:
    """.wslconfig: WSL keeps only the low byte of each character of a value (configfile.cpp:749)."""
    return ch if ch < "\x80" else chr(ord(ch) & 0xFF)


def _broken_header(doc: Document, name: str, stop_on_invalid: bool) -> Entry | None:
    """A .wslconfig header that broke after its name: it keeps the name WSL put in its buffer."""
    if stop_on_invalid:
        return None
    doc.entries[-1].name = name
    return doc.entries[-1]


def mangles_section(entry: Entry, section: str) -> bool:
    """Whether keys after ``entry`` are no longer read in ``section`` (a broken .wslconfig header)."""
    if entry.kind != "invalid" or not entry.name:
        return False
    return entry.name[: len(section)].ljust(len(section), "\0").lower() != section.lower()


def parse(text: str, file_type: str) -> Document:
    """Scan ``text`` exactly as WSL does; the Document keeps ``text`` unchanged.

    The comments cite ``src/shared/configfile/configfile.cpp`` of microsoft/WSL at 3e27a6a50.
    """
    if file_type not in FILE_TYPES:
        raise ValueError(f"file_type must be one of {', '.join(FILE_TYPES)}, got {file_type!r}")
    # .wslconfig: the CRT consumes a BOM (§1.2). wsl.conf: a BOM is just bytes on the first line (§2.1).
    start = 1 if file_type == "wslconfig" and text.startswith("\ufeff") else 0
    reader = _Reader(text, start, crlf_as_lf=file_type == "wslconfig")
    # wsl.conf is parsed without CFG_SKIP_INVALID_LINES (WslDistributionConfig.cpp:68): it stops at an invalid line
    stop_on_invalid = file_type == "wslconf"
    doc = Document(text=text, file_type=file_type)
    # WSL keeps section and key names in one buffer and remembers only the length of the last valid
    # section name (:478-492, :559, :565-569): a header that breaks after its first letter overwrites
    # the buffer, so the keys after it are looked up under a mangled section name and ignored.
    buffer = ""
    section_length = 0
    header = ""  # the name of the last valid header
    broken: Entry | None = None  # the broken header that last overwrote the buffer
    line = 0  # WSL's own line counter, which its warnings print (:276-280, :321-324, :367-384, :715-717)
    trailing_comment = False
    ch: str | None = ""

    def new_line() -> None:  # the NewLine label (:276-280)
        nonlocal line
        if not trailing_comment:
            line += 1

    def invalid(line_start: int, warning: str, message: str) -> None:
        """Record an invalid line and skip to LF (:807-827). In wsl.conf WSL stops at the first one
        (§2.1); the scan goes on so that callers can name the keys WSL will not read."""
        nonlocal ch
        wsl_line = line
        while ch is not None and ch != "\n":
            ch = reader.getc()
        entry = Entry(
            "invalid",
            _line_number(text, line_start),
            line_start,
            reader.pos,
            message=message,
            warning=warning,
            wsl_line=wsl_line,
        )
        doc.entries.append(entry)
        if stop_on_invalid and doc.stopped_at is None:
            doc.stopped_at = entry
        new_line()

    new_line()
    while True:
        if ch == "#":  # pending comment, up to LF (:303-332)
            while True:
                ch = reader.getc()
                if ch == "\r":
                    ch = reader.getc()
                if ch == "\n":
                    line += 1
                if ch == "\n" or ch is None:
                    break
            trailing_comment = False
        if reader.eof:
            break
        line_start = reader.pos
        ch = reader.getc()
        while ch in _HSPACE:
            ch = reader.getc()
        if ch is None or ch == "#":
            continue
        if ch == "\n":
            line += 1
            continue
        if ch == "\r":
            if reader.next_is_newline():
                reader.getc()
                line += 1
            ch = ""
            continue
        if ch == "[":
            ch = reader.getc()
            if not _is_alpha(ch):
                invalid(line_start, "invalid_section", "a section name must start with a letter")
                continue
            name = ""
            while _is_alnum(ch):
                name += ch
                ch = reader.getc()
            if not stop_on_invalid:  # wsl.conf: nothing after an invalid line is read, keep the intended section
                buffer = name
            if ch != "]":
                invalid(line_start, "expected", "a section name is letters and digits only, then ']'")
                broken = _broken_header(doc, name, stop_on_invalid) or broken
                continue
            ch = reader.getc()
            while ch in _HSPACE:
                ch = reader.getc()
            if ch not in (None, "\n", "\r", "#"):
                invalid(line_start, "expected", "only blanks or a # comment may follow ']'")
                broken = _broken_header(doc, name, stop_on_invalid) or broken
                continue
            terminator = reader.last if ch is not None else len(text)
            end = _skip_to_newline(text, terminator) if ch == "#" else _line_end(text, terminator)
            buffer, section_length, header, broken = name, len(name), name, None
            entry = Entry("section", _line_number(text, line_start), line_start, end, name=name, wsl_line=line)
            doc.entries.append(entry)
            trailing_comment = ch == "#"
            new_line()
            if ch == "\r":
                ch = ""
            continue
        if not _is_alpha(ch):
            invalid(line_start, "invalid_key", "a key name must start with a letter")
            continue
        key = ""
        while _is_alnum(ch):
            key += ch
            ch = reader.getc()
        section = buffer[:section_length].ljust(section_length, "\0") if section_length else None
        buffer = key if section is None else f"{section}.{key}"
        key_end = reader.last if ch is not None else len(text)
        while ch in _HSPACE:
            ch = reader.getc()
        if ch != "=":
            invalid(line_start, "expected", "a key name is letters and digits only, then '='")
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
                elif escaped == "\r":
                    # :712-713: a backslash and a CR are dropped; the value goes on (a lone CR) or ends at
                    # the LF that follows (a CRLF wsl.conf). Keep the CR out of the span an edit replaces.
                    trimmed = len(chars)
                    value_end = reader.pos - 1
                    ch = reader.getc()
                    continue
                elif escaped == "\n":
                    line += 1  # line continuation (:715-717)
                else:
                    bad_escape = "\\ at the end of the file" if escaped is None else repr("\\" + escaped)
                    break
            elif ch == "#" and not in_quote:
                break
            else:
                chars.append(ch if stop_on_invalid else _one_byte(ch))
            if ch not in _HSPACE:
                trimmed = len(chars)
                value_end = reader.pos
            ch = reader.getc()
        if bad_escape is not None:
            invalid(line_start, "invalid_escape", f'invalid escape {bad_escape} (allowed: \\\\ \\" \\n \\t \\b)')
            continue
        if in_quote:
            invalid(line_start, "expected", "unclosed quote")
            continue
        terminator = reader.last if ch is not None else len(text)
        end = _skip_to_newline(text, terminator) if ch == "#" else _line_end(text, terminator)
        value = "".join(chars[:trimmed]).split("\0", 1)[0]  # WSL hands the value on as a C string
        misfiled = broken if section is not None and section.lower() != header.lower() else None
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
                wsl_line=line,
                broken_header=misfiled,
            )
        )
        trailing_comment = ch == "#"
        new_line()
        if ch == "\r":
            ch = ""
    return doc


# --------------------------------------------------------------------------------------------
# Typed values as WSL reads them
# --------------------------------------------------------------------------------------------


def strtol0(text: str) -> int | None:
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
        # only true/false (any case) and 1/0 (microsoft/WSL src/shared/configfile/configfile.cpp)
        if raw in ("1", "0"):
            return True, raw == "1", ""
        if raw.lower() in ("true", "false"):
            return True, raw.lower() == "true", ""
        return False, None, "WSL accepts only true, false, 1 or 0"
    if kind == "int":
        number = strtol0(raw)
        if number is None:
            return False, None, "not an integer"
        if spec.file_type == "wslconfig":
            # Windows: long is 32 bits, strtol saturates on overflow and WSL does not check errno
            number = max(-(1 << 31), min(number, (1 << 31) - 1))
        elif not -(1 << 31) <= number < (1 << 31):
            return False, None, "out of the 32-bit integer range"
        return True, number, ""
    if kind in ("path", "string"):
        if spec.file_type == "wslconfig" and not raw.isascii():
            # the scanner kept one byte per character (configfile.cpp:749); WSL turns the bytes into
            # text with MultiByteToWideChar(CP_UTF8, 0) (configfile.cpp:108-112, 132-136;
            # src/windows/common/string.cpp:50), which replaces what is not UTF-8 with U+FFFD
            raw = bytes(ord(c) & 0xFF for c in raw).decode("utf-8", "replace")
        return True, raw, ""
    if kind == "hostname":
        return True, clean_hostname(raw), ""
    if kind == "enum":
        for choice in spec.choices:
            if raw.lower() == choice.lower():
                return True, choice, ""
        return False, None, f"allowed: {', '.join(spec.choices)}"
    # size, ip, port-list and mac: the types only .wslconfig keys have, read with their table
    from ansible_collections.effective.wsl.plugins.module_utils._wslconfig_schema import wslconfig_value

    return wslconfig_value(spec, raw)


def clean_hostname(name: str) -> str:
    """The host name WSL sets for ``[network] hostname`` (CleanHostname, src/shared/inc/stringshared.h:385-440,
    called by src/linux/init/config.cpp:755): letters and digits, one '.', a '-' only after a letter or
    digit, at most 64 characters, no '.' or '-' at the end, ``localhost`` when nothing is left."""
    result = ""
    dot = False
    for ch in name:
        if ch == ".":
            if dot or not result or result[-1] == "-":
                continue
            dot = True
            result += ch
        elif ch == "-":
            if result and result[-1] not in "-.":
                result += ch
        elif _is_alnum(ch):
            result += ch
    return result[:64].rstrip(".-") or "localhost"


class KeyState:
    """Where a known key stands in a document."""

    __slots__ = ("accepted", "entries", "read", "spec", "value")

    def __init__(self, spec: KeySpec):
        self.spec = spec
        self.entries: list[Entry] = []  # every occurrence (aliases included), in file order
        self.read: Entry | None = None  # the occurrence WSL uses (first one it reaches)
        self.accepted = False
        self.value: object = None  # typed value WSL uses when accepted


def lookup_entry(file_type: str, entry: Entry) -> KeySpec | None:
    """The KeySpec WSL matches for a key line, or None (unknown key, no section, mangled section)."""
    if entry.kind != "key" or entry.section is None:
        return None
    return _index(file_type).get(entry.wsl_name.lower())


def key_states(doc: Document) -> dict[str, KeyState]:
    """Known keys found in ``doc`` by canonical "section.key"."""
    states: dict[str, KeyState] = {}
    for entry in doc.entries:
        spec = lookup_entry(doc.file_type, entry)
        if spec is None:
            continue
        state = states.setdefault(spec.name, KeyState(spec))
        state.entries.append(entry)
        if state.read is None and is_read(doc, entry):
            state.read = entry
            state.accepted, state.value, _reason = wsl_parse_value(spec, entry.value or "")
    return states


def is_read(doc: Document, entry: Entry) -> bool:
    return doc.stopped_at is None or entry.start < doc.stopped_at.start


def effective_settings(text: str, file_type: str) -> dict[str, dict[str, object]]:
    """What WSL will use from this file: {section: {key: typed value}} in canonical spelling.

    First occurrence wins (even when its value is rejected), legacy [experimental] aliases map to
    their [wsl2] key, unknown keys and rejected values are left out (WSL keeps its default), and
    for wsl.conf nothing after the first invalid line is read (WslDistributionConfig.cpp parses it without
    CFG_SKIP_INVALID_LINES; configfile.cpp).
    """
    result: dict[str, dict[str, object]] = {}
    for state in key_states(parse(text, file_type)).values():
        if state.read is not None and state.accepted:
            result.setdefault(state.spec.section, {})[state.spec.key] = state.value
    return result
