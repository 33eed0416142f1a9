"""Every string a reader sees comes in their language: Django's own strings (form errors,
password rules, dates, yes/no) and country names included, and nothing falls back to another
interface language. Minga's own strings are checked by tests/test_translations.py."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, ngettext
from django_countries import countries

from tests import factories

LANGUAGES = ["es", "pt", "fr", "ht"]
# Django strings every reader meets: required fields, e-mail, password rules, dates, yes/no.
DJANGO_STRINGS = [
    "This field is required.",
    "Enter a valid email address.",
    "Enter a whole number.",
    "Select a valid choice. That choice is not one of the available choices.",
    "The two password fields didn’t match.",
    "This password is too common.",
    "This password is entirely numeric.",
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive.",
    "Yes",
    "No",
    "January",
    "Monday",
]
# Countries whose name differs from English in every interface language.
COUNTRIES = ["DE", "US", "ZA", "EG"]


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_strings_come_in_the_readers_language(language: str) -> None:
    """Not English, and (outside Spanish) not the Spanish that Django falls back to."""
    for text in DJANGO_STRINGS:
        translated = _in(language, text)
        if (language, text) != ("es", "No"):
            assert translated != text, (language, text)
        if language != "es" and text != "No":  # "No" is also Spanish for no
            assert translated != _in("es", text), (language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_month_names_and_plurals_come_in_the_readers_language(language: str) -> None:
    with translation.override(language):
        written = date_format(datetime.date(2026, 8, 5), "j F Y")
        days = ngettext("%(num)d day", "%(num)d days", 3) % {"num": 3}
    assert "August" not in written
    assert days != "3 days"
    expected = {"es": "agosto", "pt": "Agosto", "fr": "août", "ht": "out"}[language]
    assert expected in written


@pytest.mark.parametrize("language", LANGUAGES)
def test_country_names_come_from_cldr_in_the_readers_language(language: str) -> None:
    with translation.override("en"):
        english = {code: countries.name(code) for code in COUNTRIES}
    with translation.override("es"):
        spanish = {code: countries.name(code) for code in COUNTRIES}
    with translation.override(language):
        names = {code: countries.name(code) for code in COUNTRIES}
    assert all(names[code] != english[code] for code in COUNTRIES), names
    if language != "es":
        assert names["DE"] != spanish["DE"], names


def test_haitian_creole_country_names_are_creole_where_reviewed_and_french_otherwise() -> None:
    with translation.override("ht"):
        assert countries.name("HT") == "Ayiti"
        assert countries.name("DO") == "Repiblik Dominikèn"
        assert countries.name("US") == "Etazini"
        # Not in the reviewed table: CLDR's French name.
        assert countries.name("IS") == "Islande"


def test_signup_preselects_the_language_the_visitor_reads(db: None) -> None:
    client = Client()
    client.cookies["minga_language"] = "ht"
    page = client.get(reverse("people:signup")).content.decode()
    assert '<option value="ht" selected>' in page
    refused = client.post(reverse("people:signup"), {"username": ""}).content.decode()
    assert "Ou dwe ranpli chan sa a." in refused
    assert "This field is required." not in refused
    assert "Este campo es obligatorio." not in refused


def test_saving_preferences_keeps_the_language_being_read(db: None) -> None:
    """A person stored with Spanish who reads in Creole saves other preferences and stays in
    Creole."""
    user = factories.person("lekti")
    user.language = "es"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    client.cookies["minga_language"] = "ht"
    page = client.get(reverse("people:preferences")).content.decode()
    assert '<option value="ht" selected>' in page
    assert "Ou dwe ranpli chan sa a." not in page


def test_form_labels_start_with_a_capital_letter_in_every_language() -> None:
    """Forms name their fields in lowercase, as models do; labels start a line."""
    from django import forms
    from django.utils.translation import gettext_lazy

    class TitleForm(forms.Form):
        title = forms.CharField(label=gettext_lazy("title"))

    with translation.override("fr"):
        html = TitleForm().as_div()
    assert ">Titre" in html
    assert "intitulé" not in html


def test_text_languages_preselect_the_language_being_read_and_countries_preselect_none(
    db: None,
) -> None:
    from minga.market.forms import ListingForm
    from minga.registry.forms import OrganizationForm
    from minga.registry.models import Organization

    with translation.override("ht"):
        organization = OrganizationForm().as_div()
        listing = ListingForm(organizations=Organization.objects.none()).as_div()
    assert '<option value="ht" selected>' in organization
    assert '<option value="" selected>' in organization  # the country: nothing preselected
    assert '<option value="AF" selected>' not in organization
    assert '<option value="ht" selected>' in listing


def test_comments_and_proposals_preselect_the_language_being_read() -> None:
    from minga.assemblies.forms import CommentForm

    with translation.override("ht"):
        comment = CommentForm().as_div()
    assert '<option value="ht" selected>' in comment
    assert '<option value="es" selected>' not in comment
