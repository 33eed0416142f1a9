"""Writes for barter rounds (service functions): the optimizer over the platform's offers.

Each open, barter-only offer of a network's members is an item; what its organization
would take in exchange are the offers suggested for that organization's open barter
needs, best first (the marketplace's matching). The pure core ``minga.core.barter`` finds
the optimal cycles, and each cycle becomes a proposed barter agreement among its
organizations, which they then accept or decline like any other.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.permissions import guarded
from minga.core.barter import BarterProblem, Item, Want, solve
from minga.market.selectors import open_barter_listings, suggested_offers_for

from ..audit_events import ExchangeEvent
from ..models import BarterRound, PaymentMethod
from ..selectors import network_and_member_ids
from .agreements import LineInput, _person, _propose_agreement

WANTS_PER_NEED = 10


@guarded("exchange.barter.run", on="network")
@transaction.atomic
def barter_round_run(*, actor: Any, network: Any) -> BarterRound:
    members = network_and_member_ids(network)
    # Only listings the coordinator may see: the round's report shows their titles.
    barter_offers, barter_needs = open_barter_listings(actor, members)
    offers = {str(listing.uuid): listing for listing in barter_offers}
    needs = list(barter_needs)
    wanted_by_org: dict[int, list[str]] = {}
    for need in needs:
        ranked = [
            str(o.uuid)
            for o in suggested_offers_for(actor, need, limit=WANTS_PER_NEED)
            if str(o.uuid) in offers
        ]
        bucket = wanted_by_org.setdefault(need.organization_id, [])
        bucket.extend(uuid for uuid in ranked if uuid not in bucket)
    items = [
        Item(
            name=uuid,
            owner=str(listing.organization.uuid),
            wants=tuple(
                Want(item=wanted, rank=rank)
                for rank, wanted in enumerate(
                    wanted_by_org.get(listing.organization_id, []), start=1
                )
            ),
        )
        for uuid, listing in sorted(offers.items())
    ]
    result = solve(BarterProblem(tuple(items)))
    barter_round = BarterRound.objects.create(
        network=network,
        created_by=_person(actor),
        report={
            "items": len(items),
            "items_traded": result.items_traded,
            "cycles": [[offers[uuid].title for uuid in cycle] for cycle in result.cycles],
            "non_trading": [offers[uuid].title for uuid in result.non_trading_items],
        },
    )
    for number, cycle in enumerate(result.cycles, start=1):
        # Giving order: each offer goes to the organization of the next one in the cycle.
        lines = [
            LineInput(
                supplier=offers[given].organization,
                receiver=offers[cycle[(position + 1) % len(cycle)]].organization,
                description=offers[given].title,
                listing=offers[given],
            )
            for position, given in enumerate(cycle)
        ]
        # The network proposes; the round's audit entry names who ran it.
        _propose_agreement(
            actor=None,
            proposer=network,
            title=_("Barter cycle %(number)d") % {"number": number},
            lines=lines,
            payment=PaymentMethod.BARTER,
            barter_round=barter_round,
        )
    audit.record(
        actor=actor,
        action=ExchangeEvent.BARTER_RUN,
        target=barter_round,
        changes={"items_traded": [None, result.items_traded]},
    )
    return barter_round
