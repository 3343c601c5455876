"""Find the documents of an audit: files, folders (recursive) and zip archives, safely.

Archive members are read in memory, never extracted. A member is refused, with a row of its
own saying why, when its path escapes the archive (absolute or ``..``), when it would expand
beyond the limits (per member, per archive, or a compression ratio typical of a zip bomb),
when it is encrypted, or when it is an archive nested more than one level deep.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MB = 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may expand to before its members are refused."""

    max_total_bytes: int = 500 * MB  # everything read from one archive, nested ones included
    max_member_bytes: int = 100 * MB  # one document
    max_ratio: float = 100.0  # uncompressed / compressed, for members above ratio_min_bytes
    ratio_min_bytes: int = 1 * MB
    max_members: int = 10_000
    max_depth: int = 1  # archives inside an archive: one level; deeper ones are refused


@dataclass
class Item:
    """One document of the audit, or one refusal. ``file`` is its unique display name."""

    file: str
    path: Path | None = None  # the file on disk, or the top-level archive holding the member
    members: tuple[str, ...] = ()  # member names from the top-level archive down
    size: int = 0
    error: str | None = None  # set when the item was refused or could not be found
    sha256: str | None = None

    @property
    def in_archive(self) -> bool:
        return bool(self.members)


@dataclass
class _Budget:
    used: int = 0
    exhausted: bool = False


@dataclass
class ArchiveReader:
    """Reads archive members, keeping a few archives (nested ones in memory) open."""

    limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    keep: int = 4
    _open: OrderedDict[tuple[str, ...], zipfile.ZipFile] = field(default_factory=OrderedDict)

    def archive(self, path: Path, chain: tuple[str, ...] = ()) -> zipfile.ZipFile:
        key = (str(path), *chain)
        zf = self._open.get(key)
        if zf is not None:
            self._open.move_to_end(key)
            return zf
        if chain:
            parent = self.archive(path, chain[:-1])
            data = read_member(parent, parent.getinfo(chain[-1]), self.limits.max_member_bytes)
            zf = zipfile.ZipFile(io.BytesIO(data))
        else:
            zf = zipfile.ZipFile(path)
        self._open[key] = zf
        while len(self._open) > self.keep:
            _, old = self._open.popitem(last=False)
            old.close()
        return zf

    def read(self, item: Item) -> bytes:
        """The bytes of an archive member (``ValueError`` with a clear message if unreadable)."""
        assert item.path is not None and item.members
        zf = self.archive(item.path, item.members[:-1])
        return read_member(zf, zf.getinfo(item.members[-1]), self.limits.max_member_bytes)

    def close(self) -> None:
        while self._open:
            _, zf = self._open.popitem()
            zf.close()


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one member, never more than ``cap`` bytes, whatever its header claims."""
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except RuntimeError as exc:  # encrypted
        raise ValueError(f"cannot be read ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ValueError(f"corrupt archive member ({exc})") from None
    except Exception as exc:  # zlib.error and friends: a damaged member
        raise ValueError(f"corrupt archive member ({type(exc).__name__}: {exc})") from None
    if len(data) > cap:
        raise ValueError(f"refused: expands beyond {cap // MB} MB")
    return data


def unsafe_member_name(name: str) -> bool:
    """True when a member's path is absolute or climbs out of the archive (zip slip)."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm):
        return True
    return ".." in PurePosixPath(norm).parts


def _skipped_name(name: str) -> bool:
    """Operating-system clutter that is not a document (macOS resource forks, dotfiles)."""
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or any(p.startswith(".") and p not in (".", "..") for p in parts)


def is_office_document(names: Sequence[str]) -> bool:
    """A zip container that is a document (DOCX, XLSX, ...), not an archive of documents."""
    return "[Content_Types].xml" in names or "word/document.xml" in names


def collect(
    paths: Sequence[str | os.PathLike[str]],
    *,
    limits: ArchiveLimits | None = None,
    exclude: Sequence[Path] = (),
    relative_to: Path | None = None,
) -> list[Item]:
    """Every document (and refusal) under ``paths``, in a stable order, each once."""
    limits = limits or ArchiveLimits()
    excluded = [p.resolve() for p in exclude]
    items: list[Item] = []
    seen_files: set[str] = set()
    seen_names: set[str] = set()

    def add(item: Item, identity: str) -> None:
        if identity in seen_files:
            return
        seen_files.add(identity)
        # Two inputs may display alike ("a/x.pdf" given twice under different spellings)
        name, n = item.file, 2
        while name in seen_names:
            name = f"{item.file} ({n})"
            n += 1
        item.file = name
        seen_names.add(name)
        items.append(item)

    for raw in paths:
        path = Path(raw)
        display = _display(path, relative_to)
        if not path.exists():
            add(Item(file=display, error="file or folder not found"), f"missing:{display}")
            continue
        if path.is_dir():
            for file in _walk(path, excluded):
                for item, identity in _file_items(file, _display(file, relative_to), limits):
                    add(item, identity)
            continue
        for item, identity in _file_items(path, display, limits):
            add(item, identity)
    return items


def _display(path: Path, relative_to: Path | None) -> str:
    if relative_to is not None:
        try:
            return path.resolve().relative_to(relative_to.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _walk(folder: Path, excluded: Sequence[Path]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d != "__MACOSX" and (here / d).resolve() not in excluded
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = here / name
            try:
                mode = file.stat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                yield file


def _file_items(path: Path, display: str, limits: ArchiveLimits) -> Iterator[tuple[Item, str]]:
    identity = str(path.resolve())
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        yield Item(file=display, error=f"cannot be read ({exc.strerror or exc})"), identity
        return
    if head not in ZIP_MAGIC:
        yield Item(file=display, path=path, size=size), identity
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        if path.suffix.lower() == ".zip":
            yield Item(file=display, error=f"corrupt zip archive ({exc})"), identity
        else:  # let ingest say what is wrong with this DOCX
            yield Item(file=display, path=path, size=size), identity
        return
    with zf:
        if is_office_document(zf.namelist()):
            yield Item(file=display, path=path, size=size), identity
            return
        budget = _Budget()
        for item in _expand(zf, path, display, (), 0, budget, limits):
            yield item, f"{identity}!{'!'.join(item.members) or item.file}"


def _expand(
    zf: zipfile.ZipFile,
    top: Path,
    display: str,
    chain: tuple[str, ...],
    depth: int,
    budget: _Budget,
    limits: ArchiveLimits,
) -> Iterator[Item]:
    infos = [i for i in zf.infolist() if not i.is_dir() and not _skipped_name(i.filename)]
    for count, info in enumerate(infos):
        name = info.filename
        file = f"{display}!{name}"
        members = (*chain, name)

        def refuse(problem: str, file: str = file, members: tuple[str, ...] = members) -> Item:
            return Item(file=file, path=top, members=members, error=f"refused: {problem}")

        if count >= limits.max_members:
            yield refuse(
                f"the archive has more than {limits.max_members} members; the rest are not read"
            )
            continue
        if unsafe_member_name(name):
            yield refuse("its path escapes the archive (absolute path or '..'); not read")
            continue
        if info.flag_bits & 0x1:
            yield refuse("encrypted archive member; cannot be read without its password")
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
            yield refuse(
                f"compression ratio {ratio:,.0f}:1 (over {limits.max_ratio:g}:1) looks like a zip bomb; not read"
            )
            continue
        if info.file_size > limits.max_member_bytes:
            yield refuse(
                f"would expand to {info.file_size / MB:,.0f} MB, over the {limits.max_member_bytes // MB} MB limit per document"
            )
            continue
        if budget.exhausted or budget.used + info.file_size > limits.max_total_bytes:
            budget.exhausted = True
            yield refuse(
                f"the archive would expand beyond {limits.max_total_bytes // MB} MB; this member was not read"
            )
            continue
        budget.used += info.file_size
        try:
            with zf.open(info) as fh:
                head = fh.read(4)
        except Exception as exc:
            yield Item(
                file=file, path=top, members=members, error=f"corrupt archive member ({exc})"
            )
            continue
        if head not in ZIP_MAGIC:
            yield Item(file=file, path=top, members=members, size=info.file_size)
            continue
        # A zip inside the archive: a document (DOCX) or an archive nested one level down.
        try:
            data = read_member(zf, info, limits.max_member_bytes)
        except ValueError as exc:
            yield Item(file=file, path=top, members=members, error=str(exc))
            continue
        try:
            inner = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:  # not a readable zip: ingest will say what is wrong with it
            yield Item(file=file, path=top, members=members, size=info.file_size)
            continue
        with inner:
            if is_office_document(inner.namelist()):
                yield Item(file=file, path=top, members=members, size=info.file_size)
                continue
            if depth + 1 > limits.max_depth:
                yield refuse(
                    f"an archive nested more than {limits.max_depth} level{'s' if limits.max_depth != 1 else ''} deep; not opened"
                )
                continue
            yield from _expand(inner, top, file, members, depth + 1, budget, limits)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
