#!/usr/bin/env bash
# Installs what the plugin, its tests and its demo need, on Debian 12 or 13 (as root).
# Idempotent: each step is skipped when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/.build"
VENV="$BUILD/venv"
PYDEPS="$BUILD/pydeps"          # what QGIS's own Python needs beyond Debian's packages (shapely 2)
mkdir -p "$BUILD"

DEB_PACKAGES=(qgis python3-qgis qgis-providers python3-pyproj python3-numpy python3-venv python3-dev
  python3-gdal gdal-bin libgeos-dev build-essential xvfb xauth fonts-noto-cjk poppler-utils
  qttools5-dev-tools sqlite3 pkgconf time python3-matplotlib    # pkgconf: shapely >= 2.2 (meson) finds GEOS through pkg-config; time: make bench's peak memory
  postgresql postgresql-postgis)   # matplotlib: the bulletin's charts; the PostGIS tests' and bench's own throwaway server (tests/postgis_server.py)
# postgresql and postgresql-postgis follow the release's PostgreSQL: postgresql-15 and postgresql-15-postgis-3
# on Debian 12, postgresql-17 and postgresql-17-postgis-3 on Debian 13.
# Debian 13 ships shapely 2 built on the system GEOS: use it (building one there trips over Debian's
# numpy.pc). Debian 12's is 1.8: shapely is built below.
DEBIAN_MAJOR="$(. /etc/os-release; echo "${VERSION_ID:-0}" | cut -d. -f1)"
if [ "$DEBIAN_MAJOR" -ge 13 ] 2>/dev/null; then DEB_PACKAGES+=(python3-shapely); fi

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then echo "need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV (system Python, sees PyQGIS)"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
# pyproj looks for PROJ's data under sys.prefix: in a venv Debian 13's pyproj 3.7 fails without this.
[ -e "$VENV/share/proj" ] || { mkdir -p "$VENV/share"; ln -s /usr/share/proj "$VENV/share/proj"; }

# shapely >= 2 built against the system GEOS: a PyPI wheel bundles its own GEOS and crashes inside QGIS.
if ! PYTHONPATH="$PYDEPS" /usr/bin/python3 -c 'import shapely, sys; sys.exit(int(shapely.__version__.split(".")[0]) < 2)' 2>/dev/null; then
  echo "== building shapely 2 against the system GEOS (about a minute)"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q --no-deps --no-binary shapely --target "$PYDEPS" "shapely>=2,<3"
fi
echo "$PYDEPS" > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/demolition_verifier_pydeps.pth"

STAMP="$BUILD/.venv-requirements"
if ! cmp -s "$ROOT/requirements-dev.txt" "$STAMP" 2>/dev/null; then
  echo "== installing test tools into $VENV"
  "$VENV/bin/pip" install -q -r <(grep -v '# no-deps' "$ROOT/requirements-dev.txt")
  "$VENV/bin/pip" install -q --no-deps -r <(grep '# no-deps' "$ROOT/requirements-dev.txt" | sed 's/#.*//')
  cp "$ROOT/requirements-dev.txt" "$STAMP"
fi
