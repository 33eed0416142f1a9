"""A keeper corrects an accession's passport data after registration: one service (page and
API call it), atomic, audited field by field, harmless when sent again, refused to anyone
but the bank's keepers, and the risk rows follow the new data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import AuditEntry, Visibility
from minga.people.services import access_token_create, access_token_revoke
from minga.seeds import services, tally
from minga.seeds.models import Accession
from tests import factories
from tests.seeds import factories as seeds

API = "/api/v1/seeds"


def _edits() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="seeds.accession.update"))


def test_an_edit_changes_the_fields_given_and_records_old_and_new(bank: Any, keeper: Any) -> None:
    """Only the fields sent change; the audit entry names the keeper and each field's old
    and new value; the other passport fields keep theirs."""
    accession = seeds.accession(bank, ORIGCTY="PER", COLLSITE="Chacra alta")
    changes = services.accession_update(
        actor=keeper,
        accession=accession,
        data=services.AccessionEdit(
            mcpd={"ACCENAME": "Kulli", "DONORNAME": "Familia Huamán", "REMARKS": "Grano morado"},
            local_names={"qu": "kulli sara"},
        ),
    )
    accession.refresh_from_db()
    assert (accession.accename, accession.donorname, accession.remarks) == (
        "Kulli",
        "Familia Huamán",
        "Grano morado",
    )
    assert accession.local_names == {"qu": "kulli sara"}
    assert (accession.origcty, accession.collsite, accession.custodian) == (
        "PER",
        "Chacra alta",
        "Familia Pérez",
    )
    assert changes["accename"] == ["", "Kulli"]
    [entry] = _edits()
    assert entry.actor == keeper and entry.object_uuid == accession.uuid
    assert entry.changes == {
        "accename": ["", "Kulli"],
        "donorname": ["", "Familia Huamán"],
        "remarks": ["", "Grano morado"],
        "local_names": [{}, {"qu": "kulli sara"}],
    }


def test_sending_the_current_values_changes_nothing_and_writes_no_audit(
    bank: Any, keeper: Any
) -> None:
    """An edit whose values are the current ones (a form sent twice, a retried request)
    returns no change and writes nothing, even with coordinates and elevation."""
    accession = seeds.accession(
        bank, DECLATITUDE="-13.5167", DECLONGITUDE="-71.9781", ELEVATION="3400", SAMPSTAT="410"
    )
    edit = services.AccessionEdit(mcpd={"ACCENAME": "Kulli"}, custodian="Familia Pérez")
    services.accession_update(actor=keeper, accession=accession, data=edit)
    stamp = Accession.objects.get(pk=accession.pk).updated_at
    assert services.accession_update(actor=keeper, accession=accession, data=edit) == {}
    assert (
        services.accession_update(actor=keeper, accession=accession, data=services.AccessionEdit())
        == {}
    )
    assert len(_edits()) == 1
    assert Accession.objects.get(pk=accession.pk).updated_at == stamp


def test_bad_values_name_the_field_and_change_nothing(bank: Any, keeper: Any) -> None:
    """A value the standard refuses, an unknown field or a number another accession of the
    bank has: a coded refusal naming the field, and the accession as it was."""
    accession = seeds.accession(bank, ACCENAME="Kulli")
    other = seeds.accession(bank)
    cases = [
        ({"ORIGCTY": "XXX"}, "origcty", "invalid_mcpd"),
        ({"COLLDATE": "2019-13-01"}, "colldate", "invalid_mcpd"),
        ({"NOSUCH": "1"}, "nosuch", "unknown_field"),
        ({"ACCENUMB": other.accenumb}, "accenumb", "duplicate_accession"),
    ]
    for mcpd, field, code in cases:
        with pytest.raises(DomainError) as refused:
            services.accession_update(
                actor=keeper,
                accession=accession,
                data=services.AccessionEdit(mcpd={**mcpd, "ACCENAME": "Otro"}),
            )
        assert (refused.value.field, refused.value.code) == (field, code), mcpd
    with pytest.raises(DomainError) as refused:
        services.accession_update(
            actor=keeper, accession=accession, data=services.AccessionEdit(visibility="secret")
        )
    assert refused.value.code == "unknown_visibility"
    accession.refresh_from_db()
    assert accession.accename == "Kulli" and not _edits()


def test_only_the_bank_keepers_edit(
    bank: Any, keeper: Any, neighbour_keeper: Any, neighbour: Any, commune: Any
) -> None:
    """A stranger, a plain member of the commune and another bank's keeper are refused."""
    accession = seeds.accession(bank)
    member = factories.person("miembro")
    factories.role(member, commune, "member")
    seeds.bank(neighbour, name="Otro banco")
    for person in (factories.person("extraño"), member, neighbour_keeper):
        with pytest.raises(PermissionDenied):
            services.accession_update(
                actor=person,
                accession=accession,
                data=services.AccessionEdit(mcpd={"ACCENAME": "x"}),
            )
    assert not _edits()


def test_a_safety_duplicate_added_leaves_the_risk_rows(bank: Any, keeper: Any) -> None:
    """Adding DUPLSITE takes the accession off “no safety duplicate” in the kept tallies
    (equal to a recount), and removing it puts it back."""
    accession = seeds.accession(bank)
    seeds.lot(accession, seeds=10_000)
    today = timezone.localdate()
    assert tally.risk_counts(bank, today).duplicate == 1
    services.accession_update(
        actor=keeper,
        accession=accession,
        data=services.AccessionEdit(mcpd={"DUPLSITE": "NOR051", "DUPLINSTNAME": "Svalbard"}),
    )
    kept = tally.risk_counts(bank, today)
    tally.recount(bank.pk)
    assert kept == tally.risk_counts(bank, today)
    assert kept.duplicate == 0 and kept.total == 0
    services.accession_update(
        actor=keeper, accession=accession, data=services.AccessionEdit(mcpd={"DUPLSITE": ""})
    )
    assert tally.risk_counts(bank, today).duplicate == 1


def test_a_new_species_recomputes_the_regeneration_dates(bank: Any, keeper: Any) -> None:
    """Wheat has published constants, an unknown species none: changing the taxon changes
    the lot's and the accession's regeneration date and the tallies follow."""
    accession = seeds.accession(bank, genus="Triticum", species="aestivum")
    lot = seeds.lot(accession)
    seeds.germination(lot, germinated=95, days_ago=10)
    accession.refresh_from_db()
    assert accession.regenerate_on is not None
    services.accession_update(
        actor=keeper,
        accession=accession,
        data=services.AccessionEdit(mcpd={"GENUS": "Inventada", "SPECIES": "nova"}),
    )
    accession.refresh_from_db()
    lot.refresh_from_db()
    assert accession.regenerate_on is None and lot.regenerate_on is None
    kept = tally.risk_counts(bank, timezone.localdate() + timezone.timedelta(days=365 * 400))
    tally.recount(bank.pk)
    assert kept == tally.risk_counts(
        bank, timezone.localdate() + timezone.timedelta(days=365 * 400)
    )


def test_visibility_narrowed_to_the_organization_hides_it(
    bank: Any, keeper: Any, commune: Any, neighbour_keeper: Any
) -> None:
    """Made visible to the organization only, the accession is shared with the bank's
    organization and no longer shown to another commune."""
    accession = seeds.accession(bank)
    url = reverse("seeds:accession", kwargs={"uuid": accession.uuid})
    other = Client()
    other.force_login(neighbour_keeper)
    assert other.get(url).status_code == 200
    services.accession_update(
        actor=keeper,
        accession=accession,
        data=services.AccessionEdit(visibility=Visibility.ORGANIZATIONS),
    )
    assert list(accession.visible_to_organizations.all()) == [commune]
    assert other.get(url).status_code == 404


def test_the_page_is_prefilled_saves_and_confirms(bank: Any, keeper: Any) -> None:
    """The keeper's form shows the current values; saving confirms, saving the same again
    says nothing changed; a bad value is shown on its field."""
    accession = seeds.accession(bank, ACCENAME="Kulli", ORIGCTY="PER", SAMPSTAT="410")
    client = Client()
    client.force_login(keeper)
    url = reverse("seeds:accession_edit", kwargs={"uuid": accession.uuid})
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["accename"].value() == "Kulli" and form["origcty"].value() == "PER"
    assert form["sampstat"].value() == 410
    data = {
        name: ("" if value is None else value)
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    data["duplsite"] = "NOR051"
    saved = client.post(url, data, follow=True)
    assert "The passport data were saved." in saved.content.decode()
    accession.refresh_from_db()
    assert accession.duplsite == "NOR051" and accession.sampstat == 410
    again = client.post(url, data, follow=True)
    assert "Nothing was changed" in again.content.decode()
    assert len(_edits()) == 1
    bad = client.post(url, {**data, "origcty": "XXX"})
    assert bad.status_code == 200 and bad.context["form"].errors["origcty"]
    detail = client.get(accession.get_absolute_url()).content.decode()
    assert url in detail


def test_the_page_is_refused_to_others(
    bank: Any, keeper: Any, neighbour_keeper: Any, commune: Any
) -> None:
    """Another commune's keeper gets 403; an accession it may not see is 404."""
    accession = seeds.accession(bank)
    hidden = seeds.accession(bank, visibility=Visibility.ORGANIZATIONS)
    client = Client()
    client.force_login(neighbour_keeper)
    url = reverse("seeds:accession_edit", kwargs={"uuid": accession.uuid})
    assert client.get(url).status_code == 403
    assert client.post(url, {"accenumb": "X", "genus": "Zea"}).status_code == 403
    hidden_url = reverse("seeds:accession_edit", kwargs={"uuid": hidden.uuid})
    assert client.get(hidden_url).status_code == 404
    assert Client().get(url).status_code == 302
    assert not _edits()


def test_the_api_patches_with_coded_errors_and_refusals(
    bank: Any, keeper: Any, neighbour_keeper: Any
) -> None:
    """PATCH changes only what is sent; bad input is a coded 422 naming the field;
    another commune's keeper 403, a hidden accession 404, a revoked token 401."""
    accession = seeds.accession(bank)
    hidden = seeds.accession(bank, visibility=Visibility.ORGANIZATIONS)
    url = f"{API}/accessions/{accession.uuid}"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(keeper)}")
    done = api.patch(
        url, {"mcpd": {"DUPLSITE": "NOR051"}, "story": "Maíz de fiesta"}, "application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["duplsite"] == "NOR051"
    accession.refresh_from_db()
    assert accession.story == "Maíz de fiesta" and accession.custodian == "Familia Pérez"
    bad = api.patch(url, {"mcpd": {"ORIGCTY": "XXX"}}, "application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "origcty"
    assert bad.json()["code"] == "invalid_mcpd"
    other = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(neighbour_keeper)}")
    refused = other.patch(url, {"story": "x"}, "application/json")
    assert refused.status_code == 403 and refused.json()["code"]
    hidden_url = f"{API}/accessions/{hidden.uuid}"
    assert other.patch(hidden_url, {"story": "x"}, "application/json").status_code == 404
    token, secret = access_token_create(user=keeper, name="old", scope="write")
    access_token_revoke(user=keeper, token_id=token.pk)
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert revoked.patch(url, {"story": "x"}, "application/json").status_code == 401
    assert len(_edits()) == 1
