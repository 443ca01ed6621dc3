"""A throwaway PostgreSQL + PostGIS server for tests and the bench (no QGIS needed).

    with PostgisServer() as pg:          # or pg = PostgisServer().start() ... pg.stop()
        pg.qgis_uri("patches", srid=4527)  # dbname=... host=127.0.0.1 port=... user=... password=... table=...
        pg.gdal()                         # PG:dbname=... (for ogr.Open / ogr2ogr)

It runs Debian's server binaries (/usr/lib/postgresql/N/bin, the newest N whose PostGIS extension is
installed; `apt-get install postgresql postgresql-postgis`, as scripts/setup_env.sh does): initdb in
a temporary folder, password (scram-sha-256) authentication for every connection, listening on
127.0.0.1 on a free port and on a unix socket in that folder; as the `postgres` system user (through
runuser) when run as root, since PostgreSQL refuses to run as root. stop() ends the server and
deletes the folder.

From a shell (for make bench):
    python3 tests/postgis_server.py start DIR   # prints the connection as JSON; the server keeps running
    python3 tests/postgis_server.py stop DIR    # stops it and deletes DIR
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATABASE = "verifier"
USER = "verifier"


class Unavailable(RuntimeError):
    """The server cannot be run on this machine (binaries or the postgres user missing)."""


def server_bin() -> Path:
    """The bin folder of the newest installed PostgreSQL that has PostGIS, or Unavailable."""
    found = []
    for bindir in glob.glob("/usr/lib/postgresql/*/bin"):
        major = Path(bindir).parent.name
        has_postgis = glob.glob(f"/usr/share/postgresql/{major}/extension/postgis.control")
        if has_postgis and all(os.access(Path(bindir, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres", "psql")):
            found.append((float(major) if re.fullmatch(r"\d+(\.\d+)?", major) else 0.0, Path(bindir)))
    if not found:
        raise Unavailable(
            "PostgreSQL server with PostGIS not installed (no /usr/lib/postgresql/N/bin with "
            "/usr/share/postgresql/N/extension/postgis.control): apt-get install postgresql postgresql-postgis "
            "(scripts/setup_env.sh does it)"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _quote(value: str) -> str:
    """A libpq conninfo value (also what QgsDataSourceUri reads)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PostgisServer:
    def __init__(self, directory: str | os.PathLike | None = None, password: str | None = None) -> None:
        self.bin = server_bin()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError as missing:
                raise Unavailable(
                    "running as root but there is no `postgres` system user to run the server"
                ) from missing
            if not shutil.which("runuser"):
                raise Unavailable("running as root but runuser (util-linux) is missing")
        self.dir = Path(directory) if directory else None
        self.password = password or "pw-" + secrets.token_hex(8)  # recognisable in a grep, no quoting needed
        self.user, self.dbname, self.host, self.port = USER, DATABASE, "127.0.0.1", 0
        self.started = False

    # -- life cycle ------------------------------------------------------------------------------
    def _run(self, *args, check=True, env=None, as_server_user=True, timeout=120) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self._as_root and as_server_user:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {})), timeout=timeout, cwd="/"
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self) -> PostgisServer:
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="postgis-test-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        if self._as_root:
            shutil.chown(self.dir, "postgres", "postgres")
            if self._run("test", "-w", self.dir, check=False).returncode != 0:
                raise RuntimeError(f"the postgres user cannot reach {self.dir} (a parent folder is private): use /tmp")
        data, pwfile = self.dir / "data", self.dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        os.chmod(pwfile, 0o600)
        if self._as_root:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(
            self.bin / "initdb", "-D", data, "-U", self.user, f"--pwfile={pwfile}", "--auth=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        pwfile.unlink()
        for attempt in range(5):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
            )
            done = self._run(
                self.bin / "pg_ctl", "-D", data, "-l", self.dir / "server.log", "-o", options, "-w", "-t", "60",
                "start", check=False,
            )  # fmt: skip
            if done.returncode == 0:
                break
            if attempt == 4:
                raise RuntimeError(f"the PostgreSQL server did not start:\n{done.stdout}{done.stderr}\n{self.log()}")
            time.sleep(0.5)
        self.started = True
        self._save_state()
        self.psql(f"CREATE DATABASE {self.dbname}", dbname="postgres")
        self.psql("CREATE EXTENSION postgis")
        return self

    def stop(self) -> None:
        if self.dir is None or not self.dir.exists():
            return
        if self.started or (self.dir / "data" / "postmaster.pid").exists():
            self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "-w", "stop", check=False)
        self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self) -> str:
        path = (self.dir or Path("/nonexistent")) / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- state for the command line ----------------------------------------------------------------
    def state(self) -> dict:
        return {
            "dir": str(self.dir),
            "bin": str(self.bin),
            "host": self.host,
            "port": self.port,
            "dbname": self.dbname,
            "user": self.user,
            "password": self.password,
            "conninfo": self.conninfo(),
            "gdal": self.gdal(),
            "env": self.env(),
        }

    def _save_state(self) -> None:
        path = self.dir / "state.json"
        path.write_text(json.dumps(self.state()))
        os.chmod(path, 0o600)

    @classmethod
    def attach(cls, directory: str | os.PathLike) -> PostgisServer:
        """The server a `start DIR` left running."""
        state = json.loads((Path(directory) / "state.json").read_text())
        server = cls(directory, state["password"])
        server.port, server.started = state["port"], True
        return server

    # -- connections -----------------------------------------------------------------------------
    def conninfo(self, dbname: str | None = None) -> str:
        """libpq keywords; QGIS and GDAL read the same."""
        return (
            f"dbname={_quote(dbname or self.dbname)} host={self.host} port={self.port} user={_quote(self.user)} "
            f"password={_quote(self.password)} sslmode=disable"
        )

    def qgis_uri(
        self, table: str, geometry: str = "geom", key: str = "fid", srid: int | None = None, kind: str | None = None
    ) -> str:
        """A QGIS postgres provider URI (as QgsDataSourceUri.uri() writes it)."""
        uri = self.conninfo() + f" key='{key}'"
        if srid:
            uri += f" srid={srid}"
        if kind:
            uri += f" type={kind}"
        return uri + f' table="public"."{table}" ({geometry})'

    def qgis_output(self, table: str, geometry: str = "geom", key: str = "fid") -> str:
        """A Processing destination for a new table: 'postgres:' + URI (what QGIS's own dialogs give)."""
        return "postgres:" + self.conninfo() + f' key=\'{key}\' table="public"."{table}" ({geometry})'

    def gdal(self, dbname: str | None = None) -> str:
        return "PG:" + self.conninfo(dbname)

    def env(self) -> dict:
        """libpq's environment variables (psql, ogr2ogr PG: with no options, psycopg2.connect(''))."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.dbname,
            "PGSSLMODE": "disable",
        }

    def psql(self, sql: str, dbname: str | None = None) -> str:
        """Runs SQL through psql over TCP with the password; the unaligned, tuples-only output."""
        env = dict(self.env(), PGDATABASE=dbname or self.dbname)
        done = self._run(
            self.bin / "psql", "-X", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-q", "-c", sql, env=env, as_server_user=False
        )
        return done.stdout.strip()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "start":
        try:
            server = PostgisServer(argv[2]).start()
        except Unavailable as reason:
            print(f"PostGIS unavailable: {reason}", file=sys.stderr)
            return 3
        print(json.dumps(server.state()))
    else:
        if (Path(argv[2]) / "state.json").exists():
            PostgisServer.attach(argv[2]).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
