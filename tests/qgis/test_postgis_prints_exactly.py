"""The PostGIS fast write takes a real column through GDAL's COPY (15 significant digits) only where
that prints every value back exactly: the whole-column test must answer as the value-by-value one."""

from __future__ import annotations

import random
import struct

import numpy as np

from demolition_verifier.qgis_adapter.postgis_output import _has_nul, _prints_exactly


def one_by_one(value: float) -> bool:
    return float(f"{value:.15g}") == value


def awkward_floats(rng: random.Random) -> list[float]:
    values = [0.0, -0.0, 1.0, 0.1, 1 / 3, 2.0**53, 2.0**53 + 2, 1e16, 1e-5, 5e-324, 1.7976931348623157e308]
    values += [123456789012345.0, 1234567890123456.0, 1234567890123450.0, 0.000123456789012345]
    values += [0.0001234567890123456, 9.99999999999999e22, 1.2345678901234567e-200]
    for _ in range(3000):
        kind = rng.randrange(4)
        if kind == 0:  # any double at all
            values.append(struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0])
        elif kind == 1:  # figures rounded to a few decimals, as verify writes them
            values.append(round(rng.uniform(-1e7, 1e7), rng.randrange(0, 7)))
        elif kind == 2:  # ~15 digits, either side of the limit
            digits = rng.choice((14, 15, 16, 17))
            values.append(float(f"{rng.random():.{digits}g}e{rng.randrange(-30, 30)}"))
        else:  # areas measured, full precision
            values.append(rng.uniform(0, 5e4))
    return [v for v in values if np.isfinite(v)]


def test_the_column_test_answers_as_each_value_would():
    rng = random.Random(20261201)
    values = awkward_floats(rng)
    disagreements = [v for v in values if _prints_exactly([v]) != one_by_one(v)]
    assert not disagreements, disagreements[:5]
    assert sum(map(one_by_one, values)) > 500 and sum(not one_by_one(v) for v in values) > 500  # both kinds met
    exact = [v for v in values if one_by_one(v)]
    assert _prints_exactly(exact) and _prints_exactly(np.array(exact))
    assert not _prints_exactly(exact + [0.1 + 0.2]) and not _prints_exactly(np.array([*exact, 0.1 + 0.2]))


def test_nulls_and_non_finite_values():
    assert _prints_exactly(np.array([1.5, np.nan, 2.25]))  # NaN in an array is a NULL
    assert _prints_exactly([1.5, None, 2])
    assert not _prints_exactly([1.5, float("inf")]) and not _prints_exactly([float("nan")])
    assert not _prints_exactly([np.float64(0.1) + np.float64(0.2)])  # numpy's floats are looked at too


def test_nul_characters_are_found():
    assert not _has_nul(["城关镇", None, "a\tb"])
    assert _has_nul([None, "ab\x00c"])
