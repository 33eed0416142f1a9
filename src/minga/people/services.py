"""Writes for people: accounts, preferences and access tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from minga.common import audit

from .models import PersonalAccessToken, User

__all__ = ["PersonalAccessToken"]

TOKEN_PREFIX = "minga_"  # noqa: S105 - a public marker that makes leaked tokens greppable


class TokenError(Exception):
    pass


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    language: str = "es",
    time_zone: str = "UTC",
    is_staff: bool = False,
    is_superuser: bool = False,
    validate: bool = True,
) -> User:
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        language=language,
        time_zone=time_zone,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=None, action="people.user.create", target=user)
    return user


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    display_name: str,
    bio: str,
    language: str,
    time_zone: str,
    profile_visibility: str,
) -> User:
    user.display_name = display_name
    user.bio = bio
    user.language = language
    user.time_zone = time_zone
    user.profile_visibility = profile_visibility
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=user, action="people.user.update", target=user)
    return user


@transaction.atomic
def access_token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with its secret, which is never stored."""
    if not name.strip():
        raise TokenError("A token needs a name.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=expires_at,
    )
    audit.record(actor=user, action="people.token.create", target=token)
    return token, secret


@transaction.atomic
def access_token_revoke(*, user: User, token_id: int) -> PersonalAccessToken:
    token = PersonalAccessToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=user, action="people.token.revoke", target=token)
    return token


def user_for_token(secret: str) -> User | None:
    """The active user a token belongs to, or ``None`` for an unknown, expired or revoked one."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Recording use at most once a minute keeps reads from turning into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
