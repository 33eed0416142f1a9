"""Choosing an organization by typing its name: one form field for every app's forms.

No page sends a list of every organization (with ten thousand of them, a ``<select>`` is a
megabyte of HTML). :class:`OrganizationPickerField` is a text input instead:

- Without JavaScript, the server resolves what was typed — a name, part of one, a short
  code, a UUID, or the ``Name (short-code)`` a suggestion fills in. One match is the
  answer; several (at most :data:`SUGGESTIONS`) re-show the form with just those as
  choices; more ask for more of the name.
- With htmx, the input asks :func:`suggestions` (``registry:organization_picker``) for
  matches as the person types and offers them in a ``<datalist>``; the results are few
  and filtered by what the reader may see (``selectors.visible_organizations``).

Other apps build the field through ``selectors.organization_picker(...)`` with the
organizations that may be chosen (already filtered for the reader). ``network`` (a network
organization) narrows the suggestions to its current members and itself.
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from .models import Organization

SUGGESTIONS = 10
MAX_TEXT = 200
_SHORT_CODE_IN_LABEL = re.compile(r"\(([-a-zA-Z0-9_]+)\)\s*$")


def label(organization: Organization) -> str:
    """How an organization is offered and written back: ``Name (short-code)``."""
    return f"{organization.display_name} ({organization.slug})"


def matching(candidates: QuerySet[Organization], text: str, limit: int) -> list[Organization]:
    """The candidates the text names, best first, at most ``limit + 1`` (so that a caller
    can tell "more than ``limit``"). An exact short code, UUID or ``Name (code)`` is one
    answer; otherwise names equal to the text, then names containing every word of it (or
    short codes starting with it)."""
    text = " ".join(text.split())
    if not text or "\x00" in text or len(text) > MAX_TEXT:
        return []
    labelled = _SHORT_CODE_IN_LABEL.search(text)
    exact_codes = [text.lower()] + ([labelled.group(1).lower()] if labelled else [])
    for code in reversed(exact_codes):
        found = candidates.filter(slug=code).first()
        if found is not None:
            return [found]
    try:
        key = uuid_lib.UUID(text)
    except ValueError:
        pass
    else:
        return list(candidates.filter(uuid=key)[:1])
    same_name = list(candidates.filter(name__iexact=text).order_by("name", "pk")[: limit + 1])
    if same_name:
        return same_name
    words = Q()
    for word in text.split()[:8]:
        words &= Q(name__icontains=word)
    return list(
        candidates.filter(words | Q(slug__istartswith=text.lower())).order_by("name", "pk")[
            : limit + 1
        ]
    )


class OrganizationPickerWidget(forms.TextInput):
    template_name = "registry/widgets/organization_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.network_slug = ""
        self.choices: list[tuple[str, str]] = []

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Organization):
            return label(value)
        return None if value in (None, "") else str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        query = {"field": name, **({"network": self.network_slug} if self.network_slug else {})}
        context["widget"].update(
            suggest_url=f"{reverse('registry:organization_picker')}?{urlencode(query)}",
            choices=self.choices,
            choice_name=f"{name}_choice",
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # A choice among several matches wins over the text typed before.
        choice = data.get(f"{name}_choice")
        return choice if choice else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_choice" not in data


class OrganizationPickerField(forms.Field):
    """An organization among ``queryset``, chosen by typing (see the module's docstring)."""

    widget = OrganizationPickerWidget
    default_error_messages = {
        "not_found": gettext_lazy("No organization matches “%(text)s”."),
        "ambiguous": gettext_lazy("Several organizations match “%(text)s”: choose one."),
        "too_many": gettext_lazy(
            "More than %(count)d organizations match “%(text)s”: type more of the name."
        ),
    }

    def __init__(
        self, *, queryset: QuerySet[Organization], network: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Type part of its name or its short code."))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.network_slug = network.slug if network is not None else ""

    def __deepcopy__(self, memo: dict[int, Any]) -> OrganizationPickerField:
        result = super().__deepcopy__(memo)
        result.widget.choices = []
        return result

    def prepare_value(self, value: Any) -> Any:
        return label(value) if isinstance(value, Organization) else value

    def to_python(self, value: Any) -> Organization | None:
        if isinstance(value, Organization) or value in self.empty_values:
            return value or None
        text = str(value).strip()
        found = matching(self.queryset, text, SUGGESTIONS)
        if len(found) == 1:
            return found[0]
        shown = text[:60]
        if not found:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": shown}
            )
        if len(found) > SUGGESTIONS:
            raise forms.ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"count": SUGGESTIONS, "text": shown},
            )
        self.widget.choices = [(o.slug, label(o)) for o in found]
        raise forms.ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"text": shown}
        )


def suggestions(request: HttpRequest) -> HttpResponse:
    """``<option>`` elements for the picker's datalist: a few organizations the reader may
    see whose name or short code matches the text typed (``?field=`` names the parameter
    that holds it; ``?network=`` keeps that network's members and itself)."""
    from .selectors import network_member_ids, visible_organizations

    field = request.GET.get("field", "q")
    text = request.GET.get(field) or request.GET.get("q") or ""
    candidates = visible_organizations(request.user)
    network_slug = request.GET.get("network", "")
    if network_slug:
        network = candidates.filter(slug=network_slug[:80].replace("\x00", "")).first()
        if network is None:
            candidates = candidates.none()
        else:
            candidates = candidates.filter(Q(pk=network.pk) | Q(pk__in=network_member_ids(network)))
    found = matching(candidates, text, SUGGESTIONS)[:SUGGESTIONS] if len(text) >= 2 else []
    response = render(
        request,
        "registry/_organization_suggestions.html",
        {"labels": [label(o) for o in found]},
    )
    response["Cache-Control"] = "private, max-age=60"
    return response
