"""Helpers for ledger tests: a unit with accounts, and short ways to submit transfers."""

from __future__ import annotations

import itertools
from typing import Any

from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import services
from minga.exchange.models import Account, Unit
from tests import factories

_ids = itertools.count(1)


def unit_with_accounts(
    count: int = 3, *, code: str = "MINGA", lowest: int = -10_000, highest: int | None = None
) -> tuple[Unit, list[Account]]:
    network = factories.organization(kind="network", name=f"Red {code}")
    unit = services.unit_create(
        actor=SYSTEM,
        code=code,
        name=code,
        kind="community",
        network=network,
        default_lowest_balance=lowest,
        default_highest_balance=highest,
    )
    accounts = [
        services.account_open(
            actor=SYSTEM, organization=factories.organization(name=f"Comuna {code} {n}"), unit=unit
        )
        for n in range(count)
    ]
    return unit, accounts


def move(
    debit: Account,
    credit: Account,
    amount: int,
    *,
    kind: TransferKind = TransferKind.POSTED,
    client_id: str | None = None,
    **extra: Any,
) -> services.TransferInput:
    return services.TransferInput(
        client_id=client_id or f"t-{next(_ids)}",
        kind=kind,
        debit=str(debit.uuid),
        credit=str(credit.uuid),
        unit=debit.unit.code,
        amount=amount,
        **extra,
    )


def submit(
    *inputs: services.TransferInput, linked: bool = False, platform: bool = False
) -> services.BatchOutcome:
    """Submit as the platform's services do (``platform``) or as any other caller."""
    return services.transfers_submit(
        actor=SYSTEM,
        inputs=list(inputs),
        linked=linked,
        platform=services.PLATFORM if platform else None,
    )


def balances(*accounts: Account) -> list[int]:
    return [Account.objects.get(pk=a.pk).balance for a in accounts]
