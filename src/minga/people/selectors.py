"""Reads of people's accounts: who a username is, and whose a token is."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PersonalAccessToken, User
from .two_factor import has_confirmed_device, two_factor_required

TOKEN_PREFIX = "minga_"  # noqa: S105 - a public marker that makes leaked tokens greppable


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_person(username: str) -> User | None:
    """The active account with this username, or None."""
    return User.objects.filter(username=username, is_active=True).first()


class UnusableTokenError(Exception):
    """Why a presented token does not authenticate; the message is for its owner."""


def token_for_secret(secret: str) -> PersonalAccessToken:
    """The token a secret belongs to, if it may be used now; otherwise :class:`UnusableTokenError`.

    Unknown, revoked and expired tokens get the same answer, so a guess learns nothing.
    """
    unusable = UnusableTokenError(_("Invalid, expired or revoked token."))
    if not secret.startswith(TOKEN_PREFIX):
        raise unusable
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        raise unusable
    if token.expires_at is not None and token.expires_at <= now:
        raise unusable
    if two_factor_required(token.user) and not has_confirmed_device(token.user):
        raise UnusableTokenError(_("Set up two-factor authentication before using this token."))
    if token.suspended_at is not None:
        raise UnusableTokenError(
            _(
                "This token is suspended since you took a role that needs a second factor. "
                "Confirm it with a code in your preferences."
            )
        )
    # Recording use at most once a minute keeps reads from turning into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(secret: str) -> User | None:
    """The active user a usable token belongs to, or ``None``."""
    try:
        return token_for_secret(secret).user
    except UnusableTokenError:
        return None
