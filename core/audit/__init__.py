"""The tamper-evident audit log: an append-only hash chain in a GeoPackage (plain SQLite).

Every entry (a verify run, a patch's decision in it, a spot-check draw, an auditor's mark) is one
row of the table `audit_log`; its hash covers its sequence number, its columns exactly as stored and
the previous entry's hash, so an edited, deleted or re-ordered row breaks the chain. A deleted tail
or a rewritten chain is caught against a head hash kept on paper (`verify_chain(expected_head=...)`).

chain.py is the hashing, log.py the table (create, append, read, check), disputes.py the auditors'
marks and each patch's final status, output_check.py whether an output still says what its run
decided, latest.py whether its rows are still their patches' latest decisions, reading.py the log
read once (the chain checked and the rows kept). Pure Python (sqlite3, hashlib, json): the algorithms,
the dock and a server share it; this module is the one door the rest of the plugin uses.
"""

from .chain import (
    GENESIS,
    canonical,
    canonical_plain,
    entry_hash,
    normalise_head,
    plain,
)
from .disputes import (
    STATUS_PRECEDENCE,
    PatchState,
    RunStanding,
    StandingStates,
    final_statuses,
    history,
    mark_patch,
    patch_state,
    standing_states,
    states_of,
)
from .evidence import EMPTY_GROUP, EVIDENCE_KEYS, evidence_of, geometry_hashes, grouped_hashes
from .heads import (
    HeadsCheck,
    SentHead,
    check_heads,
    parse_heads,
)
from .latest import LaterRun, Latest, later_decisions
from .log import (
    BUSY_TIMEOUT_S,
    COLUMNS,
    FIGURES,
    GPKG_APPLICATION_ID,
    GPKG_USER_VERSION,
    Appended,
    ChainCheck,
    Entry,
    NewEntry,
    append,
    append_run,
    append_sample,
    chain_hashes,
    check_target,
    decision_rows,
    decisions_from_result,
    entries,
    head_after_run,
    head_after_runs,
    now_text,
    plugin_version,
    verify_chain,
    who,
)
from .one_run import RowColumns, one_run_check
from .output_check import (
    AREA_TOLERANCE_M2,
    FIGURE_TOLERANCE,
    OutputCheck,
    _same_figures,
    check_output,
)
from .reading import LogRead, entry_of, read_log

__all__ = [
    "LaterRun",
    "Latest",
    "later_decisions",
    "HeadsCheck",
    "SentHead",
    "chain_hashes",
    "check_heads",
    "parse_heads",
    "EMPTY_GROUP",
    "EVIDENCE_KEYS",
    "evidence_of",
    "geometry_hashes",
    "grouped_hashes",
    "AREA_TOLERANCE_M2",
    "Appended",
    "BUSY_TIMEOUT_S",
    "COLUMNS",
    "ChainCheck",
    "Entry",
    "FIGURES",
    "FIGURE_TOLERANCE",
    "GENESIS",
    "GPKG_APPLICATION_ID",
    "GPKG_USER_VERSION",
    "NewEntry",
    "OutputCheck",
    "PatchState",
    "RunStanding",
    "StandingStates",
    "LogRead",
    "RowColumns",
    "one_run_check",
    "read_log",
    "entry_of",
    "STATUS_PRECEDENCE",
    "_same_figures",
    "append",
    "append_run",
    "append_sample",
    "canonical",
    "canonical_plain",
    "check_output",
    "check_target",
    "decision_rows",
    "decisions_from_result",
    "entries",
    "entry_hash",
    "final_statuses",
    "head_after_run",
    "head_after_runs",
    "history",
    "mark_patch",
    "normalise_head",
    "now_text",
    "patch_state",
    "plain",
    "plugin_version",
    "standing_states",
    "states_of",
    "verify_chain",
    "who",
]
