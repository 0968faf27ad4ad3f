# Copyright (c) effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text that Windows wrote (files, ``wsl.exe`` output), decoded as WSL and Windows tools read it.

PRIVATE: this module is internal to effective.wsl and may change at any time. A module of its own so that the
restart model (``_restart``) does not compile the interpretation of the Windows host's facts (``_wslhost``) on the
controller of every run.
"""

from __future__ import annotations


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode Windows text by its BOM, else UTF-16 when it contains NUL bytes, else UTF-8 (cp1252 fallback).

    WSL opens ``.wslconfig`` with ``_wfopen(..., "rt,ccs=UTF-8")`` (microsoft/WSL src/windows/common/WslCoreConfig.cpp),
    which honours a UTF-8 or UTF-16LE BOM (https://learn.microsoft.com/cpp/c-runtime-library/reference/fopen-wfopen,
    "Unicode support"); ``wsl.exe`` writes UTF-16LE without BOM unless ``WSL_UTF8=1``
    (src/windows/common/WslClient.cpp).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace"), "utf-16-le-bom"
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace"), "utf-16-be-bom"
    if b"\x00" in data:
        odd_nuls = data[1::2].count(0)
        even_nuls = data[0::2].count(0)
        encoding = "utf-16-le" if odd_nuls >= even_nuls else "utf-16-be"
        return data[: len(data) - len(data) % 2].decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
