"""The list and report benchmarks on a PostgreSQL server beside the encrypted file, with the ratio.

The large demo (ten years) is copied row for row from its data file into a fresh database on the
server named by PEERDESK_BENCH_DATABASE_URL (a role that may create databases, e.g.
postgresql://postgres@127.0.0.1:5432/postgres), its keys with it, so both engines hold the same
group and the same people sign in. Then the same measures run on each, one engine then the
other, run after run: every list the window opens (as bench_lists opens them) and the board
report exported (bench_report); a table prints each one's ratio. Goal: the server within 2x the
file on a server on the same computer. Without the variable the benchmark says so and passes.

Run: PEERDESK_BENCH_DATABASE_URL=postgresql://... python benchmarks/bench_server.py
"""

import json
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_lists import open_list
from bench_report import last_financial_year
from common import SIGN_IN, large_demo, median_ms
from sqlalchemy import Engine, create_engine, delete, insert, make_url, select, text

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import prepare_server
from peerdesk.db.server_url import check_server_url
from peerdesk.models import Base, server_keys
from peerdesk.reports.export import export_governance
from peerdesk.services.auth import SignedIn, sign_in, sign_in_to_server, sign_out
from peerdesk.ui import areas
from peerdesk.ui.paged_model import ListSource
from peerdesk.ui.rota.list_view import rota_sources

URL_VARIABLE = "PEERDESK_BENCH_DATABASE_URL"
GOAL_RATIO = 2.0
BATCH = 5000
LIST_REPEATS = 7


def copy_group(person: SignedIn, folder: DataFolder, target: Engine) -> None:
    """Every table of the signed-in file store into `target` (migrated, empty), and its keys."""
    prepare_server(target, target.url)
    with person.store.read() as s, target.begin() as conn:
        # The rows already hold together in the file: foreign keys are not checked again here
        # (in replica mode, as a restore would load them), nor do the audit triggers run.
        conn.execute(text("SET session_replication_role = replica"))
        # The migrations seed some rows (the built-in measures): the file's own copies replace them.
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            if table is server_keys:
                continue
            rows = s.execute(select(table)).mappings()
            while chunk := [dict(r) for r in rows.fetchmany(BATCH)]:
                conn.execute(insert(table), chunk)
        # The trail's numbers were copied as they were: its sequence carries on after them.
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), "
                "(SELECT max(seq) FROM audit_events))"
            )
        )
        keys = json.loads(folder.keys_file.read_text(encoding="utf-8"))
        conn.execute(insert(server_keys).values(id=1, document=json.dumps(keys)))
    # A server in use has its statistics from autovacuum; a database loaded a moment ago has
    # none until ANALYZE (pg_restore's documentation says the same), and plans without them.
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def cases() -> list[tuple[str, Callable[[SignedIn], object], int]]:
    """What is measured on each engine: every list the window opens (as bench_lists opens them),
    and the board report; (label, run, repeats)."""
    upcoming, shifts = rota_sources()
    out = Path(tempfile.mkdtemp(prefix="peerdesk-bench-")) / "report.pdf"
    period = last_financial_year(clock.today())
    lists: list[tuple[str, ListSource, dict[str, object]]] = [
        ("volunteer list", areas.VOLUNTEERS, {}),
        ("volunteer list filtered 'pri'", areas.VOLUNTEERS, {"text": "pri"}),
        ("shift list (whole history)", shifts, {}),
        ("shift list (from today)", upcoming, {}),
        ("shift list by venue", shifts, {"sort": 3}),
        ("shift list filtered 'library'", shifts, {"text": "library"}),
        ("session logs", areas.SESSION_LOGS, {}),
        ("session logs by volunteer", areas.SESSION_LOGS, {"sort": 3}),
        ("supervision", areas.SUPERVISION, {}),
        ("courses", areas.COURSES, {}),
    ]
    made: list[tuple[str, Callable[[SignedIn], object], int]] = [
        (label, partial(open_list, source=source, **options), LIST_REPEATS)  # type: ignore[arg-type]
        for label, source, options in lists
    ]
    made.append(("board report", lambda person: export_governance(person, period, out), 3))
    return made


def measure_both(on_file: SignedIn, on_server: SignedIn) -> list[tuple[str, float, float]]:
    """Each case on the file and on the server in turn, a run of one then a run of the other,
    so the load on a shared machine weighs on both alike; medians in milliseconds."""
    results = []
    for label, run, repeats in cases():
        run(on_file), run(on_server)  # warm: imports, caches, prepared statements
        times: dict[int, list[float]] = {0: [], 1: []}
        for _ in range(repeats):
            for side, person in enumerate((on_file, on_server)):
                times[side].append(median_ms(partial(run, person), repeats=1))
        results.append((label, statistics.median(times[0]), statistics.median(times[1])))
    return results


def main() -> int:
    given = os.environ.get(URL_VARIABLE, "").strip()
    if not given:
        print(f"skipped: set {URL_VARIABLE} to a PostgreSQL server to compare the engines")
        return 0
    admin_url = make_url(given).set(drivername="postgresql+psycopg")
    name = f"peerdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        folder = large_demo()
        url = check_server_url(admin_url.set(database=name).render_as_string(False))
        on_file = sign_in(folder, *SIGN_IN)
        try:
            target = create_engine(url)
            copy_group(on_file, folder, target)
            target.dispose()
            on_server = sign_in_to_server(url, DataFolder(folder.root), *SIGN_IN)
            try:
                results = measure_both(on_file, on_server)
            finally:
                sign_out(on_server)
        finally:
            sign_out(on_file)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    worst = 0.0
    print(f"{'':32} {'file ms':>9} {'server ms':>10} {'ratio':>6}")
    for label, file_ms, server_ms in results:
        ratio = server_ms / file_ms
        worst = max(worst, ratio)
        print(f"{label:32} {file_ms:9.1f} {server_ms:10.1f} {ratio:5.2f}x")
    print(f"goal: PostgreSQL within {GOAL_RATIO:.0f}x the file (worst here {worst:.2f}x)")
    return 0 if worst <= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
