"""Data for the export tests: a small verified county, geotagged photos and an orthophoto,
all made with QGIS, GDAL and Qt themselves."""

from __future__ import annotations

import struct
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice
from qgis.PyQt.QtGui import QColor, QImage, QPainter
from qgis_layers import box_wkt, memory_layer

CRS = "EPSG:4527"
X0, Y0 = 39_550_000.0, 3_880_000.0
SPACING = 200.0  # patches of 100 m, 100 m apart: each page shows its neighbours
# id, township, dx (None: no geometry)
PATCHES = [
    ("H1", "城关镇", 0.0),
    ("H2", "城关镇", 1.0),
    ("H10", "柳林镇", 3.0),
    ("H3", "柳林镇", None),
    ("H4", "西河头镇", 2.0),
]
NATURAL_ORDER = ["H1", "H2", "H4", "H10"]  # the pages; H3 has no geometry
TOWNSHIPS = ["城关镇", "柳林镇", "西河头镇"]


def patch_origin(pid: str) -> tuple[float, float]:
    dx = dict((p, d) for p, _t, d in PATCHES)[pid]
    return X0 + dx * SPACING, Y0


def verified_county(processing, tmp_path: Path | None = None, audit_log: Path | None = None) -> dict:
    """verify over the county; OUTPUT (and OUTPUT_REMNANTS) as layers, or files in tmp_path; the run
    appended to `audit_log` when given."""
    wkts, rows = [], []
    for pid, town, dx in PATCHES:
        wkts.append(None if dx is None else box_wkt(X0 + dx * SPACING, Y0, X0 + dx * SPACING + 100, Y0 + 100))
        rows.append([pid, town, "15"])
    patches = memory_layer("patches", wkts, CRS, [("JCBH", str), ("XZQMC", str), ("JCMJ", str)], rows)
    h2x, _ = patch_origin("H2")
    h10x, _ = patch_origin("H10")
    survey = memory_layer(
        "survey",
        [box_wkt(h2x + 40, Y0 + 40, h2x + 60, Y0 + 60), box_wkt(h10x + 70, Y0 + 10, h10x + 82, Y0 + 22)],
        CRS,
    )
    out = {"OUTPUT": "memory:", "OUTPUT_REMNANTS": "memory:"}
    if tmp_path is not None:
        out = {"OUTPUT": str(tmp_path / "verified.gpkg"), "OUTPUT_REMNANTS": str(tmp_path / "remnants.gpkg")}
    if audit_log is not None:
        out["AUDIT_LOG"] = str(audit_log)
    return processing.run(
        "demolitionverifier:verify",
        {
            "PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1,
            "TOWNSHIP_FIELD": "XZQMC", "SURVEY": survey, **out,
        },
    )  # fmt: skip


# -- photos with GPS tags, as a phone or drone writes them -----------------------------------------
def _rational(value: float) -> bytes:
    degrees = int(value)
    minutes_f = (value - degrees) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 10000)
    return struct.pack(">6I", degrees, 1, minutes, 1, seconds, 10000)


def _exif(lon: float, lat: float, when: str) -> bytes:
    """A big-endian EXIF block: IFD0 -> Exif IFD (DateTimeOriginal) and GPS IFD (lat/lon)."""

    def entry(tag, kind, count, value):
        return struct.pack(">HHI", tag, kind, count) + value

    exif_ifd, date_at, gps_ifd = 38, 56, 76
    lat_at, lon_at = 130, 154
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8)
    tiff += struct.pack(">H", 2) + entry(0x8769, 4, 1, struct.pack(">I", exif_ifd))
    tiff += entry(0x8825, 4, 1, struct.pack(">I", gps_ifd)) + struct.pack(">I", 0)
    tiff += struct.pack(">H", 1) + entry(0x9003, 2, 20, struct.pack(">I", date_at)) + struct.pack(">I", 0)
    tiff += when.encode("ascii") + b"\x00"
    tiff += struct.pack(">H", 4)
    tiff += entry(0x0001, 2, 2, b"N\x00\x00\x00") + entry(0x0002, 5, 3, struct.pack(">I", lat_at))
    tiff += entry(0x0003, 2, 2, b"E\x00\x00\x00") + entry(0x0004, 5, 3, struct.pack(">I", lon_at))
    tiff += struct.pack(">I", 0)
    assert len(tiff) == lat_at
    tiff += _rational(lat) + _rational(lon)
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def geotagged_photo(path: Path, x: float, y: float, colour: QColor, label: str, when: str = "2026:03:01 10:20:30",
                    size: tuple[int, int] = (2400, 1800)) -> Path:  # fmt: skip
    """A JPEG at (x, y) of EPSG:4527 with GPS tags, big enough that the plugin must scale it."""
    to_wgs84 = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(CRS), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    point = to_wgs84.transform(QgsPointXY(x, y))
    image = QImage(size[0], size[1], QImage.Format_RGB32)
    image.fill(colour)
    painter = QPainter(image)
    font = painter.font()
    font.setPixelSize(size[1] // 4)
    painter.setFont(font)
    painter.drawText(image.rect(), 0x84, label)  # Qt.AlignCenter
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "JPG", 80)
    raw = bytes(data)
    path.write_bytes(raw[:2] + _exif(point.x(), point.y(), when) + raw[2:])
    return path


def photo_folder(folder: Path) -> dict[str, Path]:
    """Photos around H2: one inside, one 30 m off its edge, one 80 m off (not evidence)."""
    folder.mkdir(parents=True, exist_ok=True)
    x, y = patch_origin("H2")
    return {
        "inside": geotagged_photo(folder / "h2_inside.jpg", x + 50, y + 50, QColor(200, 60, 60), "1"),
        "near": geotagged_photo(folder / "h2_near.jpg", x + 50, y + 130, QColor(60, 120, 200), "2"),
        "far": geotagged_photo(folder / "h2_far.jpg", x + 50, y + 180, QColor(60, 160, 60), "3"),
    }


def orthophoto(path: Path) -> Path:
    """An RGB GeoTIFF under the county (1 m pixels), written by Debian's GDAL."""
    from osgeo import gdal, osr

    width, height = 1000, 400
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(str(path), width, height, 3, gdal.GDT_Byte)
    ds.SetGeoTransform((X0 - 150, 1.0, 0, Y0 + 200, 0, -1.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    ds.SetProjection(srs.ExportToWkt())
    yy, xx = np.mgrid[0:height, 0:width]
    checker = ((xx // 25 + yy // 25) % 2).astype(np.uint8)
    for band, (base, step) in enumerate(((120, 30), (160, 30), (90, 20)), start=1):
        ds.GetRasterBand(band).WriteArray(base + step * checker)
    ds.FlushCache()
    ds = None
    return path


# -- reading the PDF back ---------------------------------------------------------------------------
def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text_pages(path: Path) -> list[str]:
    """Each page's text, NFKC-normalised (pdftotext gives some CJK characters as Kangxi radicals)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [unicodedata.normalize("NFKC", page) for page in text.split("\f")[:-1]]


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for each font of the PDF."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # columns: name type... encoding emb sub uni object ID; emb is the 5th from the end
        fonts.append((parts[0], parts[-5] == "yes"))
    return fonts


def pdf_images(path: Path, page: int) -> list[tuple[int, int]]:
    """(width, height) in pixels of each image on the page."""
    out = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [(int(line.split()[3]), int(line.split()[4])) for line in out.splitlines()[2:]]


def render_page(path: Path, page: int, dpi: int, folder: Path) -> np.ndarray:
    """The page as an RGB array (rows, columns, 3), rendered by poppler."""
    stem = folder / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-singlefile", "-png", str(path), str(stem)],
        check=True,
    )
    image = QImage(str(stem) + ".png").convertToFormat(QImage.Format_RGB888)
    bits = image.constBits()
    bits.setsize(image.bytesPerLine() * image.height())
    rows = np.frombuffer(bits, np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def colour_mask(rgb: np.ndarray, colour: tuple[int, int, int], tolerance: int = 24) -> np.ndarray:
    return (np.abs(rgb.astype(int) - np.array(colour)) <= tolerance).all(axis=2)
