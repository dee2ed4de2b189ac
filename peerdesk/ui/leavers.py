""" "Remove personal details of past volunteers…": anonymise everyone who left longer ago than
the group keeps records, after saying plainly what that does and asking first."""

from typing import TYPE_CHECKING

from peerdesk import clock
from peerdesk.services import accounts
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Permission, can
from peerdesk.services.volunteers import anonymise_leavers
from peerdesk.ui import messages
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change

if TYPE_CHECKING:
    from peerdesk.ui.store_control import StoreControl


def remove_past_volunteers(control: "StoreControl") -> None:
    signed = control.signed_in
    if signed is None or not can(signed.actor, Permission.EDIT_VOLUNTEERS):
        return
    with signed.store.read() as session:
        months = organisation_settings(session).retention_months
    explained = (
        f"Your group keeps a past volunteer's details for {months} months after they leave. "
        "For everyone who left longer ago than that, peerdesk removes their name, contact "
        "details and notes, here and in the audit trail, and keeps only the counts (shifts, "
        "training, how many people volunteered). This cannot be undone."
    )
    if not messages.confirm(control.window, explained, "Remove details"):
        return
    # Names go from every list that shows them, and from the accounts of people who left.
    changed = (Change.PEOPLE, Change.ROTA, Change.SESSIONS, Change.SUPERVISION, Change.ACCOUNTS)
    with Action(parent=control.window, changes=changed) as action:
        with signed.store.session(signed.actor) as session:
            removed = anonymise_leavers(session, signed.actor, clock.today())
        accounts.remove_closed_slots(signed.store, signed.actor)
    if action.failed:
        return
    if removed == 0:
        messages.inform(control.window, "Nobody left longer ago than that, so nothing changed.")
    else:
        plural = "" if removed == 1 else "s"
        done = f"Personal details were removed for {removed} past volunteer{plural}."
        messages.inform(control.window, done)
