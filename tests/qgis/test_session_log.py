"""An unsaved project's audit log belongs to that project alone: File → New Project (QGIS clears its
one QgsProject) starts a new trail whether or not the panel is open, so marks and passes of the last
project never stand for patches of the same id in the next. Real QGIS (pytest-qgis)."""

from __future__ import annotations


def test_a_new_project_gets_its_own_session_log(qgis_new_project):
    from demolition_verifier.ui import audit_link

    project = qgis_new_project
    first = audit_link.log_path(project)
    assert first and audit_link.is_session_log(first)
    assert audit_link.log_path(project) == first, "one log for the whole session of a project"
    project.clear()  # File → New Project, with no dock open
    second = audit_link.log_path(project)
    assert second and second != first
    project.clear()
    assert audit_link.log_path(project) not in (first, second)
