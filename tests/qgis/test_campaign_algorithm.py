"""demolitionverifier:campaign through processing.run: define, amend, and every refusal appends nothing."""

from __future__ import annotations

import os

import pytest
from campaign_layers import define, patches
from qgis.core import QgsProcessingException

from demolition_verifier.core import audit
from demolition_verifier.core.campaign import log_time, require_campaign


def test_define_records_the_task_list_in_m2_and_the_deadlines_in_china_time(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    done = define(processing, log)
    assert done["TASKS"] == 3 and done["AUDIT_HEAD"] == audit.verify_chain(log).head
    campaign = require_campaign(log)
    assert campaign.tasks["A1"].monitor_m2 == pytest.approx(10_000.0)
    assert campaign.tasks["B1"].monitor_m2 == pytest.approx(10_000.0, rel=1e-3)  # its own ellipsoidal area
    assert log_time(campaign.rectify_by) == "2024-06-20T23:59:59+08:00"
    assert log_time(campaign.accept_by) == "2024-06-30T18:00:00+08:00"
    assert campaign.target == 0.9
    assert audit.entries(log)[0].logged_at.endswith("+08:00")


def test_amend_deadlines_and_task_list_with_a_note(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    define(processing, log)
    layer = patches([("A1", "城关镇", 15.0), ("C1", "河西乡", 3.0), ("B1", "柳林镇", 20.0)])
    done = processing.run(
        "demolitionverifier:campaign",
        {
            "AUDIT_LOG": str(log),
            "NAME": "2019–2023年例行督察整改",
            "PATCHES": layer,
            "PATCH_ID_FIELD": "JCBH",
            "MONITORED_AREA_FIELD": "JCMJ",
            "MONITORED_AREA_UNIT": 1,
            "TOWNSHIP_FIELD": "XZQMC",
            "ACCEPT_BY": "2024-07-10",
            "NOTE": "市整改办通知：验收节点延长至7月10日，A2 核销",
        },
    )
    assert (done["TASKS"], done["ADDED"], done["WITHDRAWN"]) == (3, 1, 1)
    campaign = require_campaign(log)
    assert set(campaign.tasks) == {"A1", "B1", "C1"} and campaign.amendments == 1
    assert log_time(campaign.accept_by) == "2024-07-10T23:59:59+08:00"
    assert log_time(campaign.rectify_by) == "2024-06-20T23:59:59+08:00"
    amendment = audit.entries(log, kinds=("amendment",))[0].data
    assert amendment["withdrawn"] == ["A2"] and amendment["changed"][0][0] == "B1"
    assert amendment["accept_by_was"] == "2024-06-30T18:00:00+08:00"


def _refused(processing, log, **params):
    before = audit.verify_chain(log).entries if os.path.isfile(log) else 0
    with pytest.raises(QgsProcessingException) as caught:
        define(processing, log, **params)
    message = str(caught.value)
    assert "Traceback" not in message
    after = audit.verify_chain(log).entries if os.path.isfile(log) else 0
    assert after == before
    return message


def test_refusals_are_bilingual_and_append_nothing(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    message = _refused(processing, log, RECTIFY_BY="2024-07-01", ACCEPT_BY="2024-06-30")
    assert "整改节点" in message or "rectification" in message
    _refused(processing, log, PATCHES=patches([("A1", "甲", 1.0), (" Ａ1", "乙", 1.0)]))
    _refused(processing, log, TARGET=95)
    _refused(processing, log, ACCEPT_BY="next week")
    assert not os.path.isfile(log) or audit.verify_chain(log).entries == 0
    define(processing, log)
    assert "2019" in _refused(processing, log, NAME="另一个任务", NOTE="x")  # one campaign per log
    _refused(processing, log, ACCEPT_BY="2024-07-10")  # an amendment without a note
    _refused(processing, log, NOTE="同样的内容")  # nothing changes
    _refused(processing, log, NOTE="延期", RECTIFY_BY="2024-07-20")  # after ACCEPT_BY
