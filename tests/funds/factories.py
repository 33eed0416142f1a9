"""A small world for the funds' tests: a network with a unit, two communes with accounts,
two managers, a member, a stranger; and funds made through the service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from minga.common.permissions import SYSTEM
from minga.exchange import services as exchange
from minga.funds import services
from minga.funds.models import Fund
from tests import factories


@dataclass
class FundsWorld:
    network: Any
    commune: Any  # owns the funds
    neighbour: Any  # another commune, with its own account (receives grants)
    unit: Any
    first: Any  # manager
    second: Any  # manager
    member: Any  # member of the commune, not a manager
    stranger: Any


def world() -> FundsWorld:
    network = factories.organization(kind="network", name="Red de prueba")
    commune = factories.organization(name="Comuna Fondo")
    neighbour = factories.organization(name="Comuna Vecina")
    for organization in (commune, neighbour):
        factories.membership(organization, network)
    unit = exchange.unit_create(
        actor=SYSTEM, code="MINGA", name="Minga", kind="community", network=network, scale=2
    )
    for organization in (commune, neighbour):
        exchange.account_open(actor=SYSTEM, organization=organization, unit=unit)
    first, second = factories.person("primera"), factories.person("segunda")
    factories.role(first, commune, "spokesperson")
    factories.role(second, commune, "member")
    member, stranger = factories.person("miembro"), factories.person("extrana")
    factories.role(member, commune, "member")
    return FundsWorld(network, commune, neighbour, unit, first, second, member, stranger)


def fund(w: FundsWorld, **fields: Any) -> Fund:
    data = services.FundData(
        name=fields.pop("name", "Fondo de solidaridad"),
        purpose=fields.pop("purpose", "Apoyo mutuo"),
        unit=w.unit,
        managers=fields.pop("managers", [w.first, w.second]),
        visible_to=fields.pop("visible_to", [w.commune]),
        **fields,
    )
    return services.fund_create(actor=w.first, organization=w.commune, data=data)


def client_for(user: Any) -> Client:
    """A signed-in client; with a confirmed second factor for those who must have one
    (superusers, coordinators)."""
    from minga.people.two_factor import two_factor_required

    if two_factor_required(user):
        return factories.verified_client(user)
    client = Client()
    client.force_login(user)
    return client


def legal_case(w: FundsWorld, fund: Fund, **fields: Any) -> Any:
    """A case opened by ``w.first`` (a manager of ``fund``), its coordinator."""
    data = services.CaseData(
        pseudonym=fields.pop("pseudonym", "Rosa"),
        country=fields.pop("country", "MX"),
        kind=fields.pop("kind", "asylum"),
        place=fields.pop("place", "Tijuana"),
        summary=fields.pop("summary", "Asylum request pending."),
        **fields,
    )
    return services.case_open(actor=w.first, fund=fund, data=data)
