"""The offline copy: one deterministic ZIP of the whole site, which works from file://.

Each language's worker compresses its own files into a *part* (the ZIP's local entries:
header and deflated data) while the other languages are still building; the main
process joins the parts in a fixed order, adds the root files and writes the ZIP's
directory.  (The standard library's ``zipfile`` compresses in the process that writes
the archive, which left the main process compressing every language after the last
one had finished.)  Archives past the plain ZIP format's limits are written again by
``zipfile``, which adds the ZIP64 records they need.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import BinaryIO

OFFLINE = "offline/site-offline.zip"
ROOT = "site"  # the folder the archive unpacks into
LEVEL = 6  # zlib's default: nearly the smallest output, much faster than level 9

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_MADE_ON_UNIX = 3 << 8
_UTF8_NAMES = 0x800
_DEFLATED = 8
_FILE_MODE = 0o644 << 16
#: Beyond these the archive needs ZIP64 records.
MAX_ENTRIES, MAX_OFFSET = 0xFFFF, 0xFFFFFFFF


@dataclass(frozen=True)
class Entry:
    """One file in a part: where its local header starts in the part, and what the
    ZIP's directory says of it."""

    name: str
    crc: int
    size: int
    compressed_size: int
    offset: int


def entry_time() -> tuple[int, int, int, int, int, int]:
    """Every entry's date: SOURCE_DATE_EPOCH (1980 at the earliest, ZIP's first day)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    year, month, day, hour, minute, second = time.gmtime(max(epoch, 315532800))[:6]
    return year, month, day, hour, minute, second


def dos_stamp() -> tuple[int, int]:
    """``entry_time()`` as a ZIP header holds it: DOS time and date."""
    year, month, day, hour, minute, second = entry_time()
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def included(name: str) -> bool:
    """Source maps and the offline copy itself stay out."""
    return not name.endswith(".map") and not name.startswith("offline/")


def tree_files(folder: Path, prefix: str) -> list[tuple[str, Path]]:
    """The files under *folder*, as ``prefix/…`` names, in a fixed order."""
    named = ((f"{prefix}/{path.relative_to(folder).as_posix()}", path)
             for path in sorted(folder.rglob("*")) if path.is_file())
    return [(name, path) for name, path in named if included(name)]


def write_entries(files: Iterable[tuple[str, Path]], out: BinaryIO) -> list[Entry]:
    """Deflate each file into *out* as a ZIP local entry; offsets are *out*'s positions."""
    dos_time, dos_date = dos_stamp()
    entries = []
    for name, path in files:
        data = path.read_bytes()
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        packed = compressor.compress(data) + compressor.flush()
        encoded = f"{ROOT}/{name}".encode()
        entry = Entry(f"{ROOT}/{name}", zlib.crc32(data), len(data), len(packed), out.tell())
        out.write(_LOCAL.pack(0x04034B50, _VERSION, _UTF8_NAMES, _DEFLATED, dos_time, dos_date,
                              entry.crc, entry.compressed_size, entry.size, len(encoded), 0))
        out.write(encoded)
        out.write(packed)
        entries.append(entry)
    return entries


def write_part(folder: Path, prefix: str, part: Path) -> list[Entry]:
    """One language's files (the tree under *folder*), compressed into the file *part*."""
    part.parent.mkdir(parents=True, exist_ok=True)
    with part.open("wb") as out:
        return write_entries(tree_files(folder, prefix), out)


def save_part_index(index: Path, part: Path, key: str, entries: list[Entry]) -> None:
    """What a later build needs to reuse *part* as it is: its entries, its size and the
    *key* (a digest of the inputs) it was made for."""
    data = {"key": key, "size": part.stat().st_size, "entries": [list(astuple(e)) for e in entries]}
    index.write_text(json.dumps(data), encoding="utf-8")


def saved_part(index: Path, part: Path, key: str) -> list[Entry] | None:
    """The entries of *part* if it was made for *key* and is whole; else None."""
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        if data["key"] != key or part.stat().st_size != data["size"]:
            return None
        return [Entry(*fields) for fields in data["entries"]]
    except (OSError, ValueError, KeyError, TypeError):  # missing or damaged: make it again
        return None


class OfflineCopy:
    """The ZIP of the site in *folder*, written as its parts and files arrive.

    Parts and files are added in a fixed order (each language as its build finishes, in
    the configured order, then the root files), so the same site gives the same bytes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.target = folder / OFFLINE
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.out = self.target.open("wb")
        self.entries: list[Entry] = []

    def add_part(self, part: Path, entries: list[Entry]) -> None:
        start = self.out.tell()
        with part.open("rb") as source:
            shutil.copyfileobj(source, self.out)
        self.entries += [replace(entry, offset=entry.offset + start) for entry in entries]

    def add(self, path: Path, name: str) -> None:
        if included(name):
            self.entries += write_entries([(name, path)], self.out)

    def close(self) -> Path:
        directory_start = self.out.tell()
        if len(self.entries) > MAX_ENTRIES or directory_start > MAX_OFFSET:
            self.out.close()
            self._write_with_zip64()
        else:
            self._write_directory(directory_start)
            self.out.close()
        with self.target.open("rb") as archive:  # in chunks: the ZIP can be larger than a build
            digest = hashlib.file_digest(archive, "sha256").hexdigest()
        self.target.with_name(self.target.name + ".sha256").write_text(
            f"{digest}  {self.target.name}\n", encoding="utf-8")
        return self.target

    def discard(self) -> None:
        self.out.close()

    def _write_directory(self, start: int) -> None:
        dos_time, dos_date = dos_stamp()
        for entry in self.entries:
            encoded = entry.name.encode()
            self.out.write(_CENTRAL.pack(
                0x02014B50, _MADE_ON_UNIX | _VERSION, _VERSION, _UTF8_NAMES, _DEFLATED, dos_time, dos_date,
                entry.crc, entry.compressed_size, entry.size, len(encoded), 0, 0, 0, 0, _FILE_MODE, entry.offset))
            self.out.write(encoded)
        size = self.out.tell() - start
        self.out.write(_END.pack(0x06054B50, 0, 0, len(self.entries), len(self.entries), size, start, 0))

    def _write_with_zip64(self) -> None:
        stamp = entry_time()
        with zipfile.ZipFile(self.target, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as archive:
            for entry in self.entries:
                info = zipfile.ZipInfo(entry.name, date_time=stamp)
                info.external_attr = _FILE_MODE
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (self.folder / entry.name.removeprefix(f"{ROOT}/")).read_bytes())
