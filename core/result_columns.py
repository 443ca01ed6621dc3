"""The verify OUTPUT's result fields as columns of a Result: the one description verify, the command
line and the dock's re-check write from (names, kinds and aliases are in definitions.RESULT_FIELDS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .definitions import RESULT_FIELDS, ResultField

# Source fields named like a result field (an earlier output verified again) are replaced, not doubled.
RESULT_NAMES = frozenset(name.lower() for name, _kind, _alias in RESULT_FIELDS)
# What a re-check rewrites: patch_id and township stay as the whole run wrote them.
RECHECKED = tuple(
    name for name, _kind, _alias in RESULT_FIELDS if name not in (ResultField.PATCH_ID, ResultField.TOWNSHIP)
)
_PER_RUN = (ResultField.RUN_ID, ResultField.CHECKED_AT)  # one value for the whole run


def result_columns(result: Any) -> list[Sequence]:
    """The values of every result field, field by field in RESULT_FIELDS order (per-patch arrays as
    the engine made them; the run's id and time repeated for each patch)."""
    n = len(result)
    return [
        [getattr(result, name)] * n if name in _PER_RUN else getattr(result, name) for name, _k, _a in RESULT_FIELDS
    ]


def result_rows(result: Any, names: Sequence[str] = RECHECKED) -> list[dict[str, Any]]:
    """The named result fields patch by patch, as plain Python values (for writing feature by feature)."""
    kinds = {name: kind for name, kind, _alias in RESULT_FIELDS}
    index = {name: i for i, (name, _k, _a) in enumerate(RESULT_FIELDS)}
    columns = result_columns(result)
    convert = {"real": float, "int": int, "text": str}
    picked = [(name, columns[index[name]], convert[kinds[name]]) for name in names]
    return [{name: cast(column[i]) for name, column, cast in picked} for i in range(len(result))]
