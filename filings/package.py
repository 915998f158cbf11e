"""A small zip writer for .docx packages: stored names, deflate, fixed timestamps, no zip64.

An entry is made once into a :class:`ZipBlob` (local header + compressed data, and the central
directory record without its offset); a package is the blobs joined with their central
directory. The engine keeps the blobs of a template's unchanged parts and makes only the
rendered ones per document, so the same input gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["ZipBlob", "write_zip"]

_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # unix, 2.0
_EXTERNAL_ATTR = 0o644 << 16
_DEFLATED = 8
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5HL")
_OFFSET = struct.Struct("<L")
_EOCD = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class ZipBlob:
    """One entry, ready to write: local header + data, and the central record minus its offset."""

    local: bytes
    central_head: bytes  # central directory record up to (not including) the local header offset
    central_tail: bytes  # the file name

    @classmethod
    def make(cls, name: str, data: bytes, level: int) -> ZipBlob:
        raw = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        co = zlib.compressobj(level, zlib.DEFLATED, -15)
        comp = co.compress(data) + co.flush()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        if len(comp) > 0xFFFFFFFF or len(data) > 0xFFFFFFFF:  # pragma: no cover - documents are small
            raise ValueError("entry too large for a zip without zip64")
        local = (
            _LOCAL.pack(b"PK\x03\x04", _VERSION, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, crc, len(comp), len(data), len(raw), 0)
            + raw
            + comp
        )
        central_head = _CENTRAL.pack(
            b"PK\x01\x02", _MADE_BY, _VERSION, flags, _DEFLATED, _DOS_TIME, _DOS_DATE,
            crc, len(comp), len(data), len(raw), 0, 0, 0, 0, _EXTERNAL_ATTR,
        )  # fmt: skip
        return cls(local, central_head, raw)


def write_zip(blobs: list[ZipBlob]) -> bytes:
    """The zip file of ``blobs``, in order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for b in blobs:
        out.append(b.local)
        central.append(b.central_head + _OFFSET.pack(offset) + b.central_tail)
        offset += len(b.local)
    cd = b"".join(central)
    out.append(cd)
    out.append(_EOCD.pack(b"PK\x05\x06", 0, 0, len(blobs), len(blobs), len(cd), offset, 0))
    return b"".join(out)
