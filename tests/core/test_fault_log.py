"""The audit log under a kill: a process killed (SIGKILL) while it creates a new log, its journal on
disk, leaves a log the next run appends to, not one it refuses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from demolition_verifier.core import audit

DRIVER = """
import sys
sys.path[:0] = sys.argv[2:]
from demolition_verifier.core import audit
entries = [audit.NewEntry("decision", {"n": i, "pad": "x" * 400}, "R1", f"H{i}", "pass") for i in range(400_000)]
audit.append(sys.argv[1], entries)
"""


def test_a_kill_while_a_new_log_is_created_leaves_a_log_the_next_run_appends_to(tmp_path):
    log = tmp_path / "audit.gpkg"
    journal = Path(str(log) + "-journal")
    paths = [p for p in sys.path if p]
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(log), *paths], start_new_session=True)
    caught = False
    while process.poll() is None:
        if journal.exists() and journal.stat().st_size > 0 and log.exists() and log.stat().st_size > 0:
            os.killpg(process.pid, signal.SIGKILL)
            caught = True
            break
        time.sleep(0.001)
    process.wait()
    assert caught, "the driver finished before it was caught with its journal on disk"
    assert journal.exists()  # a hot journal, as the kill left it

    audit.check_target(log)  # the next run's check before it starts: not refused
    appended = audit.append(log, [audit.NewEntry("run", {"kind": "verify"}, "R2")])
    assert appended.first == 1 and audit.verify_chain(log).valid
    assert [e.run_id for e in audit.entries(log)] == ["R2"]
