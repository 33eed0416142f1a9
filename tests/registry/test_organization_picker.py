"""The organization picker: typed names resolved by the server, suggestions as one types,
and no page that sends a list of every organization."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from minga.common.models import Visibility
from minga.registry.models import Organization
from minga.registry.selectors import organization_picker, visible_organizations
from tests import factories


class PickForm(forms.Form):
    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_picker(queryset=queryset)


@pytest.fixture
def many(db: None) -> list[Organization]:
    return [
        factories.organization(name=f"Comuna Número {number:03d}", slug=f"numero-{number:03d}")
        for number in range(30)
    ]


def _pick(text: str, **extra: str) -> PickForm:
    form = PickForm({"organization": text, **extra}, queryset=Organization.objects.all())
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "typed",
    [
        "numero-007",
        "Comuna Número 007",
        "comuna número 007",
        "Número 007",
        "Comuna Número 007 (numero-007)",
    ],
)
def test_one_match_is_the_answer(many: list[Organization], typed: str) -> None:
    """A short code, a name (any case), part of it, or the label a suggestion fills in."""
    form = _pick(typed)
    assert form.cleaned_data["organization"] == many[7], form.errors


def test_a_uuid_is_the_answer(many: list[Organization]) -> None:
    assert _pick(str(many[3].uuid)).cleaned_data["organization"] == many[3]


def test_several_matches_come_back_as_choices(many: list[Organization]) -> None:
    """Up to ten matches: an error that asks to choose, and those few as radio buttons;
    choosing one answers."""
    form = _pick("Número 00")
    assert not form.is_valid() and form.errors["organization"][0].startswith("Several")
    html = str(form["organization"])
    assert html.count('type="radio"') == 10
    assert 'value="numero-000"' in html and 'value="numero-010"' not in html
    chosen = _pick("Número 00", organization_choice="numero-004")
    assert chosen.cleaned_data["organization"] == many[4]


def test_too_many_or_no_matches_are_explained(many: list[Organization]) -> None:
    assert "type more" in _pick("Comuna").errors["organization"][0]
    assert "No organization matches" in _pick("Xyz").errors["organization"][0]
    assert "No organization matches" in _pick("\x00").errors["organization"][0]
    assert _pick("").errors["organization"][0] == "This field is required."


def test_only_the_queryset_may_be_chosen(many: list[Organization]) -> None:
    form = PickForm(
        {"organization": "numero-001"}, queryset=Organization.objects.exclude(pk=many[1].pk)
    )
    assert not form.is_valid()


def _suggest(client: Client, **query: str) -> str:
    response = client.get(reverse("registry:organization_picker"), query)
    assert response.status_code == 200
    return response.content.decode().strip()


def test_suggestions_are_few_and_only_what_the_reader_may_see(many: list[Organization]) -> None:
    hidden = factories.organization(
        name="Comuna Número Secreta", slug="secreta", visibility=Visibility.CUSTODIANS
    )
    client = Client()
    page = _suggest(client, field="counterpart", counterpart="Número")
    assert page.count("<option") == 10
    assert "Secreta" not in page
    assert visible_organizations(None).filter(pk=hidden.pk).count() == 0
    assert "Comuna Número 012 (numero-012)" in _suggest(client, q="012")
    assert _suggest(client, q="x") == ""  # one letter suggests nothing


def test_suggestions_can_keep_a_networks_members(many: list[Organization]) -> None:
    network = factories.organization(kind="network", name="Red Número", slug="red")
    factories.membership(many[5], network)
    page = _suggest(Client(), q="Número", network="red")
    assert "numero-005" in page and "Red Número (red)" in page
    assert page.count("<option") == 2
    refused = Client().get(
        reverse("registry:organization_picker"), {"q": "Número", "network": "\x00"}
    )
    assert refused.status_code == 400  # a NUL is refused before the view (common/middleware)


def test_the_widget_asks_for_suggestions_with_htmx(many: list[Organization]) -> None:
    html = str(_pick("numero-001")["organization"])
    assert 'hx-get="/organization-picker/?field=organization"' in html
    assert 'list="id_organization-suggestions"' in html
