"""Data sources as they may be recorded or compared: credentials removed (they must never reach the
append-only audit log, which can never forget them), and a database table's identity, so an output
aimed at an input table is refused as an output aimed at an input file is."""

from __future__ import annotations

import re

from qgis.core import QgsDataSourceUri

# key=value items that carry a secret, in a connection string (key='...' or key=...) or a URL query
_SECRET = re.compile(
    r"(?i)(?P<sep>^|[\s&?|;])(?P<key>password|passwd|pwd|token|access_token|api_?key|apikey|secret|"
    r"client_secret|x-api-key|signature|sig)=(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&|;]*)"
)
_URL_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+):[^@/\s]*@")
_DATABASE_PREFIX = re.compile(r"^(postgis|postgres|postgresql|mssql|oracle|hana|db2):(//)?", re.I)
# a libpq/QGIS connection string, with or without a provider prefix (never a file name, whatever it ends in);
# ogr:dbname='file.gpkg' names a file
_CONNECTION = re.compile(
    r"^\s*(?!ogr:)(?:[a-z][a-z0-9]*:(?://)?)?\s*(?:dbname|service|host|hostaddr|authcfg)\s*=", re.I
)


def is_connection_string(text: str | None) -> bool:
    """A database connection string (dbname=... host=... table=...), prefixed by a provider or bare."""
    return bool(text) and bool(_CONNECTION.match(str(text)))


def redact(source: str | None) -> str | None:
    """A layer's source or an output's destination without passwords, tokens, keys and the password
    of a URL's user info (QGIS's QgsDataSourceUri.removePassword, then every other secret item)."""
    if not source:
        return source
    text = str(source)
    # quoted values first, escapes and spaces included: QgsDataSourceUri.removePassword cuts a quoted
    # password at its first space and leaves the rest behind
    text = _SECRET.sub(lambda m: m.group("sep"), text)
    if "password" in text.lower():
        text = QgsDataSourceUri.removePassword(text)
    if is_connection_string(text) and "password" in text.lower():  # whatever is left: the URI parsed, rewritten
        prefix = _DATABASE_PREFIX.match(text)
        parsed = QgsDataSourceUri(text[prefix.end() :] if prefix else text)
        parsed.setPassword("")
        text = (prefix.group(0) if prefix else "") + parsed.uri(False)
    return _URL_USERINFO.sub(r"\1@", text)


def table_identity(uri: str | None) -> tuple | None:
    """(host, port, database or service, schema, table) of a database layer or destination; None for
    anything that is not a database table."""
    if not uri:
        return None
    text = _DATABASE_PREFIX.sub("", str(uri), count=1)
    if "table=" not in text or ("dbname=" not in text and "service=" not in text):
        return None
    parsed = QgsDataSourceUri(text)
    if not parsed.table():
        return None
    return (
        (parsed.host() or "localhost").lower(),
        parsed.port() or "5432",
        parsed.database() or f"service:{parsed.service()}",
        parsed.schema() or "public",
        parsed.table(),
    )
