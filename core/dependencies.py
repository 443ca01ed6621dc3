"""Checks that the engine's libraries are there and new enough, with the fix in the user's words."""

from __future__ import annotations

import importlib

# (module, minimum major.minor, how a QGIS user installs it)
REQUIREMENTS: tuple[tuple[str, tuple[int, int], str], ...] = (
    ("numpy", (1, 20), "python -m pip install numpy"),
    (
        "shapely",
        (2, 0),
        "在 QGIS 的 Python 中安装 shapely 2（Windows：OSGeo4W Shell 中运行 python -m pip install \"shapely>=2\"；"
        "Linux：pip install --no-binary shapely \"shapely>=2\"，需先安装 libgeos-dev）/ install shapely 2 into "
        "QGIS's Python (Windows: OSGeo4W Shell, python -m pip install \"shapely>=2\"; Linux: build it against the "
        "system GEOS, pip install --no-binary shapely \"shapely>=2\" after installing libgeos-dev)",
    ),
    ("pyproj", (3, 0), "python -m pip install pyproj (Debian/Ubuntu: apt install python3-pyproj)"),
)


def _version(text: str) -> tuple[int, int]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return (parts + [0, 0])[0], (parts + [0, 0])[1]


def missing_dependencies() -> list[tuple[str, str]]:
    """[(what is wrong, how to fix it)], empty when everything is in place."""
    problems = []
    for module, minimum, fix in REQUIREMENTS:
        try:
            version = importlib.import_module(module).__version__
        except ImportError:
            problems.append((f"{module} 未安装 / {module} is not installed", fix))
            continue
        if _version(version) < minimum:
            wanted = ".".join(map(str, minimum))
            problems.append((f"{module} {version} 太旧，需要 ≥ {wanted} / {module} {version} is older than {wanted}", fix))
    return problems
