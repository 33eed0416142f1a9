"""The activity log shows each reader only the exchange's entries about what they may see."""

from __future__ import annotations

import pytest

from minga.common.audit import visible_entries
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.exchange import services
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts


@pytest.mark.django_db
def test_coordinators_read_their_units_entries_and_no_other_networks() -> None:
    """The unit's coordinator reads the unit's and its accounts' entries; the coordinator of
    another network reads only the unit's (units of a public network are public), none about
    the accounts; a member of an organization reads its own account's."""
    unit, (account, _other) = unit_with_accounts(2)
    services.account_set_frozen(actor=SYSTEM, account=account, frozen=True, reason="revisión")
    ours = factories.person("nuestra")
    factories.role(ours, unit.network, "coordinator")
    theirs = factories.person("ajena")
    factories.role(theirs, factories.organization(kind="network", name="Otra red"), "coordinator")
    member = factories.person("miembro")
    factories.role(member, account.organization, "member")
    about_exchange = AuditEntry.objects.filter(action__startswith="exchange.")
    everything = set(about_exchange.values_list("pk", flat=True))
    assert len(everything) == 4  # the unit, two accounts opened, one frozen

    def read(user: object) -> set[int]:
        return set(visible_entries(user).filter(pk__in=everything).values_list("pk", flat=True))

    assert read(ours) == everything
    about_unit = set(
        about_exchange.filter(action="exchange.unit.create").values_list("pk", flat=True)
    )
    about_account = set(
        about_exchange.filter(
            action__startswith="exchange.account.", object_id=str(account.pk)
        ).values_list("pk", flat=True)
    )
    assert read(theirs) == about_unit
    assert read(member) == about_unit | about_account
    assert len(about_account) == 2
