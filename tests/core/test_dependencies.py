"""The dependency check names what is missing and how to fix it, in the user's language."""

from __future__ import annotations

from demolition_verifier.core.dependencies import Problem, _version, missing_dependencies


def test_everything_is_here_in_the_test_environment():
    assert missing_dependencies() == []


def test_versions_and_words():
    assert _version("2.0.1") == (2, 0) and _version("1.8.5") == (1, 8) and _version("2.1rc1") == (2, 1)
    old = Problem("shapely", "1.8.5", (2, 0), "修复", "fix")
    assert old.detail(True) == "shapely 1.8.5 版本过旧（需要 ≥ 2.0）"
    assert old.detail(False) == "shapely 1.8.5 is older than 2.0"
    assert Problem("pyproj", None, (3, 0), "装", "install").detail(False) == "pyproj is not installed"
