from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from .models import TokenScope, User
from .two_factor import has_any_device as user_has_device


class LoginForm(AuthenticationForm):
    """Password, plus the authenticator (or backup) code for those who have set one up."""

    otp_token = forms.CharField(
        label=_("Authenticator or backup code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you have set up two-factor authentication."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                raise ValidationError(
                    _("Enter the code from your authenticator app, or a backup code."),
                    code="otp_required",
                )
            # django-otp stores this device in the session when the login signal fires.
            user.otp_device = device  # type: ignore[attr-defined]
        return cleaned


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("username", "display_name", "email", "language")


class PreferencesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("display_name", "bio", "language", "time_zone", "profile_visibility")
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class TokenCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccessTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
