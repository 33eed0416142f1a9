"""Forms choose what there is to choose: the only possible organization or network is
chosen already, and no country is chosen for the reader."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.registry.models import Organization
from tests import factories


def _selected(html: str, select_name: str) -> list[str]:
    """The values of the options shown chosen in the select named ``select_name``."""
    match = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert match is not None, select_name
    chosen = re.findall(r"<option value=\"([^\"]*)\"[^>]*selected", match.group(1))
    return [value for value in chosen if value]


def test_the_join_form_chooses_the_only_network_and_no_country(
    confederation: Any, newcomer_client: Client
) -> None:
    """With one network open to applications, it is chosen; the country list starts empty
    rather than with the first country in the alphabet; the name's language is the one the
    applicant reads."""
    html = newcomer_client.get(reverse("registry:join"), HTTP_ACCEPT_LANGUAGE="fr").content
    text = html.decode()
    assert _selected(text, "network") == [confederation.slug]
    assert _selected(text, "country") == []
    assert re.search(r'<select name="country"[^>]*>\s*<option value=""[ >]', text)
    assert _selected(text, "name_language") == ["fr"]


def test_the_join_form_lets_the_applicant_choose_among_several_networks(
    confederation: Any, newcomer_client: Client
) -> None:
    """With two networks, neither is chosen for the applicant."""
    factories.organization(kind="network", name="Otra red", slug="otra-red")
    text = newcomer_client.get(reverse("registry:join")).content.decode()
    assert _selected(text, "network") == []


def test_the_listing_form_chooses_the_only_organization_a_person_speaks_for(
    db: None,
) -> None:
    """A spokesperson for one organization finds it chosen; with two, none is."""
    person = factories.person()
    first = factories.organization()
    factories.role(person, first, "spokesperson")
    client = Client()
    client.force_login(person)
    assert _selected(client.get(reverse("market:create")).content.decode(), "organization") == [
        first.slug
    ]
    factories.role(person, factories.organization(), "spokesperson")
    assert _selected(client.get(reverse("market:create")).content.decode(), "organization") == []
    assert Organization.objects.count() == 2


@pytest.mark.parametrize("key", [str(2**63), "99999999999999999999999", "-1", "0", "1e3", "١٢"])
def test_a_key_no_row_could_have_is_an_invalid_choice_not_a_database_error(
    db: None, key: str
) -> None:
    """Django would send such a key to the database, which cannot hold an integer past
    2**63 (SQLite raises, a 500): every form's choice of rows refuses it first."""
    from django.core.exceptions import ValidationError

    from minga.common.forms import ModelChoice, ModelMultipleChoice

    organization = factories.organization(slug="una")
    one = ModelChoice(queryset=Organization.objects.all())
    several = ModelMultipleChoice(queryset=Organization.objects.all())

    assert one.clean(str(organization.pk)) == organization
    assert list(several.clean([str(organization.pk)])) == [organization]
    with pytest.raises(ValidationError):
        one.clean(key)
    with pytest.raises(ValidationError):
        several.clean([str(organization.pk), key])


def test_rows_named_by_a_slug_or_given_whole_are_still_chosen(db: None) -> None:
    from minga.common.forms import ModelChoice

    organization = factories.organization(slug="por-codigo")
    by_slug = ModelChoice(queryset=Organization.objects.all(), to_field_name="slug")

    assert by_slug.clean("por-codigo") == organization
    assert by_slug.clean(organization) == organization
    assert ModelChoice(queryset=Organization.objects.all()).clean(organization) == organization
