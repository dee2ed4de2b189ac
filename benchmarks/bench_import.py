"""Importing 1,000 generated volunteers (names, email, phone, two roles, British dates, a DBS
date and a safeguarding date) from CSV into a fresh store. Target: at most 2 s.

Run: python benchmarks/bench_import.py
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import missed_widely, new_folder

from peerdesk.models import Course, Role
from peerdesk.services.importing import import_volunteers
from peerdesk.services.setup import start_organisation

TARGET_S = 2.0
ROWS = 1000


def generated_csv(path: Path) -> None:
    lines = ["First name,Last name,Email,Phone,Roles,Start date,DBS date,Safeguarding training"]
    for n in range(ROWS):
        lines.append(
            f"Person{n},Surname{n % 97},person{n}@example.org,07700 9{n:05d},"
            f'"Peer supporter; Group facilitator",{1 + n % 28}/{1 + n % 12}/2023,'
            f"{1 + n % 28} Mar 2023,2024-01-{1 + n % 28:02d}"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def main() -> int:
    made = start_organisation(new_folder(), "Bench Group", "coordinator", "Bench", "bench pass 123")
    person = made.signed_in
    with person.store.session(person.actor) as s:
        s.add_all([Role(name="Peer supporter"), Role(name="Group facilitator")])
        s.add(Course(name="Safeguarding adults", validity_months=36))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "volunteers.csv"
        generated_csv(source)
        started = time.perf_counter()
        result = import_volunteers(person, source)
        took = time.perf_counter() - started
    person.store.close(backup=False)
    print(f"import of {result.added} volunteers from CSV: {took:.2f} s (target {TARGET_S} s)")
    return 0 if result.added == ROWS and not missed_widely(took, TARGET_S) else 1


if __name__ == "__main__":
    sys.exit(main())
