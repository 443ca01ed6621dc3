"""The verification engine: patches overlaid with what still stands, decided patch by patch.

Works on arrays (shapely geometries, plain Python values) so that QGIS, a server or a test can
feed it. Nothing here loops in Python over patches or patch-survey pairs: STRtree bulk queries and
shapely's array functions do the work, on two threads where the arrays are long (core.chunked).
A survey polygon lying wholly inside its patch is its own clipped piece (a prepared `covers` test
instead of an overlay); only pieces whose survey polygons overlap or touch one another are united,
pairwise, in rounds over whole arrays.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import shapely

from .area import AreaMeter, crs_label, parse_crs, reproject
from .chunked import map_chunks, map_ranges
from .definitions import (
    AREA_MISMATCH_SHARE,
    COVERAGE_REQUIRED,
    DEFAULT_AREA_TOLERANCE,
    DEFAULT_MAIN_STRUCTURE_AREA,
    DEFAULT_MAX_REMAINING_RATIO,
    SQUARE_METRES_PER_UNIT,
    AreaMethod,
    AreaUnit,
    Method,
    RankBy,
    Reason,
    Status,
)
from .geometry import clean_polygons, not_finite, polygonal, union_by_group
from .land import LandFigures, LandInputs, PreparedLand
from .messages import Cancelled, Notice, Refusal
from .revisit import rebuilt_flags
from .summary import SummaryRow, township_summary
from .words import UNIT_EN, UNIT_WORDS, UNIT_ZH

AREA_DECIMALS = 6  # m² to the µm²: far below survey accuracy, far above float noise
# Pieces smaller than this (1 cm²) are float noise of an overlay along a shared edge, not remnants.
NOISE_AREA_M2 = 1e-4
CLIP_RUNS_PER_WORKER = 4  # runs of patches per thread: the one left last is short when the host is busy


@dataclass
class Layer:
    """A polygon layer as arrays: geometries in `crs` (WKT, 'EPSG:…' or None when unknown)."""

    name: str
    geometries: Sequence[Any]
    crs: Any = None
    read_repaired: Sequence[bool] | None = None  # the reader already had to repair (e.g. close a ring)


@dataclass
class PatchLayer(Layer):
    ids: Sequence[Any] = ()
    monitored: Sequence[Any] | None = None  # raw values of the monitored-area field, or None
    townships: Sequence[Any] | None = None


@dataclass
class Rules:
    max_remaining_ratio: float = DEFAULT_MAX_REMAINING_RATIO
    area_tolerance: float = DEFAULT_AREA_TOLERANCE
    main_structure_area: float = DEFAULT_MAIN_STRUCTURE_AREA
    monitored_area_unit: AreaUnit = AreaUnit.SQUARE_METRE
    area_method: AreaMethod = AreaMethod.ELLIPSOIDAL
    rank_by: RankBy = RankBy.AREA  # what ranks the townships in the summary

    def check(self) -> None:
        for name, value in (
            ("MAX_REMAINING_RATIO", self.max_remaining_ratio),
            ("AREA_TOLERANCE", self.area_tolerance),
            ("MAIN_STRUCTURE_AREA", self.main_structure_area),
        ):
            if not value >= 0:
                raise Refusal("negative_parameter", name=name, value=value)


@dataclass
class Remnants:
    """Each part of each patch's remaining footprint, in the patch layer's CRS."""

    patch_index: np.ndarray
    part: np.ndarray  # 1 = the largest part of its patch
    area_m2: np.ndarray
    geometries: np.ndarray


@dataclass
class Result:
    patch_id: list[str | None]
    township: list[str | None]
    status: np.ndarray  # of str
    reasons: list[str]
    monitor_m2: np.ndarray
    geom_m2: np.ndarray
    remain_m2: np.ndarray
    remain_rt: np.ndarray
    largest_m2: np.ndarray
    remnants: np.ndarray
    remnant_parts: Remnants
    summary: list[SummaryRow]
    run_id: str
    checked_at: str
    notices: list[Notice] = field(default_factory=list)
    # only with the farmland inputs (core.land); None otherwise, and then not written
    farm_m2: np.ndarray | None = None
    farm_rem: np.ndarray | None = None
    bfarm_m2: np.ndarray | None = None
    bfarm_rem: np.ndarray | None = None
    appr_m2: np.ndarray | None = None
    appr_ids: list[str] | None = None
    method: list[str] | None = None

    def __len__(self) -> int:
        return len(self.status)

    def counts(self) -> dict[str, int]:
        return {s.value: int((self.status == s.value).sum()) for s in Status}


Progress = Callable[[float], None]
IsCancelled = Callable[[], bool]


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def normalise_id(value: Any) -> str | None:
    """Ids as text: 12 and 12.0 are '12'; NULL and blanks are None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


# A number as a person writes it: ASCII digits (after NFKC: full-width ones are ASCII), thousands
# separated by commas in groups of three, a decimal point. Nothing else is guessed at: "1_000",
# "12,5", "1.000,5" or digits of other scripts (which Python's float would read) are no number.
_WRITTEN_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")


def parse_area(value: Any, unit: AreaUnit | None = None) -> float | None:
    """A positive number from a numeric or text field ('3.5', '１,234.5', '1000 亩' where `unit`
    is 亩); None when there is none or it is ambiguous."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if unit is not None:
            for word in UNIT_WORDS[AreaUnit(unit)]:
                if text.lower().endswith(word):
                    text = text[: -len(word)].rstrip()
                    break
        if not _WRITTEN_NUMBER.fullmatch(text):
            return None
        number = float(text.replace(",", ""))
    return number if math.isfinite(number) and number > 0 else None


class Verifier:
    """Holds the cleaned survey and its spatial index, so single patches can be re-checked fast."""

    def __init__(
        self,
        patches: PatchLayer,
        survey: Layer,
        coverage: Layer | None = None,
        rules: Rules | None = None,
        progress: Progress | None = None,
        is_cancelled: IsCancelled | None = None,
        prior_states: Mapping[str, Any] | None = None,
        land: LandInputs | None = None,
    ) -> None:
        """prior_states: patch id -> its state in the audit log before this run (core.revisit.prior_states);
        given (an audit log), patches that passed there and fail now are `rebuilt`."""
        self.prior_states = prior_states
        self._rebuilt: np.ndarray | None = None  # set by run() where prior_states are given
        self.rules = rules or Rules()
        self.rules.check()
        if RankBy(self.rules.rank_by) == RankBy.FARMLAND and (land is None or land.land_class is None):
            raise Refusal("rank_by_farmland_needs_land_class")
        self.patches = patches
        self.notices: list[Notice] = []
        self._progress = progress or (lambda _f: None)
        self._is_cancelled = is_cancelled or (lambda: False)
        self.crs = parse_crs(patches.crs, patches.name)
        self.meter = AreaMeter(self.crs, self.rules.area_method, patches.name)
        self.survey = self._prepare(survey)
        self.coverage = self._prepare(coverage) if coverage is not None else None
        self.land = PreparedLand(land, self.crs, patches.name, self.notices) if land is not None else None

    # -- inputs ----------------------------------------------------------------------------------
    def _prepare(self, layer: Layer) -> _Indexed:
        geoms = _object_array(layer.geometries)
        crs = parse_crs(layer.crs, layer.name)
        if crs is None and self.crs is not None and len(geoms):
            self.notices.append(Notice("crs_assumed", "warning", {"layer": layer.name}))
        elif crs is not None and self.crs is None and len(geoms):  # nothing to reproject into: say so
            self.notices.append(
                Notice(
                    "crs_not_reprojected",
                    "warning",
                    {"layer": layer.name, "patches": self.patches.name, "crs": crs_label(crs)},
                )
            )
        elif crs is not None and self.crs is not None and crs != self.crs:
            self.notices.append(Notice("reprojected", "info", {"layer": layer.name, "source": crs_label(crs)}))
            geoms = reproject(shapely.force_2d(geoms), crs, self.crs)
        _refuse_not_finite(geoms, layer.name)
        clean = clean_polygons(geoms, layer.read_repaired)
        if clean.missing.any():
            self.notices.append(
                Notice("survey_null_skipped", "warning", {"layer": layer.name, "count": int(clean.missing.sum())})
            )
        if clean.repaired.any():
            self.notices.append(
                Notice("geometries_repaired", "warning", {"layer": layer.name, "count": int(clean.repaired.sum())})
            )
        # A polygon repaired away entirely (zero area) still touched the patches under its outline.
        lost = clean.repaired & shapely.is_missing(clean.geoms) & ~clean.missing
        return _Indexed(clean.geoms, clean.repaired, shapely.envelope(geoms[lost]))

    def _check(self, fraction: float) -> None:
        if self._is_cancelled():
            raise Cancelled()
        self._progress(fraction)

    # -- the run ---------------------------------------------------------------------------------
    def run(self, now: datetime | None = None) -> Result:
        now = now or datetime.now(timezone.utc).astimezone()
        notices, self.notices = self.notices, list(self.notices)  # a second run starts afresh
        try:
            return self._run(now)
        finally:
            self.notices = notices

    def _run(self, now: datetime) -> Result:
        self._check(0.05)
        patches = self.patches
        n = len(patches.geometries)
        _refuse_not_finite(_object_array(patches.geometries), patches.name)
        clean = clean_polygons(_object_array(patches.geometries), patches.read_repaired)
        if clean.repaired.any():
            self.notices.append(
                Notice("geometries_repaired", "warning", {"layer": patches.name, "count": int(clean.repaired.sum())})
            )
        geoms = clean.geoms
        self._check(0.15)
        geom_m2 = self.meter.measure(geoms)
        no_geometry = shapely.is_missing(geoms)
        unmeasured = np.flatnonzero(~no_geometry & ~np.isfinite(geom_m2))
        if len(unmeasured):  # e.g. coordinates far outside the CRS: an area of NULL must not pass
            examples = "、".join(str(patches.ids[i] if len(patches.ids) else i + 1) for i in unmeasured[:5])
            raise Refusal("area_not_finite", layer=patches.name, count=len(unmeasured), examples=examples)
        self._check(0.25)

        with _prepared(geoms):
            survey = self.survey.clipped_parts(geoms)
            self._check(0.6)
            remnants = self._remnant_parts(survey)
            remain_m2 = np.bincount(remnants.patch_index, weights=remnants.area_m2, minlength=n)
            largest_m2 = np.zeros(n)
            np.maximum.at(largest_m2, remnants.patch_index, remnants.area_m2)
            remnant_count = np.bincount(remnants.patch_index, minlength=n)
            # Areas hold to ~1e-6 relative; to the µm² they decide the same way whatever the float
            # noise of an overlay (1.0 vs 1.0000000000000002 m² must not flip a 1 m² tolerance).
            geom_m2, remain_m2, largest_m2 = (np.round(a, AREA_DECIMALS) for a in (geom_m2, remain_m2, largest_m2))
            land = self._land_figures(geoms, remnants)
            self._check(0.75)

            not_surveyed = np.zeros(n, dtype=bool)
            if self.coverage is not None:
                covered = self.coverage.clipped_parts(geoms)
                covered_m2 = np.bincount(covered.owner, weights=self.meter.measure(covered.parts), minlength=n)
                not_surveyed = ~no_geometry & (covered_m2 < COVERAGE_REQUIRED * geom_m2)
        self._check(0.85)

        monitor_m2, monitor_missing = self._monitored_areas(geom_m2)
        with np.errstate(divide="ignore", invalid="ignore"):
            remain_rt = np.where(monitor_m2 > 0, remain_m2 / monitor_m2, 0.0)
        rules = self.rules
        unsurveyed = no_geometry | not_surveyed
        # judged: the remainder less its approved (legalised) part; the whole remainder without approvals
        judged_m2, judged_rt, judged_largest = remain_m2, remain_rt, largest_m2
        if land is not None and land.appr_m2 is not None:
            judged_m2 = np.round(remain_m2 - land.appr_m2, AREA_DECIMALS)
            judged_largest = land.unapproved_largest
            with np.errstate(divide="ignore", invalid="ignore"):
                judged_rt = np.where(monitor_m2 > 0, judged_m2 / monitor_m2, 0.0)
        main_retained = ~unsurveyed & (rules.main_structure_area > 0) & (judged_largest >= rules.main_structure_area)
        over_tolerance = ~unsurveyed & (judged_m2 > rules.area_tolerance) & (judged_rt > rules.max_remaining_ratio)
        failed = main_retained | over_tolerance
        if land is not None and land.bfarm_rem is not None:
            basic_farmland = ~unsurveyed & (land.bfarm_rem > rules.area_tolerance)
            failed = failed | basic_farmland
        status = np.where(
            unsurveyed, Status.UNSURVEYED.value, np.where(failed, Status.FAIL.value, Status.PASS.value)
        ).astype(object)
        area_mismatch = ~no_geometry & (np.abs(monitor_m2 - geom_m2) > AREA_MISMATCH_SHARE * geom_m2)
        ids: list[str | None] = _normalise_ids(patches.ids) if len(patches.ids) else [None] * n
        duplicate = _duplicates(ids)
        flags = {
            Reason.NO_GEOMETRY: no_geometry,
            Reason.NOT_SURVEYED: not_surveyed,
            Reason.MAIN_RETAINED: main_retained,
            Reason.OVER_TOLERANCE: over_tolerance,
            Reason.MONITORED_AREA_MISSING: monitor_missing,
            Reason.AREA_MISMATCH: area_mismatch,
            Reason.GEOMETRY_REPAIRED: clean.repaired | survey.touched_repaired,
            Reason.DUPLICATE_ID: duplicate,
        }
        if land is not None:
            self._land_flags(flags, land, status, basic_farmland if land.bfarm_rem is not None else None)
        if self.prior_states is not None:  # after the land rules: a patch failing on basic farmland counts too
            flags[Reason.REBUILT] = rebuilt_flags(status, ids, self.prior_states)
        self._rebuilt = flags.get(Reason.REBUILT)
        reasons = _join_reasons(flags, n)
        townships: list[str | None] = _normalise_ids(patches.townships) if patches.townships is not None else [None] * n
        summary = township_summary(
            townships if patches.townships is not None else None,
            status,
            monitor_m2,
            rank_by=rules.rank_by,
            rebuilt=self._rebuilt,
        )
        self._log_patch_notices(flags, ids, duplicate, monitor_m2, geom_m2, no_geometry, n)
        self._check(0.95)
        result = Result(
            patch_id=ids,
            township=townships,
            status=status,
            reasons=reasons,
            monitor_m2=monitor_m2,
            geom_m2=geom_m2,
            remain_m2=remain_m2,
            remain_rt=remain_rt,
            largest_m2=largest_m2,
            remnants=remnant_count,
            remnant_parts=remnants,
            summary=summary,
            run_id=new_run_id(now),
            checked_at=now.isoformat(timespec="seconds"),
            notices=list(self.notices),
        )
        if land is not None:
            self._land_result(result, land)
        return result

    # -- farmland and approvals (core.land) ------------------------------------------------------
    def _land_figures(self, geoms: np.ndarray, remnants: Remnants) -> LandFigures | None:
        if self.land is None:
            return None
        land = self.land.overlay(geoms, remnants.geometries, remnants.patch_index, self.meter)
        self.notices.extend(land.notices)
        for name in ("farm_m2", "farm_rem", "bfarm_m2", "bfarm_rem", "appr_m2", "unapproved_largest"):
            value = getattr(land, name)
            if value is not None:
                setattr(land, name, np.round(value, AREA_DECIMALS))
        return land

    def _land_flags(self, flags: dict, land: LandFigures, status: np.ndarray, basic_farmland) -> None:
        flags[Reason.GEOMETRY_REPAIRED] = flags[Reason.GEOMETRY_REPAIRED] | land.touched_repaired
        if basic_farmland is not None:
            flags[Reason.BASIC_FARMLAND] = basic_farmland
        if land.appr_m2 is not None:
            flags[Reason.APPROVED_PART] = land.appr_m2 > self.rules.area_tolerance

    def _land_result(self, result: Result, land: LandFigures) -> None:
        for name in ("farm_m2", "farm_rem", "bfarm_m2", "bfarm_rem", "appr_m2", "appr_ids"):
            setattr(result, name, getattr(land, name))
        if land.appr_m2 is not None:
            passed = result.status == Status.PASS.value
            legal = land.appr_m2 > self.rules.area_tolerance
            method = np.where(passed, np.where(legal, Method.LEGALISED.value, Method.DEMOLISHED.value), "")
            result.method = method.astype(object).tolist()
        if land.farm_m2 is not None or result.method is not None:  # the summary with its farmland columns
            result.summary = township_summary(
                result.township if self.patches.townships is not None else None,
                result.status,
                result.monitor_m2,
                rank_by=self.rules.rank_by,
                farm_m2=land.farm_m2,
                farm_rem=land.farm_rem if land.farm_m2 is not None else None,
                method=result.method,
                rebuilt=self._rebuilt,
            )

    def _remnant_parts(self, clipped: Clipped) -> Remnants:
        parts, owner = clipped.parts, clipped.owner
        area = self.meter.measure(parts)
        keep = area >= NOISE_AREA_M2
        parts, owner, area = parts[keep], owner[keep], area[keep]
        order = np.lexsort((-area, owner))  # by patch, largest part first
        parts, owner, area = parts[order], owner[order], area[order]
        starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1] if len(owner) else np.array([], dtype=int)
        part_no = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)])) + 1
        return Remnants(patch_index=owner, part=part_no, area_m2=np.round(area, AREA_DECIMALS), geometries=parts)

    def _monitored_areas(self, geom_m2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(geom_m2)
        if self.patches.monitored is None:
            return geom_m2.copy(), np.zeros(n, dtype=bool)
        raw = _parse_areas(self.patches.monitored, self.rules.monitored_area_unit)  # nan: no usable number
        missing = np.isnan(raw)
        factor = SQUARE_METRES_PER_UNIT[AreaUnit(self.rules.monitored_area_unit)]
        self._raw_monitored = raw
        return np.where(missing, geom_m2, raw * factor), missing

    def _log_patch_notices(self, flags, ids, duplicate, monitor_m2, geom_m2, no_geometry, n) -> None:
        if n == 0:
            self.notices.append(Notice("empty_patches", "warning"))
            return
        if len(self.survey.geoms) == 0:
            self.notices.append(Notice("empty_survey", "warning"))
        if no_geometry.any():
            self.notices.append(Notice("patch_no_geometry", "warning", {"count": int(no_geometry.sum())}))
        missing = flags[Reason.MONITORED_AREA_MISSING]
        if missing.any():
            self.notices.append(Notice("monitored_missing", "warning", {"count": int(missing.sum())}))
        if duplicate.any():
            examples = sorted({ids[i] for i in np.flatnonzero(duplicate)})[:3]
            self.notices.append(
                Notice("duplicate_ids", "warning", {"count": int(duplicate.sum()), "examples": ", ".join(examples)})
            )
        mismatch = flags[Reason.AREA_MISMATCH]
        if mismatch.any():
            self.notices.append(Notice("area_mismatch_count", "warning", {"count": int(mismatch.sum())}))
            self._suggest_unit(mismatch, missing, geom_m2)

    def _suggest_unit(self, mismatch: np.ndarray, missing: np.ndarray, geom_m2: np.ndarray) -> None:
        """When most patches disagree, say which unit the numbers would fit."""
        given = AreaUnit(self.rules.monitored_area_unit)
        valid = ~missing & (geom_m2 > 0)
        if self.patches.monitored is None or valid.sum() == 0 or mismatch[valid].mean() <= 0.5:
            return
        raw = self._raw_monitored[valid]
        fits = {
            unit: int((np.abs(raw * factor - geom_m2[valid]) <= AREA_MISMATCH_SHARE * geom_m2[valid]).sum())
            for unit, factor in SQUARE_METRES_PER_UNIT.items()
        }
        better = max(fits, key=lambda unit: fits[unit])
        if better != given and fits[better] > fits[given]:
            # first: it changes every figure, where the others concern a few patches
            self.notices.insert(
                0,
                Notice(
                    "unit_looks_wrong",
                    "warning",
                    {
                        "given": f"{UNIT_ZH[given]}/{UNIT_EN[given]}",
                        "better": f"{UNIT_ZH[better]}/{UNIT_EN[better]}",
                        "matches": fits[better],
                        "total": int(valid.sum()),
                    },
                ),
            )


@dataclass
class Clipped:
    """A polygon layer cut to the patches: parts that never overlap within one patch."""

    owner: np.ndarray  # the patch of each part
    parts: np.ndarray  # Polygon
    touched_repaired: np.ndarray  # per patch: a repaired polygon of the layer touches it


class _Indexed:
    """A cleaned polygon layer with its STRtree, built once."""

    def __init__(self, geoms: np.ndarray, repaired: np.ndarray, repaired_away: np.ndarray | None = None) -> None:
        self.geoms = geoms
        self.repaired = repaired
        present = np.flatnonzero(~shapely.is_missing(geoms))
        self._present = present
        self.tree = shapely.STRtree(geoms[present])
        away = repaired_away if repaired_away is not None else np.array([], dtype=object)
        self._repaired_away = shapely.STRtree(away) if len(away) else None
        self._overlapping: np.ndarray | None = None

    def overlapping(self) -> np.ndarray:
        """For each polygon in the tree: whether it intersects (overlaps or touches) another one."""
        if self._overlapping is None:
            geoms = self.geoms[self._present]
            # envelope pairs (the query in runs on the threads); the exact test only where a < b
            pairs = map_ranges(lambda start, stop: self.tree.query(geoms[start:stop]) + [[start], [0]], len(geoms))
            a, b = np.concatenate(pairs, axis=1) if pairs else np.zeros((2, 0), dtype=np.intp)
            a, b = a[a < b], b[a < b]
            with _prepared(geoms[a]):  # a prepared test is several times faster, even used once
                hit = map_chunks(shapely.intersects, geoms[a], geoms[b], groups=a)
            flag = np.zeros(len(geoms), dtype=bool)
            flag[a[hit]] = True
            flag[b[hit]] = True
            self._overlapping = flag
        return self._overlapping

    def clipped_parts(self, patches: np.ndarray) -> Clipped:
        """The parts of the union of this layer's polygons inside each patch (overlaps once)."""
        n = len(patches)
        touched_repaired = np.zeros(n, dtype=bool)
        if n and self._repaired_away is not None:
            touched_repaired[self._repaired_away.query(patches, predicate="intersects")[0]] = True
        if n == 0 or len(self._present) == 0:
            return Clipped(np.zeros(0, dtype=int), np.zeros(0, dtype=object), touched_repaired)
        overlapping = self.overlapping()
        # Runs of patches on the threads (query, cut, unite, explode), a few per thread: few
        # hand-overs, and no long run left to one thread at the end.
        ranges = map_ranges(
            lambda start, stop: self._clip_range(patches, start, stop, overlapping, touched_repaired),
            n,
            per_worker=CLIP_RUNS_PER_WORKER,
        )
        return Clipped(
            np.concatenate([owners for owners, _parts in ranges]),
            np.concatenate([parts for _owners, parts in ranges]),
            touched_repaired,
        )

    def _clip_range(
        self, patches: np.ndarray, start: int, stop: int, overlapping: np.ndarray, touched_repaired: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """clipped_parts for patches[start:stop]: (owner, part) with owners counted from 0."""
        n = len(patches)
        pi, ti = self.tree.query(patches[start:stop], predicate="intersects")
        pi = pi + start
        si = self._present[ti]
        touched_repaired[pi[self.repaired[si]]] = True
        # A polygon inside its (prepared) patch is its own piece; only the others are cut.
        inside = map_chunks(shapely.covers, patches[pi], self.geoms[si], groups=pi)
        pieces = self.geoms[si].copy()
        cut = np.flatnonzero(~inside)
        if len(cut):
            pieces[cut] = polygonal(
                map_chunks(shapely.intersection, patches[pi[cut]], self.geoms[si[cut]], groups=pi[cut])
            )
        # Pieces of polygons that overlap or touch another polygon are united within their patch.
        # A polygon that only touches the patch leaves no piece (a line or point): it must not join
        # a group, where a missing member would wipe out the whole union.
        present = ~shapely.is_missing(pieces)
        shared_candidate = overlapping[ti] & present
        shared = shared_candidate & (np.bincount(pi[shared_candidate], minlength=n)[pi] >= 2)
        keep = ~shared & present
        united, owners = union_by_group(pieces[shared], pi[shared])
        united = polygonal(united)
        pieces = np.concatenate([pieces[keep], united])
        owners = np.concatenate([pi[keep], owners])
        present = ~shapely.is_missing(pieces)
        pieces, owners = pieces[present], owners[present]
        multi = shapely.get_type_id(pieces) != shapely.GeometryType.POLYGON  # only these need exploding
        parts, index = shapely.get_parts(pieces[multi], return_index=True)
        return np.concatenate([owners[~multi], owners[multi][index]]), np.concatenate([pieces[~multi], parts])


def _object_array(values: Sequence[Any]) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


@contextmanager
def _prepared(geoms: np.ndarray):
    """Prepares the patches for the `covers` tests, and frees what this added afterwards."""
    fresh = np.flatnonzero(~shapely.is_missing(geoms))
    fresh = fresh[~shapely.is_prepared(geoms[fresh])]
    shapely.prepare(geoms[fresh])  # holds the GIL: no faster on threads
    try:
        yield
    finally:
        map_ranges(lambda start, stop: shapely.destroy_prepared(geoms[fresh[start:stop]]), len(fresh))  # on threads


def _refuse_not_finite(geoms: np.ndarray, name: str) -> None:
    bad = np.concatenate(map_ranges(lambda start, stop: not_finite(geoms[start:stop]) + start, len(geoms)))
    if len(bad):
        examples = "、".join(str(i + 1) for i in bad[:5].tolist())
        raise Refusal("coordinates_not_finite", layer=name, count=len(bad), examples=examples)


def _normalise_ids(values: Sequence[Any]) -> list[str | None]:
    """normalise_id over a column; text, the common case, without a function call per value."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return [(v.strip() or None) if type(v) is str else normalise_id(v) for v in values]


def _parse_areas(values: Sequence[Any], unit: AreaUnit | None = None) -> np.ndarray:
    """parse_area over a column, nan for None; numbers (and NULLs) in one array call."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        raw = values.astype(float)
    else:
        values = values.tolist() if isinstance(values, np.ndarray) else list(values)
        if all(
            t is type(None) or (issubclass(t, (float, int, np.number)) and t is not bool)
            for t in set(map(type, values))
        ):
            raw = np.array(values, dtype=float)  # None becomes nan
        else:
            raw = np.array([parse_area(v, unit) for v in values], dtype=float)
    with np.errstate(invalid="ignore"):
        raw[~(np.isfinite(raw) & (raw > 0))] = np.nan
    return raw


def _duplicates(ids: list[str | None]) -> np.ndarray:
    seen = Counter(ids)
    seen.pop(None, None)
    if all(count == 1 for count in seen.values()):
        return np.zeros(len(ids), dtype=bool)
    return np.fromiter((v is not None and seen[v] > 1 for v in ids), dtype=bool, count=len(ids))


def _join_reasons(flags: dict[Reason, np.ndarray], n: int) -> list[str]:
    """The codes of each row, comma-separated in REASON_ORDER: one string per distinct combination."""
    if n == 0:
        return []
    order = list(Reason)
    code = np.zeros(n, dtype=np.int64)
    for bit, reason in enumerate(order):
        if reason in flags:  # codes whose inputs were not given are never set
            code |= np.asarray(flags[reason], dtype=np.int64) << bit
    combos, inverse = np.unique(code, return_inverse=True)
    texts = np.array(
        [",".join(r.value for bit, r in enumerate(order) if int(c) >> bit & 1) for c in combos], dtype=object
    )
    return texts[inverse].tolist()


def verify(
    patches: PatchLayer,
    survey: Layer,
    coverage: Layer | None = None,
    rules: Rules | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    prior_states: Mapping[str, Any] | None = None,
    land: LandInputs | None = None,
) -> Result:
    """Verify every patch; see README.md for the rules."""
    return Verifier(patches, survey, coverage, rules, progress, is_cancelled, prior_states, land).run()
