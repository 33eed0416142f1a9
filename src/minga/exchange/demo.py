"""Demo ledger, agreements and obligations for the demonstration federation (invented).

A community unit (MINGA) and an hours unit (HORA) issued by the confederation, accounts for
its member movements and a share of the communes, a year of dated transfers posted through
the real ledger service (hash chain and signed blocks included), a few agreements in every
state, and open obligations for a clearing round to find.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.registry.models import Organization, OrganizationRelation, Role

from . import services
from .models import Account, Unit
from .services import LineInput


@transaction.atomic
def load_exchange_demo(seed: int) -> str:
    if Unit.objects.exists():
        return "Exchange demo: already present."
    rng = random.Random(seed + 2)
    network = Organization.objects.filter(slug="confederacion-minga").first()
    if network is None:
        return "Exchange demo: no confederation to issue units."
    minga = services.unit_create(
        actor=SYSTEM,
        code="MINGA",
        name="Minga",
        kind="community",
        network=network,
        scale=2,
        default_lowest_balance=-50_000,
        default_highest_balance=500_000,
    )
    hours = services.unit_create(
        actor=SYSTEM,
        code="HORA",
        name="Horas de trabajo",
        kind="hours",
        network=network,
        scale=2,
        default_lowest_balance=-4_000,
    )
    members = list(
        Organization.objects.filter(
            pk__in=OrganizationRelation.objects.filter(parent=network, status="active").values(
                "member_id"
            )
        ).order_by("id")
    )
    communes = list(Organization.objects.filter(kind="commune").order_by("id")[:300])
    accounts = [
        services.account_open(actor=SYSTEM, organization=o, unit=minga)
        for o in [*members, *communes]
    ]
    hour_accounts = [
        services.account_open(actor=SYSTEM, organization=o, unit=hours) for o in communes[:60]
    ]
    start = timezone.now() - timedelta(days=365)
    posted = 0
    for day in range(0, 365, 3):
        moment = start + timedelta(days=day)
        batch: list[services.TransferInput] = []
        for _ in range(rng.randint(5, 20)):
            pool, unit = (hour_accounts, hours) if rng.random() < 0.2 else (accounts, minga)
            debit, credit = rng.sample(pool, 2)
            batch.append(
                services.TransferInput(
                    client_id=f"demo-{posted + len(batch)}-{day}",
                    debit=str(debit.uuid),
                    credit=str(credit.uuid),
                    unit=unit.code,
                    amount=rng.randint(1, 120) * 100,
                    memo="Intercambio de demostración",
                )
            )
        outcome = services.transfers_submit(actor=SYSTEM, inputs=batch, at=moment)
        posted += sum(o.status == "created" for o in outcome.outcomes)

    # Agreements between movements whose demo spokespeople act for them, in every state.
    speakers = {
        role.organization_id: role.person
        for role in Role.objects.filter(
            kind="spokesperson", organization__in=members
        ).select_related("person")
    }
    with_speaker = [o for o in members if o.pk in speakers]
    made = 0
    for number in range(min(8, len(with_speaker) // 2)):
        supplier, receiver = with_speaker[2 * number], with_speaker[2 * number + 1]
        agreement = services.agreement_propose(
            actor=speakers[supplier.pk],
            proposer=supplier,
            title=f"Acuerdo de demostración {number + 1}",
            lines=[
                LineInput(
                    supplier=supplier,
                    receiver=receiver,
                    description="Café y queso",
                    amount=rng.randint(10, 90) * 100,
                )
            ],
            payment="deferred" if number % 3 == 0 else "ledger",
            unit=minga,
        )
        made += 1
        if number % 4 == 1:
            continue  # stays proposed
        services.agreement_accept(
            actor=speakers[receiver.pk], agreement=agreement, organization=receiver
        )
        if number % 4 != 2:
            services.agreement_confirm_delivery(
                actor=speakers[receiver.pk], agreement=agreement, receiver=receiver
            )
    # Open obligations among a ring of communes, for a clearing round to find.
    ring = communes[:40]
    rows = [
        (line, ring[i], ring[(i + 1) % len(ring)], rng.randint(20, 300) * 100, "demo", None)
        for line, i in enumerate(range(len(ring)), start=2)
    ]
    rows += [
        (
            len(rows) + k + 2,
            ring[rng.randrange(40)],
            ring[rng.randrange(40)],
            rng.randint(10, 200) * 100,
            "demo",
            None,
        )
        for k in range(60)
    ]
    rows = [row for row in rows if row[1].pk != row[2].pk]
    services.obligations_import(actor=SYSTEM, unit=minga, rows=rows)
    return (
        f"Exchange demo: units MINGA and HORA, {Account.objects.count()} accounts, "
        f"{posted} transfers over a year, {made} agreements, {len(rows)} open obligations."
    )
