"""The throwaway server itself (tests/postgis_server.py): password authentication, and nothing left
behind once stopped."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from postgis_server import PostgisServer, Unavailable


def _refused(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_start_and_stop_leave_nothing(postgis):
    """(postgis: skips where no server can run.) A second server beside the session's one."""
    with PostgisServer() as server:
        assert server.port != postgis.port
        assert server.psql("SELECT PostGIS_Lib_Version() IS NOT NULL") == "t"
        assert (
            server.psql("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = current_user") == "t"
        )
        folder, port = server.dir, server.port
    assert not folder.exists()
    assert _refused(port)


def test_command_line_start_and_stop(postgis, tmp_path):
    """What make bench uses: `start DIR` prints the connection and leaves the server running."""
    script = str(Path(__file__).resolve().parents[1] / "postgis_server.py")
    folder = Path("/tmp") / f"postgis-cli-{tmp_path.name}"
    done = subprocess.run([sys.executable, script, "start", str(folder)], capture_output=True, text=True, check=True)
    state = json.loads(done.stdout)
    try:
        assert state["gdal"].startswith("PG:dbname='verifier' host=127.0.0.1 port=")
        assert PostgisServer.attach(folder).psql("SELECT 1") == "1"
    finally:
        subprocess.run([sys.executable, script, "stop", str(folder)], check=True)
    assert not folder.exists()
    assert _refused(state["port"])


def test_missing_binaries_are_unavailable_not_an_error(monkeypatch):
    import postgis_server

    monkeypatch.setattr(postgis_server.glob, "glob", lambda pattern: [])
    with pytest.raises(Unavailable, match="apt-get install postgresql postgresql-postgis"):
        PostgisServer()
