"""The seed bank's API writes what its pages write: accessions, lots, germination tests,
grow-outs and their harvests, for the bank's keepers only, with coded errors; and reads
the tests and grow-outs with the pages' visibility."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.models import Visibility
from minga.seeds import selectors
from minga.seeds.models import Accession, GerminationTest, Lot, Regeneration
from tests import factories
from tests.seeds import factories as seeds

API = "/api/v1/seeds"


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _lot_payload(code: str, **fields: Any) -> dict[str, Any]:
    received = (timezone.localdate() - timedelta(days=30)).isoformat()
    return {
        "code": code,
        "received_on": received,
        "storage_temperature": "5.0",
        "moisture_percent": "6.5",
        "room": "Cuarto frío",
        **fields,
    }


def test_keeper_registers_accession_lot_test_and_grow_out_through_the_api(
    bank: Any, keeper: Any, commune: Any
) -> None:
    """The whole keeper's workflow by token: each write answers 201 with the object, the
    test takes its seeds from the lot, and the harvest is a child of the sown lot."""
    api = _api(keeper)
    created = _post(
        api,
        f"{API}/banks/{bank.uuid}/accessions",
        {
            "mcpd": {"ACCENUMB": "API-1", "GENUS": "Zea", "SPECIES": "mays", "ORIGCTY": "PER"},
            "local_names": {"qu": "sara"},
            "custodian": "Familia Quispe",
            "visibility": "organizations",
        },
    )
    assert created.status_code == 201, created.content
    accession = Accession.objects.get(accenumb="API-1")
    assert created.json()["custodian"] == "Familia Quispe"
    assert list(accession.visible_to_organizations.all()) == [commune]

    lot_answer = _post(
        api,
        f"{API}/accessions/{accession.uuid}/lots",
        _lot_payload("L1", grams="30", hundred_seed_weight_mg=30000),
    )
    assert lot_answer.status_code == 201, lot_answer.content
    assert lot_answer.json()["seeds"] == 100
    assert lot_answer.json()["room"] == "Cuarto frío"
    lot = Lot.objects.get(code="L1")

    test_answer = _post(
        api,
        f"{API}/lots/{lot.uuid}/tests",
        {"tested_on": timezone.localdate().isoformat(), "sown": 20, "germinated": 18},
    )
    assert test_answer.status_code == 201, test_answer.content
    assert test_answer.json()["percent"] == 90.0
    lot.refresh_from_db()
    assert lot.seeds == 80
    history = api.get(f"{API}/lots/{lot.uuid}/tests").json()
    assert [row["germinated"] for row in history] == [18]

    plan = _post(
        api,
        f"{API}/lots/{lot.uuid}/regenerations",
        {
            "grower": str(commune.uuid),
            "place": "Chacra alta",
            "sow_on": timezone.localdate().isoformat(),
            "plants": 20,
            "seeds_used": 30,
        },
    )
    assert plan.status_code == 201, plan.content
    assert plan.json()["place"] == "Chacra alta"
    regeneration = Regeneration.objects.get()
    harvest = _post(
        api, f"{API}/regenerations/{regeneration.uuid}/harvest", _lot_payload("L2", seeds=900)
    )
    assert harvest.status_code == 201, harvest.content
    assert harvest.json()["parent"] == str(lot.uuid)
    assert api.get(f"{API}/regenerations/{regeneration.uuid}").json()["status"] == "harvested"
    again = _post(
        api, f"{API}/regenerations/{regeneration.uuid}/harvest", _lot_payload("L3", seeds=9)
    )
    assert again.status_code == 409 and again.json()["code"] == "regeneration_closed"


def test_bad_input_is_a_coded_error_naming_the_field_and_writes_nothing(
    bank: Any, keeper: Any
) -> None:
    api = _api(keeper)
    bad_country = _post(
        api,
        f"{API}/banks/{bank.uuid}/accessions",
        {"mcpd": {"ACCENUMB": "X-1", "GENUS": "Zea", "ORIGCTY": "PE"}},
    )
    assert bad_country.status_code == 422
    assert bad_country.json()["field"] == "origcty"
    hidden_to_keepers = _post(
        api,
        f"{API}/banks/{bank.uuid}/accessions",
        {"mcpd": {"ACCENUMB": "X-2", "GENUS": "Zea"}, "visibility": "custodians"},
    )
    assert hidden_to_keepers.status_code == 422
    assert hidden_to_keepers.json()["code"] == "unknown_visibility"
    assert not Accession.objects.exists()

    accession = seeds.accession(bank)
    other = seeds.lot(seeds.accession(bank), code="OTHER")
    foreign = _post(
        api,
        f"{API}/accessions/{accession.uuid}/lots",
        _lot_payload("L9", seeds=10, parent=str(other.uuid)),
    )
    assert foreign.status_code == 422 and foreign.json()["field"] == "parent"
    lot = seeds.lot(accession, seeds=10)
    too_many = _post(
        api,
        f"{API}/lots/{lot.uuid}/tests",
        {"tested_on": timezone.localdate().isoformat(), "sown": 50, "germinated": 40},
    )
    assert too_many.status_code == 409 and too_many.json()["code"] == "not_enough_seeds"
    assert not GerminationTest.objects.filter(lot=lot).exists()
    assert Lot.objects.filter(accession=accession).count() == 1


def test_only_the_bank_keepers_write_and_outsiders_do_not_read_the_places(
    bank: Any, keeper: Any, commune: Any, neighbour_keeper: Any
) -> None:
    """Another commune's keeper is refused every write (403, or 404 for what it may not
    see); it reads the tests and the grow-out but not where the lot is stored or grown."""
    accession = seeds.accession(bank)
    lot = seeds.lot(accession, room="Cuarto frío")
    seeds.germination(lot)
    _post(
        _api(keeper),
        f"{API}/lots/{lot.uuid}/regenerations",
        {
            "grower": str(commune.uuid),
            "place": "Chacra alta",
            "sow_on": timezone.localdate().isoformat(),
            "plants": 5,
            "seeds_used": 10,
        },
    )
    regeneration = Regeneration.objects.get()
    other = _api(neighbour_keeper)
    writes = [
        (f"{API}/banks/{bank.uuid}/accessions", {"mcpd": {"ACCENUMB": "Z", "GENUS": "Zea"}}),
        (f"{API}/accessions/{accession.uuid}/lots", _lot_payload("Z", seeds=5)),
        (
            f"{API}/lots/{lot.uuid}/tests",
            {"tested_on": timezone.localdate().isoformat(), "sown": 1, "germinated": 1},
        ),
        (f"{API}/regenerations/{regeneration.uuid}/harvest", _lot_payload("Z", seeds=5)),
    ]
    for url, data in writes:
        response = _post(other, url, data)
        assert response.status_code == 403, (url, response.content)
        assert response.json()["code"]
    assert (
        Client().post(writes[0][0], writes[0][1], content_type="application/json").status_code
        == 401
    )
    assert Lot.objects.count() == 1 and Accession.objects.count() == 1
    assert other.get(f"{API}/lots/{lot.uuid}").json()["room"] is None
    assert other.get(f"{API}/lots/{lot.uuid}/tests").status_code == 200
    assert other.get(f"{API}/regenerations/{regeneration.uuid}").json()["place"] is None
    assert _api(keeper).get(f"{API}/lots/{lot.uuid}").json()["room"] == "Cuarto frío"


def test_a_commune_of_the_banks_network_may_grow_it_out_and_no_other(
    bank: Any, commune: Any, keeper: Any, neighbour: Any
) -> None:
    """A member of a network the bank's commune belongs to may be chosen as grower on the
    page and through the API, though the keeper does not manage it; a commune outside the
    bank's networks, or a network member the keeper may not read, is refused and nothing is
    planned."""
    network = factories.organization(name="Red de Semillas", slug="red", kind="network")
    factories.membership(commune, network)
    factories.membership(neighbour, network)
    hidden = factories.organization(
        name="Comuna Reservada", slug="reservada", visibility=Visibility.CUSTODIANS
    )
    factories.membership(hidden, network)
    outsider = factories.organization(name="Comuna Lejana", slug="lejana")
    lot = seeds.lot(seeds.accession(bank), seeds=500)
    choices = set(selectors.grower_choices(keeper, lot).values_list("slug", flat=True))
    assert choices == {"maizal", "vecina"}

    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(keeper)}")
    plan = {
        "place": "Conuco de la vecina",
        "sow_on": timezone.localdate().isoformat(),
        "plants": 20,
        "seeds_used": 30,
    }
    for refused in (outsider, hidden):
        answer = _post(
            api, f"{API}/lots/{lot.uuid}/regenerations", {**plan, "grower": str(refused.uuid)}
        )
        assert answer.status_code == 422 and answer.json()["code"] == "unknown_grower"
    assert not Regeneration.objects.exists()
    lot.refresh_from_db()
    assert lot.seeds == 500
    answer = _post(
        api, f"{API}/lots/{lot.uuid}/regenerations", {**plan, "grower": str(neighbour.uuid)}
    )
    assert answer.status_code == 201, answer.content
    assert Regeneration.objects.get().grower == neighbour

    page = Client()
    page.force_login(keeper)
    url = reverse("seeds:regeneration_create", kwargs={"uuid": lot.uuid})
    form = page.get(url).content.decode()
    assert 'value="vecina"' in form and 'value="lejana"' not in form
    assert 'value="reservada"' not in form
    sent = page.post(url, {**plan, "grower": "vecina"})
    assert sent.status_code == 302
    assert Regeneration.objects.filter(grower=neighbour).count() == 2
