"""Writing many features into a Processing sink: in batches on a thread, a refused batch a clear stop."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
)

from ..core.messages import Refusal


# -- writing many features ----------------------------------------------------------------------
def add_features(sink, features: list, output: str = "") -> None:
    """sink.addFeatures, refusing loudly where QGIS only returns False (a refused value drops the
    whole batch, and the output would be silently short)."""
    if not sink.addFeatures(features, QgsFeatureSink.FastInsert):
        last_error = getattr(sink, "lastError", None)
        raise Refusal("output_write_failed", output=output, detail=(last_error() if last_error else "") or "?")


def write_features(
    sink, rows: Iterable[list], geometries: Iterable[QgsGeometry | None], batch: int = 20_000, output: str = ""
) -> None:
    """Features into a sink in batches. The sink's own work (C++, which releases Python's lock)
    runs on a second thread while the next batch is built here, so the two overlap."""
    failure: list[BaseException] = []

    def add(features: list) -> None:
        try:
            add_features(sink, features, output)
        except BaseException as error:
            failure.append(error)

    worker: threading.Thread | None = None
    pending: list = []
    for values, geometry in zip(rows, geometries):
        feature = QgsFeature()
        feature.setAttributes(values)
        if geometry is not None:
            feature.setGeometry(geometry)
        pending.append(feature)
        if len(pending) >= batch:
            if worker is not None:
                worker.join()
            if failure:
                raise failure[0]
            # No cancel here: a file stopped half-way would be a half-written output. Cancel is
            # honoured up to this last step, which takes seconds.
            worker = threading.Thread(target=add, args=(pending,), name="demolition_verifier_sink")
            worker.start()
            pending = []
    if worker is not None:
        worker.join()
    if pending:
        add(pending)
    if failure:
        raise failure[0]


def close_sink(sink) -> None:
    """QGIS >= 3.42 finalizes a sink explicitly (errors are raised there, not lost in a destructor);
    older ones close it when the last reference goes."""
    finalize = getattr(sink, "finalize", None)
    if finalize is not None:
        finalize()
