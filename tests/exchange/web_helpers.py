"""A small federation with a unit of account, for the exchange's permission, API and page
tests: who is who, and short ways to sign in and to call the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from minga.common.permissions import SYSTEM
from minga.exchange import services
from minga.exchange.models import Account, Unit
from tests import factories

API = "/api/v1/exchange"


@dataclass
class World:
    network: Any
    unit: Unit
    maizal: Any  # a commune with an account
    semillas: Any  # another commune with an account
    newcomer_org: Any  # a member of the network without an account yet
    outsider_org: Any  # not a member of the network
    a: Account  # El Maizal's account
    b: Account  # Semillas' account
    people: dict[str, Any]


def build_world() -> World:
    network = factories.organization(kind="network", name="Red de Comunas", slug="red")
    maizal = factories.organization(name="Comuna El Maizal", slug="maizal")
    semillas = factories.organization(name="Cooperativa Semillas", slug="semillas")
    newcomer_org = factories.organization(name="Comuna Nueva", slug="nueva")
    outsider_org = factories.organization(name="Comuna Lejana", slug="lejana")
    for member in (maizal, semillas, newcomer_org):
        factories.membership(member, network)
    unit = services.unit_create(
        actor=SYSTEM,
        code="MINGA",
        name="Minga",
        kind="community",
        network=network,
        scale=2,
        default_lowest_balance=-10_000,
    )
    a = services.account_open(actor=SYSTEM, organization=maizal, unit=unit)
    b = services.account_open(actor=SYSTEM, organization=semillas, unit=unit)
    other_network = factories.organization(kind="network", name="Otra Red", slug="otra-red")
    people = {
        "anonymous": None,
        "outsider": factories.person("outsider"),
        "member": factories.person("member"),
        "spokesperson": factories.person("spokesperson"),
        "maizal_coordinator": factories.person("maizal-coordinator"),
        "payee": factories.person("payee"),
        "network_coordinator": factories.person("network-coordinator"),
        "network_member": factories.person("network-member"),
        "other_coordinator": factories.person("other-coordinator"),
        "superuser": factories.person("root", is_superuser=True, is_staff=True),
    }
    factories.role(people["member"], maizal, "member")
    factories.role(people["spokesperson"], maizal, "spokesperson")
    factories.role(people["maizal_coordinator"], maizal, "coordinator")
    factories.role(people["payee"], semillas, "spokesperson")
    factories.role(people["network_coordinator"], network, "coordinator")
    factories.role(people["network_member"], network, "member")
    factories.role(people["other_coordinator"], other_network, "coordinator")
    return World(network, unit, maizal, semillas, newcomer_org, outsider_org, a, b, people)


def token_client(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def page_client(user: Any) -> Client:
    """Signed in; with a confirmed authenticator, which coordinators must have."""
    return factories.verified_client(user)


def send(client: Client, path: str, payload: Any, method: str = "post") -> Any:
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json"
    )


def transfer(debit: Account, credit: Account, amount: int, client_id: str, **extra: Any) -> dict:
    return {
        "client_id": client_id,
        "debit": str(debit.uuid),
        "credit": str(credit.uuid),
        "unit": debit.unit.code,
        "amount": amount,
        **extra,
    }


def balances(*accounts: Account) -> list[int]:
    return [Account.objects.get(pk=a.pk).balance for a in accounts]
