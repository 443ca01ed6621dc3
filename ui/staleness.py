"""Which patches' results no longer match the survey layer: edited since their check ('out of
date'), or checked against edits that were never saved. The dock shows both and refuses to export
them, so that no page certifies a verdict the saved survey does not carry."""

from __future__ import annotations

from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

EDITING_OPACITY = 0.35


class SurveyWatch(QObject):
    """Follows the edits of the survey layer a result was made from."""

    changed = pyqtSignal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.survey: QgsVectorLayer | None = None
        self.result: QgsVectorLayer | None = None
        self.stale: set[int] = set()  # result fids whose survey changed since their check
        self.unsaved: set[int] = set()  # result fids checked against unsaved survey edits
        self._boxes: dict[int, QgsRectangle] = {}  # survey fid -> extent, for features later deleted
        self._connections: list = []
        self._saving = False

    def watch(self, survey: QgsVectorLayer | None, result: QgsVectorLayer | None) -> None:
        self.stop()
        self.survey, self.result = survey, result
        if survey is None or result is None:
            return
        for signal, slot in (
            (survey.featureAdded, self._edited),
            (survey.geometryChanged, self._edited),
            (survey.featureDeleted, self._deleted),
            (survey.beforeCommitChanges, self._committing),
            (survey.afterCommitChanges, self._committed),
            (survey.afterRollBack, self._rolled_back),
            (survey.editingStarted, self._editing),
            (survey.editingStopped, self._editing),
        ):
            signal.connect(slot)
            self._connections.append((signal, slot))

    def stop(self) -> None:
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._connections = []
        self.stale, self.unsaved, self._boxes = set(), set(), {}
        self._editing()

    def _editing(self) -> None:
        """While the survey is edited the result's fill is faint, so the remnants under it show."""
        try:
            editing = self.survey is not None and self.survey.isEditable()
            if self.result is not None:
                self.result.setOpacity(EDITING_OPACITY if editing else 1.0)
                self.result.triggerRepaint()
        except RuntimeError:  # a layer already deleted
            pass

    # -- what the dock tells it ---------------------------------------------------------------------
    def rechecked(self, fids) -> None:
        """Those patches were checked just now, against the survey as it is (edits included)."""
        fids = set(fids)
        self.stale -= fids
        if self.survey is not None and self.survey.isModified():
            self.unsaved |= fids
        else:
            self.unsaved -= fids
        self.changed.emit()

    def doubtful(self) -> set[int]:
        return self.stale | self.unsaved

    # -- the survey's edits -------------------------------------------------------------------------
    def _committing(self, *_args) -> None:
        self._saving = True  # the buffer's features move into the file: not edits of their own
        QTimer.singleShot(0, self._saved)  # after commitChanges returns, whether it succeeded or not

    def _saved(self) -> None:
        self._saving = False

    def _edited(self, fid: int, *_args) -> None:
        if self._saving:
            return
        feature = next(self.survey.getFeatures(QgsFeatureRequest(fid).setNoAttributes()), None)
        boxes = [self._boxes.get(fid)]
        if feature is not None and feature.hasGeometry():
            self._boxes[fid] = feature.geometry().boundingBox()
            boxes.append(self._boxes[fid])
        self._mark(boxes)

    def _deleted(self, fid: int) -> None:
        if self._saving:
            return
        saved = None
        if fid >= 0:  # a feature of the file (new ones have negative ids until saved)
            saved = next(self.survey.dataProvider().getFeatures(QgsFeatureRequest(fid).setNoAttributes()), None)
        boxes = [self._boxes.pop(fid, None)]
        if saved is not None and saved.hasGeometry():
            boxes.append(saved.geometry().boundingBox())
        self._mark(boxes)

    def _mark(self, boxes) -> None:
        if self.result is None:
            return
        before = len(self.stale)
        for box in boxes:
            if box is None:
                continue
            if self.survey.crs().isValid() and self.survey.crs() != self.result.crs():
                transform = QgsCoordinateTransform(self.survey.crs(), self.result.crs(), QgsProject.instance())
                box = transform.transformBoundingBox(box)
            request = QgsFeatureRequest().setFilterRect(box).setNoAttributes()
            self.stale.update(f.id() for f in self.result.getFeatures(request))
        if len(self.stale) != before:
            self.changed.emit()

    def _committed(self) -> None:
        self._saving = False
        self.unsaved = set()  # what they were checked against is saved now
        self._boxes = {}
        self.changed.emit()

    def _rolled_back(self) -> None:
        # the survey is back to what it was saved as: the checks made on it hold again, those made
        # against the discarded edits do not
        self.stale = set(self.unsaved)
        self.unsaved = set()
        self._boxes = {}
        self.changed.emit()
