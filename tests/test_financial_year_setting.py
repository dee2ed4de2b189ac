"""The month the financial year starts: set by whoever may change the organisation's settings,
refused with one sentence when it is not a month."""

import pytest

from peerdesk.errors import ValidationError
from peerdesk.models import Organisation, UserRole
from peerdesk.services.auth import SignedIn
from peerdesk.services.organisation import organisation_settings, set_financial_year_start
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.setup import ensure_account
from tests.conftest import TEST_SECRET


def test_a_coordinator_sets_it_and_a_trustee_may_not(coordinator: SignedIn) -> None:
    store = coordinator.store
    with store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
    with store.session(coordinator.actor) as s:
        set_financial_year_start(s, coordinator.actor, 1)
    with store.read() as s:
        assert organisation_settings(s).financial_year_start_month == 1
    trustee = ensure_account(store, "tess", "Tess", UserRole.TRUSTEE, TEST_SECRET)
    with pytest.raises(PermissionDenied), store.session(trustee) as s:
        set_financial_year_start(s, trustee, 7)
    with store.read() as s:
        assert organisation_settings(s).financial_year_start_month == 1


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_that_does_not_exist_is_refused(coordinator: SignedIn, month: int) -> None:
    store = coordinator.store
    with store.session(coordinator.actor) as s:
        s.add(Organisation(name="Riverside"))
    refused = pytest.raises(ValidationError, match="from 1 \\(January\\) to 12")
    with refused, store.session(coordinator.actor) as s:
        set_financial_year_start(s, coordinator.actor, month)
    with store.read() as s:
        assert organisation_settings(s).financial_year_start_month == 4
