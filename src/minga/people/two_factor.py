"""Who must use two-factor authentication, and the TOTP devices that provide it.

Staff, superusers, and whoever the registry says holds a coordinating role must verify a
second factor; the registry registers that check at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common import audit

from .audit_events import PeopleEvent

RoleCheck = Callable[[Any], bool]
_role_checks: list[RoleCheck] = []
BACKUP_CODE_COUNT = 10


def register_two_factor_requirement(check: RoleCheck) -> None:
    if check not in _role_checks:
        _role_checks.append(check)


def two_factor_required(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if bool(user.is_staff or user.is_superuser):
        return True
    return any(bool(check(user)) for check in _role_checks)


def has_confirmed_device(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def has_any_device(user: Any) -> bool:
    """A confirmed authenticator or unused backup codes: either can answer the login's code."""
    return (
        has_confirmed_device(user)
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """A new unconfirmed authenticator; an older unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code; returns fresh backup codes, or None if wrong."""
    if device.user_id != user.pk or not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    static, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    for code in codes:
        static.token_set.create(token=code)
    audit.record(actor=user, action=PeopleEvent.TWO_FACTOR_ENABLE, target=user)
    return codes


def verify_code(user: Any, code: str) -> bool:
    """Whether a code from the person's confirmed authenticator (or a backup code) is right."""
    cleaned = code.strip().replace(" ", "")
    if not cleaned:
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(cleaned):
            return True
    return any(
        device.verify_token(cleaned)
        for device in StaticDevice.objects.filter(user=user, confirmed=True)
    )
