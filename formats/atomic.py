"""All or nothing on disk: a file is written under a temporary name beside its target and renamed over
it only when it is whole, so a failure or a kill leaves the previous file (or none), never half of one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def part_path(path: str) -> str:
    """A unique temporary name beside `path`, for writing a file whole and renaming it at the end
    (the writer creates it, so it gets the user's usual permissions)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".~{name}.{uuid.uuid4().hex[:8]}.part")


@contextmanager
def atomic_write(path: str) -> Iterator[str]:
    """Yields the temporary path to write; on a clean exit it is flushed to disk and renamed over
    `path`; on any exception (a full disk, a cancel) it is removed and `path` stays as it was."""
    temp = part_path(path)
    try:
        yield temp
        with open(temp, "rb+") as handle:  # the bytes on disk before the name points to them
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


# -- outputs written by another writer (GDAL through QGIS) into a folder of their own ------------------
STAGING_PREFIX = ".~dv-"


def staging_folder(target: str) -> str:
    """A new hidden folder beside `target` to write it (and its sidecar files) under its own name."""
    folder = os.path.dirname(os.path.abspath(target))
    path = os.path.join(folder, f"{STAGING_PREFIX}{uuid.uuid4().hex[:10]}")
    os.mkdir(path)
    return path


# Datasets of several files: their main file's extension, and the sidecars a writer makes for them.
_FAMILIES = {
    ".shp": (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd"),
    ".csv": (".csvt", ".qmd"),
}


def busy_journal(path: str) -> str | None:
    """An SQLite journal or write-ahead log beside `path` (another program has it open or crashed in
    a write): renaming a new file under it would have SQLite apply the old journal to the new file."""
    for suffix in ("-journal", "-wal"):
        if os.path.exists(path + suffix) and os.path.getsize(path + suffix) > 0:
            return path + suffix
    return None


def commit_folder(staged: str, folder: str) -> list[str]:
    """Every file written in `staged` flushed to disk and renamed into `folder` (the target's own and
    its sidecars; stale sidecars of the same name removed); then `staged` is removed. Returns the
    paths now in `folder`."""
    names = sorted(os.listdir(staged))
    for name in names:
        with open(os.path.join(staged, name), "rb+") as handle:
            os.fsync(handle.fileno())
    # an old sidecar goes with the old dataset (a stale .qix would index the new shapefile wrongly)
    for name in names:
        stem, extension = os.path.splitext(name)
        for suffix in _FAMILIES.get(extension.lower(), ()):
            old = os.path.join(folder, stem + suffix)
            if stem + suffix not in names and os.path.isfile(old):
                os.remove(old)
    # the main file last: until it is renamed, a reader still finds the earlier dataset's main file
    main_last = sorted(names, key=lambda n: n.lower().endswith((".shp", ".gpkg", ".csv", ".geojson", ".tab")))
    done = []
    for name in main_last:
        os.replace(os.path.join(staged, name), os.path.join(folder, name))
        done.append(os.path.join(folder, name))
    _fsync_folder(folder)
    os.rmdir(staged)
    return done


def discard_folder(staged: str) -> None:
    if os.path.isdir(staged):
        for name in os.listdir(staged):
            try:
                os.remove(os.path.join(staged, name))
            except OSError:
                pass
        try:
            os.rmdir(staged)
        except OSError:
            pass


def _fsync_folder(folder: str) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not on every system (Windows)
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def files_digest(paths) -> str:
    """SHA-256 over the files' names and bytes, in name order: what a run entry records of a file output."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(paths, key=os.path.basename):
        digest.update(os.path.basename(path).encode("utf-8") + b"\x00")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
