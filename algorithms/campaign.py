"""`demolitionverifier:campaign`: define or amend the campaign (task list, deadlines, target) in its log."""

from __future__ import annotations

import os

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import audit
from ..core.area import AreaMeter, parse_crs
from ..core.campaign import (
    amend_entry,
    campaign_entries,
    define_entry,
    log_time,
    make_tasks,
    parse_time,
    require_campaign,
    require_sound,
    shown_time,
    time_notices,
)
from ..core.definitions import SQUARE_METRES_PER_MU, SQUARE_METRES_PER_UNIT, AreaMethod, AreaUnit
from ..core.engine import parse_area
from ..core.messages import Notice, Refusal, text
from ..core.parameters import Param
from ..core.words import LAYER_NAMES, label
from ..qgis_adapter.audit_io import GPKG_FILTER, input_record
from ..qgis_adapter.campaign_io import versions
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import require_field
from ..qgis_adapter.reading import read_source
from .base import BaseAlgorithm, area_unit_parameter


class CampaignAlgorithm(BaseAlgorithm):
    NAME = "campaign"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFileDestination(Param.AUDIT_LOG, label("campaign.AUDIT_LOG"), fileFilter=GPKG_FILTER)
        )
        self.addParameter(QgsProcessingParameterString(Param.NAME, label("campaign.NAME")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.PATCHES, label("campaign.PATCHES"), [QgsProcessing.TypeVector], optional=True
            )
        )
        for name, optional in (
            (Param.PATCH_ID_FIELD, True),
            (Param.MONITORED_AREA_FIELD, True),
        ):
            self.addParameter(
                QgsProcessingParameterField(
                    name, label(f"campaign.{name}"), parentLayerParameterName=Param.PATCHES, optional=optional
                )
            )
        self.addParameter(area_unit_parameter(label("campaign.MONITORED_AREA_UNIT")))
        self.addParameter(
            QgsProcessingParameterField(
                Param.TOWNSHIP_FIELD,
                label("campaign.TOWNSHIP_FIELD"),
                parentLayerParameterName=Param.PATCHES,
                optional=True,
            )
        )
        for name in (Param.RECTIFY_BY, Param.ACCEPT_BY):
            self.addParameter(QgsProcessingParameterString(name, label(f"campaign.{name}"), optional=True))
        self.addParameter(
            QgsProcessingParameterNumber(
                Param.TARGET, label("campaign.TARGET"), QgsProcessingParameterNumber.Double, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString(Param.NOTE, label("campaign.NOTE"), optional=True))
        self.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("audit.AUDIT_HEAD")))
        for name in (Param.TASKS, Param.ADDED, Param.WITHDRAWN):
            self.addOutput(QgsProcessingOutputNumber(name, label(f"campaign.{name}")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        log = self.parameterAsFileOutput(parameters, Param.AUDIT_LOG, context)
        if not log.lower().endswith(".gpkg"):
            log += ".gpkg"
        name = (self.parameterAsString(parameters, Param.NAME, context) or "").strip()
        note = (self.parameterAsString(parameters, Param.NOTE, context) or "").strip() or None
        moments = {}
        for key in (Param.RECTIFY_BY, Param.ACCEPT_BY):
            given = (self.parameterAsString(parameters, key, context) or "").strip()
            if given:
                moments[key] = parse_time(given, key)
        target = None
        target_given = parameters.get(Param.TARGET) not in (None, "")
        if target_given:
            target = self.parameterAsDouble(parameters, Param.TARGET, context)
        audit.check_target(log)

        existing = None
        if os.path.isfile(log) and os.path.getsize(log) > 0:
            require_sound(log)
            items = campaign_entries(log)
            if items:
                existing = require_campaign(log, items)
                if name and name != existing.name:
                    raise Refusal("campaign_other", path=log, existing=existing.name, name=name)
        tasks, source, measured = (None, None, [])
        if parameters.get(Param.PATCHES):
            tasks, source, measured = self._tasks(parameters, context, feedback)
        if existing is None:
            missing = [
                p
                for p, v in ((Param.NAME, name), (Param.PATCHES, tasks), (Param.RECTIFY_BY, moments.get(Param.RECTIFY_BY)),
                             (Param.ACCEPT_BY, moments.get(Param.ACCEPT_BY)))
                if not v
            ]  # fmt: skip
            if missing:
                raise Refusal("campaign_needs", missing=", ".join(missing))
            entry = define_entry(
                name,
                tasks,
                moments[Param.RECTIFY_BY].at,
                moments[Param.ACCEPT_BY].at,
                target,
                source,
                note,
                audit.who(),
                versions(),
            )
            difference = {"added": entry.data["tasks"], "withdrawn": [], "changed": []}
        else:
            entry, difference = amend_entry(
                existing,
                note or "",
                tasks,
                moments[Param.RECTIFY_BY].at if Param.RECTIFY_BY in moments else None,
                moments[Param.ACCEPT_BY].at if Param.ACCEPT_BY in moments else None,
                target,
                target_given,
                source,
                audit.who(),
                versions(),
            )
        for notice in time_notices(moments) + measured:
            (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))
        appended = audit.append(log, [entry])
        campaign = require_campaign(log)
        area = sum(t.monitor_m2 for t in campaign.tasks.values()) / SQUARE_METRES_PER_MU
        if existing is None:
            message = text(
                "campaign_defined",
                chinese,
                name=campaign.name,
                tasks=len(campaign.tasks),
                area=f"{area:,.2f}",
                rectify_by=shown_time(campaign.rectify_by),
                accept_by=shown_time(campaign.accept_by),
            )
        else:
            message = text(
                "campaign_amended",
                chinese,
                name=campaign.name,
                added=len(difference["added"]),
                withdrawn=len(difference["withdrawn"]),
                changed=len(difference["changed"]),
                tasks=len(campaign.tasks),
                rectify_by=shown_time(campaign.rectify_by),
                accept_by=shown_time(campaign.accept_by),
            )
        feedback.pushInfo(message)
        feedback.pushInfo(text("audit_appended", chinese, path=log, count=1, entries=appended.last, head=appended.head))
        feedback.pushInfo(f"RECTIFY_BY {log_time(campaign.rectify_by)}  ACCEPT_BY {log_time(campaign.accept_by)}")
        return {
            Param.AUDIT_LOG: log,
            Param.AUDIT_HEAD: appended.head,
            Param.TASKS: len(campaign.tasks),
            Param.ADDED: len(difference["added"]),
            Param.WITHDRAWN: len(difference["withdrawn"]),
        }

    def _tasks(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, Param.PATCHES, context)
        layer = self.parameterAsVectorLayer(parameters, Param.PATCHES, context)
        layer_name = layer.name() if layer is not None else LAYER_NAMES["TASKS"]
        id_name = self.parameterAsString(parameters, Param.PATCH_ID_FIELD, context)
        if not id_name:
            raise Refusal("campaign_needs", missing=Param.PATCH_ID_FIELD)
        id_index = require_field(source, layer_name, id_name)
        area_index = require_field(
            source, layer_name, self.parameterAsString(parameters, Param.MONITORED_AREA_FIELD, context)
        )
        town_index = require_field(
            source, layer_name, self.parameterAsString(parameters, Param.TOWNSHIP_FIELD, context)
        )
        unit = AreaUnit(self.parameterAsEnum(parameters, Param.MONITORED_AREA_UNIT, context))
        read = read_source(source, feedback)
        ids = read.column(id_index)
        townships = read.column(town_index) if town_index is not None else None
        areas = np.array(
            [parse_area(v) if area_index is not None else None for v in (read.column(area_index) if area_index is not None else ids)],
            dtype=float,
        )  # fmt: skip
        notices = []
        missing = ~np.isfinite(areas)
        if missing.any() and read.crs is not None:
            # where the monitored area is missing, the patch's own ellipsoidal area, as verify uses it
            measured = AreaMeter(parse_crs(read.crs, layer_name), AreaMethod.ELLIPSOIDAL, layer_name).measure(
                read.geometries[missing]
            )
            areas[missing] = np.where(measured > 0, measured / SQUARE_METRES_PER_UNIT[unit], np.nan)
            examples = [str(ids[i]) for i in np.flatnonzero(missing)[:5]]
            if area_index is not None:
                notices.append(
                    Notice(
                        "task_area_measured", "warning", {"count": int(missing.sum()), "examples": "、".join(examples)}
                    )
                )
        tasks = make_tasks(ids, townships, [None if np.isnan(a) else float(a) for a in areas], unit)
        value = parameters.get(Param.PATCHES)
        source_text = layer.source() if layer is not None else str(value)
        record = input_record(source_text, read.geometries, read.attributes, source.fields().names())
        record.update(
            id_field=id_name,
            area_field=self.parameterAsString(parameters, Param.MONITORED_AREA_FIELD, context) or None,
            unit=int(unit),
            township_field=self.parameterAsString(parameters, Param.TOWNSHIP_FIELD, context) or None,
        )
        return tasks, record, notices
