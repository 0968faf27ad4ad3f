"""WSL's INI dialect as WSL parses it (microsoft/WSL configfile.cpp), value typing, encodings."""

import codecs

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslconf import (
    effective_settings,
    lookup_key,
    parse,
    wsl_parse_value,
)
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import (
    FileFormat,
    WslConfError,
    decode,
    encode,
    line_ending,
)


def eff(text, file_type="wslconfig"):
    return effective_settings(text, file_type)


def kinds(text, file_type="wslconfig"):
    return [(entry.kind, entry.line) for entry in parse(text, file_type).entries]


# --- names -----------------------------------------------------------------------------------


def test_section_and_key_names_are_case_insensitive():
    assert eff("[WSL2]\nLOCALHOSTFORWARDING=false\nnetworkingmode=MIRRORED\n") == {
        "wsl2": {"localhostForwarding": False, "networkingMode": "mirrored"}
    }


@pytest.mark.parametrize("line", ["swap_file=0", "swap-file=0", "swap.file=0", "1swap=0", "_x=1", "=1"])
def test_key_names_are_letters_and_digits_only(line):
    doc = parse(f"[wsl2]\n{line}\nswap=0\n", "wslconfig")
    assert [entry.kind for entry in doc.entries] == ["section", "invalid", "key"]
    assert eff(f"[wsl2]\n{line}\nswap=0\n") == {"wsl2": {"swap": 0}}


@pytest.mark.parametrize("header", ["[wsl_2]", "[ wsl2]", "[wsl2 ]", "[]", "[wsl2", "[2wsl]", "[wsl2] swap=0"])
def test_invalid_section_headers(header):
    assert kinds(f"{header}\n") == [("invalid", 1)]


def test_broken_header_files_the_keys_after_it_under_a_mangled_section():
    # configfile.cpp:478-492, 559, 565: the broken name "wsl" overwrites WSL's buffer and the keys after it are
    # looked up as "wsl\0.processors", an unknown key; a header that breaks before its first letter keeps the section
    assert eff("[wsl2]\nmemory=4GB\n[wsl_2]\nprocessors=2\n") == {"wsl2": {"memory": 4 << 30}}
    assert eff("[wsl2]\n[experimental x]\nmemory=4GB\n") == {}
    assert eff("[wsl2]\n[ experimental]\nmemory=4GB\n") == {"wsl2": {"memory": 4 << 30}}
    assert eff("[wsl2]\n[wsl2 x]\nmemory=4GB\n") == {"wsl2": {"memory": 4 << 30}}  # same first 4 letters
    assert eff("[experimental]\n[wsl2] x\nmemory=4GB\nsparseVhd=true\n") == {}
    assert eff("[WSL2]\n[wsl2 x]\nswap=0\n") == {"wsl2": {"swap": 0}}  # names match case-insensitively


def test_section_header_with_trailing_blanks_and_comment():
    assert eff("[wsl2] \t# global VM\nswap=0\n") == {"wsl2": {"swap": 0}}


def test_key_outside_any_section_is_ignored():
    assert eff("memory=4GB\n[wsl2]\nswap=0\n") == {"wsl2": {"swap": 0}}


def test_unknown_keys_and_sections_are_ignored():
    assert eff("[wsl2]\nnetworkMode=mirrored\n[foo]\nbar=1\n[experimental]\nuseWindowsDnsCache=true\n") == {}


def test_key_without_equals_is_invalid():
    assert kinds("[wsl2]\nswap\nswap 0\n") == [("section", 1), ("invalid", 2), ("invalid", 3)]


# --- comments, blanks, quotes, escapes ---------------------------------------------------------


def test_hash_comments_at_line_start_and_after_value():
    text = "# top\n  # indented\n[user]\ndefault = alice # the user\n"
    assert eff(text, "wslconf") == {"user": {"default": "alice"}}


def test_semicolon_is_not_a_comment():
    assert eff("[user]\ndefault = alice;bob ; x\n", "wslconf") == {"user": {"default": "alice;bob ; x"}}
    assert kinds("; comment\n", "wslconf") == [("invalid", 1)]


def test_blanks_around_equals_and_trailing_blanks_are_trimmed():
    assert eff("[user]\n\tdefault \t=\t  alice  \t\n", "wslconf") == {"user": {"default": "alice"}}


def test_blanks_inside_a_value_are_kept():
    assert eff("[boot]\ncommand = service  docker start\n", "wslconf") == {"boot": {"command": "service  docker start"}}


def test_quotes_toggle_and_are_removed():
    text = '[automount]\noptions = "metadata,uid=1000"\nroot = " /win/ "\n[user]\ndefault = a"b # c"d\n'
    assert eff(text, "wslconf") == {
        "automount": {"options": "metadata,uid=1000", "root": " /win/ "},
        "user": {"default": "ab # cd"},
    }


def test_unclosed_quote_invalidates_the_line():
    assert kinds('[user]\ndefault = "alice\n', "wslconf") == [("section", 1), ("invalid", 2)]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("a\\\\b", "a\\b"),
        ('a\\"b', 'a"b'),
        ("a\\nb", "a\nb"),
        ("a\\tb", "a\tb"),
        ("a\\bb", "a\bb"),
        ('"a\\tb"', "a\tb"),  # escapes are processed inside quotes too
        ("a\\t", "a\t"),  # an escaped tab is not trailing blank
    ],
)
def test_escapes(raw, value):
    assert eff(f"[boot]\ncommand = {raw}\n", "wslconf") == {"boot": {"command": value}}


@pytest.mark.parametrize("raw", ["C:\\Users\\me", "echo \\k", "a\\x", "a\\ b", "a\\"])
def test_unknown_escape_or_trailing_backslash_at_eof_invalidates_the_line(raw):
    assert kinds(f"[boot]\ncommand = {raw}", "wslconf") == [("section", 1), ("invalid", 2)]


def test_single_backslash_tab_silently_changes_a_path():
    # C:\temp becomes TAB + "emp" (configfile.cpp escapes)
    assert parse("[wsl2]\nswapFile=C:\\temp\n", "wslconfig").entries[1].value == "C:\temp"


def test_line_continuation():
    text = "[boot]\ncommand = service \\\n  docker start\nprotectBinfmt=false\n"
    assert eff(text, "wslconf") == {"boot": {"command": "service   docker start", "protectBinfmt": False}}


def test_continuation_with_crlf_works_in_wslconfig_only():
    # .wslconfig is read in CRT text mode (CRLF -> LF); wsl.conf is read byte for byte, where a backslash
    # before CR is dropped (configfile.cpp:712-713) and the LF ends the value: no continuation, no error
    assert eff("[wsl2]\r\nkernelCommandLine = a \\\r\nb\r\n") == {"wsl2": {"kernelCommandLine": "a b"}}
    text = "[boot]\r\ncommand = a \\\r\nsystemd=true\r\n"
    assert parse(text, "wslconf").stopped_at is None
    assert eff(text, "wslconf") == {"boot": {"command": "a ", "systemd": True}}  # the blank before \ stays


def test_backslash_before_cr_is_dropped():
    assert eff("[wsl2]\nkernelCommandLine = a\\\rb\n") == {"wsl2": {"kernelCommandLine": "ab"}}
    assert eff("[boot]\ncommand = a\\\rb\n", "wslconf") == {"boot": {"command": "ab"}}


def test_hash_inside_quotes_then_comment():
    assert eff('[user]\ndefault = "a#b" # c\n', "wslconf") == {"user": {"default": "a#b"}}


def test_empty_value():
    assert eff("[boot]\ncommand=\n", "wslconf") == {"boot": {"command": ""}}
    assert eff("[wsl2]\nswap=\n") == {}  # an empty size is rejected


# --- duplicates, aliases, stop rule --------------------------------------------------------------


def test_first_duplicate_wins_including_legacy_aliases():
    text = "[experimental]\nnetworkingMode=mirrored\nautoProxy=false\n[wsl2]\nnetworkingMode=NAT\nautoProxy=true\n"
    assert eff(text) == {"wsl2": {"networkingMode": "mirrored", "autoProxy": False}}


def test_wslconfig_skips_invalid_lines_wslconf_stops():
    text = "[boot]\nsystemd=true\nbad line\n[interop]\nappendWindowsPath=false\n"
    assert eff(text, "wslconf") == {"boot": {"systemd": True}}
    doc = parse(text, "wslconf")
    assert doc.stopped_at is not None and doc.stopped_at.line == 3
    text = "[wsl2]\nswap=0\nbad line\nprocessors=2\n"
    assert eff(text) == {"wsl2": {"swap": 0, "processors": 2}}
    assert parse(text, "wslconfig").stopped_at is None


def test_unknown_key_in_wslconf_does_not_stop_parsing():
    assert eff("[boot]\nfoo=1\nsystemd=true\n", "wslconf") == {"boot": {"systemd": True}}


def test_bad_value_in_wslconf_does_not_stop_parsing():
    assert eff("[boot]\nsystemd=yes\n[interop]\nenabled=false\n", "wslconf") == {"interop": {"enabled": False}}


# --- line endings -----------------------------------------------------------------------------------


def test_crlf_and_lone_cr():
    assert eff("[wsl2]\r\nswap=0\r\nprocessors=2\r\n") == {"wsl2": {"swap": 0, "processors": 2}}
    assert eff("[boot]\r\nsystemd=true\r\n", "wslconf") == {"boot": {"systemd": True}}
    # a lone CR ends a value or an empty line like LF does
    assert eff("[wsl2]\rswap=0\rprocessors=2") == {"wsl2": {"swap": 0, "processors": 2}}


def test_lone_cr_does_not_end_a_comment():
    assert eff("[wsl2]\n# note\rswap=0\nprocessors=2\n") == {"wsl2": {"processors": 2}}


def test_no_trailing_newline():
    assert eff("[wsl2]\nswap=0") == {"wsl2": {"swap": 0}}


# --- typed values ---------------------------------------------------------------------------------


def spec(name, file_type="wslconfig"):
    section, key = name.split(".")
    return lookup_key(file_type, section, key)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("False", False), ("1", True), ("0", False)]
    + [(raw, None) for raw in ("yes", "no", "on", "off", "t", "f", "2", "", " true")],
)
def test_bool(raw, expected):
    accepted, value = wsl_parse_value(spec("wsl2.dnsProxy"), raw)[:2]
    assert (value if accepted else None) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("8", 8), ("-1", -1), ("+7", 7), ("0x10", 16), ("010", 8), (" 5", 5), ("99999999999", 2147483647)]
    + [(raw, None) for raw in ("08", "0x", "5 ", "abc", "", "1.5", "5s")],
)
def test_int_wslconfig(raw, expected):
    accepted, value = wsl_parse_value(spec("wsl2.processors"), raw)[:2]
    assert (value if accepted else None) == expected


def test_int_out_of_range_in_wslconf_is_rejected():
    assert wsl_parse_value(spec("boot.initTimeout", "wslconf"), "99999999999")[0] is False
    assert wsl_parse_value(spec("filesystem.umask", "wslconf"), "022") == (True, 18, "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8GB", 8 << 30),
        ("8G", 8 << 30),
        ("8192MB", 8 << 30),
        ("512M", 512 << 20),
        ("4K", 4096),
        ("1TB", 1 << 40),
        ("100B", 100),
        ("1024", 1024),
        ("0", 0),
        ("0GB", 0),
        ("+2GB", 2 << 30),
    ]
    + [(raw, None) for raw in ("4gb", "4Gb", "1 B", "1.5GB", "00", " 0", "4XB", "GB", "", "4GBB", "4 GB")],
)
def test_size(raw, expected):
    accepted, value = wsl_parse_value(spec("wsl2.memory"), raw)[:2]
    assert (value if accepted else None) == expected


def test_enum_ip_ports_mac():
    assert wsl_parse_value(spec("wsl2.networkingMode"), "VirtioProxy")[1] == "virtioproxy"
    assert wsl_parse_value(spec("wsl2.networkingMode"), "mirorred")[0] is False
    assert wsl_parse_value(spec("experimental.autoMemoryReclaim"), "DROPCACHE")[1] == "dropCache"
    assert wsl_parse_value(spec("experimental.dnsTunnelingIpAddress"), "10.255.255.254")[1] == "10.255.255.254"
    assert wsl_parse_value(spec("experimental.dnsTunnelingIpAddress"), "10.255.255.256")[0] is False
    # std::stoi per item: ranges read as their first port, out-of-range and junk items dropped
    assert wsl_parse_value(spec("experimental.ignoredPorts"), "3000-3005, 9000,,70000,abc,0")[1] == [3000, 9000]
    assert wsl_parse_value(spec("wsl2.macAddress"), "aa-bb-cc-dd-ee-ff")[1] == "AA:BB:CC:DD:EE:FF"
    assert wsl_parse_value(spec("wsl2.macAddress"), "aa-bb:cc-dd-ee-ff")[0] is False


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"[wsl2]\r\nswap=0\r\n", FileFormat("utf-8", False)),
        (codecs.BOM_UTF8 + b"[wsl2]\nswap=0\n", FileFormat("utf-8", True)),
        (codecs.BOM_UTF16_LE + "[wsl2]\r\nswap=0\r\n".encode("utf-16-le"), FileFormat("utf-16-le", True)),
        (codecs.BOM_UTF16_BE + "[wsl2]\nswap=0\n".encode("utf-16-be"), FileFormat("utf-16-be", True)),
    ],
)
def test_wslconfig_encodings_round_trip(data, fmt):
    text, found = decode(data, "wslconfig")
    assert found == fmt
    assert encode(text, found) == data
    assert effective_settings(text, "wslconfig") == {"wsl2": {"swap": 0}}


def test_wslconf_keeps_bom_in_the_text():
    text, fmt = decode(codecs.BOM_UTF8 + b"[boot]\nsystemd=true\n", "wslconf")
    assert fmt == FileFormat("utf-8", False) and text.startswith("\ufeff")
    assert effective_settings(text, "wslconf") == {}


def test_invalid_utf8_survives():
    data = b"[user]\ndefault=\xff\xfe\n"
    text, fmt = decode(data, "wslconf")
    assert encode(text, fmt) == data


def test_broken_utf16_is_refused():
    with pytest.raises(WslConfError, match="utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"[\x00w", "wslconfig")


def test_line_ending_detection():
    assert line_ending("a\r\nb\n", "wslconf") == "\r\n"
    assert line_ending("a\nb", "wslconfig") == "\n"
    assert line_ending("", "wslconfig") == "\r\n"
    assert line_ending("", "wslconf") == "\n"


def test_wslconfig_values_are_read_one_byte_per_character():
    # configfile.cpp:749 keeps the low byte of each character; string.cpp:50 decodes the bytes as UTF-8
    assert eff("[wsl2]\nkernelCommandLine=a\u00e9\n") == {"wsl2": {"kernelCommandLine": "a\ufffd"}}
    assert eff("[wsl2]\nkernelCommandLine=\u4e2d\n") == {"wsl2": {"kernelCommandLine": "-"}}  # U+4E2D -> 0x2D
    assert eff("[wsl2]\nswap=\u0131GB\n") == {"wsl2": {"swap": 1 << 30}}  # U+0131 -> 0x31, "1"
    assert eff("[user]\ndefault=j\u00fcrgen\n", "wslconf") == {"user": {"default": "j\u00fcrgen"}}


def test_wsl_line_numbers_follow_wsls_own_counter():
    # WSL counts the CRLF after a header or a value twice in wsl.conf (configfile.cpp:276-280, 382-384)
    doc = parse("\r\n\r\n[foo]\r\na=b\r\nc=d\r\n", "wslconf")
    assert [(e.line, e.wsl_line) for e in doc.entries] == [(3, 3), (4, 5), (5, 7)]
    doc = parse("[wsl2]\nkernelCommandLine=a\\\nb\nswap=0 # c\nmemory=1GB\n", "wslconfig")
    assert [(e.line, e.wsl_line) for e in doc.entries] == [(1, 1), (2, 3), (4, 4), (5, 5)]
