"""The engine gives the same answer on one thread as on several (core.chunked cuts arrays only
between patches), on a county large enough to be cut: the synthetic county of `make bench`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import shapely

from demolition_verifier.core import chunked
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def bench_county(n: int):
    spec = importlib.util.spec_from_file_location("bench_data", SCRIPTS / "bench_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    patches, jcmj, survey = module.build(n, seed=7)
    return patches, jcmj, survey, f"EPSG:{module.EPSG}"


def run(patches, jcmj, survey, crs):
    return verify(
        PatchLayer("patches", patches, crs, ids=[f"P{i}" for i in range(len(patches))], monitored=jcmj),
        Layer("survey", survey, crs),
        rules=Rules(monitored_area_unit=1),
    )


def test_threads_change_nothing(monkeypatch):
    county = bench_county(9_000)
    assert len(county[2]) > 3 * chunked.MIN_CHUNK  # cut in several chunks
    monkeypatch.setenv("DEMOLITION_VERIFIER_THREADS", "1")
    assert chunked.cuts(len(county[2])) == [(0, len(county[2]))]
    one = run(*county)
    monkeypatch.setenv("DEMOLITION_VERIFIER_THREADS", "4")
    assert len(chunked.cuts(len(county[2]))) > 1
    several = run(*county)
    for name in ("status", "reasons", "geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants"):
        assert np.array_equal(np.asarray(getattr(one, name)), np.asarray(getattr(several, name))), name
    assert (one.status == "fail").sum() > 1000 and (one.status == "pass").sum() > 1000
    a, b = one.remnant_parts, several.remnant_parts
    assert np.array_equal(a.patch_index, b.patch_index) and np.array_equal(a.area_m2, b.area_m2)
    assert shapely.equals(a.geometries, b.geometries).all()


def test_cuts_never_split_a_group():
    groups = np.repeat(np.arange(5_000), 3)  # 15 000 rows, three per patch
    cuts = chunked.cuts(len(groups), groups, parts=4)
    assert len(cuts) == 3  # 15 000 // MIN_CHUNK
    assert cuts[0][0] == 0 and cuts[-1][1] == len(groups)
    for (_start, stop), (next_start, _stop) in zip(cuts, cuts[1:]):
        assert stop == next_start and groups[stop - 1] != groups[stop]
