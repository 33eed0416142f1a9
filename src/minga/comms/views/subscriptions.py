"""Email digest: ask, confirm (double opt-in) and unsubscribe (one click, RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.registry.selectors import get_organization_for

from .. import services
from ..forms import SubscribeForm
from ..models import Subscription


@require_POST
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug=slug)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address."))
        return redirect("comms:organization", slug=organization.slug)
    try:
        services.subscription_request(
            organization=organization,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            frequency=form.cleaned_data["frequency"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Check your inbox: follow the link we sent to confirm the subscription."),
        )
    return redirect("comms:organization", slug=organization.slug)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email shows a button: mail scanners that open links
    must not subscribe anyone."""
    subscription = Subscription.objects.select_related("organization").filter(token=token).first()
    if request.method == "POST" and subscription is not None:
        try:
            services.subscription_confirm(token=token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You are subscribed. Thank you!"))
        return redirect("comms:organization", slug=subscription.organization.slug)
    return render(
        request,
        "comms/subscription_confirm.html",
        {"subscription": subscription},
        status=200 if subscription else 404,
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (the button, or a mail program's one-click request with
    ``List-Unsubscribe=One-Click``) unsubscribes at once. No sign-in, no CSRF token: the
    secret link is the proof."""
    if request.method == "POST":
        subscription = services.subscription_unsubscribe(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200)
        return render(
            request,
            "comms/subscription_unsubscribed.html",
            {"subscription": subscription},
            status=200 if subscription else 404,
        )
    subscription = Subscription.objects.select_related("organization").filter(token=token).first()
    return render(
        request,
        "comms/subscription_unsubscribe.html",
        {"subscription": subscription},
        status=200 if subscription else 404,
    )
