"""The house's walls: which package may import which. Each package's one job is in its __init__
docstring; these tests fail when a door is cut in the wrong wall."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "formats", "qgis_adapter", "algorithms", "ui")
QT_OR_QGIS = ("qgis", "PyQt5", "PyQt6", "sip", "processing")
# package -> the plugin's packages and the outside modules it must never import
NEVER = {
    "core": ({"formats", "qgis_adapter", "algorithms", "ui"}, QT_OR_QGIS),
    "formats": ({"qgis_adapter", "algorithms", "ui"}, QT_OR_QGIS),
    "qgis_adapter": ({"algorithms", "ui"}, ()),
    "algorithms": ({"ui"}, ()),
    "ui": ({"algorithms"}, ()),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a module of the plugin, relative ones resolved."""
    package = list(path.relative_to(ROOT).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(["demolition_verifier", *base, *([node.module] if node.module else [])])
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module or ""))
    return found


def violations(package: str) -> list[str]:
    inner, outer = NEVER[package]
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imports_of(path):
            parts = module.split(".")
            inside = parts[1] if parts[0] == "demolition_verifier" and len(parts) > 1 else None
            if inside in inner or parts[0] in outer:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_through_a_wall(package):
    assert violations(package) == []


def test_the_wall_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    """The check itself: a ui module importing the algorithms, and core importing QGIS, are caught."""
    fake = tmp_path / "root"
    for package, text in (("ui", "from ..algorithms.verify import VerifyAlgorithm\n"), ("core", "import qgis.core\n")):
        (fake / package).mkdir(parents=True)
        (fake / package / "bad.py").write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake)
    assert violations("ui") == ["ui/bad.py:1 imports demolition_verifier.algorithms.verify.VerifyAlgorithm"]
    assert violations("core") == ["core/bad.py:1 imports qgis.core"]


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_its_job(package):
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"{package}/__init__.py has no docstring naming its job"


def test_formats_run_without_qgis():
    """formats/ is imported and used by the command line, outside QGIS."""
    import subprocess

    code = (
        "import sys, pkgutil, importlib\n"
        "import demolition_verifier.formats as formats\n"
        "for m in pkgutil.iter_modules(formats.__path__):\n"
        "    importlib.import_module('demolition_verifier.formats.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('qgis', 'PyQt5', 'PyQt6', 'sip'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    path = f"{ROOT / '.build' / 'plugins'}:{ROOT / '.build' / 'pydeps'}"
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": path}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
