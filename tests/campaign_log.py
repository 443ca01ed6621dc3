"""Building campaign logs for tests without QGIS: a clock the test moves, and verify runs as entries."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from demolition_verifier.core import audit
from demolition_verifier.core.audit import log as audit_log
from demolition_verifier.core.campaign import CHINA, Task, define_entry, log_time

START = datetime(2024, 6, 1, 8, 0, 0, tzinfo=CHINA)


class Clock:
    """Stands in for the log's clock (core.audit.log.now_text): entries are logged at `now`."""

    def __init__(self, monkeypatch, start: datetime = START) -> None:
        self.now = start
        monkeypatch.setattr(audit_log, "now_text", lambda: log_time(self.now))
        import demolition_verifier.core.campaign as campaign

        monkeypatch.setattr(campaign, "china_now", lambda: self.now)
        import demolition_verifier.core.bulletin as bulletin

        monkeypatch.setattr(bulletin, "china_now", lambda: self.now)
        import importlib

        for name in ("algorithms.bulletin", "algorithms.record_applications"):  # where QGIS is at hand
            try:
                module = importlib.import_module(f"demolition_verifier.{name}")
            except ImportError:
                continue
            monkeypatch.setattr(module, "china_now", lambda: self.now)

    def at(self, text: str) -> datetime:
        self.now = datetime.fromisoformat(text).replace(tzinfo=CHINA)
        return self.now

    def tick(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def tasks(*rows: tuple[str, str, float]) -> dict[str, Task]:
    return {pid: Task(pid, town, area) for pid, town, area in rows}


def define(path, task_list: dict[str, Task], rectify="2024-06-20T23:59:59+08:00", accept="2024-06-30T23:59:59+08:00",
           target=0.9, name="2019–2023年例行督察整改"):  # fmt: skip
    from demolition_verifier.core.campaign import parse_time

    entry = define_entry(
        name, task_list, parse_time(rectify).at, parse_time(accept).at, target, {}, None, audit.who(), {}
    )
    return audit.append(path, [entry])


def run(path, statuses: dict[str, str], figures: dict[str, float] | None = None, run_id: str | None = None):
    """A verify run deciding these patches (patch id -> status); figures: remain_m2 per patch."""
    run_id = run_id or uuid.uuid4().hex[:8]
    items = [audit.NewEntry("run", {"kind": "verify", "patches": len(statuses)}, run_id)]
    for pid, status in statuses.items():
        remain = (figures or {}).get(pid, 0.0 if status == "pass" else 50.0)
        data = {"reasons": "" if status == "pass" else "over_tolerance", "township": None, "monitor_m2": 1000.0,
                "geom_m2": 1000.0, "remain_m2": remain, "remain_rt": remain / 1000, "largest_m2": remain,
                "remnants": int(remain > 0)}  # fmt: skip
        items.append(audit.NewEntry("decision", data, run_id, pid, status))
    audit.append(path, items)
    return run_id
