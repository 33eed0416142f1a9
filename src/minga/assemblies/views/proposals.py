"""Pages of proposals: list, workflow, comments, amendments, diffs, translations, documents."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..diff import diff_html
from ..forms import (
    AmendmentForm,
    CommentForm,
    DocumentForm,
    ProposalForm,
    TranslationForm,
)
from ..models import (
    Amendment,
    Comment,
    DeclarationKind,
    ProposalVersion,
)
from ..rules import amendment_rule, transition_rule
from .inputs import id_or_404

PROPOSALS_PER_PAGE = 50


def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    proposals = selectors.visible_proposals(request.user, body).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status:
        proposals = selectors.with_status(proposals, status)
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assemblies/proposal_list.html",
        {"body": body, "proposals": page.object_list, "page": page},
    )


@login_required
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.proposal.create", body)
    organization_ids = selectors.may_propose(request.user, body, selectors.rules_in_force(body))
    form = ProposalForm(request.POST or None, organization_ids=organization_ids)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user,
                body=body,
                on_behalf_of=form.cleaned_data["on_behalf_of"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The proposal was saved as a draft."))
            return redirect(proposal)
    return render(request, "assemblies/proposal_form.html", {"body": body, "form": form})


def proposal_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    versions = list(proposal.versions.all())
    # Long discussions come by pages of whole threads, so a phone never loads hundreds.
    discussion = Paginator(selectors.comment_thread(proposal), selectors.COMMENT_THREADS_PER_PAGE)
    threads = discussion.get_page(request.GET.get("comments"))
    transitions = [
        status
        for status in selectors.allowed_transitions(proposal)
        if has_perm(request.user, transition_rule(status), proposal)
    ]
    translations = list(proposal.translations.select_related("version", "translator"))
    shown = next((t for t in translations if t.language == request.GET.get("lang")), None)
    context = {
        "proposal": proposal,
        "translations": translations,
        "translation": shown,
        "documents": proposal.documents.all(),
        "can_translate": has_perm(request.user, "assemblies.proposal.translate", proposal),
        "can_attach": has_perm(request.user, "assemblies.proposal.attach", proposal),
        "document_form": DocumentForm(),
        "version": versions[-1] if versions else None,
        "versions": versions,
        "amendments": selectors.proposal_amendments(proposal),
        "thread": threads.object_list,
        "threads": threads,
        "votes": proposal.votes.select_related("tally").all(),
        "transitions": transitions,
        "comment_form": CommentForm(),
        "comment_action": reverse("assemblies:comment_add", args=[proposal.uuid]),
        "can_comment": has_perm(request.user, "assemblies.proposal.comment", proposal),
        "can_amend": proposal.current_status == "open"
        and has_perm(request.user, "assemblies.proposal.amend", proposal),
        "can_decide": has_perm(request.user, "assemblies.proposal.change", proposal),
        "can_manage": has_perm(request.user, "assemblies.body.manage", proposal.body),
        "declaration": getattr(proposal, "declaration", None),
        "declaration_kinds": DeclarationKind.choices,
    }
    return render(request, "assemblies/proposal_detail.html", context)


@login_required
@require_POST
def proposal_transition(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    target = request.POST.get("status", "")
    require(request.user, transition_rule(target), proposal)
    try:
        services.proposal_transition(actor=request.user, proposal=proposal, to_status=target)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(proposal)


def _post_comment(
    request: HttpRequest,
    *,
    thread: Any,
    add: Callable[..., Comment],
    parent_lookup: dict[str, Any],
) -> HttpResponse:
    """Comment or reply on a proposal or a debate, then show the page holding the comment."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
        return redirect(thread)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], **parent_lookup)
    try:
        comment = add(
            text=form.cleaned_data["text"],
            parent=parent,
            language=form.cleaned_data["language"] or thread.language,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(thread.get_absolute_url() + "#comments")
    page = selectors.comment_page_of(comment)
    return redirect(f"{thread.get_absolute_url()}?comments={page}#comment-{comment.pk}")


@login_required
@require_POST
def comment_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.proposal.comment", proposal)
    return _post_comment(
        request,
        thread=proposal,
        add=partial(services.comment_add, actor=request.user, proposal=proposal),
        parent_lookup={"proposal": proposal},
    )


@login_required
def amendment_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.proposal.amend", proposal)
    version = selectors.current_version(proposal)
    organization_ids = selectors.may_propose(
        request.user, proposal.body, selectors.rules_in_force(proposal.body)
    )
    form = AmendmentForm(
        request.POST or None,
        initial={"new_text": version.text},
        organization_ids=organization_ids,
    )
    if request.method == "POST" and form.is_valid():
        base = get_object_or_404(
            ProposalVersion,
            proposal=proposal,
            number=id_or_404(request.POST.get("base") or version.number),
        )
        try:
            services.amendment_propose(
                actor=request.user,
                proposal=proposal,
                base_version=base,
                new_text=form.cleaned_data["new_text"],
                rationale=form.cleaned_data["rationale"],
                on_behalf_of=form.cleaned_data["on_behalf_of"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The amendment was proposed."))
            return redirect(proposal)
    return render(
        request,
        "assemblies/amendment_form.html",
        {"proposal": proposal, "version": version, "form": form},
    )


@login_required
@require_POST
def amendment_decide(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    amendment = get_object_or_404(Amendment.objects.select_related("proposal__body"), uuid=uuid)
    proposal = selectors.get_proposal_for(request.user, amendment.proposal.uuid)
    action = request.POST.get("action", "")
    require(request.user, amendment_rule(action), amendment)
    try:
        services.amendment_decide(actor=request.user, amendment=amendment, action=action)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(proposal)


def proposal_diff(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    versions = {version.number: version for version in proposal.versions.all()}
    try:
        old = versions[int(request.GET.get("from", 1))]
        new = versions[int(request.GET.get("to", max(versions)))]
    except (KeyError, ValueError) as error:
        raise Http404 from error
    context = {"proposal": proposal, "old": old, "new": new, "diff": diff_html(old.text, new.text)}
    return render(request, "assemblies/proposal_diff.html", context)


def amendment_diff(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    amendment = get_object_or_404(Amendment.objects.select_related("base_version"), uuid=uuid)
    proposal = selectors.get_proposal_for(request.user, amendment.proposal.uuid)
    context = {
        "proposal": proposal,
        "amendment": amendment,
        "old": amendment.base_version,
        "diff": diff_html(amendment.base_version.text, amendment.new_text),
    }
    return render(request, "assemblies/proposal_diff.html", context)


# Translations and documents


@login_required
def proposal_translate(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.proposal.translate", proposal)
    version = selectors.current_version(proposal)
    form = TranslationForm(request.POST or None, initial={"language": request.GET.get("lang")})
    if request.method == "POST" and form.is_valid():
        try:
            translation = services.proposal_translation_save(
                actor=request.user, proposal=proposal, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(f"{proposal.get_absolute_url()}?lang={translation.language}")
    context = {"proposal": proposal, "version": version, "form": form}
    return render(request, "assemblies/translation_form.html", context)


@login_required
@require_POST
def proposal_document_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.proposal.attach", proposal)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect(proposal.get_absolute_url() + "#documents")
    try:
        services.proposal_document_add(
            actor=request.user,
            proposal=proposal,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document was added."))
    return redirect(proposal.get_absolute_url() + "#documents")
