"""Checks that the engine's libraries are there and new enough, with the fix in the user's words."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from .messages import MESSAGES, text

# (module, minimum major.minor, how a QGIS user installs it: Chinese, English)
REQUIREMENTS: tuple[tuple[str, tuple[int, int], str, str], ...] = (
    ("numpy", (1, 20), *MESSAGES["fix_numpy"]),
    ("shapely", (2, 0), *MESSAGES["fix_shapely"]),
    ("pyproj", (3, 0), *MESSAGES["fix_pyproj"]),
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
            return text("dependency_missing", chinese, module=self.module)
        return text("dependency_old", chinese, module=self.module, found=self.found, wanted=wanted)

    def fix(self, chinese: bool) -> str:
        return self.fix_zh if chinese else self.fix_en


def _leading_digits(piece: str) -> str:
    match = re.match(r"\d*", piece)  # always matches, perhaps empty
    return match.group() if match else ""


def _version(given: str) -> tuple[int, int]:
    parts = [int(_leading_digits(piece) or 0) for piece in given.split(".")[:2]]
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
