"""verify's outputs all or nothing: each file output is written by QGIS's sink under its own name in a
hidden folder beside the target, and each new table inside an existing GeoPackage under a temporary
table name; only when the whole run has succeeded are they swapped in (files renamed, the table
renamed over the old one in one SQLite transaction). A failure, a cancel or a kill leaves the earlier
outputs as they were. A PostGIS table is staged the same way (qgis_adapter/postgis_output.py). Memory
layers, other databases and appending to an existing layer are written as the sink writes them (a
memory layer has nothing earlier to lose)."""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field

from qgis.core import QgsProcessingOutputLayerDefinition, QgsProperty

from ..core.messages import Refusal, Said, os_error
from ..formats import atomic
from ..formats.atomic import STAGING_PREFIX, busy_journal, discard_folder, files_digest, staging_folder
from ..formats.gpkg_bulk import table_digest
from . import postgis_output as pg

_OGR_URI = re.compile(r"^ogr:dbname='([^']*)'(\s+table=)(\"[^\"]*\"|[^\s\"]+)(.*)$", re.S)
TEMP_TABLE = "_dvtmp"


@dataclass
class Staged:
    name: str  # the parameter
    final: str  # the destination the user gave
    temp: str  # the destination the sink writes
    path: str  # the target file
    folder: str | None = None  # whole-file outputs: the hidden folder the sink writes into
    table: str | None = None  # a table inside an existing GeoPackage: its name, and the temporary one
    temp_table: str | None = None
    written: str | None = None  # the destination the sink gave back
    pg: pg.PgTable | None = None  # a PostGIS table: where it is

    def tables(self) -> tuple[str, str]:
        """(table, temporary table) of an output that is a table (in a GeoPackage, or PostGIS)."""
        assert self.table is not None and self.temp_table is not None, "a table output"
        return self.table, self.temp_table


def _definition_value(value, temp: str):
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        copy = QgsProcessingOutputLayerDefinition(value)
        copy.sink = QgsProperty.fromValue(temp)
        return copy
    return temp


def _file_and_table(dest: str) -> tuple[str | None, str | None, str]:
    """(file, table or None, form) of a file destination; (None, None, '') for anything else."""
    match = _OGR_URI.match(dest)
    if match:
        return match.group(1), match.group(3).strip('"'), "ogr"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9_]+:", dest) and not re.match(r"^[a-zA-Z]:[\\/]", dest):
        return None, None, ""  # memory:, postgres:, ...: not a file
    parts = dest.split("|")
    if not os.path.splitext(parts[0])[1]:
        return None, None, ""
    table = next((p.split("=", 1)[1] for p in parts[1:] if p.startswith("layername=")), None)
    return parts[0], table, "pipe"


@dataclass
class OutputStaging:
    items: dict[str, Staged] = field(default_factory=dict)
    cleaned: list[str] = field(default_factory=list)  # what killed runs left at these destinations, removed
    # swaps a killed run left half done at these destinations: (how it was set right, the destination)
    recovered: list[tuple[str, str]] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)  # file outputs whose earlier dataset is set aside

    def redirect(self, algorithm, parameters: dict, name: str, context) -> dict:
        """parameters with output `name` sent to its temporary place (unchanged where it is not staged)."""
        value = parameters.get(name)
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            use_remapping = getattr(value, "useRemapping", None)
            if use_remapping is not None and use_remapping():
                return parameters  # appending to a layer that exists: written into it, as the user asked
        final = algorithm.parameterAsOutputLayer(parameters, name, context)
        target = pg.pg_table(final)
        if target is not None:
            self._clean(lambda: _pg_leftovers(target))
            temp_table = pg.temp_name(target.table)
            staged = Staged(name, final, target.with_table(temp_table), "", table=target.table, temp_table=temp_table,
                            pg=target)  # fmt: skip
            self.items[name] = staged
            return {**parameters, name: _definition_value(value, staged.temp)}
        path, table, form = _file_and_table(final or "")
        if not path:
            return parameters
        path = os.path.abspath(path)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if table and os.path.isfile(path) and path.lower().endswith(".gpkg"):
                self._clean(lambda: _gpkg_leftovers(path, table))
                temp_table = f"{table}{TEMP_TABLE}{uuid.uuid4().hex[:8]}"
                temp = _ogr_uri(path, temp_table) if form == "pipe" else _with_table(final, form, temp_table)
                staged = Staged(name, final, temp, path, table=table, temp_table=temp_table)
            elif table and os.path.exists(path):
                return parameters  # a table inside another kind of multi-layer file: written as the sink writes it
            else:
                self._clean(lambda: self._folder_leftovers(path))
                folder = staging_folder(path)
                inside = os.path.join(folder, os.path.basename(path))
                if form == "pipe" and table:
                    temp = _ogr_uri(inside, table)
                else:
                    temp = final.replace(final.split("|")[0] if form == "pipe" else _ogr_match(final).group(1),
                                         inside, 1)  # fmt: skip
                staged = Staged(name, final, temp, path, folder=folder)
        except OSError as error:
            raise Refusal("output_unwritable", output=final, detail=os_detail(error)) from None
        self.items[name] = staged
        return {**parameters, name: _definition_value(value, staged.temp)}

    def _clean(self, remove) -> None:
        """A killed run's temporary table or folder for this same destination is removed before the new
        one is made (named in the run's log); one that cannot be removed is left, never the output."""
        try:
            self.cleaned.extend(remove())
        except (OSError, RuntimeError):
            pass

    def written(self, name: str, dest: str) -> str:
        """The sink's destination of output `name` as the user will find it once committed."""
        staged = self.items.get(name)
        if staged is None:
            return dest
        staged.written = dest
        if staged.folder:
            return dest.replace(os.path.join(staged.folder, os.path.basename(staged.path)), staged.path)
        return _rename_in(dest, staged.temp_table, staged.table)

    def digests(self) -> dict[str, str]:
        """SHA-256 of what each staged output holds: its files' bytes, or its table's rows."""
        out = {}
        for name, staged in self.items.items():
            if staged.pg is not None:
                out[name] = pg.digest(staged.pg, staged.tables()[1])
            elif staged.folder:
                out[name] = files_digest(os.path.join(staged.folder, f) for f in os.listdir(staged.folder))
            else:
                out[name] = table_digest(staged.path, staged.tables()[1])
        return out

    def prepare(self, log: str | None = None, run_id: str | None = None) -> None:
        """Each file output's earlier dataset renamed aside, before the run is logged: an output that
        cannot be replaced (no right to, a file held open) is found while nothing has changed, and every
        earlier dataset is put back. The log and run id let a run after a kill finish or undo the swap."""
        for name, staged in self.items.items():
            if not staged.folder:
                continue
            try:
                atomic.set_aside(staged.folder, log, run_id)
            except OSError as error:
                self.put_back()
                raise Refusal("output_unwritable", output=staged.final, detail=os_detail(error)) from None
            self.prepared.append(name)

    def put_back(self) -> None:
        """The earlier datasets set aside by prepare back in place (the run is not going ahead)."""
        for name in self.prepared:
            try:
                atomic.put_back(self.items[name].folder or "")
            except OSError:
                pass  # left aside with its journal: the next run to this destination puts it back
        self.prepared = []

    def commit(self, context=None) -> list[str]:
        """Swaps every staged output in; returns the parameters committed. A failure part-way raises
        OutputsPartlyCommitted naming which are in place and which are not."""
        done: list[str] = []
        for name, staged in list(self.items.items()):
            try:
                journal = busy_journal(staged.path) if staged.path else None
                if journal:
                    raise OSError(f"{journal} exists: the file is open in another program or was left mid-write")
                if staged.pg is not None:
                    pg.swap(staged.pg, staged.tables()[1])
                elif staged.folder:
                    if name not in self.prepared:
                        atomic.set_aside(staged.folder)
                    atomic.swap_in(staged.folder)
                else:
                    _swap_table(staged.path, staged.tables()[1], staged.tables()[0])
            except (OSError, RuntimeError) as error:
                self.prepared = [n for n in self.prepared if n not in done]
                self.put_back()
                raise OutputsPartlyCommitted(done, [n for n in self.items if n not in done], os_detail(error)) from None
            done.append(name)
            if context is not None:
                _reload_target(context, staged, self.written(name, staged.written or staged.temp))
        self.items, self.prepared = {}, []
        return done

    def discard(self) -> None:
        self.put_back()
        for staged in self.items.values():
            if staged.folder:
                discard_folder(staged.folder)
            elif staged.temp_table:
                try:
                    if staged.pg is not None:
                        pg.drop(staged.pg, staged.temp_table)
                    else:
                        _drop_table(staged.path, staged.temp_table)
                except (OSError, RuntimeError):
                    pass  # left as a table named *_dvtmp*: never the output itself
        self.items = {}

    def _folder_leftovers(self, path: str) -> list[str]:
        """Hidden staging folders beside `path` of its own dataset (its journal names it, or it holds
        nothing but files of its name with its extension and sidecars): a killed run's. One that never
        touched the destination is removed (returned); a half-done swap is finished when its run was
        logged, or undone (in `recovered`)."""
        folder, base = os.path.dirname(path), os.path.basename(path)
        stem = os.path.splitext(base)[0]
        found = []
        for name in os.listdir(folder):
            staged = os.path.join(folder, name)
            if not name.startswith(STAGING_PREFIX) or not os.path.isdir(staged):
                continue
            journal = atomic.read_journal(staged)
            if journal is not None:
                if base not in journal.get("new", ()):
                    continue
                how = atomic.recover(staged, _run_logged)
                self.recovered.append((how, path))
                continue
            files = os.listdir(staged)
            if all(f.startswith(stem + ".") for f in files):
                discard_folder(staged)
                if not os.path.exists(staged):
                    found.append(staged)
        return found


def _run_logged(log: str | None, run_id: str | None) -> bool:
    """Whether the log holds the run: a swap it names is finished, any other undone."""
    if not log or not run_id or not os.path.isfile(log):
        return False
    from ..core import audit

    try:
        return audit.head_after_run(log, run_id) is not None
    except Exception:  # a log that cannot be read: the earlier, logged outputs are put back
        return False


def _pg_leftovers(target) -> list[str]:
    found = pg.leftovers(target)
    for table in found:
        pg.drop(target, table)
    return [f"{target.schema}.{t}" for t in found]


def _gpkg_leftovers(path: str, table: str) -> list[str]:
    pattern = re.compile(re.escape(table) + TEMP_TABLE + "[0-9a-f]{8}", re.I)
    dataset = _gdal_dataset(path)
    try:
        found = [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]
    finally:
        dataset = None
    found = [name for name in found if pattern.fullmatch(name)]
    for name in found:
        _drop_table(path, name)
    return [f"{path}|layername={name}" for name in found]


class OutputsPartlyCommitted(Exception):
    def __init__(self, done: list[str], left: list[str], detail: Said | str) -> None:
        super().__init__(str(detail))
        self.done, self.left, self.detail = done, left, detail


def os_detail(error: BaseException) -> Said | str:
    if isinstance(error, OSError) and error.strerror:
        return os_error(error)
    return str(error)


def _ogr_match(dest: str) -> re.Match:
    match = _OGR_URI.match(dest)
    assert match is not None, "an ogr: destination (_file_and_table said so)"
    return match


def _with_table(dest: str, form: str, table: str) -> str:
    if form == "ogr":
        match = _ogr_match(dest)
        return f"ogr:dbname='{match.group(1)}'{match.group(2)}\"{table}\"{match.group(4)}"
    parts = dest.split("|")
    return "|".join([parts[0]] + [f"layername={table}" if p.startswith("layername=") else p for p in parts[1:]])


def _ogr_uri(path: str, table: str) -> str:
    """A table in a GeoPackage as QGIS's sink takes it: the sink reads `file|layername=table` as a file
    name (writing `file|layername=table.gpkg`), so a destination given in that form is handed to it as
    `ogr:dbname=...`, and the sink gives back `file|layername=table`."""
    return f"ogr:dbname='{path}' table=\"{table}\" (geom)"


def _rename_in(dest: str, temp_table: str | None, table: str | None) -> str:
    if not temp_table:
        return dest
    return dest.replace(f'"{temp_table}"', f'"{table}"').replace(f"layername={temp_table}", f"layername={table}")


def _gdal_dataset(path: str):
    from osgeo import gdal

    gdal.UseExceptions()
    return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)


def _layer_index(dataset, name: str) -> int:
    for i in range(dataset.GetLayerCount()):
        if dataset.GetLayer(i).GetName().lower() == name.lower():
            return i
    return -1


def _swap_table(path: str, temp_table: str, table: str) -> None:
    """The temporary table renamed over the old one (dropped) in one transaction: a reader sees the old
    table or the new one, never none or half of one."""
    dataset = _gdal_dataset(path)
    try:
        dataset.StartTransaction()
        try:
            old = _layer_index(dataset, table)
            if old >= 0:
                dataset.DeleteLayer(old)
            dataset.GetLayerByName(temp_table).Rename(table)
            dataset.CommitTransaction()
        except BaseException:
            dataset.RollbackTransaction()
            raise
    finally:
        dataset = None


def _drop_table(path: str, table: str) -> None:
    dataset = _gdal_dataset(path)
    index = _layer_index(dataset, table)
    if index >= 0:
        dataset.DeleteLayer(index)
    dataset = None


def _reload_target(context, staged: Staged, final: str) -> None:
    """The layer QGIS loads after the run is the committed output, not the temporary one."""
    to_load = context.layersToLoadOnCompletion()
    temp = staged.written or staged.temp
    if temp not in to_load:
        return
    details = to_load.pop(temp)
    to_load[final] = details
    context.setLayersToLoadOnCompletion(to_load)


def check_written(dest: str, expected: int, final: str) -> None:
    """What the sink wrote read back through GDAL: a file that does not hold every feature written
    (a writer's error lost when QGIS closed it) is refused before it can replace anything."""
    target = pg.pg_table(dest)
    if target is not None:
        try:
            count = pg.row_count(target, target.table)
        except RuntimeError as error:
            raise Refusal("output_failed_kept", output=final, detail=str(error)) from None
        if count != expected:
            raise Refusal("output_short", output=final, written=count, expected=expected)
        return
    path, table, _form = _file_and_table(dest)
    if not path:
        return
    from osgeo import gdal

    gdal.UseExceptions()
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
        layer = dataset.GetLayerByName(table) if table else dataset.GetLayer(0)
        count = layer.GetFeatureCount(1) if layer is not None else -1
    except RuntimeError as error:
        raise Refusal("output_failed_kept", output=final, detail=str(error)) from None
    finally:
        dataset = None
    if count != expected:
        raise Refusal("output_short", output=final, written=count, expected=expected)
