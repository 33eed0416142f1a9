"""The translators' desk and the workspace of one translation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm
from minga.common.translation import machine_translator

from .. import selectors, services
from ..forms import TranslationForm, VolunteerForm


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """Translations open in my languages, those I am writing, and those I may review."""
    volunteer = selectors.volunteer_of(request.user)
    form = VolunteerForm(
        request.POST or None, initial={"languages": volunteer.languages if volunteer else []}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_register(
                actor=request.user, languages=form.cleaned_data["languages"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your languages were saved."))
            return redirect("comms:translations")
    context = {
        "volunteer": volunteer,
        "form": form,
        "open": selectors.translations_open_to(request.user)[:100],
        "mine": selectors.my_translations(request.user),
        "to_review": selectors.translations_to_review(request.user)[:100],
    }
    return render(request, "comms/translations.html", context)


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    translation = selectors.get_translation_for(request.user, pk)
    user = request.user
    form = TranslationForm(
        request.POST or None,
        initial={
            "title": translation.title,
            "summary": translation.summary,
            "text": translation.text,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_save(
                actor=user,
                translation=translation,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                summary=form.cleaned_data["summary"],
            )
            if request.POST.get("then") == "submit":
                services.translation_submit(actor=user, translation=translation)
                messages.success(request, _("The translation was sent for review."))
            else:
                messages.success(request, _("The translation was saved."))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("comms:translation", pk=translation.pk)
    context = {
        "translation": translation,
        "bulletin": translation.bulletin,
        "form": form,
        "may_claim": has_perm(user, "comms.translation.claim", translation),
        "may_write": has_perm(user, "comms.translation.write", translation),
        "may_review": has_perm(user, "comms.translation.review", translation),
        "machine_available": machine_translator() is not None,
    }
    return render(request, "comms/translation_workspace.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    translation = selectors.get_translation_for(request.user, pk)
    action = request.POST.get("action", "")
    user = request.user
    done = {
        "claim": (services.translation_claim, _("The translation is yours to write.")),
        "release": (services.translation_release, _("The translation is open to others again.")),
        "prefill": (
            services.translation_prefill,
            _("A machine translation was filled in: check and correct it."),
        ),
        "submit": (services.translation_submit, _("The translation was sent for review.")),
        "approve": (services.translation_approve, _("The translation is published.")),
        "revise": (services.translation_revise, _("The translation is open for revision.")),
    }
    try:
        if action == "send_back":
            services.translation_send_back(
                actor=user, translation=translation, note=request.POST.get("note", "")
            )
            messages.success(request, _("The translation was sent back to its translator."))
        elif action in done:
            function, message = done[action]
            function(actor=user, translation=translation)
            messages.success(request, message)
        else:
            messages.error(request, _("Choose what to do."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("comms:translation", pk=translation.pk)
