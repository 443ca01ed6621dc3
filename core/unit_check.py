"""Which unit a monitored-area column is in, before a run: the same test verify makes afterwards
(core/engine: a patch whose monitored area differs from its own area by more than
AREA_MISMATCH_SHARE disagrees; when most disagree, the unit most of them fit is suggested), asked
in advance so that a wrong unit never changes every figure of a run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .definitions import AREA_MISMATCH_SHARE, SQUARE_METRES_PER_UNIT, AreaUnit
from .engine import _parse_areas


@dataclass
class UnitFit:
    given: AreaUnit
    fits: dict[AreaUnit, int]  # unit -> patches whose monitored area agrees with their own area in it
    checked: int  # patches with a usable number and an area

    @property
    def best(self) -> AreaUnit:
        return max(self.fits, key=lambda unit: (self.fits[unit], unit == self.given))

    @property
    def given_fits(self) -> bool:
        """Verify would not say the unit looks wrong: at least half the patches agree in it, or
        no other unit fits more of them."""
        if self.checked == 0:
            return True
        if self.fits[self.given] >= 0.5 * self.checked:
            return True
        return self.fits[self.best] <= self.fits[self.given]


def unit_fit(monitored: Sequence[Any], geom_m2: Sequence[float], given: AreaUnit | int) -> UnitFit:
    raw = _parse_areas(list(monitored))
    area = np.asarray(geom_m2, dtype=float)
    valid = ~np.isnan(raw) & (area > 0) & (raw > 0)
    raw, area = raw[valid], area[valid]
    fits = {
        unit: int((np.abs(raw * factor - area) <= AREA_MISMATCH_SHARE * area).sum())
        for unit, factor in SQUARE_METRES_PER_UNIT.items()
    }
    return UnitFit(AreaUnit(given), fits, int(valid.sum()))
