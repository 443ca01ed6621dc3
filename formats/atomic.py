"""All or nothing on disk: a file is written under a temporary name beside its target and renamed over
it only when it is whole, so a failure or a kill leaves the previous file (or none), never half of one."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
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


# A staged dataset is swapped in two steps recorded in a journal inside its staging folder, so a kill
# at any rename leaves a state the next run to that destination finishes or undoes, never a mix of two
# runs' files (a shapefile is five files renamed one by one):
#   "aside": the earlier dataset's files (main file and sidecars) are renamed into `.old` inside the
#            staging folder; undone by renaming them back.
#   "in":    the new files are renamed into place; finished by renaming the rest.
SWAP_JOURNAL = ".dv-swap.json"
ASIDE = ".old"
# A test seam: called with (step, file name) before each rename of a swap; the fault suite kills the
# process there, at each rename in turn.
before_rename: Callable[[str, str], None] | None = None


def _new_names(staged: str) -> list[str]:
    """The staged dataset's files, the main file last: until it is renamed, a reader finds no main
    file rather than one beside another run's sidecars."""
    names = [n for n in os.listdir(staged) if n not in (SWAP_JOURNAL, ASIDE) and not n.startswith(".~")]
    return sorted(names, key=lambda n: (n.lower().endswith((".shp", ".gpkg", ".csv", ".geojson", ".tab")), n))


def _old_names(folder: str, names: list[str]) -> list[str]:
    """The earlier dataset's files in `folder`: those the new set replaces and its other sidecars (a
    stale .qix would index the new shapefile wrongly)."""
    old = set()
    for name in names:
        stem, extension = os.path.splitext(name)
        for candidate in (name, *(stem + suffix for suffix in _FAMILIES.get(extension.lower(), ()))):
            if os.path.isfile(os.path.join(folder, candidate)):
                old.add(candidate)
    return sorted(old)


def _write_journal(staged: str, journal: dict) -> None:
    with atomic_write(os.path.join(staged, SWAP_JOURNAL)) as temp:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(journal, handle, ensure_ascii=False)
    _fsync_folder(staged)


def read_journal(staged: str) -> dict | None:
    try:
        with open(os.path.join(staged, SWAP_JOURNAL), encoding="utf-8") as handle:
            journal = json.load(handle)
    except (OSError, ValueError):
        return None
    return journal if isinstance(journal, dict) and journal.get("state") in ("aside", "in") else None


def _rename(step: str, source: str, target: str) -> None:
    if before_rename is not None:
        before_rename(step, os.path.basename(source))
    os.replace(source, target)


def set_aside(staged: str, log: str | None = None, run_id: str | None = None) -> None:
    """Step one: the staged files flushed to disk, then the earlier dataset at the destination renamed
    aside. Raises OSError, with the earlier dataset put back, when a file cannot be moved (no right to
    replace it, a file held open by another program). `log` and `run_id` tell a later run whether this
    run was logged, and so is to be finished rather than undone."""
    folder = os.path.dirname(os.path.abspath(staged))
    names = _new_names(staged)
    for name in names:
        with open(os.path.join(staged, name), "rb+") as handle:
            os.fsync(handle.fileno())
    old = _old_names(folder, names)
    _write_journal(staged, {"state": "aside", "new": names, "old": old, "log": log, "run_id": run_id})
    os.makedirs(os.path.join(staged, ASIDE), exist_ok=True)
    try:
        for name in old:
            _rename("aside", os.path.join(folder, name), os.path.join(staged, ASIDE, name))
    except OSError:
        put_back(staged)
        raise
    _fsync_folder(folder)
    _fsync_folder(os.path.join(staged, ASIDE))


def swap_in(staged: str) -> list[str]:
    """Step two: the new files renamed into place, then the earlier set and the staging folder removed;
    returns the paths now at the destination. A rename that fails puts this dataset back as it was
    (earlier set in place) and raises."""
    folder = os.path.dirname(os.path.abspath(staged))
    journal = read_journal(staged)
    if journal is None:
        raise OSError(f"{staged}: the swap journal is missing")
    journal["state"] = "in"
    _write_journal(staged, journal)
    done: list[str] = []
    try:
        for name in journal["new"]:
            if os.path.exists(os.path.join(staged, name)):
                _rename("in", os.path.join(staged, name), os.path.join(folder, name))
            done.append(os.path.join(folder, name))
    except OSError:
        for path in done:  # if this fails too, the journal stays "in" and the next run finishes the swap
            os.replace(path, os.path.join(staged, os.path.basename(path)))
        journal["state"] = "aside"
        _write_journal(staged, journal)
        put_back(staged)
        raise
    _fsync_folder(folder)
    discard_folder(staged, finished=True)
    return done


def put_back(staged: str) -> None:
    """Undoes step one: the earlier files renamed back to the destination."""
    folder = os.path.dirname(os.path.abspath(staged))
    aside = os.path.join(staged, ASIDE)
    if not os.path.isdir(aside):
        return
    for name in sorted(os.listdir(aside)):
        if not os.path.exists(os.path.join(folder, name)):
            os.replace(os.path.join(aside, name), os.path.join(folder, name))
    _fsync_folder(folder)


def recover(staged: str, logged: Callable[[str | None, str | None], bool] | None = None) -> str:
    """What a killed swap left, set right: 'completed' (the new set put in place: its journal says it
    was going in, or `logged(log, run_id)` finds its run in the log), 'restored' (the earlier set put
    back) or 'discarded' (a staging folder that never touched the destination, removed)."""
    journal = read_journal(staged)
    if journal is None:
        discard_folder(staged)
        return "discarded"
    if journal["state"] == "in" or (logged is not None and logged(journal.get("log"), journal.get("run_id"))):
        swap_in(staged)
        return "completed"
    discard_folder(staged)
    return "restored"


def commit_folder(staged: str, folder: str | None = None) -> list[str]:
    """Every file written in `staged` renamed into its folder (the target's own and its sidecars; the
    earlier dataset's stale sidecars removed); then `staged` is removed. Returns the paths now there."""
    set_aside(staged)
    return swap_in(staged)


def discard_folder(staged: str, finished: bool = False) -> None:
    """Removes a staging folder; an earlier set it holds aside is put back first, unless the swap
    `finished` (then that set is the old dataset, deleted). A folder whose new set is going in (journal
    "in") is left for the next run to finish; an earlier file that could not be put back is never deleted."""
    if not os.path.isdir(staged):
        return
    aside = os.path.join(staged, ASIDE)
    if not finished:
        journal = read_journal(staged)
        if journal is not None and journal["state"] == "in":
            return
        try:
            put_back(staged)
        except OSError:
            return
        if os.path.isdir(aside) and os.listdir(aside):
            return
    if os.path.isdir(aside):
        for name in os.listdir(aside):
            _remove(os.path.join(aside, name))
        _rmdir(aside)
    for name in os.listdir(staged):
        _remove(os.path.join(staged, name))
    _rmdir(staged)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _rmdir(path: str) -> None:
    try:
        os.rmdir(path)
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
