"""`demolitionverifier:sample_audit`: a spot-check sample (抽查) of verified patches, stratified
by township, reproducible from its seed; the draw goes into the audit log when one is given."""

from __future__ import annotations

import hashlib
import os

from qgis.core import (
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessingFeatureSource,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import audit
from ..core.definitions import SAMPLE_SEED_FIELD, ResultField
from ..core.engine import normalise_id
from ..core.messages import Cancelled, Refusal, text
from ..core.parameters import Param
from ..core.revisit import last_verified, not_verified_since, parse_as_of
from ..core.sampling import MAX_SEED, Candidate, draw, fresh_seed, parse_statuses
from ..core.words import label
from ..qgis_adapter.audit_io import audit_log_parameter, audit_log_target, input_record, plain_attribute, qgis_version
from ..qgis_adapter.compat import field_type
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import new_feature, plain_value, require_field, to_shapely
from ..qgis_adapter.writing import add_features
from .base import BaseAlgorithm


class SampleAuditAlgorithm(BaseAlgorithm):
    NAME = "sample_audit"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(Param.INPUT, label("sample_audit.INPUT")))
        self.addParameter(
            QgsProcessingParameterNumber(
                Param.COUNT, label("sample_audit.COUNT"), QgsProcessingParameterNumber.Integer, 1, minValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                Param.PERCENT,
                label("sample_audit.PERCENT"),
                QgsProcessingParameterNumber.Double,
                10.0,
                minValue=0.0,
                maxValue=100.0,
            )
        )
        self.addParameter(QgsProcessingParameterString(Param.STATUS, label("sample_audit.STATUS"), "pass"))
        self.addParameter(
            QgsProcessingParameterNumber(
                Param.SEED,
                label("sample_audit.SEED"),
                QgsProcessingParameterNumber.Integer,
                None,
                optional=True,
                minValue=0,
                maxValue=MAX_SEED,
            )
        )
        self.addParameter(audit_log_parameter())
        self.addParameter(
            QgsProcessingParameterNumber(
                Param.OLDER_THAN_DAYS,
                label("sample_audit.OLDER_THAN_DAYS"),
                QgsProcessingParameterNumber.Double,
                None,
                optional=True,
                minValue=0.0,
            )
        )
        self.addParameter(QgsProcessingParameterString(Param.AS_OF, label("sample_audit.AS_OF"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(Param.OUTPUT, label("sample_audit.OUTPUT")))
        self.addOutput(QgsProcessingOutputNumber(Param.SEED, label("sample_audit.SEED")))
        self.addOutput(QgsProcessingOutputNumber(Param.DRAWN, label("sample_audit.DRAWN")))
        self.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("sample_audit.AUDIT_HEAD")))
        self.addOutput(QgsProcessingOutputString(Param.AS_OF, label("sample_audit.AS_OF")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        source = self.parameterAsSource(parameters, Param.INPUT, context)
        layer = self.parameterAsVectorLayer(parameters, Param.INPUT, context)
        name = layer.name() if layer is not None else Param.INPUT
        id_i, town_i, status_i = (
            require_field(source, name, f) for f in (ResultField.PATCH_ID, ResultField.TOWNSHIP, ResultField.STATUS)
        )
        run_i = source.fields().lookupField(ResultField.RUN_ID)
        statuses = parse_statuses(self.parameterAsString(parameters, Param.STATUS, context))
        count = self.parameterAsInt(parameters, Param.COUNT, context)
        percent = self.parameterAsDouble(parameters, Param.PERCENT, context)
        raw_seed = parameters.get(Param.SEED)
        seed = (
            fresh_seed() if raw_seed is None or raw_seed == "" else self.parameterAsInt(parameters, Param.SEED, context)
        )
        log = audit_log_target(self, parameters, context)
        raw_days = parameters.get(Param.OLDER_THAN_DAYS)
        days = (
            None
            if raw_days is None or raw_days == ""
            else self.parameterAsDouble(parameters, Param.OLDER_THAN_DAYS, context)
        )
        as_of = parse_as_of(self.parameterAsString(parameters, Param.AS_OF, context))
        if days is not None and not (log and os.path.isfile(log)):
            raise Refusal("older_than_needs_log", days=f"{days:g}")

        features = []
        for i, feature in enumerate(
            source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
        ):
            if i % 5000 == 0 and feedback.isCanceled():
                raise Cancelled()
            features.append(feature)
        attributes = [f.attributes() for f in features]
        ids = [normalise_id(plain_value(a[id_i])) for a in attributes]
        seen: dict[str | None, int] = {}
        for patch_id in ids:
            seen[patch_id] = seen.get(patch_id, 0) + 1
        statuses_now = [plain_value(a[status_i]) for a in attributes]
        overturned = self._final_statuses(
            log, ids, [plain_value(a[run_i]) if run_i >= 0 else None for a in attributes], statuses_now
        )
        if overturned:
            examples = ", ".join(f"{ids[i]} {statuses_now[i]}→{final}" for i, final in sorted(overturned.items())[:3])
            feedback.pushInfo(text("sample_final_status", chinese, count=len(overturned), examples=examples))
        candidates = [
            Candidate(
                i,
                ids[i],
                normalise_id(plain_value(a[town_i])),
                overturned.get(i, statuses_now[i]),
                self._tiebreak(features[i]) if seen[ids[i]] > 1 else "",  # only duplicate ids need one
            )
            for i, a in enumerate(attributes)
        ]
        if days is not None:
            candidates = self._not_verified_since(candidates, log, as_of, days, statuses, feedback, chinese)
        strata = draw(candidates, seed, count, percent, statuses)
        drawn = [c for s in strata for c in s.drawn]
        feedback.pushInfo(text("sample_seed", chinese, seed=seed))
        if not drawn:
            feedback.pushWarning(text("sample_none_eligible", chinese, statuses=",".join(statuses)))
        feedback.pushInfo(
            text(
                "sample_drawn",
                chinese,
                townships=len(strata),
                eligible=sum(s.eligible for s in strata),
                drawn=len(drawn),
            )
        )

        keep = [i for i, f in enumerate(source.fields()) if f.name().lower() != SAMPLE_SEED_FIELD]
        fields = QgsFields()
        for i in keep:
            fields.append(source.fields().at(i))
        fields.append(QgsField(SAMPLE_SEED_FIELD, field_type("int64")))
        sink, dest = self.parameterAsSink(
            parameters, Param.OUTPUT, context, fields, source.wkbType(), source.sourceCrs()
        )
        out = []
        for c in drawn:
            feature = features[c.index]
            geometry = feature.geometry() if feature.hasGeometry() else None
            out.append(new_feature(fields, [attributes[c.index][k] for k in keep] + [seed], geometry))
        add_features(sink, out, dest)
        outputs = {Param.OUTPUT: dest, Param.SEED: seed, Param.DRAWN: len(drawn), Param.AS_OF: as_of.isoformat()}

        if log:
            runs = sorted({str(plain_value(a[run_i])) for a in attributes if run_i >= 0 and plain_value(a[run_i])})
            geometries, _repaired = to_shapely(f.geometry() if f.hasGeometry() else None for f in features)
            source_text = (
                layer.source() if layer is not None else self.parameterAsString(parameters, Param.INPUT, context)
            )
            sample = {
                "seed": seed,
                "count": count,
                "percent": percent if count == 0 else None,
                "statuses": statuses,
                "input": input_record(source_text, geometries, attributes, source.fields().names()),
                "runs": runs,
                "strata": [
                    {"township": s.township, "eligible": s.eligible, "drawn": [c.patch_id for c in s.drawn]}
                    for s in strata
                ],
                "drawn": [c.patch_id for c in drawn],
                "overturned": sorted({ids[i]: final for i, final in overturned.items()}.items()),
            }
            if days is not None:  # the reference time, so that the draw can be made again
                sample.update({"older_than_days": days, "as_of": as_of.isoformat()})
            appended = audit.append_sample(log, sample, runs[0] if len(runs) == 1 else None, None, qgis_version())
            feedback.pushInfo(
                text("audit_appended", chinese, path=log, count=1, entries=appended.last, head=appended.head)
            )
            outputs.update({Param.AUDIT_LOG: log, Param.AUDIT_HEAD: appended.head})
        return outputs

    @staticmethod
    def _not_verified_since(candidates, log, as_of, days, statuses, feedback, chinese) -> list[Candidate]:
        """The return visit (回头看): only the patches the log last decided more than `days` before as_of."""
        last = last_verified(log, as_of)
        old = not_verified_since([c.patch_id for c in candidates], last, as_of, days)
        wanted = [(c, o) for c, o in zip(candidates, old) if c.status in statuses]
        unknown = sum(1 for c, _o in wanted if c.patch_id not in last)
        kept = sum(1 for _c, o in wanted if o)
        feedback.pushInfo(
            text(
                "older_than_filtered",
                chinese,
                as_of=as_of.isoformat(),
                days=f"{days:g}",
                old=kept,
                recent=len(wanted) - kept - unknown,
                unknown=unknown,
            )
        )
        return [c for c, o in zip(candidates, old) if o]

    @staticmethod
    def _final_statuses(log, ids, run_ids, statuses) -> dict[int, str]:
        """Row -> its final status, for the rows an overturn (改判) in the log stands for: an
        overturned patch is drawn as what it was overturned to, as the maps and report show it."""
        if not log or not os.path.isfile(log):
            return {}
        decided = [
            (patch_id, str(run) if run else None, status) for patch_id, run, status in zip(ids, run_ids, statuses)
        ]
        states = audit.standing_states(log, decided).states
        out = {}
        for i, (patch_id, status) in enumerate(zip(ids, statuses)):
            state = states.get(patch_id) if patch_id is not None else None
            if state is not None and state.final_status and state.final_status != status:
                out[i] = state.final_status
        return out

    @staticmethod
    def _tiebreak(feature) -> str:
        """Orders features sharing an id by their content, not by where they sit in the layer: the
        feature id column a GeoPackage exposes (fid) is left out, it changes when a layer is re-saved."""
        blob = bytes(feature.geometry().asWkb()) if feature.hasGeometry() else b""
        names = feature.fields().names()
        values = [
            plain_attribute(v) for n, v in zip(names, feature.attributes()) if n.lower() not in ("fid", "ogc_fid")
        ]
        body = audit.canonical(values).encode("utf-8")
        return hashlib.sha256(blob + b"\x1e" + body).hexdigest()
