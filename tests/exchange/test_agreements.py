"""Trade agreements: proposed, accepted by all, delivered and settled through the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from minga.common.errors import DomainError
from minga.exchange import services
from minga.exchange.models import Account, AgreementStatus, Obligation, Transfer
from minga.exchange.services import LineInput
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts


@pytest.fixture
def trade(db: None) -> dict[str, Any]:
    unit, (seller_account, buyer_account, _third) = unit_with_accounts(3)
    seller, buyer = seller_account.organization, buyer_account.organization
    people = {}
    for name, organization in (("vende", seller), ("compra", buyer)):
        people[name] = factories.person(name)
        factories.role(people[name], organization, "spokesperson")
    return {
        "unit": unit,
        "seller": seller,
        "buyer": buyer,
        **people,
        "accounts": (seller_account, buyer_account),
    }


def _propose(trade: dict[str, Any], payment: str = "ledger", amount: int = 4_000) -> Any:
    return services.agreement_propose(
        actor=trade["vende"],
        proposer=trade["seller"],
        title="Café por semillas",
        lines=[
            LineInput(
                supplier=trade["seller"],
                receiver=trade["buyer"],
                description="20 kg de café",
                amount=amount,
            )
        ],
        payment=payment,
        unit=trade["unit"],
    )


def _balances(trade: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int]]:
    seller, buyer = (Account.objects.get(pk=a.pk) for a in trade["accounts"])
    return (seller.balance, seller.pending_credits), (buyer.balance, buyer.pending_debits)


def test_ledger_agreement_reserves_at_acceptance_and_pays_at_delivery(
    trade: dict[str, Any],
) -> None:
    """Accepted: the price is reserved. Delivered: it is paid, and the agreement is settled."""
    agreement = _propose(trade)
    assert agreement.status == AgreementStatus.PROPOSED
    assert _balances(trade) == ((0, 0), (0, 0))
    services.agreement_accept(
        actor=trade["compra"], agreement=agreement, organization=trade["buyer"]
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED
    assert _balances(trade) == ((0, 4_000), (0, 4_000))
    services.agreement_confirm_delivery(
        actor=trade["compra"], agreement=agreement, receiver=trade["buyer"]
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SETTLED
    assert _balances(trade) == ((4_000, 0), (-4_000, 0))
    # Confirming again pays nothing more.
    with pytest.raises(DomainError):
        services.agreement_confirm_delivery(
            actor=trade["compra"], agreement=agreement, receiver=trade["buyer"]
        )
    assert Transfer.objects.filter(kind="post_pending").count() == 1


def test_acceptance_beyond_the_buyers_limit_is_refused_whole(trade: dict[str, Any]) -> None:
    """If the reservation would break the buyer's credit limit, nothing is accepted."""
    agreement = _propose(trade, amount=50_000)
    with pytest.raises(DomainError, match="ledger refused"):
        services.agreement_accept(
            actor=trade["compra"], agreement=agreement, organization=trade["buyer"]
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PROPOSED
    assert agreement.parties.get(organization=trade["buyer"]).accepted_at is None
    assert not Transfer.objects.exists()


def test_cancelling_an_accepted_agreement_releases_the_reservation(trade: dict[str, Any]) -> None:
    agreement = _propose(trade)
    services.agreement_accept(
        actor=trade["compra"], agreement=agreement, organization=trade["buyer"]
    )
    with pytest.raises(DomainError):
        services.agreement_cancel(
            actor=trade["compra"], agreement=agreement, organization=trade["buyer"], reason=" "
        )
    services.agreement_cancel(
        actor=trade["compra"], agreement=agreement, organization=trade["buyer"], reason="Sequía"
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CANCELLED
    assert _balances(trade) == ((0, 0), (0, 0))


def test_deferred_payment_leaves_an_obligation(trade: dict[str, Any]) -> None:
    """Paying later: delivery settles the agreement and records what the buyer owes."""
    agreement = _propose(trade, payment="deferred")
    services.agreement_accept(
        actor=trade["compra"], agreement=agreement, organization=trade["buyer"]
    )
    services.agreement_confirm_delivery(
        actor=trade["compra"], agreement=agreement, receiver=trade["buyer"]
    )
    obligation = Obligation.objects.get()
    assert (obligation.debtor, obligation.creditor, obligation.remaining) == (
        trade["buyer"],
        trade["seller"],
        4_000,
    )
    assert _balances(trade) == ((0, 0), (0, 0))


def test_only_people_of_a_party_act_for_it(trade: dict[str, Any]) -> None:
    """A stranger cannot accept for the buyer, nor deliver, nor cancel; an organization that
    is no party cannot accept."""
    agreement = _propose(trade)
    stranger = factories.person("extraña")
    for call in (
        lambda: services.agreement_accept(
            actor=stranger, agreement=agreement, organization=trade["buyer"]
        ),
        lambda: services.agreement_cancel(
            actor=stranger, agreement=agreement, organization=trade["buyer"], reason="x"
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    outsider = factories.organization()
    with pytest.raises(PermissionDenied):
        services.agreement_accept(actor=trade["compra"], agreement=agreement, organization=outsider)
    speaker = factories.person("portavoz")
    factories.role(speaker, outsider, "spokesperson")
    with pytest.raises(DomainError) as not_a_party:
        services.agreement_accept(actor=speaker, agreement=agreement, organization=outsider)
    assert not_a_party.value.code == "not_a_party"


@pytest.mark.parametrize(
    ("lines_amount", "payment", "field"),
    [(0, "ledger", "lines"), (100, "barter", "lines"), (100, "cash", "payment")],
)
def test_invalid_proposals_write_nothing(
    trade: dict[str, Any], lines_amount: int, payment: str, field: str
) -> None:
    from minga.exchange.models import Agreement

    with pytest.raises(DomainError) as error:
        _propose(trade, payment=payment, amount=lines_amount)
    assert error.value.field == field
    assert not Agreement.objects.exists()


def test_the_home_page_shows_what_waits_for_each_party(trade: dict[str, Any]) -> None:
    """The buyer's spokesperson is told an agreement waits for their acceptance, then for
    their confirmation of delivery; the seller, who proposed it, is told nothing."""
    from minga.common.registration import attention_for

    def waiting(person: Any) -> dict[str, int]:
        return {item.text: item.count for item in attention_for(person)}

    agreement = _propose(trade)
    assert waiting(trade["compra"]) == {"1 trade agreement waits for your acceptance.": 1}
    assert waiting(trade["vende"]) == {}
    services.agreement_accept(
        actor=trade["compra"], agreement=agreement, organization=trade["buyer"]
    )
    assert waiting(trade["compra"]) == {
        "1 accepted agreement waits for you to confirm delivery.": 1
    }
    services.agreement_confirm_delivery(
        actor=trade["compra"], agreement=agreement, receiver=trade["buyer"]
    )
    assert waiting(trade["compra"]) == {}
