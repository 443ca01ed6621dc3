"""The return visit (回头看): a patch that passed and fails again is rebuilt (复建), and the passed patches
not verified for a while are the ones to visit again. Both are read from the audit log (core/audit/);
the engine only receives the prior states and flags the patches (`rebuilt_flags`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from . import audit
from .definitions import AuditEntry, Reason, Status
from .messages import Notice, Refusal

# Times without an offset are China time: the campaign's dates are (DOMAIN: UTC+8).
CHINA_TIME = timezone(timedelta(hours=8))


def had_rebuilt(reasons: str | None) -> bool:
    return Reason.REBUILT.value in (reasons or "").split(",")


def rebuilt_flags(status: Sequence[str], patch_ids: Sequence[str | None], prior: Mapping[str, Any]) -> np.ndarray:
    """Per patch: rebuilt (复建). prior: patch id -> its state in the log before this run
    (core.audit.PatchState: final_status, reasons of its latest decision).

    A patch is rebuilt when it fails now and either its final status before this run was pass (an
    overturn to pass counts), or it was rebuilt at its latest decision and is still finally failing
    (the chain pass … fail(rebuilt), fail(rebuilt) …). An unsurveyed decision or an overturn to
    another status in between ends the chain; a patch the log does not know is never rebuilt."""
    out = np.zeros(len(status), dtype=bool)
    for i, (computed, patch_id) in enumerate(zip(status, patch_ids)):
        if computed != Status.FAIL.value or patch_id is None:
            continue
        state = prior.get(str(patch_id))
        if state is None:
            continue
        final = state.final_status
        out[i] = final == Status.PASS.value or (final == Status.FAIL.value and had_rebuilt(state.reasons))
    return out


def prior_states(path: str | os.PathLike | None) -> tuple[dict[str, Any] | None, list[Notice]]:
    """What verify compares with: None without a log (no rebuilt at all); {} for a log not yet made;
    {} and a warning for a broken chain (a tampered log decides nothing); else final_statuses."""
    if not path:
        return None, []
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return {}, []
    check = audit.verify_chain(path)
    if not check.valid:
        return {}, [Notice("rebuilt_chain_broken", "warning", {"path": os.fspath(path), "seq": check.first_broken})]
    return audit.final_statuses(path), []


def rebuilt_notice(summary: Sequence[Any]) -> Notice | None:
    """The run's log line: how many patches were rebuilt, per township (summary rows with `rebuilt`)."""
    total = next((r for r in summary if r.rank is None), None)
    if total is None or not total.rebuilt:
        return None
    towns = "、".join(f"{r.township} {r.rebuilt}" for r in summary if r.rank is not None and r.rebuilt)
    return Notice(
        "rebuilt_found", "warning", {"count": total.rebuilt, "townships": towns or f"{total.township} {total.rebuilt}"}
    )


# -- the return-visit sample: passed patches not verified for a while ---------------------------------
def parse_as_of(value: str | None, now: datetime | None = None) -> datetime:
    """AS_OF as an aware time: ISO 8601 ('2026-12-01', '2026-12-01T08:00', with or without offset;
    without one it is China time); empty means now."""
    text = (value or "").strip()
    if not text:
        return (now or datetime.now(CHINA_TIME)).astimezone(CHINA_TIME).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise Refusal("as_of_invalid", value=text) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA_TIME)


def last_verified(path: str | os.PathLike, as_of: datetime) -> dict[str, datetime]:
    """Per patch id: when the log last decided it (a verify run or a re-check) at or before as_of.
    Entries after as_of are left out, so the same AS_OF draws the same sample later on."""
    out: dict[str, datetime] = {}
    for item in audit.entries(path, kinds=(AuditEntry.DECISION,)):
        if item.patch_id is None:
            continue
        moment = datetime.fromisoformat(item.logged_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CHINA_TIME)
        if moment <= as_of:
            previous = out.get(item.patch_id)
            out[item.patch_id] = moment if previous is None or moment > previous else previous
    return out


def not_verified_since(
    patch_ids: Sequence[str | None], last: Mapping[str, datetime], as_of: datetime, days: float
) -> list[bool]:
    """Per patch: last verified more than `days` days before as_of (never verified in the log: False,
    nothing says when it was seen)."""
    cutoff = as_of - timedelta(days=days)
    return [patch_id is not None and patch_id in last and last[patch_id] < cutoff for patch_id in patch_ids]
