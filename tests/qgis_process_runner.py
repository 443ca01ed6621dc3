"""qgis_process driven from tests, as a user's script or a server would run it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ROOT / "scripts" / "qgis_process.sh"


class QgisProcess:
    def __init__(self, profile: Path) -> None:
        self.profile = profile

    def run(self, algorithm: str, *params: str, extra_args=(), env_extra=None) -> subprocess.CompletedProcess:
        """Through scripts/qgis_process.sh; env_extra QGIS_PLUGINPATH runs an installed copy instead."""
        env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(self.profile), **(env_extra or {}))
        env.pop("PYTHONPATH", None)
        return subprocess.run(
            ["bash", str(WRAPPER), "run", algorithm, *extra_args, "--", *params],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    @staticmethod
    def results(done: subprocess.CompletedProcess) -> dict:
        """The 'Results' block of qgis_process's text output as a dict."""
        lines = done.stdout.splitlines()
        start = max(i for i, line in enumerate(lines) if line.strip() == "Results") + 2
        out = {}
        for line in lines[start:]:
            if ":\t" in line:
                key, value = line.split(":\t", 1)
                out[key.strip()] = value.strip()
        return out


def read_layer(path: str, layer: str | None = None) -> list[dict]:
    """Features' attributes through GDAL in a separate process (no QGIS state shared)."""
    code = (
        "import json, sys\nfrom osgeo import ogr\nds = ogr.Open(sys.argv[1])\n"
        "lyr = ds.GetLayerByName(sys.argv[2]) if sys.argv[2] else ds.GetLayer(0)\n"
        "print(json.dumps([f.items() for f in lyr], ensure_ascii=False))\n"
    )
    done = subprocess.run(
        ["/usr/bin/python3", "-c", code, path, layer or ""], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)
