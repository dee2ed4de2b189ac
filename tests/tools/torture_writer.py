"""A writer for the kill -9 torture: commits rows through the store as fast as it can and
prints each committed id, so the parent knows what must survive being killed at any moment.

Run as: python torture_writer.py DATA_DIR MASTER_KEY_HEX (the parent made the vault; the key is
passed so each run skips Argon2).
"""

import sys
from datetime import date
from pathlib import Path

from peerdesk.db.keyslots import KeyFile
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import Volunteer, VolunteerStatus, VolunteerStatusChange


def main() -> None:
    folder = DataFolder(Path(sys.argv[1]))
    keyfile = KeyFile.load(folder.keys_file)
    master = bytes.fromhex(sys.argv[2])
    store = Store.open(Vault(folder, keyfile, master, keyfile.data_key(master)))
    n = 0
    while True:
        with store.session() as s:
            person = Volunteer(
                preferred_name=f"Writer {n}", status=VolunteerStatus.ACTIVE, notes="x" * (n % 2000)
            )
            s.add(person)
            s.flush()
            s.add(
                VolunteerStatusChange(
                    volunteer_id=person.id,
                    status=VolunteerStatus.ACTIVE,
                    changed_on=date(2026, 1, 1),
                )
            )
        sys.stdout.write(f"{person.id.hex}\n")
        sys.stdout.flush()
        n += 1


if __name__ == "__main__":
    main()
