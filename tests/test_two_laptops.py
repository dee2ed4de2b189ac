"""Two laptops on one group's PostgreSQL database at once: this test's process is one laptop,
a second Python process (signed in on its own, with its own engine) is the other. What one
saves the other sees after a refresh, and an edit made on a copy the other laptop has changed
since is refused in one sentence, with nothing of it saved."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import URL, func, make_url, select

from peerdesk.db import audit, keyslots
from peerdesk.db.paths import DataFolder
from peerdesk.errors import ValidationError
from peerdesk.models import Venue
from peerdesk.services.auth import SignedIn, sign_in_to_server, sign_out
from peerdesk.services.volunteers import (
    VolunteerInput,
    create_volunteer,
    update_volunteer,
    volunteer_record,
)
from tests.conftest import CHEAP_KDF, TEST_SECRET, TEST_USER
from tests.test_server_store import group, needs_server, server_url

__all__ = ["group", "server_url"]
pytestmark = needs_server


def other_laptop(url_text: str, folder_root: str, volunteer: str) -> str:
    """The second laptop: sign in, change the volunteer's pronouns on a fresh copy, add a
    venue, sign out. Returns the pronouns it saved."""
    import uuid

    keyslots.KdfParams.current = classmethod(lambda cls: CHEAP_KDF)  # type: ignore[assignment,method-assign]
    person = sign_in_to_server(
        make_url(url_text), DataFolder(Path(folder_root)), TEST_USER, TEST_SECRET
    )
    try:
        volunteer_id = uuid.UUID(volunteer)
        with person.store.read() as s:
            record = volunteer_record(s, person.actor, volunteer_id)
        edit = VolunteerInput(preferred_name=record.preferred_name, pronouns="they/them")
        with person.store.session(person.actor) as s:
            update_volunteer(s, person.actor, volunteer_id, edit, record.updated_at)
            s.add(Venue(name="Saved on the other laptop"))
        return "they/them"
    finally:
        sign_out(person)


def test_two_laptops_see_each_others_saves_and_a_stale_edit_is_refused(
    group: SignedIn, server_url: URL
) -> None:
    store, actor = group.store, group.actor
    with store.session(actor) as s:
        ada = create_volunteer(s, actor, VolunteerInput(preferred_name="Ada", pronouns="she/her"))
    with store.read() as s:
        opened = volunteer_record(s, actor, ada.id)  # this laptop opens Ada's record

    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        url_text = server_url.render_as_string(hide_password=False)
        saved = pool.submit(other_laptop, url_text, str(store.folder.root), str(ada.id))
        assert saved.result(timeout=300) == "they/them"

    with store.read() as s:  # a refresh on this laptop
        assert volunteer_record(s, actor, ada.id).pronouns == "they/them"
        assert s.scalar(select(func.count()).where(Venue.name == "Saved on the other laptop"))
    stale = VolunteerInput(preferred_name="Ada", pronouns="she/they")
    refused = pytest.raises(ValidationError, match=r"^Someone else changed this record")
    with refused, store.session(actor) as s:
        update_volunteer(s, actor, ada.id, stale, opened.updated_at)
    with store.read() as s:
        assert volunteer_record(s, actor, ada.id).pronouns == "they/them"
        assert audit.verify_chain(s) == []
