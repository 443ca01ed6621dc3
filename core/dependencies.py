"""Checks that the engine's libraries are there and new enough, with the fix in the user's words."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

# (module, minimum major.minor, how a QGIS user installs it: Chinese, English)
REQUIREMENTS: tuple[tuple[str, tuple[int, int], str, str], ...] = (
    (
        "numpy",
        (1, 20),
        "在 QGIS 的 Python 中运行 python -m pip install numpy",
        "run python -m pip install numpy in QGIS's Python",
    ),
    (
        "shapely",
        (2, 0),
        '在 QGIS 的 Python 中安装 shapely 2：Windows 在 OSGeo4W Shell 中运行 python -m pip install "shapely>=2"；'
        'Linux 先安装 libgeos-dev，再运行 pip install --no-binary shapely "shapely>=2"（二进制包自带 GEOS，会使 QGIS 崩溃）',
        'install shapely 2 into QGIS\'s Python: on Windows, in the OSGeo4W Shell, python -m pip install "shapely>=2"; '
        'on Linux, install libgeos-dev, then pip install --no-binary shapely "shapely>=2" (a binary wheel bundles '
        "its own GEOS and crashes QGIS)",
    ),
    (
        "pyproj",
        (3, 0),
        "安装 pyproj：Windows 在 OSGeo4W Shell 中运行 python -m pip install pyproj；Debian/Ubuntu 运行 apt install python3-pyproj",
        "install pyproj: on Windows, python -m pip install pyproj in the OSGeo4W Shell; on Debian/Ubuntu, apt install python3-pyproj",
    ),
)


@dataclass
class Problem:
    module: str
    found: str | None  # None: not installed
    minimum: tuple[int, int]
    fix_zh: str
    fix_en: str

    def detail(self, chinese: bool) -> str:
        wanted = ".".join(map(str, self.minimum))
        if self.found is None:
            return f"未安装 {self.module}" if chinese else f"{self.module} is not installed"
        return (
            f"{self.module} {self.found} 版本过旧（需要 ≥ {wanted}）"
            if chinese
            else f"{self.module} {self.found} is older than {wanted}"
        )

    def fix(self, chinese: bool) -> str:
        return self.fix_zh if chinese else self.fix_en


def _version(text: str) -> tuple[int, int]:
    parts = [int(re.match(r"\d*", piece).group() or 0) for piece in text.split(".")[:2]]
    parts += [0, 0]
    return parts[0], parts[1]


def missing_dependencies() -> list[Problem]:
    """What is missing or too old; empty when everything is in place."""
    problems = []
    for module, minimum, fix_zh, fix_en in REQUIREMENTS:
        try:
            version = importlib.import_module(module).__version__
        except ImportError:
            problems.append(Problem(module, None, minimum, fix_zh, fix_en))
            continue
        if _version(version) < minimum:
            problems.append(Problem(module, version, minimum, fix_zh, fix_en))
    return problems
