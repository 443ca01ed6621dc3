"""Builds demolition_verifier.zip for QGIS's "Install from ZIP": the plugin folder, without tests and
build files, with the compiled translations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "demolition_verifier"
INCLUDE = [
    "metadata.txt",
    "__init__.py",
    "plugin.py",
    "README.md",
    "core",
    "formats",
    "qgis_adapter",
    "algorithms",
    "ui",
    "resources",
]


def tracked_and_built() -> list[Path]:
    # tracked files and new ones not ignored: the working tree as the developer sees it
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *INCLUDE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    files = {ROOT / line for line in listed.stdout.splitlines() if line}
    files |= set((ROOT / "resources" / "i18n").glob("*.qm"))
    return sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts)


def main(argv: list[str]) -> int:
    target = Path(argv[0]).resolve() if argv else ROOT / f"{NAME}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in tracked_and_built():
            archive.write(path, f"{NAME}/{path.relative_to(ROOT).as_posix()}")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
