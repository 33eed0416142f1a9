"""Translations: the list of work waiting, and one translation's page (request, claim,
write, submit, review)."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.common.translation import TranslationStage, machine_translator

from .. import selectors, services
from ..forms import TranslationForm, TranslationRequestForm
from ._shared import form_error, post_data

DONE = {
    "claim": gettext_lazy("You are translating it now."),
    "release": gettext_lazy("You let someone else translate it."),
    "submit": gettext_lazy("The translation was sent for review."),
    "approve": gettext_lazy("The translation is published."),
    "send_back": gettext_lazy("The translation was sent back to its translator."),
    "revise": gettext_lazy("The translation is open for changes again."),
}


@login_required
def translation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/translation_list.html",
        {
            "to_review": selectors.translations_to_review(request.user)[:100],
            "open": selectors.open_translations(request.user)[:100],
            "mine": selectors.my_translations(request.user)[:100],
        },
    )


@login_required
def translation_request(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    form = TranslationRequestForm(post_data(request))
    if machine_translator() is None:
        del form.fields["machine"]
    if request.method == "POST" and form.is_valid():
        try:
            translation = services.translation_request(
                actor=request.user,
                item=item,
                language=form.cleaned_data["language"],
                machine=bool(form.cleaned_data.get("machine")),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The translation was asked for."))
            return redirect("library:translation", uuid=item.uuid, language=translation.language)
    return render(
        request,
        "library/form_page.html",
        {
            "form": form,
            "item": item,
            "title": _("Ask for a translation"),
            "button": _("Ask"),
        },
    )


@login_required
def translation_detail(request: HttpRequest, uuid: uuid_lib.UUID, language: str) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    translation = selectors.get_translation_for(request.user, item=item, language=language)
    is_translator = translation.translator_id == request.user.pk
    writing = translation.stage == TranslationStage.IN_PROGRESS and is_translator
    form = TranslationForm(
        post_data(request) if writing and "save" in request.POST else None,
        initial={
            "title": translation.title,
            "summary": translation.summary,
            "text": translation.text,
        },
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if "save" in request.POST and writing:
                if form.is_valid():
                    services.translation_write(
                        actor=request.user, translation=translation, **form.cleaned_data
                    )
                    messages.success(request, _("Your translation was saved."))
                    return redirect(request.path)
            elif action in services.translations.VOLUNTEER_ACTIONS:
                services.translation_volunteer(
                    actor=request.user, translation=translation, action=action
                )
                messages.success(request, str(DONE[action]))
                return redirect(request.path)
            elif action in services.translations.REVIEW_ACTIONS:
                services.translation_review(
                    actor=request.user, translation=translation, action=action
                )
                messages.success(request, str(DONE[action]))
                return redirect(request.path)
        except DomainError as error:
            if form.is_bound:
                form_error(form, error)
            else:
                messages.error(request, error.message)
    return render(
        request,
        "library/translation_detail.html",
        {
            "item": item,
            "translation": translation,
            "form": form if writing else None,
            "is_translator": is_translator,
            "may_volunteer": has_perm(request.user, "library.translation.volunteer", translation),
            "may_review": has_perm(request.user, "library.translation.review", translation),
        },
    )
