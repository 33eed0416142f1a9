"""Signing in: Argon2, rate limiting, two-factor authentication, sign-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.people.models import User
from tests import factories


def test_production_hashes_passwords_with_argon2() -> None:
    """The first hasher outside tests is Argon2."""
    from minga.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "people.User"


def test_login_is_locked_after_repeated_failures(db: None) -> None:
    """After five wrong passwords even the right one is refused for a while."""
    factories.person("maria")
    client = Client()
    for _ in range(5):
        client.post(reverse("people:login"), {"username": "maria", "password": "wrong-password"})
    response = client.post(
        reverse("people:login"), {"username": "maria", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_with_password_works_without_device(db: None) -> None:
    factories.person("jose")
    client = Client()
    response = client.post(
        reverse("people:login"), {"username": "jose", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_login_needs_the_code_once_a_device_is_set_up(db: None) -> None:
    """With an authenticator, the password alone fails and the right code lets one in."""
    user = factories.person("ana")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    response = client.post(
        reverse("people:login"), {"username": "ana", "password": factories.PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(
        reverse("people:login"),
        {"username": "ana", "password": factories.PASSWORD, "otp_token": _code(device)},
    )
    assert response.status_code == 302
    assert client.session.get("otp_device_id") == device.persistent_id


def test_a_backup_code_works_once(db: None) -> None:
    """A backup code signs in once and is then used up."""
    from django_otp.plugins.otp_static.models import StaticDevice

    user = factories.person("beto")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="abcd1234")
    data = {"username": "beto", "password": factories.PASSWORD, "otp_token": "abcd1234"}
    assert Client().post(reverse("people:login"), data).status_code == 302
    assert Client().post(reverse("people:login"), data).status_code == 200


def test_two_factor_setup_confirms_with_a_real_code_and_gives_backup_codes(
    confederation: Any, settings: Any
) -> None:
    """A coordinator sets up TOTP: wrong code refused, right code accepted, backup codes shown."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong attempt would otherwise delay the right one
    user = factories.person("coord")
    factories.role(user, confederation, "coordinator")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("people:two_factor"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        client.post(
            reverse("people:two_factor"),
            {"token": "000000" if _code(device) != "000000" else "111111"},
        ).status_code
        == 200
    )
    device.refresh_from_db()
    assert not device.confirmed
    done = client.post(reverse("people:two_factor"), {"token": _code(device)})
    assert done.status_code == 200
    assert done.content.decode().count("<code>") == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("registry:coordination")).status_code == 200


def test_staff_must_use_two_factor_for_the_admin(db: None) -> None:
    """A staff member signed in by password only is sent to set up two-factor."""
    staff = factories.person("staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]


def test_signup_creates_an_account_and_signs_in(db: None) -> None:
    client = Client()
    response = client.post(
        reverse("people:signup"),
        {
            "username": "nueva",
            "display_name": "Nueva",
            "email": "",
            "language": "pt",
            "password1": "clave-muy-segura-2026",
            "password2": "clave-muy-segura-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="nueva").check_password("clave-muy-segura-2026")


def test_signup_refuses_weak_passwords(db: None) -> None:
    response = Client().post(
        reverse("people:signup"),
        {"username": "weak", "language": "es", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize("visibility", ["public", "server"])
def test_person_page_respects_profile_visibility(client: Client, db: None, visibility: str) -> None:
    """A profile for members of the server is hidden from anonymous readers."""
    person = factories.person("perfil", profile_visibility=visibility)
    status = client.get(reverse("people:detail", args=["perfil"])).status_code
    assert status == (200 if visibility == "public" else 404)
    client.force_login(factories.person())
    assert client.get(person.get_absolute_url()).status_code == 200


def test_preferences_set_language_and_time_zone(db: None) -> None:
    user = factories.person("prefs")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("people:preferences"),
        {
            "display_name": "Prefs",
            "bio": "",
            "language": "fr",
            "time_zone": "America/Caracas",
            "profile_visibility": "public",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("fr", "America/Caracas")
