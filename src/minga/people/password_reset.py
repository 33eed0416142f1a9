"""Resetting a forgotten password by email: Django's own flow, in the site's layout, limited.

Django's views do the work (a signed, single-use token in a link by email). This module adds
a limit per address and per network address, counted in the cache, so that the form cannot be
used to flood someone's mailbox or to send mail in bulk; the answer never says whether an
address belongs to an account.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

# A window of one hour: three mails to one address, ten requests from one network address.
WINDOW_SECONDS = 3600
PER_ADDRESS = 3
PER_IP = 10


def _count(key: str) -> int:
    """Adds one to the counter ``key`` in this window and gives its new value."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"password-reset:{kind}:{digest}"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "people/password_reset_form.html"
    email_template_name = "people/password_reset_email.txt"
    subject_template_name = "people/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        ip = self.request.META.get("REMOTE_ADDR", "")
        over_ip = _count(_key("ip", ip)) > PER_IP
        over_address = _count(_key("email", form.cleaned_data["email"])) > PER_ADDRESS
        if over_ip or over_address:
            form.add_error(
                None,
                _("Too many requests to reset a password. Try again in an hour."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # The link names the configured site, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"
