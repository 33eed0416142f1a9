"""Email digests with double opt-in and one-click unsubscribe, sent by the worker.

Anyone may ask to receive an organization's bulletins by email; nothing is sent but a
confirmation to the address itself, and nothing more until its link is followed. Each
digest holds the public bulletins published since the last one, in the subscriber's
language where a reviewed translation exists; every message carries ``List-Unsubscribe``
and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), so mail programs
offer a one-click unsubscribe, and a link that does the same.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import unguarded
from minga.common.translation import best_translation

from ..models import Bulletin, Subscription
from ..types import BulletinStatus, DigestFrequency, SubscriptionState

if TYPE_CHECKING:
    from minga.registry.models import Organization

PERIODS = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
    DigestFrequency.MONTHLY: timedelta(days=30),
}
# A confirmation is sent again for the same address at most this often.
RESEND_AFTER = timedelta(hours=1)
DIGEST_LIMIT = 30


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


@unguarded(
    "anyone may ask for an organization's digest; only a confirmation goes to the address, "
    "and nothing else until its link is followed"
)
@transaction.atomic
def subscription_request(
    *, organization: Organization, email: str, language: str, frequency: str
) -> Subscription:
    """Ask for the digest; the same answer whether or not the address already receives it,
    so the form reveals nothing about who is subscribed."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Enter a valid email address."), "email", code="bad_email") from error
    if frequency not in DigestFrequency.values:
        raise DomainError(_("Choose how often."), "frequency", code="bad_frequency")
    if organization.visibility != Visibility.PUBLIC:
        raise DomainError(
            _("Only public organizations send digests."), "organization", code="not_public"
        )
    existing = (
        Subscription.objects.select_for_update(of=("self",))
        .filter(
            organization=organization,
            email__iexact=email,
            state__in=[
                SubscriptionState.CONFIRMING,
                SubscriptionState.AWAITING,
                SubscriptionState.ACTIVE,
            ],
        )
        .first()
    )
    now = timezone.now()
    if existing is not None:
        if existing.state == SubscriptionState.AWAITING and existing.state_changed_at < (
            now - RESEND_AFTER
        ):
            existing.move_to(SubscriptionState.CONFIRMING)
            existing.save()
        return existing
    return Subscription.objects.create(
        organization=organization,
        email=email,
        language=_language(language),
        frequency=frequency,
        state=SubscriptionState.CONFIRMING,
        next_attempt_at=now,
    )


@unguarded("the link sent to the address proves that its owner asked")
@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    subscription = Subscription.objects.select_for_update(of=("self",)).filter(token=token).first()
    if subscription is None:
        raise DomainError(
            _("This link is not valid any more."), "token", code="bad_token", status=404
        )
    if subscription.state in (SubscriptionState.AWAITING, SubscriptionState.CONFIRMING):
        subscription.confirmed_at = timezone.now()
        subscription.move_to(
            SubscriptionState.ACTIVE,
            at=subscription.confirmed_at + PERIODS[DigestFrequency(subscription.frequency)],
        )
        # The first digest holds what is published from now on.
        subscription.last_sent_at = subscription.confirmed_at
        subscription.save()
    elif subscription.state != SubscriptionState.ACTIVE:
        raise DomainError(
            _("This subscription has ended; subscribe again."),
            "token",
            code="subscription_ended",
            status=409,
        )
    return subscription


@unguarded("the link in every message lets its receiver stop them, in one click")
@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription | None:
    """Stop the digest (twice is once); an unknown link changes nothing."""
    subscription = Subscription.objects.select_for_update(of=("self",)).filter(token=token).first()
    if subscription is None:
        return None
    if subscription.state != SubscriptionState.UNSUBSCRIBED:
        subscription.move_to(SubscriptionState.UNSUBSCRIBED)
        subscription.unsubscribed_at = timezone.now()
        subscription.save()
    return subscription


def _absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def _headers(subscription: Subscription) -> dict[str, str]:
    unsubscribe = _absolute(reverse("comms:unsubscribe", args=[subscription.token]))
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _send(subscription: Subscription, subject: str, template: str, context: dict[str, Any]) -> None:
    context = {
        **context,
        "subscription": subscription,
        "organization": subscription.organization,
        "unsubscribe_url": _absolute(reverse("comms:unsubscribe", args=[subscription.token])),
        "site_url": settings.SITE_URL,
    }
    text = render_to_string(f"comms/email/{template}.txt", context)
    html = render_to_string(f"comms/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[subscription.email],
        headers=_headers(subscription),
    )
    message.attach_alternative(html, "text/html")
    message.send()


@unguarded("the worker sends the confirmation the address's owner asked for")
def send_confirmation(subscription: Subscription) -> str:
    """Email the confirmation link (outside any transaction); then wait for the click."""
    organization = subscription.organization
    with translation.override(subscription.language):
        _send(
            subscription,
            _("Confirm your subscription to %(name)s") % {"name": organization.display_name},
            "confirm",
            {"confirm_url": _absolute(reverse("comms:confirm", args=[subscription.token]))},
        )
    return SubscriptionState.AWAITING


def _digest_bulletins(subscription: Subscription) -> list[tuple[Bulletin, Any]]:
    """Public bulletins published since the last digest, each with the reviewed translation
    into the subscriber's language when there is one."""
    since = subscription.last_sent_at or subscription.confirmed_at or subscription.created_at
    bulletins = list(
        Bulletin.objects.filter(
            organization=subscription.organization,
            status=BulletinStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
            published_at__gt=since,
        )
        .prefetch_related("translations")
        .order_by("-published_at")[:DIGEST_LIMIT]
    )
    return [
        (
            bulletin,
            None
            if bulletin.language.split("-")[0] == subscription.language
            else best_translation(list(bulletin.translations.all()), subscription.language),
        )
        for bulletin in bulletins
    ]


@unguarded("the worker sends each confirmed subscriber their digest when it is due")
def send_digest(subscription: Subscription) -> str | None:
    """Send the digest if there is something new; either way, look again next period."""
    now = timezone.now()
    items = _digest_bulletins(subscription)
    if items:
        organization = subscription.organization
        with translation.override(subscription.language):
            _send(
                subscription,
                _("News from %(name)s") % {"name": organization.display_name},
                "digest",
                {
                    "items": [
                        {
                            "bulletin": bulletin,
                            "title": (version.title if version else "") or bulletin.title,
                            "summary": (version.summary if version else "") or bulletin.summary,
                            "url": _absolute(bulletin.get_absolute_url())
                            + (f"?lang={version.language}" if version else ""),
                        }
                        for bulletin, version in items
                    ]
                },
            )
        subscription.last_sent_at = now
        subscription.digests_sent += 1
    subscription.next_attempt_at = now + PERIODS[DigestFrequency(subscription.frequency)]
    return None
