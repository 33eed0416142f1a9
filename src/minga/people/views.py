"""Pages for people: sign in and out, sign up, profiles, preferences, 2FA and tokens."""

from __future__ import annotations

import uuid as uuid_lib
from typing import cast

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common.errors import DomainError
from minga.common.models import Visibility

from . import services
from .forms import AccessTokenForm, LoginForm, PreferencesForm, SignupForm, TokenCodeForm
from .models import User
from .profile import profile_sections
from .two_factor import (
    has_confirmed_device,
    totp_device_confirm,
    totp_device_start,
    two_factor_required,
)


class SignInView(LoginView):
    form_class = LoginForm
    template_name = "people/login.html"
    redirect_authenticated_user = True


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    # A visitor reading in Creole signs up in Creole: the interface's language is preselected.
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data.get("email", ""),
            display_name=form.cleaned_data.get("display_name", ""),
            language=form.cleaned_data.get("language") or request.LANGUAGE_CODE,
            validate=False,  # the form has validated the password already
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Minga!"))
        return redirect(_safe_next(request) or "home")
    return render(request, "people/signup.html", {"form": form})


def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = User.objects.filter(username=username, is_active=True).first()
    by_uuid = person is None
    if by_uuid:
        # The canonical address /people/<uuid>/ leads to the page named by the username.
        try:
            person = User.objects.filter(uuid=uuid_lib.UUID(username), is_active=True).first()
        except ValueError:
            person = None
    # Visibility first: a hidden profile's address leads nowhere, not even to its username.
    if person is None or not (
        person.profile_visibility == Visibility.PUBLIC or request.user.is_authenticated
    ):
        raise Http404
    if by_uuid:
        return redirect(person)
    sections = profile_sections(person, request.user)
    return render(request, "people/person_detail.html", {"person": person, "sections": sections})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    # The language preselected is the one the person is reading now, so that saving other
    # preferences never switches the interface to a language they did not choose here.
    form = PreferencesForm(
        request.POST or None, instance=user, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        response = redirect("people:preferences")
        response.set_cookie(
            "minga_language", user.language, max_age=365 * 24 * 3600, samesite="Lax"
        )
        return response
    return render(
        request,
        "people/preferences.html",
        {
            "form": form,
            "has_2fa": has_confirmed_device(user),
            "tokens": user.access_tokens.all(),
            "token_form": AccessTokenForm(),
        },
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator, or verify a code to finish signing in."""
    user = _signed_in(request)
    form = TokenCodeForm(request.POST or None)
    next_url = _safe_next(request) or "/"
    if has_confirmed_device(user):
        if request.method == "POST" and form.is_valid():
            for device in TOTPDevice.objects.filter(user=user, confirmed=True):
                if device.verify_token(form.cleaned_data["token"].strip().replace(" ", "")):
                    otp_login(request, device)
                    return redirect(next_url)
            form.add_error("token", _("That code is not right. Try the newest one."))
        return render(request, "people/two_factor_verify.html", {"form": form, "next": next_url})

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = totp_device_start(user=user)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request, "people/two_factor_done.html", {"codes": codes, "next": next_url}
            )
        form.add_error(
            "token", _("That code is not right. Check your phone's clock and try again.")
        )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "people/two_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": next_url},
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    if two_factor_required(user) and not user.is_verified():  # type: ignore[attr-defined]
        # A token outlives the session: it is only issued once the second factor is done.
        return redirect("/accounts/two-factor/?next=/accounts/preferences/")
    form = AccessTokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("people:preferences")
    try:
        _token, secret = services.access_token_create(
            user=user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("people:preferences")
    return render(request, "people/token_created.html", {"secret": secret})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _signed_in(request)
    try:
        services.access_token_revoke(user=user, token_id=token_id)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("The token was revoked."))
    return redirect("people:preferences")


@login_required
@require_POST
def token_confirm(request: HttpRequest, token_id: int) -> HttpResponse:
    """Lift a suspended token with a code from the person's authenticator."""
    user = _signed_in(request)
    form = TokenCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the code from your authenticator app."))
        return redirect("people:preferences")
    try:
        services.access_token_confirm(user=user, token_id=token_id, code=form.cleaned_data["token"])
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token works again."))
    return redirect("people:preferences")


def _signed_in(request: HttpRequest) -> User:
    """The signed-in person (the views calling this are behind ``login_required``)."""
    return cast(User, request.user)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=False
    ):
        return target
    return None
