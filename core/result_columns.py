"""The verify OUTPUT's result fields as columns of a Result: the one description verify, the command
line and the dock's re-check write from (names, kinds and aliases are in definitions.RESULT_FIELDS,
and LAND_RESULT_FIELDS for those written only with the farmland inputs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .definitions import LAND_RESULT_FIELDS, RESULT_FIELDS, ResultField

# Source fields named like a result field (an earlier output verified again) are replaced, not doubled.
RESULT_NAMES = frozenset(name.lower() for name, _kind, _alias in RESULT_FIELDS)
# What a re-check rewrites: patch_id and township stay as the whole run wrote them.
RECHECKED = tuple(
    name for name, _kind, _alias in RESULT_FIELDS if name not in (ResultField.PATCH_ID, ResultField.TOWNSHIP)
)
_PER_RUN = (ResultField.RUN_ID, ResultField.CHECKED_AT)  # one value for the whole run
_ALL_FIELDS = RESULT_FIELDS + LAND_RESULT_FIELDS


def result_fields(result: Any) -> tuple[tuple[str, str, str], ...]:
    """The fields a Result fills: RESULT_FIELDS, then each farmland field whose input was given
    (its column is not None), in LAND_RESULT_FIELDS order."""
    return RESULT_FIELDS + tuple(spec for spec in LAND_RESULT_FIELDS if getattr(result, spec[0], None) is not None)


def written_names(result: Any) -> frozenset[str]:
    """Lower-case names of the fields this result writes: source fields so named are replaced."""
    return frozenset(name.lower() for name, _kind, _alias in result_fields(result))


def result_columns(result: Any, fields: Sequence[tuple[str, str, str]] = RESULT_FIELDS) -> list[Sequence]:
    """The values of the given result fields (RESULT_FIELDS unless told), field by field (per-patch
    arrays as the engine made them; the run's id and time repeated for each patch)."""
    n = len(result)
    return [[getattr(result, name)] * n if name in _PER_RUN else getattr(result, name) for name, _k, _a in fields]


def result_rows(result: Any, names: Sequence[str] = RECHECKED) -> list[dict[str, Any]]:
    """The named result fields patch by patch, as plain Python values (for writing feature by feature)."""
    specs = {name: (name, kind, alias) for name, kind, alias in _ALL_FIELDS}
    columns = result_columns(result, [specs[name] for name in names])
    convert = {"real": float, "int": int, "text": str}
    picked = [(name, column, convert[specs[name][1]]) for name, column in zip(names, columns)]
    return [{name: cast(column[i]) for name, column, cast in picked} for i in range(len(result))]
