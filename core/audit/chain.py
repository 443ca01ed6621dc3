"""The hash chain's arithmetic: each entry's canonical content and hash. No storage, no clock."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from enum import Enum
from typing import Any

from ..messages import Refusal

GENESIS = "0" * 64  # the "previous hash" of entry 1


# -- canonical content and hashes -----------------------------------------------------------------
def plain(value: Any) -> Any:
    """JSON-safe, machine-independent values: numpy scalars to Python, non-finite floats to None."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:  # the common case, first
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, float):  # numpy.float64 among others
        return plain(float(value))
    if isinstance(value, str):
        return str(value)
    if hasattr(value, "item"):  # other numpy scalars
        return plain(value.item())
    return str(value)


# What json.dumps with these arguments builds on every call, built once (a log of 100 000 decisions
# is 300 000 encodings): the same text, byte for byte.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_PLAIN_TYPES = frozenset((str, int, bool, type(None)))


def canonical(value: Any) -> str:
    return _CANONICAL.encode(plain(value))


def canonical_plain(values: Sequence[Any]) -> str | None:
    """canonical(list(values)) when every value is plain already (str, int, bool, None, finite
    float: a layer's attributes as read through GDAL), without a call per value; else None."""
    for value in values:
        kind = type(value)
        if kind is float:
            if not math.isfinite(value):
                return None
        elif kind not in _PLAIN_TYPES:
            return None
    return _CANONICAL.encode(list(values))


def entry_hash(seq: int, entry: str, logged_at: str, run_id, patch_id, status, data: str, prev_hash: str) -> str:
    """The hash of one row: every column as stored (data is hashed as its exact text)."""
    body = _ROW.encode([seq, entry, logged_at, run_id, patch_id, status, data, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def normalise_head(expected: str | None) -> str | None:
    """A head hash as typed from paper: case and spaces ignored; at least its first 16 digits."""
    if expected is None:
        return None
    text = "".join(expected.split()).lower()
    if not text:
        return None
    if len(text) < 16 or len(text) > 64 or not _is_hex(text):
        raise Refusal("audit_anchor_malformed", expected=expected)
    return text


def _row_is_sound(row: Sequence, seq: int, prev: str) -> bool:
    fid, entry, logged_at, run_id, patch_id, status, data, prev_hash, digest = row
    if fid != seq or prev_hash != prev or not isinstance(data, str) or not isinstance(entry, str):
        return False
    if not isinstance(logged_at, str) or not all(v is None or isinstance(v, str) for v in (run_id, patch_id, status)):
        return False
    return digest == entry_hash(seq, entry, logged_at, run_id, patch_id, status, data, prev_hash)
