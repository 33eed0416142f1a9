"""The ledger through its service: transfers, limits, two phases, batches, retries."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import journal, services
from minga.exchange.client_ids import expiry_client_id
from minga.exchange.models import Account, Transfer
from tests.exchange.ledger_helpers import balances, move, submit, unit_with_accounts


@pytest.fixture
def ledger(db: None):
    return unit_with_accounts(3)


def test_a_transfer_moves_the_amount_and_the_chain_verifies(ledger) -> None:
    """Double entry: the payer goes down, the payee up, the sum stays zero, verify is clean."""
    _unit, (a, b, c) = ledger
    outcome = submit(move(a, b, 2_500), move(b, c, 1_000))
    assert [o.status for o in outcome.outcomes] == ["created", "created"]
    assert balances(a, b, c) == [-2_500, 1_500, 1_000]
    assert outcome.block is not None and outcome.block.last_sequence == 2
    report = journal.verify_database()
    assert report.ok, report.problems
    assert (report.entries, report.blocks) == (2, 1)


@pytest.mark.parametrize(
    ("amount", "code"),
    [(10_001, "exceeds_credit_limit"), (0, "amount_not_positive"), (-5, "amount_not_positive")],
)
def test_refused_transfers_change_no_balance(ledger, amount: int, code: str) -> None:
    """Beyond the credit limit, zero or negative: refused with a clear code, nothing moves."""
    _unit, (a, b, _c) = ledger
    outcome = submit(move(a, b, amount)).outcomes[0]
    assert (outcome.status, outcome.code) == ("refused", code)
    assert balances(a, b) == [0, 0]
    assert not Transfer.objects.exists()


def test_frozen_accounts_and_foreign_units_are_refused(ledger) -> None:
    """A frozen account, or an account in another unit, cannot take part in a transfer."""
    _unit, (a, b, _c) = ledger
    _other_unit, (x, _y) = unit_with_accounts(2, code="HORA")
    services.account_set_frozen(actor=SYSTEM, account=b, frozen=True, reason="review")
    assert submit(move(a, b, 10)).outcomes[0].code == "account_frozen"
    mixed = services.TransferInput(
        client_id="mixed", debit=str(a.uuid), credit=str(x.uuid), unit="MINGA", amount=10
    )
    assert submit(mixed).outcomes[0].code == "unit_mismatch"
    assert balances(a, b, x) == [0, 0, 0]


def test_upper_limit_includes_reservations(db: None) -> None:
    """An account with an upper limit cannot be promised more than it may hold."""
    _unit, (a, b) = unit_with_accounts(2, code="TOPE", highest=100)
    assert submit(move(a, b, 80, kind=TransferKind.PENDING)).all_applied
    assert submit(move(a, b, 30)).outcomes[0].code == "exceeds_upper_limit"


def test_retrying_the_same_request_returns_the_original(ledger) -> None:
    """Same client id and content: the original entry, no double posting; other content: refused."""
    _unit, (a, b, _c) = ledger
    first = submit(move(a, b, 300, client_id="pago-1")).outcomes[0]
    again = submit(move(a, b, 300, client_id="pago-1")).outcomes[0]
    assert (first.status, again.status) == ("created", "exists")
    assert again.transfer.pk == first.transfer.pk
    different = submit(move(a, b, 301, client_id="pago-1")).outcomes[0]
    assert (different.status, different.code) == ("refused", "idempotency_conflict")
    assert balances(a, b) == [-300, 300]
    assert Transfer.objects.count() == 1


def test_two_phase_reserve_then_post_or_void(ledger) -> None:
    """A reservation counts against the limit; posting moves it, voiding releases it."""
    _unit, (a, b, c) = ledger
    submit(move(a, b, 9_000, kind=TransferKind.PENDING, client_id="reserva"))
    account = Account.objects.get(pk=a.pk)
    assert (account.balance, account.pending_debits) == (0, 9_000)
    assert submit(move(a, c, 2_000)).outcomes[0].code == "exceeds_credit_limit"
    posted = submit(
        services.TransferInput(
            client_id="post", kind=TransferKind.POST_PENDING, pending="reserva", amount=6_000
        )
    )
    assert posted.all_applied
    account = Account.objects.get(pk=a.pk)
    assert (account.balance, account.pending_debits) == (-6_000, 0)
    again = submit(
        services.TransferInput(
            client_id="post-2", kind=TransferKind.POST_PENDING, pending="reserva"
        )
    )
    assert again.outcomes[0].code == "pending_already_resolved"
    submit(move(a, b, 1_000, kind=TransferKind.PENDING, client_id="reserva-2"))
    assert submit(
        services.TransferInput(
            client_id="void", kind=TransferKind.VOID_PENDING, pending="reserva-2"
        )
    ).all_applied
    assert balances(a, b) == [-6_000, 6_000]
    assert journal.verify_database().ok


def test_expired_reservations_are_released_and_cannot_be_posted(
    ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its timeout a reservation cannot be posted, and the sweeper releases it once."""
    _unit, (a, b, _c) = ledger
    submit(move(a, b, 500, kind=TransferKind.PENDING, client_id="corta", timeout_seconds=60))
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(services.ledger.timezone, "now", lambda: later)
    post = submit(
        services.TransferInput(client_id="tarde", kind=TransferKind.POST_PENDING, pending="corta")
    )
    assert post.outcomes[0].code == "pending_expired"
    assert services.reservations_expire_due() == 1
    assert services.reservations_expire_due() == 0
    account = Account.objects.get(pk=a.pk)
    assert (account.balance, account.pending_debits) == (0, 0)
    reservation = Transfer.objects.get(client_id="corta")
    expiry = Transfer.objects.get(client_id=expiry_client_id(reservation.uuid))
    assert (expiry.kind, expiry.pending_id) == ("expire_pending", reservation.pk)
    assert journal.verify_database().ok


def test_reservations_without_timeout_do_not_expire(
    ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unit, (a, b, _c) = ledger
    submit(move(a, b, 500, kind=TransferKind.PENDING, client_id="abierta"))
    far = timezone.now() + timedelta(days=3650)
    monkeypatch.setattr(services.ledger.timezone, "now", lambda: far)
    assert services.reservations_expire_due() == 0


def test_linked_batch_is_all_or_nothing(ledger) -> None:
    """One bad transfer in a linked batch refuses all of them; the culprit is named."""
    _unit, (a, b, c) = ledger
    outcome = submit(move(a, b, 100), move(b, c, 50), move(c, a, 99_999), linked=True)
    assert [o.status for o in outcome.outcomes] == ["refused"] * 3
    assert outcome.outcomes[2].code == "exceeds_credit_limit"
    assert outcome.outcomes[0].code == "linked_batch_failed"
    assert balances(a, b, c) == [0, 0, 0]
    assert not Transfer.objects.exists()
    assert submit(move(a, b, 100), move(b, c, 50), linked=True).all_applied


def test_unlinked_batch_applies_what_it_can(ledger) -> None:
    """Without linking, each transfer stands alone, in order."""
    _unit, (a, b, c) = ledger
    outcome = submit(move(a, b, 100), move(c, a, 99_999), move(b, c, 50))
    assert [o.status for o in outcome.outcomes] == ["created", "refused", "created"]
    assert balances(a, b, c) == [-100, 50, 50]


def test_reversal_corrects_once(ledger) -> None:
    """A mistake is undone by a reversing transfer; the original stays and is reversed once."""
    _unit, (a, b, _c) = ledger
    submit(move(a, b, 700, client_id="error"))
    assert submit(move(b, a, 700, client_id="fix", reverses="error")).all_applied
    assert balances(a, b) == [0, 0]
    assert Transfer.objects.get(client_id="fix").reverses.client_id == "error"
    assert (
        submit(move(b, a, 700, client_id="fix-2", reverses="error")).outcomes[0].code
        == "already_reversed"
    )
    assert (
        submit(move(a, b, 700, client_id="bad", reverses="fix")).outcomes[0].code
        == "not_reversible"
    )


def test_journal_entries_are_immutable(ledger) -> None:
    _unit, (a, b, _c) = ledger
    transfer = submit(move(a, b, 1)).outcomes[0].transfer
    transfer.amount = 1000
    with pytest.raises(TypeError):
        transfer.save()


def test_database_refuses_an_account_outside_its_limits(ledger) -> None:
    """Even a write that bypasses the service cannot store a balance below the limit."""
    from django.db import IntegrityError, transaction

    _unit, (a, _b, _c) = ledger
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=a.pk).update(balance=-10_001)


def test_retrying_a_linked_batch_reports_existing_entries_as_existing(ledger) -> None:
    """A retried linked batch whose new part fails still reports what is in the journal."""
    _unit, (a, b, c) = ledger
    submit(move(a, b, 100, client_id="ya"))
    outcome = submit(
        move(a, b, 100, client_id="ya"), move(c, a, 99_999, client_id="no"), linked=True
    )
    assert [(o.status, o.code) for o in outcome.outcomes] == [
        ("exists", ""),
        ("refused", "exceeds_credit_limit"),
    ]


@pytest.mark.parametrize(
    ("timeout", "accepted"), [(0, False), (-5, False), (10**12, False), (3600, True)]
)
def test_reservation_timeouts_are_bounded(ledger, timeout: int, accepted: bool) -> None:
    """Timeouts outside one second to ten years are refused with their own code."""
    _unit, (a, b, _c) = ledger
    outcome = submit(move(a, b, 10, kind=TransferKind.PENDING, timeout_seconds=timeout)).outcomes[0]
    assert (outcome.status == "created") is accepted
    if not accepted:
        assert outcome.code == "invalid_timeout"


@pytest.mark.parametrize(
    ("field", "extra"), [("amount", {"amount": 2**63}), ("memo", {"memo": "x" * 501})]
)
def test_oversized_input_is_refused_before_anything_is_written(
    ledger, field: str, extra: dict
) -> None:  # type: ignore[type-arg]
    _unit, (a, b, _c) = ledger
    item = dataclasses.replace(move(a, b, 1), **extra)
    with pytest.raises(DomainError) as error:
        submit(item)
    assert error.value.field == field
    assert not Transfer.objects.exists()


def test_a_reservation_can_be_posted_in_the_same_batch(ledger) -> None:
    """Reserve then post (or void) within one linked batch: both entries, chain verifies."""
    _unit, (a, b, c) = ledger
    outcome = submit(
        move(a, b, 300, kind=TransferKind.PENDING, client_id="r1"),
        services.TransferInput(client_id="p1", kind=TransferKind.POST_PENDING, pending="r1"),
        move(a, c, 50, kind=TransferKind.PENDING, client_id="r2"),
        services.TransferInput(client_id="v2", kind=TransferKind.VOID_PENDING, pending="r2"),
        linked=True,
    )
    assert [o.status for o in outcome.outcomes] == ["created"] * 4
    assert balances(a, b, c) == [-300, 300, 0]
    assert Transfer.objects.get(client_id="p1").pending.client_id == "r1"
    assert Account.objects.get(pk=a.pk).pending_debits == 0
    assert journal.verify_database().ok


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@hypothesis_settings(max_examples=500)
@given(
    st.builds(
        services.TransferInput,
        client_id=_text,
        kind=st.sampled_from(list(TransferKind)),
        debit=_text,
        credit=_text,
        unit=_text,
        amount=st.integers(-(2**70), 2**70),
        pending=st.none() | _text,
        reverses=st.none() | _text,
        timeout_seconds=st.none() | st.integers(-(2**40), 2**40),
        memo=_text | st.sampled_from(['"\\\n\x00', "maíz · 25 kg 💸"]),
    )
)
def test_a_requests_digest_is_sha256_of_its_sorted_json(item: services.TransferInput) -> None:
    """The digest retries are compared by: the same as it always was (JSON, sorted keys)."""
    fields = {
        "kind": str(item.kind),
        "debit": item.debit,
        "credit": item.credit,
        "unit": item.unit,
        "amount": item.amount,
        "pending": item.pending,
        "reverses": item.reverses,
        "timeout_seconds": item.timeout_seconds,
        "memo": item.memo,
    }
    encoded = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert item.digest() == hashlib.sha256(encoded.encode()).hexdigest()
