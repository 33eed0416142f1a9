"""Writes for people: accounts, preferences and access tokens.

Personal access tokens follow the second factor: a person who must use one (staff, and
whoever holds a deciding role) can use tokens only once it is set up, and a token made
before they took such a role is suspended until they confirm it with a code.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import unguarded

from .audit_events import PeopleEvent
from .models import PersonalAccessToken, TokenScope, User
from .selectors import TOKEN_PREFIX, token_digest
from .two_factor import has_confirmed_device, two_factor_required, verify_code

__all__ = ["PersonalAccessToken"]

OWN_ACCOUNT = "a person acts on their own account: the caller is the account (user=)"


@unguarded("anyone may create their own account; the operator creates the first one")
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
    audit.record(actor=None, action=PeopleEvent.USER_CREATE, target=user)
    return user


@unguarded(OWN_ACCOUNT)
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
    audit.record(actor=user, action=PeopleEvent.USER_UPDATE, target=user)
    return user


@unguarded(OWN_ACCOUNT)
@transaction.atomic
def access_token_create(
    *,
    user: User,
    name: str,
    scope: str = TokenScope.READ,
    expires_at: datetime | None = None,
) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with its secret, which is never stored."""
    if not name.strip():
        raise DomainError(_("A token needs a name."), "name", code="token_name_required")
    if scope not in TokenScope.values:
        raise DomainError(_("Choose what the token may do."), "scope", code="unknown_scope")
    if two_factor_required(user) and not has_confirmed_device(user):
        raise DomainError(
            _("Set up two-factor authentication before creating tokens."),
            code="second_factor_required",
            status=403,
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=expires_at,
        scope=scope,
    )
    audit.record(actor=user, action=PeopleEvent.TOKEN_CREATE, target=token)
    return token, secret


@unguarded(OWN_ACCOUNT)
@transaction.atomic
def access_token_revoke(*, user: User, token_id: int) -> PersonalAccessToken:
    token = _own_token(user, token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=user, action=PeopleEvent.TOKEN_REVOKE, target=token)
    return token


def _own_token(user: User, token_id: int) -> PersonalAccessToken:
    token = PersonalAccessToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise DomainError(_("No such token."), "token", code="unknown_token", status=404)
    return token


@unguarded("called by the registry when it gives a role; it only takes rights away")
@transaction.atomic
def access_tokens_suspend(*, actor: Any, person: Any) -> int:
    """Suspend the person's working tokens until each is confirmed with the second factor."""
    now = timezone.now()
    tokens = list(
        PersonalAccessToken.objects.select_for_update().filter(
            user=person, revoked_at__isnull=True, suspended_at__isnull=True
        )
    )
    for token in tokens:
        token.suspended_at = now
        token.save(update_fields=["suspended_at"])
        audit.record(actor=actor, action=PeopleEvent.TOKEN_SUSPEND, target=token)
    return len(tokens)


@unguarded(OWN_ACCOUNT)
@transaction.atomic
def access_token_confirm(*, user: User, token_id: int, code: str) -> PersonalAccessToken:
    """Lift a token's suspension with a fresh code from the owner's authenticator."""
    token = _own_token(user, token_id)
    if token.revoked_at is not None:
        raise DomainError(_("This token was revoked."), "token", code="token_revoked", status=409)
    if not verify_code(user, code):
        raise DomainError(
            _("That code is not right. Try the newest one."), "code", code="wrong_code"
        )
    if token.suspended_at is not None:
        token.suspended_at = None
        token.save(update_fields=["suspended_at"])
        audit.record(actor=user, action=PeopleEvent.TOKEN_CONFIRM, target=token)
    return token
