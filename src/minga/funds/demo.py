"""Demo funds for the demonstration federation (invented): the confederation's public
solidarity fund, with a year of contributions, grants to communes and expenses, all
written through the funds' services (so every figure is the ledger's), pledges (some
named, some anonymous to the public), a budget, a request waiting for a second manager;
and a legal-support fund for migrants whose cases only each case's team sees (the public
reads the fund's figures and the cases' counts, groups under five suppressed); and a fund
owned by the confederation's Congress, whose spending the Congress votes on."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.exchange import selectors as exchange_selectors
from minga.registry.models import Body, Organization, Role
from minga.registry.selectors import ANY_ROLE, DECIDING_ROLES, people_with_role

from . import services
from .models import Fund


@transaction.atomic
def load_funds_demo(seed: int) -> str:
    if Fund.objects.exists():
        return "Funds demo: already present."
    rng = random.Random(seed + 15)
    network = Organization.objects.filter(slug="confederacion-minga").first()
    unit = exchange_selectors.unit_by_code("MINGA")
    if network is None or unit is None:
        return "Funds demo: no confederation or unit MINGA."
    managers = people_with_role(network, DECIDING_ROLES)
    others = [
        role.person
        for role in Role.objects.filter(kind__in=ANY_ROLE)
        .exclude(person__in=managers)
        .select_related("person")
        .order_by("id")[:40]
    ]
    managers = (managers + others)[:2]
    if len(managers) < 2:
        return "Funds demo: not enough people to manage a fund."
    first, second = managers
    grantees = [
        account.organization
        for account in exchange_selectors.unit_accounts(unit).filter(
            purpose="", organization__kind="commune"
        )[:12]
    ]
    fund = services.fund_create(
        actor=SYSTEM,
        organization=network,
        data=services.FundData(
            name="Fondo de solidaridad de la Confederación",
            purpose="Apoyo mutuo entre comunas: semillas tras las inundaciones, herramientas y "
            "transporte para las ferias.",
            purposes={
                "pt": "Apoio mútuo entre comunas: sementes depois das enchentes, ferramentas e "
                "transporte para as feiras.",
                "fr": "Entraide entre communes : semences après les inondations, outils et "
                "transport pour les foires.",
                "ht": "Sipò mityèl ant komin yo: semans apre inondasyon, zouti ak transpò pou "
                "mache yo.",
            },
            unit=unit,
            approval_rule="two_managers",
            managers=[first, second],
            receipts_public=True,
        ),
    )
    year = timezone.localdate().year
    for category, amount in (("seeds", 900_000), ("tools", 400_000), ("transport", 250_000)):
        services.budget_set(actor=SYSTEM, fund=fund, category=category, year=year, amount=amount)
    today = timezone.localdate()
    received = 0
    for month in range(12, 0, -1):
        day = today - timedelta(days=30 * month)
        for _ in range(rng.randint(2, 5)):
            services.contribution_receive(
                actor=first,
                fund=fund,
                amount=rng.randint(20, 200) * 100,
                description="Aporte de una comuna",
                received_on=day,
            )
            received += 1
    spent = 0
    for number in range(10):
        kind = "grant" if number % 2 == 0 and grantees else "expense"
        request = services.spending_request(
            actor=first,
            fund=fund,
            kind=kind,
            amount=rng.randint(5, 40) * 1_000,
            category=rng.choice(["seeds", "tools", "transport"]),
            description=rng.choice(
                ["Semillas de maíz criollo", "Machetes y palas", "Camión a la feria"]
            ),
            recipient=rng.choice(grantees) if kind == "grant" else None,
            payee="" if kind == "grant" else "Transportes La Esperanza",
        )
        services.spending_approve(actor=second, movement=request)
        spent += 1
    services.spending_request(
        actor=first,
        fund=fund,
        kind="expense",
        amount=12_000,
        category="transport",
        description="Gasolina para la feria de diciembre",
        payee="Estación de servicio",
    )
    contributors = others[2:8] or [first]
    for number, person in enumerate(contributors):
        services.pledge_create(
            actor=person,
            fund=fund,
            amount=(number + 1) * 1_000,
            recurrence="monthly" if number % 2 else "yearly",
            named=number % 3 == 0,
        )
    legal = services.fund_create(
        actor=SYSTEM,
        organization=network,
        data=services.FundData(
            name="Defensa legal de personas migrantes",
            purpose="Abogadas y trámites para personas migrantes de nuestras comunas.",
            unit=unit,
            transparency="public",
            approval_rule="two_managers",
            managers=[first, second],
        ),
    )
    services.contribution_receive(
        actor=first, fund=legal, amount=150_000, description="Aporte del Congreso"
    )
    cases = _legal_cases(rng, legal, first, second, today)
    owned = _congress_fund(network, unit, first, second)
    return (
        f"Funds demo: {2 + owned} funds, {received} contributions, {spent} payments, "
        f"{len(contributors)} pledges, {cases} legal cases (team only)."
    )


def _congress_fund(network: Any, unit: Any, first: Any, second: Any) -> int:
    """A fund owned by the confederation's Congress (its spending approved by the
    Congress's vote, the default for a body's fund), with one contribution and a request
    waiting for that vote. 1 when made, 0 without a Congress."""
    congress = Body.objects.filter(organization=network, slug="congreso").first()
    if congress is None:
        return 0
    fund = services.fund_create(
        actor=SYSTEM,
        organization=network,
        data=services.FundData(
            name="Fondo del Congreso para las asambleas regionales",
            purpose="Viajes y alojamiento de las delegadas a las asambleas regionales.",
            purposes={
                "en": "Travel and lodging of the delegates to the regional assemblies.",
                "pt": "Viagens e hospedagem das delegadas às assembleias regionais.",
                "fr": "Voyages et hébergement des déléguées aux assemblées régionales.",
                "ht": "Vwayaj ak lojman delege yo nan asanble rejyonal yo.",
            },
            unit=unit,
            managers=[first, second],
            owner_body=congress,
        ),
    )
    services.contribution_receive(
        actor=first, fund=fund, amount=80_000, description="Aporte de las comunas al Congreso"
    )
    services.spending_request(
        actor=first,
        fund=fund,
        kind="expense",
        amount=20_000,
        category="travel",
        description="Pasajes a la asamblea regional andina",
        payee="Cooperativa de transporte",
    )
    return 1


def _legal_cases(rng: random.Random, fund: Fund, first: Any, second: Any, today: Any) -> int:
    """Invented cases, sealed like real ones: the first manager coordinates them all, the
    second is the lawyer of every other one; nobody else sees any."""
    services.budget_set(
        actor=SYSTEM, fund=fund, category="legal-fees", year=today.year, amount=120_000
    )
    kinds = ["asylum"] * 6 + ["deportation"] * 3 + ["labour"] * 2 + ["detention"]
    names = ["Ceiba", "Colibrí", "Quetzal", "Jaguar", "Maíz", "Cóndor", "Tucán", "Lluvia",
             "Río", "Luna", "Sol", "Arena"]  # fmt: skip
    countries = ["MX"] * 7 + ["US"] * 5
    for number, (kind, name, country) in enumerate(zip(kinds, names, countries, strict=True)):
        case = services.case_open(
            actor=first,
            fund=fund,
            data=services.CaseData(
                pseudonym=name,
                country=country,
                kind=kind,
                place="Tijuana" if country == "MX" else "San Diego",
                summary="Caso inventado para la demostración.",
            ),
        )
        if number % 2 == 0:
            services.member_add(actor=first, case=case, user=second, role="lawyer")
        services.date_add(
            actor=first,
            case=case,
            kind="hearing" if number % 3 else "deadline",
            on=today + timedelta(days=rng.randint(2, 60)),
            what="Audiencia" if number % 3 else "Entregar pruebas",
            where="Tribunal" if number % 3 else "",
        )
        services.note_add(actor=first, case=case, text="Primera entrevista hecha.")
        if number < 3:
            services.expense_request(
                actor=first,
                case=case,
                amount=rng.randint(5, 20) * 1_000,
                category="legal-fees",
                paid_to="Abogada",
                what_for="Honorarios",
            )
    return len(kinds)
