"""A small federation in which every page of the site has something to show, and the list of
those pages: for whole-site tests that read every page and post every form.

The world is built with the factories and the apps' own demo loaders, so its objects are the
real ones: a confederation with a Congress (rules, a meeting, proposals, an amendment, a
closed vote and an open election, a resolution, follow-up results, a working table, a
debate), offers and needs, a ledger with accounts and transfers, agreements, obligations, a
clearing round and a barter round, a pending join request and an audit log.

``coordinator`` coordinates the confederation and chairs the Congress; she is also the
spokesperson, coordinator and accredited delegate of a commune, so the forms of both roles
(ballots, check-in, proposals, payments) are on her pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from minga.assemblies.demo import load_assemblies_demo
from minga.assemblies.models import (
    Amendment,
    DebateSpace,
    Declaration,
    Endorsement,
    FollowUpResult,
    Meeting,
    Proposal,
    Vote,
    WorkingTable,
)
from minga.common.permissions import SYSTEM
from minga.exchange import services
from minga.exchange.models import Account, Agreement, BarterRound, ClearingRound, Unit
from minga.market.demo import load_market_demo
from minga.market.models import Listing
from minga.registry.models import Body, DelegateAccreditation, OrganizationRelation
from minga.registry.services import OrganizationData, join_request_submit
from tests import factories
from tests.market import factories as market

NETWORK_SLUG = "confederacion-minga"
COMMUNE_NAMES = [
    "Comuna El Maizal",
    "Comuna Ataroa",
    "Comuna Cinco Fortalezas",
    "Cooperativa Semillas del Sur",
    "Comuna Luisa Cáceres",
    "Comuna Che Guevara",
    "Comuna Hugo Chávez",
    "Comuna Negro Primero",
]


@dataclass
class SiteWorld:
    coordinator: Any
    delegate: Any
    network: Any
    commune: Any  # the coordinator's own commune


def build_site_world() -> SiteWorld:
    network = factories.organization(kind="network", slug=NETWORK_SLUG, name="Confederación Minga")
    coordinator = factories.person("coordinadora", display_name="Ana Coordinadora")
    factories.role(coordinator, network, "coordinator")
    body = Body.objects.create(
        organization=network, kind="congress", slug="congreso", name="Congreso"
    )
    communes = []
    for number, name in enumerate(COMMUNE_NAMES):
        commune = factories.organization(name=name, slug=f"comuna-{number}", area="Lara")
        factories.membership(commune, network)
        person = coordinator if number == 0 else factories.person(f"vocera-{number}")
        factories.role(person, commune, "spokesperson")
        today = timezone.localdate()
        DelegateAccreditation.objects.create(
            person=person,
            organization=commune,
            body=body,
            term_start=today - timedelta(days=10),
            term_end=today + timedelta(days=300),
        )
        communes.append(commune)
    factories.role(coordinator, communes[0], "coordinator")
    load_assemblies_demo(2026)
    load_market_demo(2026)
    _exchange(coordinator, network, communes)
    # Barter-only offers and needs that close a ring, so the barter round proposes a trade.
    for commune, offer, need in (
        (communes[1], "seeds", "tools"),
        (communes[2], "tools", "textiles"),
        (communes[3], "textiles", "seeds"),
    ):
        market.listing(commune, kind="offer", category=offer, barter_only=True)
        market.listing(commune, kind="need", category=need, barter_only=True)
    services.clearing_round_open(actor=coordinator, unit=Unit.objects.get(code="MINGA"))
    services.barter_round_run(actor=coordinator, network=network)
    newcomer = factories.person("recien-llegada", display_name="Rosa Recién Llegada")
    join_request_submit(
        actor=newcomer,
        network=network,
        data=OrganizationData(
            slug="",
            name="Comuna Nueva Esperanza",
            name_language="es",
            names={},
            kind="commune",
            country="VE",
            region="south-america",
            area="Falcón",
            latitude=None,
            longitude=None,
            languages=["es"],
            description="",
            description_language="es",
            founded_on=None,
            registry_number="",
            status="active",
            contacts=[],
        ),
        motivation="Queremos participar en el Congreso.",
    )
    delegate = DelegateAccreditation.objects.exclude(person=coordinator).order_by("id").first()
    return SiteWorld(
        coordinator=coordinator, delegate=delegate.person, network=network, commune=communes[0]
    )


def _exchange(coordinator: Any, network: Any, communes: list[Any]) -> None:
    """A unit with an account per commune, a few payments, agreements in three states and a
    ring of obligations (the demo's own ledger is a year of transfers: too slow here)."""
    unit = services.unit_create(
        actor=coordinator,
        code="MINGA",
        name="Minga",
        kind="community",
        network=network,
        scale=2,
        default_lowest_balance=-50_000,
        default_highest_balance=500_000,
    )
    accounts = [services.account_open(actor=SYSTEM, organization=c, unit=unit) for c in communes]
    services.transfers_submit(
        actor=SYSTEM,
        inputs=[
            services.TransferInput(
                client_id=f"world-{number}",
                debit=str(accounts[number].uuid),
                credit=str(accounts[(number + 1) % len(accounts)].uuid),
                unit="MINGA",
                amount=1_250 * (number + 1),
                memo="Café y queso",
            )
            for number in range(len(accounts))
        ],
    )
    speakers = {0: coordinator} | {
        number: commune.roles.get(kind="spokesperson").person
        for number, commune in enumerate(communes)
        if number
    }
    for number, (supplier, receiver) in enumerate(((0, 1), (2, 0), (3, 4))):
        agreement = services.agreement_propose(
            actor=speakers[supplier],
            proposer=communes[supplier],
            title=f"Acuerdo de café {number + 1}",
            lines=[
                services.LineInput(
                    supplier=communes[supplier],
                    receiver=communes[receiver],
                    description="Café y queso",
                    amount=4_500,
                )
            ],
            payment="ledger",
            unit=unit,
        )
        if number:
            services.agreement_accept(
                actor=speakers[receiver], agreement=agreement, organization=communes[receiver]
            )
        if number == 2:
            services.agreement_confirm_delivery(
                actor=speakers[receiver], agreement=agreement, receiver=communes[receiver]
            )
    services.obligations_import(
        actor=coordinator,
        unit=unit,
        rows=[
            (line, communes[i], communes[(i + 1) % 4], 1_000 + 100 * i, f"factura-{i}", None)
            for line, i in enumerate(range(4), start=2)
        ],
    )


# Addresses that are not pages a person reads, or that only do something when posted to;
# each says why it is left out of the walk (the forms that post to them are still posted).
NOT_PAGES = {
    "people:logout": "signs the reader out; posted from every page's header",
    "set_language": "the language switcher's target; tested in tests/test_site.py",
    "people:token_create": "only takes posts (from the preferences page)",
    "people:token_revoke": "only takes posts (from the preferences page)",
    "people:token_confirm": "only takes posts (from the preferences page)",
    "media": "uploaded files, not text",
    "favicon": "the site's icon, an image",
    "people:password_reset_confirm": "needs a token mailed to the person",
    "canonical": "redirects to the object's page",
    "registry:organization_canonical": "redirects to the organization's page",
    "assemblies:meeting_ics": "a calendar file",
    "assemblies:vote_blt": "a ballot file",
    "dashboard:unit_chart": "an image",
    "dashboard:unit_csv": "a spreadsheet",
    "dashboard:clearing_round_chart": "an image",
    "dashboard:clearing_round_csv": "a spreadsheet",
    "dashboard:barter_round_chart": "an image",
    "dashboard:barter_round_csv": "a spreadsheet",
}
# Addresses that only take posts: they are reached by posting the forms of the pages above.
POST_ONLY = {
    "registry:relation_decide",
    "registry:relation_reapply",
    "market:close",
    "market:reopen",
    "exchange:account_freeze",
    "assemblies:debate_comment_add",
    "assemblies:delegation_set",
    "assemblies:proposal_transition",
    "assemblies:comment_add",
    "assemblies:proposal_document_add",
    "assemblies:declaration_publish",
    "assemblies:endorsement_add",
    "assemblies:endorsement_withdraw",
    "assemblies:amendment_decide",
    "assemblies:meeting_check_in",
    "assemblies:meeting_register",
    "assemblies:working_table_rapporteur",
    "assemblies:vote_close_now",
    "assemblies:vote_cast",
    "assemblies:vote_close",
    "trade:agreement_act",
    "trade:clearing_round_act",
    "trade:barter_run",
    "trade:clearing_open",
    "trade:obligations_upload",
    "assemblies:result_update",
}


def site_pages(world: SiteWorld) -> dict[str, list[str]]:
    """Every page, by the name of its URL pattern: the addresses to read it at."""
    proposal = Proposal.objects.get(title="Fondo común de semillas")
    meeting = Meeting.objects.get()
    secret_vote = Vote.objects.filter(secret=True).first() or Vote.objects.first()
    declaration = Declaration.objects.get()
    listing = Listing.objects.filter(organization=world.commune).first() or Listing.objects.first()
    account = Account.objects.filter(organization=world.commune, unit__code="MINGA").get()
    clearing_round = ClearingRound.objects.get()
    barter_round = BarterRound.objects.get()
    endorsement = Endorsement.objects.first()
    assert endorsement is not None
    return {
        "home": [reverse("home")],
        "people:login": [reverse("people:login")],
        "people:signup": [reverse("people:signup")],
        "people:password_reset": [reverse("people:password_reset")],
        "people:password_reset_done": [reverse("people:password_reset_done")],
        "people:password_reset_complete": [reverse("people:password_reset_complete")],
        "people:preferences": [reverse("people:preferences")],
        "people:two_factor": [reverse("people:two_factor")],
        "people:detail": [world.coordinator.get_absolute_url()],
        "registry:directory": [
            reverse("registry:directory"),
            reverse("registry:directory") + "?country=VE&kind=commune",
        ],
        "registry:organization": [
            world.commune.get_absolute_url(),
            world.network.get_absolute_url(),
        ],
        "registry:organization_edit": [
            reverse("registry:organization_edit", args=[world.commune.slug])
        ],
        "registry:join": [reverse("registry:join")],
        "registry:coordination": [reverse("registry:coordination")],
        "registry:audit": [reverse("registry:audit")],
        "registry:relation_withdraw": [
            reverse(
                "registry:relation_withdraw",
                args=[world.commune.relations_as_member.get(parent=world.network).uuid],
            )
        ],
        "market:directory": [reverse("market:directory")],
        "market:create": [reverse("market:create")],
        "market:listing": [listing.get_absolute_url()],
        "market:edit": [reverse("market:edit", args=[listing.uuid])],
        "exchange:home": [reverse("exchange:home")],
        "exchange:unit_create": [reverse("exchange:unit_create")],
        "exchange:account_open": [reverse("exchange:account_open", args=["MINGA"])],
        "exchange:account": [reverse("exchange:account", args=[account.uuid])],
        "exchange:account_limits": [reverse("exchange:account_limits", args=[account.uuid])],
        "trade:agreements": [reverse("trade:agreements")],
        "trade:agreement_new": [reverse("trade:agreement_new")],
        "trade:agreement": [
            reverse("trade:agreement", args=[agreement.uuid])
            for agreement in Agreement.objects.order_by("id")[:4]
        ],
        "trade:clearing": [reverse("trade:clearing")],
        "trade:clearing_round": [reverse("trade:clearing_round", args=[clearing_round.uuid])],
        "trade:barter": [reverse("trade:barter")],
        "dashboard:index": [reverse("dashboard:index")],
        "dashboard:clearing_round": [
            reverse("dashboard:clearing_round", args=[clearing_round.uuid])
        ],
        "dashboard:barter_round": [reverse("dashboard:barter_round", args=[barter_round.uuid])],
        "assemblies:index": [reverse("assemblies:index")],
        "assemblies:body": [reverse("assemblies:body", args=["congreso"])],
        "assemblies:body_members": [reverse("assemblies:body_members", args=["congreso"])],
        "assemblies:proposals": [reverse("assemblies:proposals", args=["congreso"])],
        "assemblies:proposal_new": [reverse("assemblies:proposal_new", args=["congreso"])],
        "assemblies:meeting_new": [reverse("assemblies:meeting_new", args=["congreso"])],
        "assemblies:vote_new": [reverse("assemblies:vote_new", args=["congreso"])],
        "assemblies:result_new": [reverse("assemblies:result_new", args=["congreso"])],
        "assemblies:debates": [reverse("assemblies:debates", args=["congreso"])],
        "assemblies:debate_new": [reverse("assemblies:debate_new", args=["congreso"])],
        "assemblies:debate": [DebateSpace.objects.get().get_absolute_url()],
        "assemblies:results": [reverse("assemblies:results")],
        "assemblies:result": [
            result.get_absolute_url() for result in FollowUpResult.objects.order_by("id")[:2]
        ],
        "assemblies:proposal": [p.get_absolute_url() for p in Proposal.objects.order_by("id")],
        "assemblies:amendment_new": [reverse("assemblies:amendment_new", args=[proposal.uuid])],
        "assemblies:proposal_translate": [
            reverse("assemblies:proposal_translate", args=[proposal.uuid])
        ],
        "assemblies:proposal_diff": [
            reverse("assemblies:proposal_diff", args=[proposal.uuid]) + "?from=1&to=2"
        ],
        "assemblies:declaration": [declaration.get_absolute_url()],
        "assemblies:amendment_diff": [
            reverse("assemblies:amendment_diff", args=[a.uuid]) for a in Amendment.objects.all()
        ],
        "assemblies:meeting": [meeting.get_absolute_url()],
        "assemblies:meeting_manage": [reverse("assemblies:meeting_manage", args=[meeting.uuid])],
        "assemblies:meeting_minutes_export": [
            reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "html"])
        ],
        "assemblies:working_table_new": [
            reverse("assemblies:working_table_new", args=[meeting.uuid])
        ],
        "assemblies:working_table": [WorkingTable.objects.get().get_absolute_url()],
        "assemblies:working_table_report": [
            reverse("assemblies:working_table_report", args=[WorkingTable.objects.get().uuid])
        ],
        "assemblies:declaration_export": [
            reverse("assemblies:declaration_export", args=[declaration.uuid, "html"])
        ],
        "assemblies:vote": [vote.get_absolute_url() for vote in Vote.objects.order_by("id")],
        "assemblies:vote_receipts": [reverse("assemblies:vote_receipts", args=[secret_vote.uuid])],
    }


def pending_relation() -> OrganizationRelation:
    return OrganizationRelation.objects.filter(status="pending").get()
