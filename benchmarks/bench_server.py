"""The list and report benchmarks on a PostgreSQL server beside the encrypted file, with the ratio.

The large demo (ten years) is copied row for row from its data file into a fresh database on the
server named by PEERDESK_BENCH_DATABASE_URL (a role that may create databases, e.g.
postgresql://postgres@127.0.0.1:5432/postgres), its keys with it, so both engines hold the same
group and the same people sign in. Then the same measures run on each: the volunteer list and
the whole-history shift list opened (bench_lists), and the board report exported
(bench_report). Goal: the server within 2x the file on a server on the same computer. Without
the variable the benchmark says so and passes.

Run: PEERDESK_BENCH_DATABASE_URL=postgresql://... python benchmarks/bench_server.py
"""

import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_lists import open_list
from bench_report import last_financial_year
from common import SIGN_IN, large_demo, median_ms
from sqlalchemy import Engine, create_engine, insert, make_url, select, text

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.db.server_store import prepare_server
from peerdesk.db.server_url import check_server_url
from peerdesk.models import Base, server_keys
from peerdesk.reports.export import export_governance
from peerdesk.services.auth import SignedIn, sign_in, sign_in_to_server, sign_out
from peerdesk.ui import areas
from peerdesk.ui.rota.list_view import rota_sources

URL_VARIABLE = "PEERDESK_BENCH_DATABASE_URL"
GOAL_RATIO = 2.0
BATCH = 5000


def copy_group(person: SignedIn, folder: DataFolder, target: Engine) -> None:
    """Every table of the signed-in file store into `target` (migrated, empty), and its keys."""
    prepare_server(target, target.url)
    with person.store.read() as s, target.begin() as conn:
        # The rows already hold together in the file: foreign keys are not checked again here
        # (in replica mode, as a restore would load them), nor do the audit triggers run.
        conn.execute(text("SET session_replication_role = replica"))
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


def measures(person: SignedIn) -> dict[str, float]:
    _upcoming, shifts = rota_sources()
    out = Path(tempfile.mkdtemp(prefix="peerdesk-bench-")) / "report.pdf"
    period = last_financial_year(clock.today())
    export_governance(person, period, out)  # warm: imports, caches
    return {
        "volunteer list": median_ms(lambda: open_list(person, areas.VOLUNTEERS), repeats=5),
        "shift list (whole history)": median_ms(lambda: open_list(person, shifts), repeats=5),
        "board report": median_ms(lambda: export_governance(person, period, out), repeats=3),
    }


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
            file_ms = measures(on_file)
        finally:
            sign_out(on_file)
        on_server = sign_in_to_server(url, DataFolder(folder.root), *SIGN_IN)
        try:
            server_ms = measures(on_server)
        finally:
            sign_out(on_server)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    worst = 0.0
    for label, ms in file_ms.items():
        ratio = server_ms[label] / ms
        worst = max(worst, ratio)
        print(f"{label}: file {ms:.1f} ms, PostgreSQL {server_ms[label]:.1f} ms, {ratio:.2f}x")
    print(f"goal: PostgreSQL within {GOAL_RATIO:.0f}x the file (worst here {worst:.2f}x)")
    return 0 if worst <= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
