"""Property tests: nothing is lost, edits are minimal, the engine agrees with its own WSL model.

No per-example deadline (deadline=None): the build machine is shared by several jobs, and the example
counts already bound how long each test runs.
"""

import codecs
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import (
    FILE_TYPES,
    effective_settings,
    parse,
    schema,
    sections,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError, decode, encode
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import diagnostics, update, validate_settings

SPECIAL = [*'[]=#"\\ \t\r\n;_-.', "\ufeff", "\u00e9", "\u4e2d", "\x00", "\v"]
ANY_TEXT = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=200)
FILE_TYPE = st.sampled_from(["wslconfig", "wslconf"])

LINES = [
    "[wsl2]",
    "[WSL2] # vm",
    "[experimental]",
    "[boot]",
    "[automount]",
    "[interop]",
    "[wsl_2]",
    "memory=4GB",
    "Memory = 8192MB # eight",
    "swap=0",
    "networkingmode=NAT",
    "networkingMode = Mirrored",
    "systemd=true",
    "SystemD = 0",
    "root = /win/",
    'options = "metadata,uid=1000"  # quoted',
    "appendWindowsPath=false",
    "bad_key=1",
    "key",
    "command = a \\",
    "  docker start",
    "kernel=C:\\\\k",
    "x=C:\\Users",
    "# comment",
    "; not a comment",
    "",
    "   ",
    "\t",
    "ignoredPorts=3000,9000",
    "unknownKey=1",
]
EOLS = st.sampled_from(["\n", "\r\n", "\r"])
REALISTIC = st.builds(
    lambda lines, eols, tail: "".join(line + eol for line, eol in zip(lines, eols, strict=False)) + tail,
    st.lists(st.sampled_from(LINES), max_size=12),
    st.lists(EOLS, min_size=12, max_size=12),
    st.sampled_from(["", "swap=1GB", "# end"]),
)

REQUESTS = {
    "wslconfig": [
        ("wsl2", "memory", "6GB"),
        ("wsl2", "memory", "4GB"),
        ("wsl2", "swap", 0),
        ("wsl2", "networkingMode", "mirrored"),
        ("wsl2", "processors", 2),
        ("experimental", "sparseVhd", True),
        ("experimental", "ignoredPorts", [9000, 3000]),
        ("wsl2", "kernel", "C:\\wsl\\kernel"),
        ("wsl2", "kernelCommandLine", " a # b\\ "),
        ("wsl2", "memory", None),
        ("wsl2", "networkingMode", None),
    ],
    "wslconf": [
        ("boot", "systemd", True),
        ("boot", "systemd", False),
        ("boot", "command", "service docker start"),
        ("automount", "root", "/win/"),
        ("automount", "options", "metadata,uid=1000"),
        ("interop", "appendWindowsPath", False),
        ("network", "hostname", "build01"),
        ("boot", "systemd", None),
    ],
}


@given(text=ANY_TEXT, file_type=FILE_TYPE)
@settings(deadline=None, max_examples=400)
def test_parse_keeps_every_character_and_entries_tile_the_text(text, file_type):
    doc = parse(text, file_type)
    assert doc.render() == text
    position = 0
    for entry in doc.entries:
        assert position <= entry.start < entry.end <= len(text) or entry.start == entry.end == len(text)
        if entry.kind == "key":
            assert entry.start <= entry.value_start <= entry.value_end <= entry.end
        position = entry.end
    effective_settings(text, file_type)  # never raises


@given(data=st.binary(max_size=200), file_type=FILE_TYPE)
@settings(deadline=None)
def test_any_bytes_round_trip(data, file_type):
    try:
        text, fmt = decode(data, file_type)
    except WslConfError:
        return  # only a UTF-16 BOM followed by bytes that are not UTF-16
    assert encode(text, fmt) == data


@given(text=ANY_TEXT, bom=st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b""]))
@settings(deadline=None)
def test_text_round_trips_through_every_encoding(text, bom):
    codec = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}.get(bom, "utf-8")
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # no lone surrogates
    if bom == b"" and text.startswith("\ufeff"):
        text = text[1:]
    data = bom + text.encode(codec)
    decoded, fmt = decode(data, "wslconfig")
    assert encode(decoded, fmt) == data


def _others(settings, item):
    return {(s, k): v for s, keys in settings.items() for k, v in keys.items() if (s, k) != (item.section, item.key)}


def _others(settings, item):
    return {(s, k): v for s, keys in settings.items() for k, v in keys.items() if (s, k) != (item.section, item.key)}


def _lines(text):
    return text.splitlines(keepends=True) if text else []


@given(base=st.one_of(REALISTIC, ANY_TEXT), file_type=FILE_TYPE, data=st.data())
@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_one_setting_edit_is_minimal_correct_and_idempotent(base, file_type, data):
    section, key, value = data.draw(st.sampled_from(REQUESTS[file_type]))
    requested = validate_settings({section: {key: value}}, file_type)[0]
    raw = base.encode("utf-8", "surrogatepass")
    try:
        result = update(raw, file_type, requested)
    except WslConfError as exc:
        assert file_type == "wslconf" and "stops reading" in str(exc)
        return
    (item,) = requested
    before = effective_settings(result.before, file_type)
    after = effective_settings(result.after, file_type)
    # the requested key reads back as requested
    assert after.get(item.section, {}).get(item.key) == item.value
    # no other setting changes
    assert _others(before, item) == _others(after, item)
    # only the key's own lines go away (plus the newline added to an unterminated last line)
    lost = Counter(_lines(result.before)) - Counter(_lines(result.after))
    doc = parse(result.before, file_type)
    own = [
        e
        for e in doc.entries
        if e.kind == "key"
        and e.section
        and f"{e.section}.{e.name}".lower() in {n.lower() for n in (item.spec.name, *item.spec.aliases)}
    ]
    allowed = Counter(line for e in own for line in _lines(result.before[e.start : e.end]))
    allowed.update(_lines(result.before)[-1:])
    assert not lost - allowed
    # a second run changes nothing
    again = update(result.data, file_type, requested)
    assert not again.changed and again.data == result.data


@given(base=st.one_of(REALISTIC, ANY_TEXT), file_type=FILE_TYPE, data=st.data())
@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_several_settings_at_once(base, file_type, data):
    chosen = data.draw(st.lists(st.sampled_from(REQUESTS[file_type]), min_size=1, max_size=5))
    settings_option: dict = {}
    for section, key, value in chosen:
        settings_option.setdefault(section, {})[key] = value  # the last value of a key wins, as in a dict
    requested = validate_settings(settings_option, file_type)[0]
    try:
        result = update(base.encode("utf-8", "surrogatepass"), file_type, requested)
    except WslConfError as exc:
        assert file_type == "wslconf" and "stops reading" in str(exc)
        return
    before = effective_settings(result.before, file_type)
    after = effective_settings(result.after, file_type)
    names = set()
    for item in requested:
        names.add((item.section, item.key))
        assert after.get(item.section, {}).get(item.key) == item.value
    assert {k: v for k, v in _flat(before).items() if k not in names} == {
        k: v for k, v in _flat(after).items() if k not in names
    }
    assert result.changed == bool(result.changed_keys) == (result.after != result.before)
    again = update(result.data, file_type, requested)
    assert not again.changed and again.data == result.data


def _flat(settings):
    return {(s, k): v for s, keys in settings.items() for k, v in keys.items()}


# --- WSL's scanner rules (issue 15) -------------------------------------------------------------------

KEYS = {
    file_type: [(spec.section, spec.key) for spec in schema(file_type) if spec.type in ("string", "path")]
    for file_type in FILE_TYPES
}
PLAIN_VALUE = st.text(alphabet="abcXYZ019 ./:-", min_size=1, max_size=20).filter(lambda v: v.strip(" ") == v)


@given(file_type=FILE_TYPE, data=st.data(), value=PLAIN_VALUE, eol=st.sampled_from(["\n", "\r\n"]))
@settings(deadline=None, max_examples=300)
def test_backslash_before_cr_is_dropped_in_any_key_of_either_file(file_type, data, value, eol):
    # configfile.cpp:712-713: "\\\r" vanishes wherever it stands in a value; it never makes the line invalid
    section, key = data.draw(st.sampled_from(KEYS[file_type]))
    cut = data.draw(st.integers(0, len(value)))
    text = f"[{section}]{eol}{key}={value[:cut]}\\\r{value[cut:]}{eol}"
    doc = parse(text, file_type)
    assert [entry.kind for entry in doc.entries] == ["section", "key"]
    assert doc.entries[1].value == value
    # at the end of a CRLF line of wsl.conf the LF ends the value and the next line is read
    if file_type == "wslconf" and eol == "\r\n":
        text = f"[{section}]\r\n{key}={value}\\\r\n{key}2=1\r\n"
        doc = parse(text, file_type)
        assert doc.stopped_at is None
        assert [(entry.kind, entry.value) for entry in doc.entries[1:]] == [("key", value), ("key", "1")]


HEADERS = st.sampled_from(sections("wslconfig"))
BROKEN = st.tuples(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=14).filter(
        lambda name: name[0].isalpha()
    ),
    st.sampled_from([" x", "_2", "-x", "] x", ".", "]x", " "]),
)


@given(header=HEADERS, broken=BROKEN, data=st.data())
@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_keys_after_a_broken_header_in_wslconfig(header, broken, data):
    # configfile.cpp:478-512, 559, 565: a header that breaks after its first letter leaves its name in WSL's
    # buffer, and the keys after it are looked up under its first len(header) characters (NUL-padded)
    spec = data.draw(st.sampled_from([s for s in schema("wslconfig") if s.section == header and s.type == "int"]))
    name, tail = broken
    text = f"[{header}]\n[{name}{tail}]\n{spec.key}=7\n"
    still_read = name[: len(header)].ljust(len(header), "\0").lower() == header.lower()
    assert (effective_settings(text, "wslconfig") == {header: {spec.key: 7}}) is still_read
    if not still_read:
        assert [d.kind for d in diagnostics(parse(text, "wslconfig"))] == ["expected", "unknown_key"]
    # an edit of that key is applied where WSL reads it, or refused; never reported for a line WSL ignores
    result = update(text.encode(), "wslconfig", validate_settings({header: {spec.key: 9}}, "wslconfig")[0])
    assert effective_settings(result.after, "wslconfig")[header][spec.key] == 9
