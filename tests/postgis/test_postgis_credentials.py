"""Credentials and output-onto-input with a real PostGIS server (tests/postgis/conftest.py): the
database password never reaches the append-only audit log, the plugin's own messages or a file name;
an output aimed at an input table (however its URI is written) is refused and the table untouched.

What QGIS itself prints is QGIS's: qgis_process echoes the parameters it was given (its "Inputs"
block) and the value verify hands back for OUTPUT (its "Results" block), which keeps the password
because the caller needs it to open the table (a model's next step, processing.run's result). A
connection kept in QGIS's authentication database (authcfg=...) carries no password in any of these."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer


def _verify_params(patches, survey, output, **extra) -> dict:
    out = {
        "PATCHES": patches,
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey,
        "OUTPUT": output,
    }
    out.update(extra)
    return out


def _copy_table(postgis, source: str, table: str) -> str:
    postgis.psql(f"DROP TABLE IF EXISTS public.{table}; CREATE TABLE public.{table} AS SELECT * FROM public.{source}")
    postgis.psql(f"ALTER TABLE public.{table} ADD PRIMARY KEY (fid)")
    return table


@pytest.mark.parametrize("as_layer", [True, False], ids=["layer", "uri-string"])
def test_no_password_in_the_audit_log_with_postgis_sources(processing, postgis, county_in_postgis, tmp_path, as_layer):
    """A PostGIS source's password never reaches the append-only log."""
    log = tmp_path / "audit.gpkg"
    if as_layer:
        patches = QgsVectorLayer(county_in_postgis["patches"], "patches", "postgres")
        survey = QgsVectorLayer(county_in_postgis["survey"], "survey", "postgres")
    else:
        patches = "postgres://" + county_in_postgis["patches"]
        survey = "postgres://" + county_in_postgis["survey"]
    processing.run(
        "demolitionverifier:verify",
        _verify_params(patches, survey, str(tmp_path / "verified.gpkg"), AUDIT_LOG=str(log)),
    )
    raw = log.read_bytes()
    assert postgis.password.encode() not in raw
    assert b"password=" not in raw.lower()  # (the bare word is in tmp_path: this test's name)
    assert b"dbname=" in raw  # the sources are still named: without their credentials


def test_no_password_in_the_audit_log_with_a_postgis_output(processing, postgis, sample_county, tmp_path):
    """The same for an OUTPUT (and OUTPUT_REMNANTS) given as a PostGIS destination."""
    log = tmp_path / "audit.gpkg"
    county = str(sample_county)
    processing.run(
        "demolitionverifier:verify",
        _verify_params(
            f"{county}|layername=patches",
            f"{county}|layername=survey",
            postgis.qgis_output("verified_logged"),
            OUTPUT_REMNANTS=postgis.qgis_output("remnants_logged"),
            AUDIT_LOG=str(log),
        ),
    )
    raw = log.read_bytes()
    assert postgis.password.encode() not in raw
    assert b"password=" not in raw.lower()
    assert b'table=\\"public\\".\\"verified_logged\\"' in raw  # the output still named, as JSON holds it


def _plugin_lines(stdout: str) -> str:
    """qgis_process's output without its own echo of the parameters given ("Inputs") and of the values
    returned ("Results"): what the plugin itself printed."""
    kept, skipping = [], False
    for line in stdout.splitlines():
        if line.strip() in ("Inputs", "Results"):
            skipping = True
        elif skipping and (line.startswith("-----") or not line.strip()):
            continue
        elif skipping and ":\t" not in line:
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def test_no_password_in_the_audit_log_through_qgis_process(qgis_process, postgis, county_in_postgis, tmp_path):
    log = tmp_path / "audit.gpkg"
    params = _verify_params(
        "postgres://" + county_in_postgis["patches"],
        "postgres://" + county_in_postgis["survey"],
        tmp_path / "verified.gpkg",
        AUDIT_LOG=log,
    )
    done = qgis_process.run("demolitionverifier:verify", *[f"{k}={v}" for k, v in params.items()])
    assert done.returncode == 0, done.stdout + done.stderr
    assert postgis.password.encode() not in log.read_bytes()
    assert "Reading layers" in _plugin_lines(done.stdout) and "Head hash" in _plugin_lines(done.stdout)
    assert postgis.password not in _plugin_lines(done.stdout) + done.stderr  # nor in what the plugin prints
    assert postgis.password in done.stdout  # qgis_process's own echo of PATCHES (QGIS's, not the plugin's)


@pytest.mark.parametrize("output_form", ["same-uri", "postgres-prefix"])
def test_output_onto_the_postgis_patches_table_is_refused(
    processing, postgis, county_in_postgis, output_form, tmp_path, monkeypatch
):
    """OUTPUT naming the PATCHES table is refused as for files; the table is untouched.
    (SURVEY must be given with its provider, "postgres://URI" or a layer: a bare URI string is read
    as a file, fails to load, and would make this test pass for the wrong reason.)"""
    table = _copy_table(postgis, "patches", f"patches_{output_form.replace('-', '_')}")
    uri = postgis.qgis_uri(table, srid=4526, kind="Polygon")
    before = postgis.psql(f"SELECT md5(string_agg(t::text, '|' ORDER BY fid)) FROM public.{table} t")
    columns = postgis.psql(f"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}'")
    output = uri if output_form == "same-uri" else postgis.qgis_output(table)
    # "same-uri" (no provider prefix): today QGIS takes it for a file name and writes
    # "<cwd>/dbname='verifier' ... password='...' ... (geom).gpkg": run where that lands in tmp_path.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QgsProcessingException, match=expected_refusal[output_form]) as refused:
        processing.run(
            "demolitionverifier:verify",
            _verify_params(
                QgsVectorLayer(uri, "patches", "postgres"), "postgres://" + county_in_postgis["survey"], output
            ),
        )
    assert postgis.psql(f"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}'") == columns
    assert postgis.psql(f"SELECT md5(string_agg(t::text, '|' ORDER BY fid)) FROM public.{table} t") == before
    assert not list(tmp_path.iterdir())  # no GeoPackage named after the URI (and its password)
    assert postgis.password not in str(refused.value)


expected_refusal = {
    "same-uri": "database connection string without its provider",  # QGIS would take it for a file name
    "postgres-prefix": "points at the data of input layer",
}


def test_a_bare_connection_string_as_output_is_refused_not_written_as_a_file(
    processing, postgis, sample_county, tmp_path, monkeypatch
):
    """A connection string without `postgres:` is a file name to QGIS: it would write
    "<working folder>/dbname='verifier' ... password='...' ... (geom).gpkg". Refused before anything."""
    monkeypatch.chdir(tmp_path)
    county = str(sample_county)
    output = postgis.qgis_output("never_written")[len("postgres:") :]
    with pytest.raises(QgsProcessingException, match="without its provider") as refused:
        processing.run(
            "demolitionverifier:verify",
            _verify_params(f"{county}|layername=patches", f"{county}|layername=survey", output,
                           AUDIT_LOG=str(tmp_path / "audit.gpkg")),
        )  # fmt: skip
    assert postgis.password not in str(refused.value)
    assert not list(tmp_path.iterdir())  # no file, and no log entry (no log at all)
    assert postgis.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'never_written'") == "0"


def test_output_onto_the_postgis_patches_table_is_refused_through_qgis_process(
    qgis_process, postgis, county_in_postgis
):
    table = _copy_table(postgis, "patches", "patches_cli")
    uri = "postgres://" + postgis.qgis_uri(table, srid=4526, kind="Polygon")
    params = _verify_params(uri, "postgres://" + county_in_postgis["survey"], uri)
    done = qgis_process.run("demolitionverifier:verify", *[f"{k}={v}" for k, v in params.items()])
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert "points at the data of input layer" in done.stdout + done.stderr
    assert postgis.password not in _plugin_lines(done.stdout) + done.stderr
    assert (
        postgis.psql(
            f"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}' AND column_name = 'status'"
        )
        == "0"
    )


def test_output_onto_the_postgis_survey_table_is_refused(processing, postgis, county_in_postgis, sample_county):
    table = _copy_table(postgis, "survey", "survey_target")
    uri = postgis.qgis_uri(table, srid=4526, kind="Polygon")
    county = str(sample_county)
    with pytest.raises(QgsProcessingException):
        processing.run(
            "demolitionverifier:verify",
            _verify_params(
                f"{county}|layername=patches", QgsVectorLayer(uri, "survey", "postgres"), postgis.qgis_output(table)
            ),
        )
    assert postgis.psql(f"SELECT count(*) FROM public.{table}") == "276"


def test_a_password_with_a_space_is_removed_whole(processing, sample_county, tmp_path):
    """QgsDataSourceUri.removePassword (3.22 and 3.40 alike: the regex ' password=.* ', non-greedy)
    cuts a quoted password at its first space and leaves the rest in the text; parse the URI
    instead (QgsDataSourceUri(uri); setPassword(''); uri(False)) for postgres sources."""
    import subprocess

    from postgis_server import PostgisServer

    with PostgisServer(password="pw with-space's tail") as server:
        subprocess.run(
            ["ogr2ogr", "-f", "PostgreSQL", server.gdal(), str(sample_county), "patches", "-lco", "LAUNDER=NO",
             "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom"],
            check=True, capture_output=True,
        )  # fmt: skip
        uri = server.qgis_uri("patches", srid=4526, kind="Polygon")
        assert QgsVectorLayer(uri, "patches", "postgres").isValid()  # the password (space, quote) works
        log = tmp_path / "audit.gpkg"
        county = str(sample_county)
        processing.run(
            "demolitionverifier:verify",
            _verify_params(
                QgsVectorLayer(uri, "patches", "postgres"), f"{county}|layername=survey", str(tmp_path / "v.gpkg"),
                AUDIT_LOG=str(log),
            ),
        )  # fmt: skip
        raw = log.read_bytes()
        assert b"with-space" not in raw and b"tail" not in raw
