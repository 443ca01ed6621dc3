"""Credentials never reach the audit log: data sources recorded with passwords, tokens and keys
removed (PostGIS-shaped URIs here; a server-backed run is for the PostGIS tests); a database output
aimed at an input table is recognised as that table."""

from __future__ import annotations

import json
import sqlite3

from qgis_layers import box_wkt, memory_layer

from demolition_verifier.qgis_adapter.credentials import redact, table_identity
from demolition_verifier.qgis_adapter.layers import source_path

X0, Y0 = 39_550_000.0, 3_880_000.0
POSTGIS = (
    "dbname='county' host=127.0.0.1 port=5432 user='u' password='secret' sslmode=disable key='fid' "
    'srid=4527 type=Polygon checkPrimaryKeyUnicity=\'1\' table="public"."patches" (geom)'
)


def test_passwords_tokens_and_keys_are_removed_from_sources():
    assert "secret" not in redact(POSTGIS) and "password" not in redact(POSTGIS)
    assert "dbname='county'" in redact(POSTGIS) and 'table="public"."patches"' in redact(POSTGIS)
    quoted = POSTGIS.replace("password='secret'", r"password='se\'cr et'")
    assert "cr et" not in redact(quoted) and "se" not in redact(quoted).split("user='u'")[1].split("sslmode")[0]
    for text in (
        'postgis:dbname=\'x\' host=h user=u password=secret table="s"."t" (geom)',
        "postgres://u:secret@127.0.0.1:5432/county",
        "url=https://tiles.example.com/{z}/{x}/{y}.png?token=secret&style=a",
        "crs=EPSG:4527&url=https://wfs.example.com/?apikey=secret&typename=a",
        "Polygon?crs=EPSG:4527&access_token=secret",
        "service='county' password=secret table=\"t\"",
    ):
        assert "secret" not in redact(text), text
    assert redact("/data/县/图斑.gpkg|layername=patches") == "/data/县/图斑.gpkg|layername=patches"
    assert redact("dbname='x' key='fid' table=\"t\"") == "dbname='x' key='fid' table=\"t\""  # a key column is no secret


def test_a_database_table_is_known_whichever_way_its_uri_is_written():
    patches = table_identity(POSTGIS)
    assert patches == ("127.0.0.1", "5432", "county", "public", "patches")
    for same in (
        "postgis:dbname='county' host=127.0.0.1 port=5432 user='other' table=\"public\".\"patches\" (geom)",
        "postgres:dbname='county' host=127.0.0.1 table=\"patches\" (geom)",  # default schema and port
    ):
        assert table_identity(same) == patches, same
    for other in (
        'postgis:dbname=\'county\' host=127.0.0.1 table="public"."verified" (geom)',
        'postgis:dbname=\'county\' host=127.0.0.1 table="work"."patches" (geom)',
        'postgis:dbname=\'other\' host=127.0.0.1 table="public"."patches" (geom)',
        'postgis:dbname=\'county\' host=10.0.0.2 table="public"."patches" (geom)',
        'postgis:dbname=\'county\' host=127.0.0.1 port=5433 table="public"."patches" (geom)',
    ):
        assert table_identity(other) != patches, other
    assert table_identity("/data/county.gpkg|layername=patches") is None
    assert table_identity("memory:") is None


def test_a_run_records_its_sources_without_credentials(processing, tmp_path):
    """The recorded source goes through the same redact: a memory layer whose URI carries a token."""
    patches = memory_layer("p", [box_wkt(X0, Y0, X0 + 100, Y0 + 100)], fields=[("JCBH", str)], rows=[["A"]])
    survey = memory_layer("s", [], crs="EPSG:4527&token=secret&password=secret")
    assert "secret" in survey.source()
    log = tmp_path / "audit.gpkg"
    processing.run(
        "demolitionverifier:verify",
        {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:", "AUDIT_LOG": str(log)},
    )
    with sqlite3.connect(log) as connection:
        texts = [row[0] for row in connection.execute("SELECT data FROM audit_log")]
    assert texts and not any("secret" in t for t in texts)
    run = json.loads(texts[0])
    assert run["inputs"]["SURVEY"]["source"].startswith("Polygon?crs=EPSG:4527")


def test_a_quoted_password_with_a_space_is_removed_whole_and_a_database_is_no_file():
    uri = POSTGIS.replace("password='secret'", r"password='pw with-space\'s tail'")
    for text in (uri, "postgres:" + uri, "postgres://" + uri):
        assert "with-space" not in redact(text) and "tail" not in redact(text), text
        assert 'table="public"."patches"' in redact(text)
        assert source_path(text) == (None, None), text  # its text ends in ".0.1 port=..." but it is no file
    assert source_path("ogr:dbname='/data/county.gpkg' table=\"patches\" (geom)") == ("/data/county.gpkg", "patches")
