#!/usr/bin/env bash
# make bench [BENCH_ARGS="--million"]: verify against native:calculatevectoroverlaps through
# qgis_process on synthetic counties cached in .build/bench-cache; see scripts/bench.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$ROOT/.build/plugins"
ln -sfn "$ROOT" "$ROOT/.build/plugins/demolition_verifier"  # the CLI runs as python -m demolition_verifier.cli
export PYTHONPATH="$ROOT/.build/pydeps"
export QT_QPA_PLATFORM=offscreen
exec "$ROOT/.build/venv/bin/python" "$ROOT/scripts/bench.py" "$@"
