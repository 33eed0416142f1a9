"""Resetting a forgotten password by email: Django's flow, in the site's layout, limited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from minga.people import password_reset
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_the_sign_in_page_links_to_password_reset(db: None) -> None:
    """The sign-in page offers a way out for a forgotten password."""
    response = Client().get(reverse("people:login"))
    assert reverse("people:password_reset") in response.content.decode()


def test_a_person_resets_a_forgotten_password_with_the_emailed_link(
    db: None, settings: Any
) -> None:
    """The mail carries a link to the configured site; following it sets a new password,
    after which the old one no longer works and the link cannot be used again."""
    settings.SITE_URL = "https://minga.example"
    person = factories.person("olvidadiza", email="olvido@example.org")
    client = Client()
    response = client.post(reverse("people:password_reset"), {"email": "olvido@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https://minga\.example(/\S+)", mail.outbox[0].body)
    assert link is not None
    # Django swaps the token for a session marker on the first visit.
    form_page = client.get(link.group(1), follow=True)
    assert b'name="new_password1"' in form_page.content
    new_password = "otra-clave-bien-larga-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("people:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(new_password)
    assert not person.check_password(factories.PASSWORD)
    again = Client().get(link.group(1), follow=True)
    assert b'name="new_password1"' not in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db: None) -> None:
    """The answer never tells whether an address has an account."""
    response = Client().post(reverse("people:password_reset"), {"email": "nadie@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert mail.outbox == []


def test_mails_to_one_address_are_limited(db: None) -> None:
    """After a few requests in an hour for one address, further ones are refused (429) and
    send nothing, whichever network address they come from."""
    factories.person("insistente", email="insiste@example.org")
    for number in range(password_reset.PER_ADDRESS):
        Client(REMOTE_ADDR=f"10.0.0.{number}").post(
            reverse("people:password_reset"), {"email": "insiste@example.org"}
        )
    assert len(mail.outbox) == password_reset.PER_ADDRESS
    refused = Client(REMOTE_ADDR="10.0.9.9").post(
        reverse("people:password_reset"), {"email": "INSISTE@example.org"}
    )
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert len(mail.outbox) == password_reset.PER_ADDRESS


def test_requests_from_one_network_address_are_limited(db: None) -> None:
    """One network address cannot send reset mails to many addresses."""
    for number in range(password_reset.PER_IP + 2):
        factories.person(f"vecina-{number}", email=f"vecina{number}@example.org")
    client = Client(REMOTE_ADDR="192.0.2.7")
    statuses = [
        client.post(
            reverse("people:password_reset"), {"email": f"vecina{number}@example.org"}
        ).status_code
        for number in range(password_reset.PER_IP + 2)
    ]
    assert statuses == [302] * password_reset.PER_IP + [429, 429]
    assert len(mail.outbox) == password_reset.PER_IP


def test_the_reset_pages_and_mail_speak_the_reader_language(db: None) -> None:
    """The form (Django's own labels included) and the mail are in the reader's language."""
    factories.person("lectora", email="lee@example.org")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(reverse("people:password_reset")).content.decode()
    with translation.override("es"):
        title = translation.gettext("Reset your password")
        subject = translation.gettext("Reset your Minga password")
        email_label = translation.gettext("Email")
    assert email_label != "Email"
    assert email_label in page
    assert title in page
    client.post(reverse("people:password_reset"), {"email": "lee@example.org"})
    assert mail.outbox[0].subject == subject
