"""A patch's verdict in sentences a township head understands: which rule failed, with the figures
and the threshold side by side (最大残留 84.6 平方米 ≥ 主体建筑认定面积 10 平方米), and an auditor's
overturn with its note. The rules are the engine's (core/engine.Rules); nothing is decided here."""

from __future__ import annotations

from .definitions import Reason, Status
from .engine import Rules
from .messages import text
from .words import REASON_EN, REASON_ZH, STATUS_EN, STATUS_ZH


def _m2(value: float) -> str:
    return f"{value:,.1f}"


def _status(code: str, chinese: bool) -> str:
    try:
        return (STATUS_ZH if chinese else STATUS_EN)[Status(code)]
    except ValueError:
        return code


def explain(
    status: str,
    reasons: str,
    remain_m2: float,
    remain_rt: float,
    largest_m2: float,
    rules: Rules | None,
    chinese: bool = True,
    final_status: str = "",
    note: str = "",
) -> list[str]:
    """One sentence per reason that decided the computed status (then the other reasons' words),
    and first the overturn when the final status differs. `rules` None: the thresholds are unknown
    and only the reasons' words are given."""
    codes = [c for c in (reasons or "").split(",") if c]
    out: list[str] = []
    if final_status and final_status != status:
        out.append(
            text(
                "why_overturned",
                chinese,
                final=_status(final_status, chinese),
                computed=_status(status, chinese),
                note=note or "—",
            )
        )
    words = REASON_ZH if chinese else REASON_EN
    for code in codes:
        try:
            reason = Reason(code)
        except ValueError:
            out.append(code)
            continue
        if reason is Reason.MAIN_RETAINED and rules is not None:
            out.append(
                text("why_main_retained", chinese, largest=_m2(largest_m2), limit=f"{rules.main_structure_area:g}")
            )
        elif reason is Reason.OVER_TOLERANCE and rules is not None:
            out.append(
                text(
                    "why_over_tolerance",
                    chinese,
                    remain=_m2(remain_m2),
                    ratio=f"{remain_rt * 100:.2f}%",
                    max_ratio=f"{rules.max_remaining_ratio * 100:g}%",
                    tolerance=f"{rules.area_tolerance:g}",
                )
            )
        elif reason is Reason.NOT_SURVEYED:
            out.append(text("why_not_surveyed", chinese))
        elif reason is Reason.NO_GEOMETRY:
            out.append(text("why_no_geometry", chinese))
        else:
            out.append(text("why_other", chinese, reason=words[reason]))
    if status == Status.PASS.value and rules is not None:
        out.insert(
            1 if final_status and final_status != status else 0,
            text(
                "why_pass",
                chinese,
                remain=_m2(remain_m2),
                tolerance=f"{rules.area_tolerance:g}",
                max_ratio=f"{rules.max_remaining_ratio * 100:g}%",
            ),
        )
    return out
