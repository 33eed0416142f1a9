"""The funds' services: money moves only as ledger transfers, under the approval rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.exchange import services as exchange
from minga.exchange.models import Account, Transfer
from minga.funds import selectors, services
from minga.funds.models import Movement
from tests.funds.factories import FundsWorld, fund


def _balance(account: Account) -> int:
    account.refresh_from_db()
    return account.balance


def test_a_fund_holds_two_designated_accounts_beside_its_organizations_own(w: FundsWorld) -> None:
    """Creating a fund opens its own account (never below zero) and one for money outside
    Minga, both designated, beside the commune's own account in the unit."""
    made = fund(w)
    accounts = Account.objects.filter(organization=w.commune, unit=w.unit)
    assert accounts.count() == 3
    assert made.account.purpose == f"fund:{made.uuid}"
    assert made.account.lowest_balance == 0
    assert made.outside_account.lowest_balance < 0
    assert accounts.filter(purpose="").count() == 1
    other = fund(w, name="Otro fondo")
    assert other.account_id != made.account_id


def test_a_contribution_is_a_transfer_and_the_balance_is_the_accounts(w: FundsWorld) -> None:
    made = fund(w)
    movement = services.contribution_receive(actor=w.first, fund=made, amount=12_500)
    assert movement.transfer is not None
    assert movement.transfer.credit_id == made.account_id
    assert movement.transfer.debit_id == made.outside_account_id
    assert _balance(made.account) == 12_500
    assert selectors.figures_of(made).balance == 12_500
    assert movement.transfer.client_id.startswith("fund:")


def test_a_grant_needs_two_managers_and_the_requester_cannot_approve_it(w: FundsWorld) -> None:
    """Four eyes: the requester's approval is refused; the requester (a manager) and one
    other manager are the two; nobody approves twice."""
    made = fund(w, approval_rule="two_managers")
    services.budget_set(
        actor=w.first, fund=made, category="seeds", year=timezone.localdate().year, amount=10**6
    )
    services.contribution_receive(actor=w.first, fund=made, amount=50_000)
    request = services.spending_request(
        actor=w.first,
        fund=made,
        kind="grant",
        amount=20_000,
        category="seeds",
        description="Semillas",
        recipient=w.neighbour,
    )
    assert request.rule == "two_managers"
    with pytest.raises(DomainError) as refused:
        services.spending_approve(actor=w.first, movement=request)
    assert refused.value.code == "self_approval"
    assert request.transfer is None
    request = services.spending_approve(actor=w.second, movement=request)
    assert request.status == "done"
    with pytest.raises(DomainError) as twice:
        services.spending_approve(actor=w.second, movement=request)
    assert twice.value.code == "already_decided"
    assert _balance(made.account) == 30_000
    neighbour_account = Account.objects.get(organization=w.neighbour, purpose="")
    assert neighbour_account.balance == 20_000


def test_a_request_by_someone_who_does_not_manage_needs_two_managers(w: FundsWorld) -> None:
    """A legal case's lawyer who does not manage the fund asks to pay an expense: under
    four eyes two managers approve it, each once."""
    from tests import factories
    from tests.funds.factories import legal_case

    made = fund(w, approval_rule="two_managers")
    services.budget_set(
        actor=w.first, fund=made, category="legal", year=timezone.localdate().year, amount=10**6
    )
    services.contribution_receive(actor=w.first, fund=made, amount=50_000)
    case = legal_case(w, made)
    lawyer = factories.person("abogada")
    services.member_add(actor=w.first, case=case, user=lawyer, role="lawyer")
    request = services.expense_request(
        actor=lawyer, case=case, amount=1_000, category="legal", paid_to="X", what_for="Y"
    ).movement
    request = services.spending_approve(actor=w.second, movement=request)
    assert request.status == "requested" and request.transfer is None
    with pytest.raises(DomainError) as twice:
        services.spending_approve(actor=w.second, movement=request)
    assert twice.value.code == "already_approved"
    request = services.spending_approve(actor=w.first, movement=request)
    assert request.status == "done"
    assert _balance(made.account) == 49_000


def test_spending_beyond_the_budget_needs_the_higher_rule(w: FundsWorld) -> None:
    """Within its budget a one-manager fund's spending needs one manager; beyond it, two."""
    made = fund(w, approval_rule="one_manager")
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=made, category="tools", year=year, amount=10_000)
    services.contribution_receive(actor=w.first, fund=made, amount=100_000)
    within = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=8_000,
        category="tools",
        description="Palas",
        payee="Ferretería",
    )
    assert within.rule == "one_manager"
    assert services.spending_approve(actor=w.first, movement=within).status == "done"
    beyond = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=3_000,
        category="tools",
        description="Machetes",
        payee="Ferretería",
    )
    assert beyond.rule == "two_managers"
    no_budget = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=1,
        category="other",
        description="Sin presupuesto",
        payee="Alguien",
    )
    assert no_budget.rule == "two_managers"


def test_beyond_the_budget_a_two_manager_fund_without_a_body_refuses(w: FundsWorld) -> None:
    made = fund(w, approval_rule="two_managers")
    before = Movement.objects.count()
    with pytest.raises(DomainError) as refused:
        services.spending_request(
            actor=w.first,
            fund=made,
            kind="expense",
            amount=5,
            category="x",
            description="Algo",
            payee="Alguien",
        )
    assert refused.value.code == "beyond_budget"
    assert Movement.objects.count() == before


def test_a_fund_cannot_spend_what_it_does_not_hold_and_nothing_is_written(w: FundsWorld) -> None:
    made = fund(w, approval_rule="one_manager")
    services.budget_set(
        actor=w.first, fund=made, category="tools", year=timezone.localdate().year, amount=10**6
    )
    request = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=5_000,
        category="tools",
        description="Palas",
        payee="Ferretería",
    )
    transfers = Transfer.objects.count()
    with pytest.raises(DomainError) as refused:
        services.spending_approve(actor=w.first, movement=request)
    assert refused.value.code == "exceeds_credit_limit"
    request.refresh_from_db()
    assert request.status == "requested"
    assert request.approvals.count() == 0
    assert Transfer.objects.count() == transfers


def test_the_exchange_refuses_to_debit_a_funds_account_or_touch_its_entries(
    w: FundsWorld,
) -> None:
    """The commune's spokesperson may pay from the commune's own account, but not from the
    fund's: the fund's money leaves only through its approval rules. Its entries' client
    ids are the platform's, so nobody reverses them from the exchange either."""
    made = fund(w)
    movement = services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    neighbour = Account.objects.get(organization=w.neighbour, purpose="")
    with pytest.raises(DomainError) as refused:
        exchange.transfers_submit(
            actor=w.first,
            inputs=[
                exchange.TransferInput(
                    client_id="steal-1",
                    debit=str(made.account.uuid),
                    credit=str(neighbour.uuid),
                    unit="MINGA",
                    amount=500,
                )
            ],
        )
    assert refused.value.code == "debit_not_allowed"
    with pytest.raises(DomainError) as reserved:
        exchange.transfers_submit(
            actor=w.first,
            inputs=[
                exchange.TransferInput(
                    client_id="undo-1",
                    debit=str(made.account.uuid),
                    credit=str(made.outside_account.uuid),
                    unit="MINGA",
                    amount=1_000,
                    reverses=movement.client_id,
                )
            ],
        )
    assert reserved.value.code == "reserved_client_id"
    assert _balance(made.account) == 1_000


def test_a_reversal_corrects_a_movement_once_and_the_figures_follow(w: FundsWorld) -> None:
    made = fund(w)
    movement = services.contribution_receive(
        actor=w.first, fund=made, amount=4_000, category="cuotas"
    )
    reversal = services.movement_reverse(actor=w.first, movement=movement, reason="Duplicado")
    assert reversal.transfer.reverses_id == movement.transfer_id  # type: ignore[union-attr]
    assert _balance(made.account) == 0
    figures = selectors.figures_of(made)
    assert figures.income == 0
    assert figures.balance == 0
    with pytest.raises(DomainError):
        services.movement_reverse(actor=w.first, movement=movement, reason="Otra vez")
    with pytest.raises(DomainError):
        services.movement_reverse(actor=w.first, movement=reversal, reason="Deshacer")


def test_a_pledge_instalment_moves_its_next_due_date_and_a_single_one_is_fulfilled(
    w: FundsWorld,
) -> None:
    made = fund(w)
    today = timezone.localdate()
    monthly = services.pledge_create(
        actor=w.member, fund=made, amount=1_000, recurrence="monthly", starts_on=today
    )
    once = services.pledge_create(
        actor=w.stranger, fund=fund(w, transparency="public", name="Público"), amount=500
    )
    services.contribution_receive(actor=w.first, fund=made, amount=1_000, pledge=monthly)
    monthly.refresh_from_db()
    assert monthly.received_count == 1
    assert monthly.next_due_on is not None and monthly.next_due_on > today
    services.contribution_receive(actor=w.first, fund=once.fund, amount=500, pledge=once)
    once.refresh_from_db()
    assert once.status == "fulfilled"
    with pytest.raises(DomainError) as closed:
        services.contribution_receive(actor=w.first, fund=once.fund, amount=500, pledge=once)
    assert closed.value.code == "pledge_closed"
    with pytest.raises(DomainError) as elsewhere:
        services.contribution_receive(actor=w.first, fund=once.fund, amount=5, pledge=monthly)
    assert elsewhere.value.code == "pledge_of_other_fund"


def test_overdue_pledges_are_listed_for_the_managers(w: FundsWorld) -> None:
    made = fund(w)
    pledge = services.pledge_create(actor=w.member, fund=made, amount=700, recurrence="monthly")
    assert list(selectors.overdue_pledges(made)) == []
    later = timezone.localdate() + timedelta(days=40)
    assert list(selectors.overdue_pledges(made, today=later)) == [pledge]


def test_a_body_vote_request_takes_no_managers_approval(w: FundsWorld) -> None:
    from minga.registry.models import Body

    body = Body.objects.create(organization=w.network, kind="congress", slug="c", name="C")
    made = fund(w, approval_rule="body_vote", body=body)
    services.budget_set(
        actor=w.first, fund=made, category="x", year=timezone.localdate().year, amount=100
    )
    request = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=50,
        category="x",
        description="Algo",
        payee="Alguien",
    )
    assert request.rule == "body_vote"
    with pytest.raises(DomainError) as refused:
        services.spending_approve(actor=w.second, movement=request)
    assert refused.value.code == "vote_required"
    with pytest.raises(DomainError) as other:
        services.spending_vote_attach(actor=w.second, movement=request, vote=None)
    assert other.value.code == "vote_of_other_body"


def test_refusals_of_bad_input_name_their_field(w: FundsWorld) -> None:
    made = fund(w)
    cases = [
        (lambda: services.contribution_receive(actor=w.first, fund=made, amount=0), "amount"),
        (
            lambda: services.spending_request(
                actor=w.first,
                fund=made,
                kind="grant",
                amount=5,
                category="x",
                description="d",
            ),
            "recipient",
        ),
        (
            lambda: services.spending_request(
                actor=w.first,
                fund=made,
                kind="expense",
                amount=5,
                category="x",
                description="d",
            ),
            "payee",
        ),
        (
            lambda: services.pledge_create(
                actor=w.member,
                fund=made,
                amount=5,
                starts_on=timezone.localdate() - timedelta(days=1),
            ),
            "starts_on",
        ),
        (
            lambda: services.budget_set(actor=w.first, fund=made, category="", year=2026, amount=1),
            "category",
        ),
    ]
    for call, field in cases:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.field == field


def test_a_fund_for_chosen_organizations_needs_them(w: FundsWorld) -> None:
    with pytest.raises(DomainError) as refused:
        fund(w, transparency="organizations", visible_to=[])
    assert refused.value.field == "visible_to"
    assert not Account.objects.filter(purpose__startswith="fund:").exists()


def test_the_server_operator_may_create_a_fund(w: FundsWorld) -> None:
    made = services.fund_create(
        actor=SYSTEM,
        organization=w.commune,
        data=services.FundData(name="F", purpose="P", unit=w.unit, managers=[w.first]),
    )
    assert list(made.custodians.all()) == [w.first]
