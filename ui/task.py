"""A verify run in the background: demolitionverifier:verify in QGIS's task manager.

QgsProcessingAlgRunnerTask runs the algorithm in a worker thread, wires its feedback to the task's
progress and cancel, and hands back the output layers through the processing context.
"""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsMapLayer,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal

ALGORITHM_ID = "demolitionverifier:verify"


class CollectingFeedback(QgsProcessingFeedback):
    """Keeps what the algorithm reports, so the dock can show it in plain words afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def reportError(self, error: str, fatalError: bool = False) -> None:  # noqa: N803 - Qt's name
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning: str) -> None:
        self.warnings.append(warning)
        super().pushWarning(warning)

    def pushInfo(self, info: str) -> None:
        self.infos.append(info)
        super().pushInfo(info)


class VerifyRun(QObject):
    """One run. `done(ok)` fires on the main thread when it ended (ok False on error or cancel)."""

    done = pyqtSignal(bool)
    progress = pyqtSignal(float)

    def __init__(self, parameters: dict, project: QgsProject | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parameters = parameters
        self.project = project or QgsProject.instance()
        self.results: dict = {}
        self.cancelled = False
        self.finished = False
        self.feedback = CollectingFeedback()
        self.context = QgsProcessingContext()
        self.context.setProject(self.project)
        self.task: QgsProcessingAlgRunnerTask | None = None
        self._algorithm = None

    def start(self) -> bool:
        """Queues the task; False (with the reason in feedback.errors) when it cannot start."""
        registry = QgsApplication.processingRegistry()
        self._algorithm = registry.createAlgorithmById(ALGORITHM_ID)
        if self._algorithm is None:
            self.feedback.errors.append(ALGORITHM_ID)
            return False
        self.task = QgsProcessingAlgRunnerTask(self._algorithm, self.parameters, self.context, self.feedback)
        self.task.executed.connect(self._executed)
        self.task.progressChanged.connect(self.progress)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def cancel(self) -> None:
        # Through the feedback, which the algorithm polls: QgsTask.cancel() on a task still queued
        # races with the thread pool in QGIS 3.22 and can crash it.
        if self.task is not None and not self.finished:
            self.cancelled = True
            self.feedback.cancel()

    def disconnect_all(self) -> None:
        """Before the dock goes away: the task may still end later, and must not call into it."""
        for signal in (self.done, self.progress):
            try:
                signal.disconnect()
            except TypeError:
                pass

    def _executed(self, ok: bool, results: dict) -> None:
        self.finished = True
        self.results = dict(results or {})
        self.task = None  # the task manager deletes it
        self.done.emit(bool(ok) and not self.cancelled)

    def take_layer(self, key: str) -> QgsMapLayer | None:
        """An output layer, taken out of the context (the caller adds it to the project)."""
        layer_id = self.results.get(key)
        if not layer_id or not isinstance(layer_id, str):
            return None
        return self.context.takeResultLayer(layer_id)
