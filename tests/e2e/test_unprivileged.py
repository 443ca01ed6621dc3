"""Permission faults as an ordinary user meets them: verify, export_report and export_maps run through
qgis_process as an unprivileged user (root, as the test machines run, ignores permissions). A folder
the user cannot write, a file it cannot replace, an audit log it cannot write: each is a message in the
user's language and a non-zero exit, never a traceback; inputs, earlier outputs and the log stay as they
were, and no output lands without its log entry."""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from qgis_process_runner import ROOT

from demolition_verifier.core.messages import MESSAGES

IS_ROOT = os.geteuid() == 0
COPY_IGNORE = shutil.ignore_patterns(".git", ".build", "__pycache__", "*.pyc", ".pytest_cache")


def _drop_privileges() -> tuple[list[str], int, int]:
    """The command prefix that runs as `nobody`, with its uid and gid; skips when none can be used."""
    if not IS_ROOT:
        return [], os.geteuid(), os.getegid()  # this user is already unprivileged
    try:
        user = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody' to run as")
    candidates = []
    if shutil.which("runuser"):
        candidates.append(["runuser", "-u", "nobody", "--"])
    if shutil.which("setpriv"):
        candidates.append(["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"])
    for prefix in candidates:
        done = subprocess.run([*prefix, "id", "-u"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == str(user.pw_uid):
            return prefix, user.pw_uid, user.pw_gid
    pytest.skip("neither runuser nor setpriv can switch to the user 'nobody' here")


class Unprivileged:
    """A world-readable folder under /tmp (pytest's tmp_path sits in a folder only root may enter) with
    a copy of the plugin, a profile per language owned by the user, and folders made to order."""

    def __init__(self, base: Path, prefix: list[str], uid: int, gid: int) -> None:
        self.base, self.prefix, self.uid, self.gid = base, prefix, uid, gid
        self.plugin = base / "plugin"
        shutil.copytree(ROOT, self.plugin, ignore=COPY_IGNORE, symlinks=True)
        if (ROOT / ".build" / "pydeps").is_dir():  # none where Debian's own shapely is new enough (Debian 13)
            shutil.copytree(ROOT / ".build" / "pydeps", self.plugin / ".build" / "pydeps", symlinks=True)
        (self.plugin / ".build" / "plugins").mkdir(parents=True)
        (self.plugin / ".build" / "plugins" / "demolition_verifier").symlink_to(self.plugin)
        self.home = self.mine("home")
        self.profiles = {}
        for language, locale in (("en", "en_US"), ("zh", "zh-Hans")):
            profile = self.home / f"profile-{language}"
            ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
            ini.parent.mkdir(parents=True)
            ini.write_text(
                f"[PythonPlugins]\ndemolition_verifier=true\n\n[locale]\noverrideFlag=true\nuserLocale={locale}\n",
                encoding="utf-8",
            )
            (profile / ".demolition_verifier_enabled").touch()
            self.profiles[language] = profile
        (self.home / "run").mkdir(mode=0o700)
        self.give(self.home)

    def run(self, algorithm: str, *params: str, language: str = "en") -> subprocess.CompletedProcess:
        env = [
            f"HOME={self.home}",
            f"QGIS_CUSTOM_CONFIG_PATH={self.profiles[language]}",
            f"XDG_RUNTIME_DIR={self.home / 'run'}",
            f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}",
        ]
        wrapper = self.plugin / "scripts" / "qgis_process.sh"
        return subprocess.run(
            [*self.prefix, "env", "-i", *env, "bash", str(wrapper), "run", algorithm, "--", *params],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=self.home,
        )

    def give(self, path: Path) -> Path:
        """`path` (and all below it) owned by the unprivileged user."""
        if IS_ROOT:
            for item in [path, *(path.rglob("*") if path.is_dir() else [])]:
                os.lchown(item, self.uid, self.gid)
        return path

    def mine(self, name: str) -> Path:
        """A folder the user owns and writes."""
        path = self.base / name
        path.mkdir(mode=0o755)
        return self.give(path)

    def locked(self, name: str, files: dict[str, Path] | None = None) -> Path:
        """A folder the user can read but not write (root's), holding copies of `files` it cannot
        replace."""
        path = self.base / name
        path.mkdir(mode=0o755)
        for target, source in (files or {}).items():
            shutil.copyfile(source, path / target)
            os.chmod(path / target, 0o644 if IS_ROOT else 0o444)
        if not IS_ROOT:
            os.chmod(path, 0o555)
        return path

    def sticky(self, name: str, files: dict[str, Path], own: tuple[str, ...] = ()) -> Path:
        """A shared folder like /tmp (anyone creates files, nobody replaces another's): `files` copied
        in as root's, except those named in `own`, which are the user's."""
        if not IS_ROOT:
            pytest.skip("a file of another user is needed: only root can make one")
        path = self.base / name
        path.mkdir()
        os.chmod(path, 0o1777)
        for target, source in files.items():
            shutil.copyfile(source, path / target)
            os.chmod(path / target, 0o644)
            if target in own:
                os.chown(path / target, self.uid, self.gid)
        return path

    def cleanup(self) -> None:
        for folder, dirs, _files in os.walk(self.base):
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    prefix, uid, gid = _drop_privileges()
    base = Path(tempfile.mkdtemp(prefix="dv-unprivileged-", dir="/tmp"))
    os.chmod(base, 0o755)
    made = Unprivileged(base, prefix, uid, gid)
    try:
        yield made
    finally:
        made.cleanup()


@pytest.fixture(scope="module")
def county(user):
    """The sample county (root's, readable by all) and one verify run of it by the user: the earlier
    outputs and log the failing runs must leave as they are."""
    inputs = user.base / "in"
    inputs.mkdir(mode=0o755)
    sample = inputs / "sample.gpkg"
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "sample_data.py"), str(sample)], check=True, capture_output=True
    )
    os.chmod(sample, 0o644)
    earlier = user.mine("earlier")
    done = user.run("demolitionverifier:verify", *verify_params(sample, earlier, log=earlier / "audit.gpkg"))
    assert done.returncode == 0, done.stdout + done.stderr
    shapefile = user.mine("earlier-shp")
    done = user.run("demolitionverifier:verify", *verify_params(sample, shapefile, output="verified.shp"))
    assert done.returncode == 0, done.stdout + done.stderr
    return {"sample": sample, "earlier": earlier, "shapefile": shapefile, "sample_hash": digest(sample)}


def verify_params(sample: Path, folder: Path, log: Path | None = None, output: str = "verified.gpkg", **given):
    params = {
        "PATCHES": f"{sample}|layername=patches", "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": "1", "TOWNSHIP_FIELD": "XZQMC", "SURVEY": f"{sample}|layername=survey",
        "OUTPUT": str(folder / output), "OUTPUT_REMNANTS": str(folder / "remnants.gpkg"),
        "OUTPUT_SUMMARY": str(folder / "townships.csv"),
    }  # fmt: skip
    if log is not None:
        params["AUDIT_LOG"] = str(log)
    params.update({k: str(v) for k, v in given.items()})
    return [f"{k}={v}" for k, v in params.items()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(*folders: Path) -> dict[str, str]:
    """Every file below the folders (hidden staging folders included) with its bytes' hash."""
    return {str(p): digest(p) for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def fragment(key: str, language: str) -> str:
    """The longest literal stretch of a message's template: what its text says whatever the values."""
    template = MESSAGES[key][0 if language == "zh" else 1]
    return max(re.split(r"\{[^}]*\}", template), key=len).strip()


def refused(done: subprocess.CompletedProcess, key: str, language: str) -> str:
    said = done.stdout + done.stderr
    assert done.returncode != 0, said
    assert "Traceback" not in said, said
    assert fragment(key, language) in said, said
    return said


def working_copy(user, county, name: str) -> Path:
    """The earlier run's outputs and log, in a folder of the user's own."""
    folder = user.mine(name)
    for item in county["earlier"].iterdir():
        shutil.copyfile(item, folder / item.name)
    return user.give(folder)


# every case in English; those whose words differ most also in Chinese (each message is both, core/messages.py)
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh"])
ENGLISH = pytest.mark.parametrize("language", ["en"])


@LANGUAGES
def test_an_output_in_a_folder_the_user_cannot_write(user, county, language):
    work = working_copy(user, county, f"a-{language}")
    locked = user.locked(f"a-locked-{language}")
    before = state(work, locked)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", OUTPUT=locked / "verified.gpkg"),
        language=language,
    )
    said = refused(done, "output_unwritable", language)
    assert ("当前用户没有权限" if language == "zh" else "Permission denied") in said
    assert state(work, locked) == before  # no remnants or summary of this run, no log entry
    assert digest(county["sample"]) == county["sample_hash"]


@ENGLISH
def test_an_earlier_output_the_user_cannot_replace(user, county, language):
    work = working_copy(user, county, f"b-{language}")
    locked = user.locked(f"b-locked-{language}", {"verified.gpkg": county["earlier"] / "verified.gpkg"})
    before = state(work, locked)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", OUTPUT=locked / "verified.gpkg"),
        language=language,
    )
    refused(done, "output_unwritable", language)
    assert state(work, locked) == before
    assert digest(county["sample"]) == county["sample_hash"]


@LANGUAGES
def test_an_earlier_output_in_a_shared_folder_belonging_to_another_user(user, county, language):
    """A folder like /tmp: the user may create files there but not replace root's. The staging folder
    is made, so the failure comes at the swap: before the fix the run was logged and reported 'only some
    outputs were replaced' with none replaced."""
    work = working_copy(user, county, f"b2-{language}")
    shared = user.sticky(f"b2-shared-{language}", {"verified.gpkg": county["earlier"] / "verified.gpkg"})
    before = state(work, shared)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", OUTPUT=shared / "verified.gpkg"),
        language=language,
    )
    said = refused(done, "output_unwritable", language)
    assert ("不允许此操作" if language == "zh" else "Operation not permitted (the file belongs to another user") in said
    assert state(work, shared) == before


def test_a_shapefile_partly_the_users_in_a_shared_folder_is_never_mixed(user, county):
    """Its .cpg and .dbf are the user's, its .prj, .shp and .shx root's: before the fix the new .cpg and
    .dbf were renamed in and the .prj refused, leaving the new table beside the earlier geometry."""
    names = ("verified.cpg", "verified.dbf", "verified.prj", "verified.shp", "verified.shx")
    files = {name: county["shapefile"] / name for name in names}
    work = working_copy(user, county, "b3")
    shared = user.sticky("b3-shared", files, own=("verified.cpg", "verified.dbf"))
    before = state(work, shared)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", output="verified.shp",
                       OUTPUT=shared / "verified.shp", MAX_REMAINING_RATIO="0.5"),
    )  # fmt: skip
    refused(done, "output_unwritable", "en")
    assert state(work, shared) == before


@ENGLISH
def test_an_audit_log_in_a_folder_the_user_cannot_write(user, county, language):
    work = working_copy(user, county, f"c-{language}")
    locked = user.locked(f"c-locked-{language}")
    before = state(work, locked)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=locked / "audit.gpkg"),
        language=language,
    )
    said = refused(done, "audit_log_unwritable_before", language)
    assert str(locked) in said
    assert state(work, locked) == before


@ENGLISH
def test_an_audit_log_the_user_can_read_but_not_write(user, county, language):
    work = working_copy(user, county, f"d-{language}")
    if IS_ROOT:
        os.chown(work / "audit.gpkg", 0, 0)
    os.chmod(work / "audit.gpkg", 0o644 if IS_ROOT else 0o444)
    before = state(work)
    done = user.run(
        "demolitionverifier:verify", *verify_params(county["sample"], work, log=work / "audit.gpkg"), language=language
    )
    said = refused(done, "audit_log_unwritable_before", language)
    assert fragment("audit_log_read_only", language) in said
    assert state(work) == before


@LANGUAGES
def test_a_writable_audit_log_in_a_folder_the_user_cannot_write(user, county, language):
    """SQLite writes a journal beside the log: before the fix the run went ahead and ended with SQLite's
    'attempt to write a readonly database'."""
    work = working_copy(user, county, f"d2-{language}")
    locked = user.locked(f"d2-locked-{language}", {"audit.gpkg": county["earlier"] / "audit.gpkg"})
    user.give(locked / "audit.gpkg")
    before = state(work, locked)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=locked / "audit.gpkg"),
        language=language,
    )
    said = refused(done, "audit_log_unwritable_before", language)
    assert fragment("audit_log_journal_denied", language) in said and "readonly database" not in said
    assert state(work, locked) == before


@ENGLISH
def test_a_summary_in_a_folder_the_user_cannot_write(user, county, language):
    work = working_copy(user, county, f"e-{language}")
    locked = user.locked(f"e-locked-{language}")
    before = state(work, locked)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", OUTPUT_SUMMARY=locked / "townships.csv"),
        language=language,
    )
    refused(done, "output_unwritable", language)
    assert state(work, locked) == before


@LANGUAGES
def test_a_summary_the_user_cannot_replace_while_the_output_is_writable(user, county, language):
    """The summary's staging folder is made (a shared folder), OUTPUT is written: before the fix OUTPUT
    was replaced and the run logged, then the summary refused ('only some outputs were replaced')."""
    work = working_copy(user, county, f"e2-{language}")
    shared = user.sticky(
        f"e2-shared-{language}",
        {"townships.csv": county["earlier"] / "townships.csv", "townships.csvt": county["earlier"] / "townships.csvt"},
    )
    before = state(work, shared)
    done = user.run(
        "demolitionverifier:verify",
        *verify_params(county["sample"], work, log=work / "audit.gpkg", OUTPUT_SUMMARY=shared / "townships.csv",
                       MAX_REMAINING_RATIO="0.5"),
        language=language,
    )  # fmt: skip
    said = refused(done, "output_unwritable", language)
    assert str(shared / "townships.csv") in said
    assert state(work, shared) == before  # no new OUTPUT, no log entry


@LANGUAGES
def test_a_report_in_a_folder_the_user_cannot_write(user, county, language):
    earlier = user.base / f"report-{language}.xlsx"
    earlier.write_bytes(b"an earlier report")
    locked = user.locked(f"r-locked-{language}", {"report.xlsx": earlier})
    before = state(county["earlier"], locked)
    done = user.run(
        "demolitionverifier:export_report",
        f"INPUT={county['earlier'] / 'verified.gpkg'}",
        f"AUDIT_LOG={county['earlier'] / 'audit.gpkg'}",
        f"OUTPUT={locked / 'report.xlsx'}",
        language=language,
    )
    said = refused(done, "export_failed", language)
    assert ("当前用户没有权限" if language == "zh" else "Permission denied") in said, "the OS error in the user's words"
    assert state(county["earlier"], locked) == before


def test_maps_in_a_folder_the_user_cannot_write(user, county):
    earlier = user.base / "maps.pdf"
    earlier.write_bytes(b"earlier maps")
    locked = user.locked("m-locked", {"maps.pdf": earlier})
    before = state(county["earlier"], locked)
    done = user.run(
        "demolitionverifier:export_maps",
        f"INPUT={county['earlier'] / 'verified.gpkg'}",
        f"REMNANTS={county['earlier'] / 'remnants.gpkg'}",
        "FILTER=\"status\" <> 'pass'",
        f"OUTPUT={locked / 'maps.pdf'}",
    )
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "Traceback" not in said, said
    assert str(locked / "maps.pdf") in said, said
    assert state(county["earlier"], locked) == before


def test_the_users_files_are_not_writable_by_it_where_the_tests_say_so(user, county):
    """The premise of every test above: the user really is refused by the system."""
    locked = user.locked("premise")
    done = subprocess.run([*user.prefix, "touch", str(locked / "x")], capture_output=True, text=True)
    assert done.returncode != 0 and not (locked / "x").exists()
    assert stat.S_IMODE(os.stat(county["sample"]).st_mode) & 0o004
