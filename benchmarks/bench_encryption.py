"""What encryption costs the list queries: the first page and the count of the volunteer list,
the rota and the session logs on the large demo data, encrypted (SQLCipher) against a plaintext
copy of the same file, in the same process. Target: encrypted / plaintext at most 1.10.

Run: python benchmarks/bench_encryption.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SIGN_IN, large_demo, median_ms, overhead_missed_widely
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from peerdesk.db import cipher
from peerdesk.services import browse
from peerdesk.services.auth import sign_in, sign_out
from peerdesk.services.permissions import Actor

TARGET = 1.10
REPEATS = 15


def queries(session: Session, actor: Actor) -> None:
    browse.volunteers_page(session, actor)
    browse.count_volunteers(session, actor)
    browse.shifts_page(session, actor)
    browse.count_shifts(session, actor)
    browse.session_logs_page(session, actor)
    browse.count_session_logs(session, actor)


def plaintext_copy(db: Path, key: bytes, dest: Path) -> None:
    conn = cipher.connect(db, key)
    conn.execute(f"ATTACH DATABASE '{dest}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()


def main() -> int:
    folder = large_demo()
    person = sign_in(folder, *SIGN_IN)
    plain_file = folder.root.parent / "plaintext-copy.sqlite3"
    plaintext_copy(folder.db_file, person.store.vault.key, plain_file)
    plain = create_engine(f"sqlite:///{plain_file}")
    with person.store.read() as enc, Session(plain) as pla:
        queries(enc, person.actor)  # warm both caches the same way
        queries(pla, person.actor)
        encrypted_ms, plain_ms = [], []
        for _ in range(3):  # interleaved rounds, so machine noise hits both alike
            encrypted_ms.append(median_ms(lambda: queries(enc, person.actor), REPEATS))
            plain_ms.append(median_ms(lambda: queries(pla, person.actor), REPEATS))
    plain.dispose()
    sign_out(person)
    ratio = min(encrypted_ms) / min(plain_ms)
    print(
        f"list queries (3 pages + 3 counts): encrypted {min(encrypted_ms):.1f} ms, "
        f"plaintext {min(plain_ms):.1f} ms, ratio {ratio:.2f} (target <= {TARGET})"
    )
    return 1 if overhead_missed_widely(ratio, TARGET) else 0


if __name__ == "__main__":
    sys.exit(main())
