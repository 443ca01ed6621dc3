"""Filling an empty GeoPackage table in one transaction, R-tree index included.

QGIS's writer hands features to GDAL one by one, and GDAL 3.6 (Debian 12) then builds the table's
R-tree at close, one R*-tree insert per feature: together about 2 s per 100 000 patches, a third
of a verify run. Here rows go in with one `executemany`, geometry blobs are made by array
functions, and the R-tree is bulk-loaded (sort-tile-recursive packing, written straight into the
R-tree's node tables, as GDAL >= 3.7 does itself). GDAL created the table, its index and its
triggers; they are taken off for the load and put back as they were, so later edits in QGIS keep
the index and feature count up to date. Pure Python (sqlite3, numpy): tested without QGIS.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CELL_BYTES = 8 + 4 * 4  # an R-tree cell: rowid or child node (int64), minx maxx miny maxy (float32)
FLAG_LITTLE_ENDIAN = 0x01
FLAG_ENVELOPE_XY = 0x02  # envelope contents indicator 1: minx, maxx, miny, maxy
FLAG_ENVELOPE_XYZ = 0x04  # indicator 2: minx, maxx, miny, maxy, minz, maxz
FLAG_EMPTY = 0x10


class UnexpectedTable(Exception):
    """The table is not the empty one expected: nothing was written."""


@dataclass(frozen=True)
class Table:
    path: str
    name: str
    geometry_column: str
    fid_column: str
    srs_id: int
    columns: tuple[str, ...]  # attribute columns, as created


def gpkg_blobs(
    wkb: Sequence[bytes | None], bounds: np.ndarray, srs_id: int, z_range: np.ndarray | None = None
) -> list[bytes | None]:
    """GeoPackage geometry blobs: a header (srs id, envelope) before each WKB; None stays NULL.
    `bounds` is shapely's (minx, miny, maxx, maxy) per geometry, NaN for empty ones; `z_range`
    (minz, maxz), where given and finite, makes the envelope XYZ, as GDAL writes it for Z."""
    n = len(wkb)
    header = np.zeros(
        n, dtype=[("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"), ("envelope", "<f8", (6,))]
    )
    header["magic"] = b"GP"
    header["srs"] = srs_id
    empty = np.isnan(bounds).any(axis=1) if n else np.zeros(0, dtype=bool)
    xyz = ~empty & np.isfinite(z_range).all(axis=1) if z_range is not None and n else np.zeros(n, dtype=bool)
    header["flags"] = np.select(
        [empty, xyz],
        [FLAG_LITTLE_ENDIAN | FLAG_EMPTY, FLAG_LITTLE_ENDIAN | FLAG_ENVELOPE_XYZ],
        FLAG_LITTLE_ENDIAN | FLAG_ENVELOPE_XY,
    )
    if n:
        header["envelope"][:, :4] = np.nan_to_num(bounds[:, [0, 2, 1, 3]])
        if z_range is not None:
            header["envelope"][:, 4:] = np.nan_to_num(z_range)
    length = np.select([empty, xyz], [8, 8 + 48], 8 + 32).tolist()  # an empty geometry's header has no envelope
    raw = header.tobytes()
    size = header.itemsize
    out: list[bytes | None] = []
    for i, blob in enumerate(wkb):
        out.append(None if blob is None else raw[i * size : i * size + length[i]] + blob)
    return out


def _float32_outward(values: np.ndarray, down: bool) -> np.ndarray:
    """The nearest float32 that still contains the double (SQLite's own inserts widen a little
    more, by one part in 2**23; either box contains the geometry)."""
    rounded = values.astype(np.float32)
    if down:
        wrong = rounded.astype(np.float64) > values
        rounded[wrong] = np.nextafter(rounded[wrong], np.float32(-np.inf))
    else:
        wrong = rounded.astype(np.float64) < values
        rounded[wrong] = np.nextafter(rounded[wrong], np.float32(np.inf))
    return rounded


def _str_order(boxes: np.ndarray, capacity: int) -> np.ndarray:
    """Sort-tile-recursive order: vertical slabs by centre x, each sorted by centre y."""
    n = len(boxes)
    cx = (boxes[:, 0] + boxes[:, 1]) / 2
    cy = (boxes[:, 2] + boxes[:, 3]) / 2
    nodes = math.ceil(n / capacity)
    slab = capacity * math.ceil(math.sqrt(nodes))
    by_x = np.argsort(cx, kind="stable")
    slab_of = np.empty(n, dtype=np.int64)
    slab_of[by_x] = np.arange(n) // slab
    return np.lexsort((cy, slab_of))


def pack_rtree(ids: np.ndarray, bounds: np.ndarray, node_bytes: int) -> tuple[list, list, list]:
    """The R-tree of (id, shapely bounds) as rows of its shadow tables: (nodeno, blob) for
    `_node`, (rowid, nodeno) for `_rowid`, (nodeno, parentnode) for `_parent`. Node 1 is the root;
    nodes are full (as a bulk load leaves them; SQLite splits them on later inserts)."""
    capacity = (node_bytes - 4) // CELL_BYTES
    boxes = np.column_stack(
        [
            _float32_outward(bounds[:, 0], True),
            _float32_outward(bounds[:, 2], False),
            _float32_outward(bounds[:, 1], True),
            _float32_outward(bounds[:, 3], False),
        ]
    )
    # levels[h][k]: the positions, in level h - 1 (entries for h = 0), of node k's members
    levels: list[list[np.ndarray]] = []
    level_boxes = [boxes]  # level_boxes[h]: the boxes of what level h's nodes hold
    while not levels or len(levels[-1]) > 1:
        below = level_boxes[-1]
        order = _str_order(below.astype(np.float64), capacity) if len(below) > capacity else np.arange(len(below))
        starts = np.arange(0, len(order), capacity)
        levels.append(np.split(order, starts[1:]))
        ordered = below[order]
        level_boxes.append(
            np.column_stack(
                [
                    np.minimum.reduceat(ordered[:, 0], starts),
                    np.maximum.reduceat(ordered[:, 1], starts),
                    np.minimum.reduceat(ordered[:, 2], starts),
                    np.maximum.reduceat(ordered[:, 3], starts),
                ]
            )
        )
    numbers: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(levels)  # node numbers, root = 1
    next_no = 1
    for height in reversed(range(len(levels))):
        numbers[height] = np.arange(next_no, next_no + len(levels[height]))
        next_no += len(levels[height])
    cell = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])
    depth = len(levels) - 1
    node_rows: list[tuple] = []
    rowid_rows: list[tuple] = []
    parent_rows: list[tuple] = []
    for height, level in enumerate(levels):
        member_ids = np.asarray(ids, dtype=np.int64) if height == 0 else numbers[height - 1]
        members = np.concatenate(level)
        counts = np.array([len(m) for m in level])
        owner = np.repeat(numbers[height], counts)
        # in key order: a B-tree filled in random order of keys touches every page over and over
        by_key = np.argsort(member_ids[members], kind="stable")
        (rowid_rows if height == 0 else parent_rows).extend(
            zip(member_ids[members][by_key].tolist(), owner[by_key].tolist())
        )
        # every node of the level in one array: header, `capacity` cells (zeros past its count), padding
        node = np.dtype(
            [
                ("depth", ">u2"),
                ("count", ">u2"),
                ("cells", cell, (capacity,)),
                ("pad", f"V{node_bytes - 4 - capacity * CELL_BYTES}"),
            ]
        )
        nodes = np.zeros(len(level), dtype=node)
        nodes["count"] = counts
        slot = np.arange(len(members)) - np.repeat(np.cumsum(counts) - counts, counts)
        nodes["cells"]["id"][owner - numbers[height][0], slot] = member_ids[members]
        nodes["cells"]["box"][owner - numbers[height][0], slot] = level_boxes[height][members]
        if height == depth:
            nodes["depth"][0] = depth  # the root says how deep the tree is
        raw = nodes.tobytes()
        node_rows.extend(
            (int(no), raw[k * node_bytes : (k + 1) * node_bytes]) for k, no in enumerate(numbers[height].tolist())
        )
    return node_rows, rowid_rows, parent_rows


def open_table(path: str | os.PathLike, name: str | None) -> Table:
    """The empty feature table GDAL created, as it is; UnexpectedTable when it is anything else."""
    if not os.path.isfile(path):
        raise UnexpectedTable(f"no file {path}")
    connection = sqlite3.connect(os.fspath(path))
    try:
        rows = connection.execute(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
            "JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name) "
            "WHERE c.data_type = 'features'"
        ).fetchall()
        if name is not None:
            rows = [r for r in rows if r[0].lower() == name.lower()]
        if len(rows) != 1:
            raise UnexpectedTable(f"no single feature table {name!r} in {path}")
        table, geometry_column, srs_id = rows[0]
        info = connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
        fid = [r[1] for r in info if r[5] == 1]
        if len(fid) != 1 or connection.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(table)})").fetchone()[0]:
            raise UnexpectedTable(f"{table} is not an empty table with one key")
        columns = tuple(r[1] for r in info if r[1] not in (fid[0], geometry_column))
        return Table(os.fspath(path), table, geometry_column, fid[0], int(srs_id), columns)
    except sqlite3.Error as error:
        raise UnexpectedTable(str(error)) from error
    finally:
        connection.close()


def distinct_integers(values: Sequence) -> bool:
    """Whether the values can be a table's keys as given: Python ints (no bool, no float), none twice."""
    return all(type(v) is int for v in values) and len(set(values)) == len(values)


def fill_table(
    table: Table,
    names: Sequence[str],
    columns: Sequence[Sequence],
    wkb: Sequence[bytes | None],
    bounds: np.ndarray,
    z_range: np.ndarray | None = None,
) -> None:
    """Columns of values (one per name; Python values or numpy arrays) and the geometries into
    the empty `table`, with its R-tree, feature count and extent, in one transaction: all of them
    or, on failure, none. A column under the name of the table's key (a GeoPackage source's
    "fid") gives the feature ids, as QGIS's writer takes them; without one, they count from 1."""
    lookup = {c.lower(): c for c in table.columns}
    key = [i for i, name in enumerate(names) if name.lower() == table.fid_column.lower()]
    others = [i for i in range(len(names)) if i not in key]
    missing = [names[i] for i in others if names[i].lower() not in lookup]
    if missing or len(key) > 1 or len(columns) != len(names):
        raise UnexpectedTable(f"{table.name} has no column {missing}")
    n = len(wkb)
    columns = [c.tolist() if isinstance(c, np.ndarray) else c for c in columns]
    if any(len(c) != n for c in columns):
        raise ValueError(f"columns of other lengths than the {n} geometries")
    fid_values = columns[key[0]] if key else range(1, n + 1)
    if key and not distinct_integers(fid_values):
        raise UnexpectedTable(f"{table.name}: the key values are not distinct integers")
    blobs = gpkg_blobs(wkb, bounds, table.srs_id, z_range)
    connection = sqlite3.connect(table.path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", (table.name,)
        ).fetchall()
        for trigger, _sql in triggers:  # they call GDAL's SQL functions, which plain SQLite lacks
            connection.execute(f"DROP TRIGGER {_quote(trigger)}")
        targets = [_quote(table.fid_column), _quote(table.geometry_column)] + [
            _quote(lookup[names[i].lower()]) for i in others
        ]
        connection.executemany(
            f"INSERT INTO {_quote(table.name)} ({', '.join(targets)}) VALUES ({', '.join('?' * len(targets))})",
            zip(fid_values, blobs, *(columns[i] for i in others)),
        )
        indexed = (
            np.array([b is not None for b in blobs], dtype=bool) & ~np.isnan(bounds).any(axis=1)
            if n
            else np.zeros(0, bool)
        )
        _load_rtree(connection, table, np.asarray(fid_values, dtype=np.int64)[indexed], bounds[indexed])
        connection.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)", (n, table.name)
        )
        if indexed.any():
            box = bounds[indexed]
            connection.execute(
                "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                (
                    float(box[:, 0].min()),
                    float(box[:, 1].min()),
                    float(box[:, 2].max()),
                    float(box[:, 3].max()),
                    table.name,
                ),
            )
        for _trigger, sql in triggers:
            connection.execute(sql)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


def _load_rtree(connection: sqlite3.Connection, table: Table, ids: np.ndarray, bounds: np.ndarray) -> None:
    rtree = f"rtree_{table.name}_{table.geometry_column}"
    exists = connection.execute(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", (rtree,)
    ).fetchone()[0]
    if not exists:
        return  # created without a spatial index (SPATIAL_INDEX=NO): none to fill
    root = connection.execute(f"SELECT length(data) FROM {_quote(rtree + '_node')} WHERE nodeno = 1").fetchone()
    if root is None or connection.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(rtree + '_rowid')})").fetchone()[0]:
        raise UnexpectedTable(f"{rtree} is not an empty R-tree")
    if not len(ids):
        return
    nodes, rowids, parents = pack_rtree(ids, bounds, int(root[0]))
    connection.execute(f"DELETE FROM {_quote(rtree + '_node')}")
    connection.executemany(f"INSERT INTO {_quote(rtree + '_node')} (nodeno, data) VALUES (?, ?)", nodes)
    connection.executemany(f"INSERT INTO {_quote(rtree + '_rowid')} (rowid, nodeno) VALUES (?, ?)", rowids)
    connection.executemany(f"INSERT INTO {_quote(rtree + '_parent')} (nodeno, parentnode) VALUES (?, ?)", parents)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_digest(path: str | os.PathLike, name: str) -> str:
    """SHA-256 over a table's rows as SQLite stores them (by rowid, each value typed): what a run
    entry records of an output table inside a GeoPackage that holds other tables too."""
    import hashlib

    digest = hashlib.sha256()
    from pathlib import Path

    connection = sqlite3.connect(Path(os.fspath(path)).absolute().as_uri() + "?mode=ro", uri=True)
    try:
        cursor = connection.execute(f"SELECT * FROM {_quote(name)} ORDER BY rowid")
        digest.update(repr([d[0] for d in cursor.description]).encode("utf-8"))
        for row in cursor:
            digest.update(repr(row).encode("utf-8"))
    finally:
        connection.close()
    return digest.hexdigest()
