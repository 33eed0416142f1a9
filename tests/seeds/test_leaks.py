"""Every page and API endpoint of the seed bank, read by those who must not see a bank's
restricted material or its sensitive places: a stranger (signed out), a member of another
organization, the seed keeper of another bank, and a client with a revoked token. None of
them gets a server error, and none reads a members-only accession or its lots, a
custodian, exact coordinates, where the lots are stored, or where a commune grows them out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.people.models import PersonalAccessToken
from minga.people.services import access_token_revoke
from minga.seeds import services
from minga.seeds.models import RequestStatus, SeedRequest
from tests import factories
from tests.seeds import factories as seeds

API = "/api/v1/seeds"
# Words that only the bank's own organization may read (the requester may read its own
# request, tested apart).
SECRETS = (
    "HIDDEN-7",  # the members-only accession's number
    "HIDDENLOT",  # its lot
    "Familia Pérez",  # custodian (every factory accession has it)
    "-66.91",  # exact longitude
    "10.52",  # exact latitude
    "Cuarto-frio",  # storage room of a lot
    "Estante-9",  # shelf
    "Chakra-del-abuelo",  # where the grow-out is sown
)


@pytest.fixture
def world(bank: Any, commune: Any, neighbour: Any, neighbour_keeper: Any) -> dict[str, Any]:
    public = seeds.accession(bank, DECLATITUDE="10.52", DECLONGITUDE="-66.91")
    lot = seeds.lot(public, code="P1", seeds=2000, room="Cuarto-frio", shelf="Estante-9")
    seeds.germination(lot, days_ago=10)
    regeneration = services.regeneration_plan(
        actor=SYSTEM,
        lot=lot,
        grower=commune,
        place="Chakra-del-abuelo",
        sow_on=timezone.localdate() + timedelta(days=20),
        plants=50,
        seeds_used=100,
    )
    hidden = services.accession_create(
        actor=SYSTEM,
        bank=bank,
        data=services.AccessionData(
            mcpd={"ACCENUMB": "HIDDEN-7", "GENUS": "Zea", "SPECIES": "mays"},
            custodian="Familia Pérez",
            visibility=Visibility.ORGANIZATIONS,
        ),
    )
    hidden_lot = seeds.lot(hidden, code="HIDDENLOT", seeds=900)
    seeds.germination(hidden_lot, days_ago=5)
    seed_request = services.request_create(
        actor=neighbour_keeper,
        lot=lot,
        requester=neighbour,
        data=services.RequestData(seeds=50, conditions_accepted=True, purpose="Para la escuela"),
    )
    return {
        "bank": bank,
        "public": public,
        "lot": lot,
        "regeneration": regeneration,
        "hidden": hidden,
        "hidden_lot": hidden_lot,
        "request": seed_request,
    }


def _pages(world: dict[str, Any]) -> list[str]:
    bank, public, lot = world["bank"], world["public"], world["lot"]
    hidden, hidden_lot = world["hidden"], world["hidden_lot"]
    year = timezone.localdate().year
    return [
        "/seeds/",
        "/seeds/?page=2",
        "/seeds/banks/new/",
        bank.get_absolute_url(),
        f"/seeds/banks/{bank.uuid}/settings/",
        f"/seeds/banks/{bank.uuid}/inventory/",
        f"/seeds/banks/{bank.uuid}/at-risk/",
        f"/seeds/banks/{bank.uuid}/at-risk/?reason=quantity&after=x~y~z",
        f"/seeds/banks/{bank.uuid}/origins/",
        f"/seeds/banks/{bank.uuid}/import/",
        f"/seeds/banks/{bank.uuid}/mcpd.csv",
        f"/seeds/banks/{bank.uuid}/report-{year}.html",
        f"/seeds/banks/{bank.uuid}/report-{year}.pdf",
        f"/seeds/banks/{bank.uuid}/accessions/new/",
        public.get_absolute_url(),
        hidden.get_absolute_url(),
        f"/seeds/accessions/{public.uuid}/lots/new/",
        f"/seeds/accessions/{hidden.uuid}/lots/new/",
        lot.get_absolute_url(),
        hidden_lot.get_absolute_url(),
        f"/seeds/lots/{lot.uuid}/tests/new/",
        f"/seeds/lots/{hidden_lot.uuid}/tests/new/",
        f"/seeds/lots/{lot.uuid}/grow-out/",
        f"/seeds/lots/{lot.uuid}/request/",
        f"/seeds/lots/{hidden_lot.uuid}/request/",
        world["regeneration"].get_absolute_url(),
        "/seeds/requests/",
        world["request"].get_absolute_url(),
        # Canonical addresses resolve through the same readers.
        f"/seeds/accessions/{hidden.uuid}/",
        f"/{hidden.canonical_path_prefix}/{hidden.uuid}/",
        f"/{hidden_lot.canonical_path_prefix}/{hidden_lot.uuid}/",
        f"/{world['regeneration'].canonical_path_prefix}/{world['regeneration'].uuid}/",
    ]


def _api(world: dict[str, Any]) -> list[str]:
    bank, hidden, hidden_lot = world["bank"], world["hidden"], world["hidden_lot"]
    return [
        f"{API}/banks",
        f"{API}/banks/{bank.uuid}",
        f"{API}/banks/{bank.uuid}/inventory",
        f"{API}/banks/{bank.uuid}/at-risk",
        f"{API}/accessions",
        f"{API}/accessions/{world['public'].uuid}",
        f"{API}/accessions/{hidden.uuid}",
        f"{API}/lots",
        f"{API}/lots/{world['lot'].uuid}",
        f"{API}/lots/{hidden_lot.uuid}",
        f"{API}/requests",
    ]


def _posts(world: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Writes an outsider might try: each must be refused and change nothing."""
    seed_request, hidden_lot = world["request"], world["hidden_lot"]
    return [
        (f"/seeds/requests/{seed_request.uuid}/approve/", {}),
        (f"/seeds/requests/{seed_request.uuid}/ship/", {}),
        (f"/seeds/lots/{hidden_lot.uuid}/request/", {"seeds": "10"}),
        (f"/seeds/lots/{world['lot'].uuid}/tests/new/", {"sown": "10", "germinated": "9"}),
        (f"/seeds/accessions/{world['hidden'].uuid}/library/", {"item": "x"}),
        (world["regeneration"].get_absolute_url(), {"code": "X", "seeds": "5"}),
        (f"/seeds/banks/{world['bank'].uuid}/import/", {}),
    ]


def _outsiders(neighbour: Any, neighbour_keeper: Any) -> dict[str, Client]:
    member = factories.person("miembro-ajeno")
    factories.role(member, factories.organization(name="Otra", slug="otra"), "member")
    neighbour_bank = seeds.bank(neighbour, name="Banco Vecino")
    seeds.lot(seeds.accession(neighbour_bank), code="N1")
    clients = {"stranger": Client()}
    for name, person in (("member of another organization", member),):
        clients[name] = Client()
        clients[name].force_login(person)
    clients["keeper of another bank"] = Client()
    clients["keeper of another bank"].force_login(neighbour_keeper)
    return clients


def _assert_no_secret(who: str, url: str, response: Any, secrets: tuple[str, ...]) -> None:
    assert response.status_code < 500, f"{who}: {url} answered {response.status_code}"
    if response.status_code in (301, 302):
        location = response["Location"]
        assert all(secret not in location for secret in secrets), (who, url, location)
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    for secret in secrets:
        assert secret not in text, f"{who} read {secret!r} at {url}"


def test_outsiders_read_nothing_restricted_or_sensitive_anywhere(
    world: dict[str, Any], neighbour: Any, neighbour_keeper: Any
) -> None:
    """Every page, export, report, canonical address and API read, for each kind of
    outsider: no 500, and none of the bank's secrets in the body or a redirect. The
    requesting commune reads its own request (its purpose), the others do not."""
    for who, client in _outsiders(neighbour, neighbour_keeper).items():
        secrets = SECRETS if who == "keeper of another bank" else (*SECRETS, "Para la escuela")
        for url in [*_pages(world), *_api(world)]:
            _assert_no_secret(who, url, client.get(url), secrets)


def test_outsiders_change_nothing_and_learn_nothing_from_refusals(
    world: dict[str, Any], neighbour: Any, neighbour_keeper: Any
) -> None:
    """Writes by outsiders are refused (redirect to sign in, 403 or 404), their answers
    name nothing restricted, and the lots, tests and requests are as before."""
    before = (
        world["lot"].tests.count(),
        SeedRequest.objects.count(),
        world["hidden_lot"].seeds,
    )
    for who, client in _outsiders(neighbour, neighbour_keeper).items():
        for url, data in _posts(world):
            response = client.post(url, data)
            _assert_no_secret(who, url, response, SECRETS)
            assert response.status_code in (302, 403, 404, 405), (who, url, response.status_code)
        api_write = client.post(
            f"{API}/lots/{world['hidden_lot'].uuid}/requests",
            {"requester": str(neighbour.uuid), "seeds": 5, "conditions_accepted": True},
            content_type="application/json",
        )
        _assert_no_secret(who, "api request", api_write, SECRETS)
        assert api_write.status_code in (401, 403, 404)
    world["hidden_lot"].refresh_from_db()
    after = (
        world["lot"].tests.count(),
        SeedRequest.objects.count(),
        world["hidden_lot"].seeds,
    )
    assert after == before
    assert SeedRequest.objects.get().status == RequestStatus.REQUESTED


def test_a_revoked_token_reads_and_writes_nothing(world: dict[str, Any], keeper: Any) -> None:
    """The keeper's token, once revoked, is refused with a coded 401 on every endpoint,
    public ones included: a client learns at once that its token no longer works."""
    secret = factories.api_token(keeper)
    token = PersonalAccessToken.objects.get(user=keeper)
    access_token_revoke(user=keeper, token_id=token.pk)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for url in _api(world):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"
        _assert_no_secret("revoked token", url, response, SECRETS)
    response = client.post(
        f"{API}/requests/{world['request'].uuid}/approve",
        {},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert SeedRequest.objects.get().status == RequestStatus.REQUESTED


def test_the_bank_reads_its_own_secrets_and_the_grower_its_place(
    world: dict[str, Any], keeper: Any
) -> None:
    """What the outsiders may not read is there for the bank's keeper (the checks above are
    not passing on empty pages)."""
    client = Client()
    client.force_login(keeper)
    lot_page = client.get(world["lot"].get_absolute_url()).content.decode()
    assert "Cuarto-frio" in lot_page and "Estante-9" in lot_page
    place = client.get(world["regeneration"].get_absolute_url()).content.decode()
    assert "Chakra-del-abuelo" in place
    accession_page = client.get(world["public"].get_absolute_url()).content.decode()
    assert "Familia Pérez" in accession_page and "-66.91" in accession_page
    listing = client.get(world["bank"].get_absolute_url()).content.decode()
    assert "HIDDEN-7" in listing
    assert client.get(world["hidden_lot"].get_absolute_url()).status_code == 200
