# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bytes of ``.wslconfig`` and ``/etc/wsl.conf``: text as WSL opens them, encoding, BOM and line endings kept.

PRIVATE to the effective.wsl collection: the API may change at any time. Standard library only (this
file ships to targets). Only the editing side (``_wslconf_edit``) needs it, with ``WslConfError``, the
error it raises for bad input or a file it refuses to edit; readers parse text with ``_wslconf``.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple


class WslConfError(ValueError):
    """Bad input or a file the engine refuses to edit; the message says what and why."""


class FileFormat(NamedTuple):
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
