"""The seed bank's pages: the keeper's workflow, another commune's request, and what
strangers may not see or do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from minga.common.models import Visibility
from minga.seeds.models import Accession, GerminationTest, Lot, RequestStatus, SeedRequest
from tests import factories
from tests.seeds import factories as seeds


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_keeper_registers_an_accession_a_lot_and_a_test_and_sees_the_prediction(
    bank: Any, keeper: Any
) -> None:
    """Through the pages: a wheat accession, a lot at 12 % and 20 °C, a test of 95 %; the lot
    page shows today's predicted viability, the regeneration date and the curve."""
    client = _client(keeper)
    response = client.post(
        f"/seeds/banks/{bank.uuid}/accessions/new/",
        {
            "accenumb": "MZ-1",
            "genus": "Triticum",
            "species": "aestivum",
            "sampstat": "300",
            "origcty": "ven",
            "acqdate": "2024----",
            "visibility": Visibility.PUBLIC,
            "local_names": "es: trigo criollo\nqu: sara triku",
        },
    )
    accession = Accession.objects.get(accenumb="MZ-1")
    assert response.status_code == 302 and response["Location"] == accession.get_absolute_url()
    assert accession.origcty == "VEN" and accession.local_names == {
        "es": "trigo criollo",
        "qu": "sara triku",
    }
    response = client.post(
        f"/seeds/accessions/{accession.uuid}/lots/new/",
        {
            "code": "L1",
            "seeds": "2000",
            "received_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "storage_temperature": "20",
            "moisture_percent": "12",
            "distributable": "on",
        },
    )
    lot = Lot.objects.get(code="L1")
    assert response.status_code == 302
    response = client.post(
        f"/seeds/lots/{lot.uuid}/tests/new/",
        {
            "tested_on": timezone.localdate().isoformat(),
            "sown": "100",
            "germinated": "95",
            "abnormal": "2",
            "dead": "3",
            "replicates": "4",
        },
    )
    assert response.status_code == 302 and GerminationTest.objects.count() == 1
    page = client.get(lot.get_absolute_url()).content.decode()
    assert "Today: 95.0 % viable." in page
    assert 'id="regenerate-on"' in page and "<svg" in page and "<polyline" in page
    assert "Ellis et al. (2007)" in page
    assert Lot.objects.get(pk=lot.pk).seeds == 1900


def test_a_bad_mcpd_value_is_shown_on_its_field(bank: Any, keeper: Any) -> None:
    response = _client(keeper).post(
        f"/seeds/banks/{bank.uuid}/accessions/new/",
        {"accenumb": "X", "genus": "Zea", "sampstat": "300", "acqdate": "2024AB01",
         "visibility": "public"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a date written YYYYMMDD" in page, page[page.find("errorlist") - 300 :][:600]
    assert not Accession.objects.exists()


def test_local_names_are_read_line_by_line_and_a_bad_line_is_named(bank: Any, keeper: Any) -> None:
    """Several local names, one per line; a line without its language tag is refused
    naming the line, and nothing is registered."""
    response = _client(keeper).post(
        f"/seeds/banks/{bank.uuid}/accessions/new/",
        {"accenumb": "N-1", "genus": "Zea", "sampstat": "300", "visibility": "public",
         "local_names": "qu: kulli sara\nmaíz morado"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Line 2: the language tag, a colon, then the name" in response.content.decode()
    assert not Accession.objects.exists()


def test_date_pickers_hold_iso_dates_in_every_language(bank: Any, keeper: Any) -> None:
    """A browser's date input shows only an ISO value: in Spanish (whose dates read
    30/11/2026) the lot and test forms still come with today's date filled in."""
    lot = seeds.lot(seeds.accession(bank))
    client = _client(keeper)
    client.cookies["minga_language"] = "es"
    today = timezone.localdate().isoformat()
    for path in (
        f"/seeds/lots/{lot.uuid}/tests/new/",
        f"/seeds/accessions/{lot.accession.uuid}/lots/new/",
    ):
        page = client.get(path).content.decode()
        assert 'lang="es"' in page
        assert (
            f'type="date" name="{"tested_on" if "tests" in path else "received_on"}" value="{today}"'
            in page
        )


def test_another_commune_requests_and_the_bank_ships(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """The neighbour sees the conditions, asks for 100 seeds; the keeper approves and ships."""
    lot = seeds.lot(seeds.accession(bank), seeds=500)
    neighbour_client = _client(neighbour_keeper)
    form = neighbour_client.get(f"/seeds/lots/{lot.uuid}/request/").content.decode()
    assert "Devolver semilla." in form
    response = neighbour_client.post(
        f"/seeds/lots/{lot.uuid}/request/",
        {"requester": neighbour.slug, "seeds": "100", "settlement": "gift",
         "conditions_accepted": "on"},
    )  # fmt: skip
    seed_request = SeedRequest.objects.get()
    assert response.status_code == 302 and seed_request.requester == neighbour
    keeper_client = _client(keeper)
    assert "Requests to answer" in keeper_client.get(bank.get_absolute_url()).content.decode()
    keeper_client.post(f"/seeds/requests/{seed_request.uuid}/approve/", {"answer": "Con gusto"})
    keeper_client.post(f"/seeds/requests/{seed_request.uuid}/ship/")
    seed_request.refresh_from_db()
    assert seed_request.status == RequestStatus.SHIPPED
    assert Lot.objects.get(pk=lot.pk).seeds == 400
    page = neighbour_client.get(seed_request.get_absolute_url()).content.decode()
    assert "Shipped" in page


def test_strangers_cannot_act_or_see_requests(
    bank: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """A signed-in stranger gets 403 on the keeper's forms and 404 on others' requests."""
    lot = seeds.lot(seeds.accession(bank))
    stranger = _client(factories.person("extrana"))
    assert stranger.get(f"/seeds/lots/{lot.uuid}/tests/new/").status_code == 403
    assert stranger.get(f"/seeds/banks/{bank.uuid}/accessions/new/").status_code == 403
    seed_request = SeedRequest.objects.create(
        lot=lot, requester=neighbour, seeds=5, conditions_accepted=True
    )
    assert stranger.get(seed_request.get_absolute_url()).status_code == 404
    assert stranger.post(f"/seeds/requests/{seed_request.uuid}/approve/").status_code == 404
    assert SeedRequest.objects.get().status == RequestStatus.REQUESTED


def test_restricted_accessions_and_sensitive_fields_stay_hidden(
    bank: Any, keeper: Any, commune: Any
) -> None:
    """A members-only accession answers 404 to others and leaves the catalogue; a public one
    shows its passport but not its custodian or coordinates to outsiders."""
    hidden = seeds.accession(bank, visibility=Visibility.ORGANIZATIONS)
    seeds.lot(hidden, code="H1")
    public = seeds.accession(bank, DECLATITUDE="10.5", DECLONGITUDE="-66.9")
    seeds.lot(public, code="P1")
    anonymous = Client()
    assert anonymous.get(hidden.get_absolute_url()).status_code == 404
    catalogue = anonymous.get("/seeds/").content.decode()
    assert str(public) in catalogue and str(hidden) not in catalogue
    outsider_page = anonymous.get(public.get_absolute_url()).content.decode()
    assert "Familia Pérez" not in outsider_page and "-66.9" not in outsider_page
    insider_page = _client(keeper).get(public.get_absolute_url()).content.decode()
    assert "Familia Pérez" in insider_page and "-66.9" in insider_page
    assert _client(keeper).get(hidden.get_absolute_url()).status_code == 200


def test_catalogue_query_count_does_not_grow_with_lots(
    bank: Any, django_assert_max_num_queries: Any
) -> None:
    """The Index Seminum lists 20 lots in a fixed number of queries."""
    for _ in range(20):
        seeds.lot(seeds.accession(bank))
    with django_assert_max_num_queries(8):
        response = Client().get("/seeds/")
    assert response.content.decode().count("<tr>") == 21
