"""The log's three checks of an export at once, where the log holds one run's decisions alone and the
output is that run's rows in the order of its decisions (a verify run and its export, nothing marked
or decided since): the same answers as check_output, standing_states and later_decisions give, by
whole columns instead of a dictionary per check and a pass per row.

Where it applies (one_run_check says None elsewhere, and the checks run one by one as before):
  - every row is of one run R, whose own block (own_blocks: its first RUN entry and the decisions
    appended with it) lies inside the log;
  - the log's decisions and marks are exactly that block, each a decision of R;
  - the block's patch ids are texts, none empty, none twice, and the rows are the block's decisions
    one for one: row i holds decision i's patch id and status, its township and reasons as
    check_output keys them.
Then each row's only candidate in check_output is the decision at its place (no other row shares
its key), so it matches exactly when its figures and evidence hashes do, and a decision left
unmatched has its patch among the rows (its own row): none is dropped. standing_states finds each
row's decision in its run, with its status, and R the patch's latest run, with no mark: every row
stands, none marked, none differs or is unlogged or superseded. later_decisions finds each patch's
last decision inside R's block: nothing later. tests/core/test_audit_one_run.py holds them to the
three checks on logs built at random."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter, lt, ne, sub

from ..definitions import AuditEntry
from .evidence import EVIDENCE_KEYS
from .log import FIGURES
from .output_check import _LIMITS, OutputCheck, _same_figures, own_blocks
from .reading import DATA, ENTRY, HASH, PATCH_ID, RUN_ID, STATUS, LogRead, parse_data

_NUMBERS = frozenset((float, int))  # the kinds _same_figures compares as numbers alone (bool is neither)
_HASHES = frozenset((str, type(None)))  # what an evidence hash may be here (a missing key is then told apart)
_DECISION, _MARK = AuditEntry.DECISION.value, AuditEntry.MARK.value


@dataclass
class RowColumns:
    """The rows an export checks, a field at a time: what check_output takes as rows of (patch_id,
    run_id, township, status, reasons, figures, evidence), each a list over the rows."""

    patch_id: Sequence
    run_id: Sequence
    township: Sequence
    status: Sequence
    reasons: Sequence
    figures: Sequence[Sequence]  # one list per name of FIGURES
    evidence: Sequence  # a dict of recomputed hashes per row, or None


def one_run_check(read: LogRead, rows: RowColumns) -> OutputCheck | None:
    """check_output(read.path, rows, complete, read=read), where the checks' answers are one run's as
    above (standing_states and later_decisions then find nothing); None where they are not."""
    n = len(rows.patch_id)
    if not (n and read.whole and read.check.valid):
        return None
    runs = set(rows.run_id)
    if len(runs) != 1:
        return None
    (run_id,) = runs
    if not run_id:
        return None
    log = read.rows
    block = own_blocks(log, [run_id]).get(run_id)
    if block is None:
        return None
    first, last, _run_row = block
    if not (0 < last <= len(log) and last - first == n):
        return None
    decisions = log[first:last]
    kinds = Counter(map(itemgetter(ENTRY), log))
    if kinds[_DECISION] + kinds[_MARK] != n or set(map(itemgetter(ENTRY), decisions)) != {_DECISION}:
        return None
    if set(map(itemgetter(RUN_ID), decisions)) != {run_id}:
        return None
    patch_ids = list(map(itemgetter(PATCH_ID), decisions))
    if set(map(type, patch_ids)) != {str} or not all(patch_ids) or len(set(patch_ids)) != n:
        return None
    if list(rows.patch_id) != patch_ids or list(rows.status) != list(map(itemgetter(STATUS), decisions)):
        return None
    datas = list(map(parse_data, map(itemgetter(DATA), decisions)))  # as check_output parses them, in order
    if [t or None for t in rows.township] != [d.get("township") or None for d in datas]:
        return None
    if [r or "" for r in rows.reasons] != [d.get("reasons") or "" for d in datas]:
        return None
    changed, unhashed = _compare(datas, rows, n)
    out = OutputCheck(log[last - 1][HASH], [], [], [])
    out.changed = [p for p, bad in zip(patch_ids, changed) if bad]
    out.unhashed = [p for p, bad, odd in zip(patch_ids, changed, unhashed) if odd and not bad]
    return out


def _compare(datas: list, rows: RowColumns, n: int) -> tuple[list, list]:
    """Per row: whether it is not its decision (figures or evidence apart), and whether its evidence
    holds a hash the decision lacks (or one that is not a decision's), as check_output tells them."""
    try:
        logged = list(zip(*map(itemgetter(*FIGURES), datas)))
    except KeyError:  # a decision without some figure: data.get's None stands for it
        logged = [tuple(map(dict.get, datas, repeat(name))) for name in FIGURES]
    written = [list(column) for column in rows.figures]
    differ = _figures_apart(logged, written, n)
    if differ is None:
        per_row = list(zip(*written)) if written else [()] * n
        differ = [not _same_figures(list(map(d.get, FIGURES)), w) for d, w in zip(datas, per_row)]
    evidence = [e or {} for e in rows.evidence]
    held = set(map(tuple, evidence))
    if len(held) == 1 and all(set(map(type, (e[k] for e in evidence))) <= _HASHES for k in next(iter(held))):
        (names,) = held  # the same hashes recomputed for every row (or none)
        unhashed: list = [False] * n
        for name in names:
            given = [e[name] for e in evidence]
            if name not in EVIDENCE_KEYS:
                unhashed = [True] * n
                continue
            # a key the decision lacks is not compared: its own value stands in for it
            stored = list(map(dict.get, datas, repeat(name), given))
            if stored != given:
                differ = list(map(max, differ, map(ne, stored, given)))
            if not all(map(dict.__contains__, datas, repeat(name))):
                unhashed = list(map(max, unhashed, map(ne, map(dict.__contains__, datas, repeat(name)), repeat(True))))
    else:
        differ = [
            f or any(k in EVIDENCE_KEYS and k in d and d[k] != v for k, v in e.items())
            for f, d, e in zip(differ, datas, evidence)
        ]
        unhashed = [any(k not in EVIDENCE_KEYS or k not in d for k in e) for d, e in zip(datas, evidence)]
    return differ, unhashed


def _figures_apart(logged: list, written: list, n: int) -> list | None:
    """Per row, whether a figure is further from the logged one than its tolerance, as _same_figures
    tells it for numbers (floats, or ints taken as doubles first); None where a figure is of another
    kind (None, bool, text ...) or the rows hold other than one value per figure."""
    if len(written) != len(FIGURES) or any(len(column) != n for column in written):
        return None
    columns = []
    for a, b in zip(logged, written):
        kinds = set(map(type, chain(a, b)))
        if not kinds <= _NUMBERS:
            return None
        if kinds != {float}:
            try:
                a, b = list(map(float, a)), list(map(float, b))
            except OverflowError:  # an int no double holds: _same_figures meets it one row at a time
                return None
        if math.isnan(sum(a) + sum(b)):  # a NaN (or infinities of both signs): _same_figures row by row
            return None
        columns.append((a, b))
    if not any(any(map(lt, repeat(limit), map(abs, map(sub, a, b)))) for limit, (a, b) in zip(_LIMITS, columns)):
        return [False] * n  # the common case: every row's figures are its decision's
    apart = [False] * n
    for limit, (a, b) in zip(_LIMITS, columns):
        apart = list(map(max, apart, map(lt, repeat(limit), map(abs, map(sub, a, b)))))
    return apart
