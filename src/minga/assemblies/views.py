"""Pages of the assemblies. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

import csv
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minga.common.permissions import has_perm, require
from minga.registry.models import Organization
from minga.registry.selectors import organizations_user_manages, visible_organizations

from . import exports, ical, selectors, services
from .diff import diff_html
from .forms import (
    AgendaItemForm,
    AmendmentForm,
    CommentForm,
    DebateForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    MilestoneForm,
    MilestoneReachForm,
    MinutesForm,
    ProposalForm,
    RapporteurForm,
    ReportForm,
    ResultFilterForm,
    ResultForm,
    ResultUpdateForm,
    TranslationForm,
    VoteForm,
    WorkingTableForm,
    ballot_contents,
)
from .models import (
    AgendaItem,
    Amendment,
    BodyMembership,
    Comment,
    DeclarationKind,
    Endorsement,
    Milestone,
    ProposalVersion,
    Vote,
)
from .models.bodies import RANKED_METHODS
from .rules import amendment_rule, transition_rule

PROPOSALS_PER_PAGE = 50


def index(request: HttpRequest) -> HttpResponse:
    bodies = selectors.visible_bodies(request.user).order_by("name")
    return render(request, "assemblies/index.html", {"bodies": bodies})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    rules = selectors.rules_in_force(body)
    seats = selectors.seats_of(request.user, body)
    context = {
        "body": body,
        "rules": rules,
        "history": selectors.rules_history(body),
        "members": selectors.current_memberships(body),
        "meetings": selectors.visible_meetings(request.user, body)[:20],
        "votes": selectors.visible_votes(request.user, body)[:20],
        "seats": seats,
        "delegations": selectors.delegations_of(body) if seats else [],
        "can_propose": has_perm(request.user, "assemblies.proposal.create", body),
        "can_manage": has_perm(request.user, "assemblies.body.manage", body),
        "declarations": selectors.visible_declarations(request.user, body)[:20],
    }
    return render(request, "assemblies/body_detail.html", context)


def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    proposals = selectors.visible_proposals(request.user, body).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status:
        proposals = proposals.filter(status=status)
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
        except services.AssemblyError as error:
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
        for status in services.allowed_transitions(proposal)
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
        "can_amend": proposal.status == "open"
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
    except services.AssemblyError as error:
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
    except services.AssemblyError as error:
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
            ProposalVersion, proposal=proposal, number=request.POST.get("base", version.number)
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
        except services.AssemblyError as error:
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
    except services.AssemblyError as error:
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


def meeting_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    items = meeting.agenda_items.select_related("proposal").prefetch_related("decisions")
    context = {
        "meeting": meeting,
        "items": items,
        "quorum": selectors.meeting_quorum(meeting),
        "attendances": selectors.meeting_attendances(meeting)
        if request.user.is_authenticated
        else [],
        "can_check_in": has_perm(request.user, "assemblies.body.take_part", meeting.body),
        "can_manage": has_perm(request.user, "assemblies.meeting.manage", meeting),
        "agenda_form": AgendaItemForm(),
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "language": meeting.minutes_language}
        ),
        "tables": selectors.meeting_working_tables(meeting),
    }
    return render(request, "assemblies/meeting_detail.html", context)


def meeting_ics(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    items = meeting.agenda_items.values_list("position", "title")
    text = ical.calendar(
        uid=f"{meeting.uuid}@minga",
        stamp=meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.place or meeting.online_url,
        description=ical.agenda_description(meeting.description, items, meeting.online_url),
        url=meeting.get_canonical_url(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.uuid}.ics"'
    return response


@login_required
@require_POST
def meeting_check_in(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.body.take_part", meeting.body)
    seat = None
    if request.POST.get("membership"):
        seat = get_object_or_404(BodyMembership, uuid=request.POST["membership"], body=meeting.body)
    try:
        services.attendance_check_in(actor=request.user, meeting=meeting, membership=seat)
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are checked in."))
    return redirect(meeting)


def vote_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    vote = selectors.get_vote_for(request.user, uuid)
    return _vote_page(request, vote)


STATE_LABELS = {
    "scheduled": gettext_lazy("Not open yet"),
    "open": gettext_lazy("Open"),
    "ended": gettext_lazy("Ended; waiting to be counted"),
    "closed": gettext_lazy("Closed and counted"),
}
CHOICE_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
    "consent": gettext_lazy("Consent"),
    "stand_aside": gettext_lazy("Stand aside"),
    "objection": gettext_lazy("Objection"),
    "block": gettext_lazy("Block"),
}


def _vote_page(request: HttpRequest, vote: Vote, receipt: str = "") -> HttpResponse:
    state = selectors.vote_state(vote)
    tally = getattr(vote, "tally", None) if vote.closed_at else None
    context = {
        "vote": vote,
        "state": state,
        "tally": tally,
        "ranked": vote.method in RANKED_METHODS,
        "state_label": STATE_LABELS[state],
        "options": [(option, CHOICE_LABELS.get(option, option)) for option in vote.choices],
        "positions": [
            (position, CHOICE_LABELS[position])
            for position in ("consent", "stand_aside", "objection", "block")
        ],
        "rank_numbers": range(1, len(vote.choices) + 1),
        "seats": selectors.seats_of(request.user, vote.body),
        "chains": selectors.chains_for(request.user, vote),
        "roll_call": selectors.roll_call(vote) if not vote.secret else [],
        "can_cast": state == "open" and has_perm(request.user, "assemblies.vote.cast", vote),
        "can_close": state == "ended" and has_perm(request.user, "assemblies.vote.manage", vote),
        "can_close_now": state == "open" and has_perm(request.user, "assemblies.vote.manage", vote),
        "receipt": receipt,
    }
    return render(request, "assemblies/vote_detail.html", context)


@login_required
@require_POST
def vote_cast(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    vote = selectors.get_vote_for(request.user, uuid)
    require(request.user, "assemblies.vote.cast", vote)
    seat = None
    if request.POST.get("membership"):
        seat = get_object_or_404(BodyMembership, uuid=request.POST["membership"], body=vote.body)
    try:
        result = services.ballot_cast(
            actor=request.user,
            vote=vote,
            contents=ballot_contents(vote, request.POST),
            membership=seat,
            receipt=request.POST.get("receipt", ""),
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your ballot was recorded."))
        if result.receipt and not result.replaced:
            # Shown in this answer only, never stored in the session or put in a URL, so
            # nothing on the server links this person to the receipt (and so to the ballot).
            return _vote_page(request, vote, receipt=result.receipt)
    return redirect(vote)


@login_required
@require_POST
def vote_close(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    vote = selectors.get_vote_for(request.user, uuid)
    require(request.user, "assemblies.vote.manage", vote)
    try:
        services.vote_close(actor=request.user, vote=vote)
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(vote)


@login_required
@require_POST
def vote_close_now(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The chair ends an open vote now (in the meeting) and counts it."""
    vote = selectors.get_vote_for(request.user, uuid)
    require(request.user, "assemblies.vote.manage", vote)
    try:
        services.vote_close_now(actor=request.user, vote=vote)
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The vote was closed and counted."))
    return redirect(vote)


def vote_receipts(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Public list of counted receipt digests; a lookup is a POST so no receipt lands in logs."""
    vote = selectors.get_vote_for(request.user, uuid)
    if not vote.secret:
        raise Http404
    receipt = request.POST.get("receipt", "").strip() if request.method == "POST" else ""
    context = {
        "vote": vote,
        "hashes": selectors.counted_receipts(vote),
        "receipt": receipt,
        "counted": selectors.receipt_is_counted(vote, receipt) if receipt else None,
    }
    return render(request, "assemblies/vote_receipts.html", context)


def vote_blt(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    vote = selectors.get_vote_for(request.user, uuid)
    try:
        text = services.write_blt_of(vote)
    except services.AssemblyError as error:
        raise Http404 from error
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.uuid}.blt"'
    return response


@login_required
@require_POST
def delegation_set(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.take_part", body)
    delegator = get_object_or_404(BodyMembership, uuid=request.POST.get("delegator"), body=body)
    delegate = get_object_or_404(BodyMembership, uuid=request.POST.get("delegate"), body=body)
    try:
        services.delegation_set(actor=request.user, delegator=delegator, delegate=delegate)
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your delegation was saved."))
    return redirect("assemblies:body", slug=body.slug)


@login_required
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.manage", body)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user,
                body=body,
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
                online_url=form.cleaned_data["online_url"],
                description=form.cleaned_data["description"],
                agenda=form.agenda_items(),
            )
        except services.AssemblyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(meeting)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})


@login_required
@require_POST
def meeting_register(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.body.take_part", meeting.body)
    try:
        services.attendance_register(actor=request.user, meeting=meeting)
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are registered."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_manage(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The secretary's forms on the meeting page: add an agenda item, minutes, a decision."""
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", meeting)
    part = request.POST.get("part", "")
    try:
        if part == "agenda":
            agenda_form = AgendaItemForm(request.POST)
            if agenda_form.is_valid():
                services.agenda_item_add(
                    actor=request.user, meeting=meeting, title=agenda_form.cleaned_data["title"]
                )
        elif part == "minutes":
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                services.meeting_minutes_write(
                    actor=request.user,
                    meeting=meeting,
                    minutes=minutes_form.cleaned_data["minutes"],
                    language=minutes_form.cleaned_data["language"],
                )
        elif part == "decision":
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                item = get_object_or_404(
                    AgendaItem, meeting=meeting, pk=decision_form.cleaned_data["agenda_item"]
                )
                services.decision_record(
                    actor=request.user, agenda_item=item, text=decision_form.cleaned_data["text"]
                )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(meeting)


@login_required
def vote_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a vote: on a proposal sent to vote (``?proposal=``), an amendment, or an election;
    ``?meeting=`` holds it in a meeting of the body."""
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.manage", body)
    rules = selectors.rules_in_force(body)
    if rules is None:
        raise Http404
    proposal = (
        selectors.get_proposal_for(request.user, request.GET["proposal"])
        if request.GET.get("proposal")
        else None
    )
    amendment = (
        get_object_or_404(Amendment, uuid=request.GET["amendment"], proposal__body=body)
        if request.GET.get("amendment")
        else None
    )
    meeting = (
        selectors.get_meeting_for(request.user, request.GET["meeting"])
        if request.GET.get("meeting")
        else None
    )
    if meeting is not None and meeting.body_id != body.pk:
        raise Http404
    subject = amendment or proposal
    form = VoteForm(
        request.POST or None,
        methods=list(rules.allowed_methods),
        initial={"title": str(subject) if subject else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.vote_create(
                actor=request.user,
                body=body,
                title=form.cleaned_data["title"],
                method=form.cleaned_data["method"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                secret=form.cleaned_data["secret"],
                proposal=proposal,
                amendment=amendment,
                choices=form.names(),
                seats=form.cleaned_data["seats"],
                meeting=meeting,
            )
        except services.AssemblyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(vote)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})


@login_required
@require_POST
def declaration_publish(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.declaration.publish", proposal)
    try:
        declaration = services.declaration_publish(
            actor=request.user, proposal=proposal, kind=request.POST.get("kind", "resolution")
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
        return redirect(proposal)
    return redirect(declaration)


def declaration_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    declaration = selectors.get_declaration_for(request.user, uuid)
    endorsements = list(selectors.visible_signatories(request.user, declaration))
    context = {
        "declaration": declaration,
        "standing": [e for e in endorsements if e.withdrawn_at is None],
        "withdrawn": [e for e in endorsements if e.withdrawn_at is not None],
        "organizations": organizations_user_manages(request.user)
        if request.user.is_authenticated
        else [],
    }
    return render(request, "assemblies/declaration_detail.html", context)


@login_required
@require_POST
def endorsement_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    declaration = selectors.get_declaration_for(request.user, uuid)
    require(request.user, "assemblies.declaration.endorse", declaration)
    organization = get_object_or_404(Organization, uuid=request.POST.get("organization"))
    try:
        services.endorsement_add(
            actor=request.user, declaration=declaration, organization=organization
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(declaration)


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    endorsement = get_object_or_404(Endorsement.objects.select_related("declaration"), uuid=uuid)
    declaration = selectors.get_declaration_for(request.user, endorsement.declaration.uuid)
    require(request.user, "assemblies.declaration.endorse", declaration)
    try:
        services.endorsement_withdraw(
            actor=request.user, endorsement=endorsement, reason=request.POST.get("reason", "")
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(declaration)


def results_dashboard(request: HttpRequest) -> HttpResponse:
    """Every result the reader may see, filtered, with rolled-up progress; ``?format=csv``."""
    form = ResultFilterForm(request.GET or None)
    filters = selectors.ResultFilters(**form.cleaned_data) if form.is_valid() else None
    results = list(selectors.visible_results(request.user, filters)[:500])
    progress = selectors.rolled_up_progress(results)
    rows = [(result, progress.get(result.pk, 0)) for result in results]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="results.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["uuid", "body", "title", "responsible", "parent", "status", "progress",
             "starts_on", "due_on"]
        )  # fmt: skip
        for result, percent in rows:
            writer.writerow(
                [
                    result.uuid,
                    result.body.slug,
                    _csv_safe(result.title),
                    _csv_safe(result.responsible.name),
                    result.parent.uuid if result.parent else "",
                    result.status,
                    percent,
                    result.starts_on or "",
                    result.due_on or "",
                ]
            )
        return response
    return render(request, "assemblies/results.html", {"form": form, "rows": rows})


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def result_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    result = selectors.get_result_for(request.user, uuid)
    subtree = list(result.children.select_related("responsible"))
    progress = selectors.rolled_up_progress([result])
    context = {
        "result": result,
        "progress": progress.get(result.pk, 0),
        "children": [(child, progress.get(child.pk, 0)) for child in subtree],
        "milestones": result.milestones.all(),
        "can_update": has_perm(request.user, "assemblies.result.update", result),
        "update_form": ResultUpdateForm(
            initial={"status": result.status, "progress": result.progress}
        ),
        "milestone_form": MilestoneForm(),
    }
    return render(request, "assemblies/result_detail.html", context)


@login_required
def result_new(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.manage", body)
    form = ResultForm(
        request.POST or None,
        body=body,
        organizations=visible_organizations(request.user),
        declarations=selectors.visible_declarations(request.user, body),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.result_create(actor=request.user, body=body, **form.cleaned_data)
        except services.AssemblyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(result)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})


@login_required
@require_POST
def result_update(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Status and progress, a new milestone, or a milestone reached (``part`` says which)."""
    result = selectors.get_result_for(request.user, uuid)
    require(request.user, "assemblies.result.update", result)
    part = request.POST.get("part", "")
    try:
        if part == "status":
            update = ResultUpdateForm(request.POST)
            if update.is_valid():
                services.result_update(
                    actor=request.user,
                    result=result,
                    status=update.cleaned_data["status"],
                    progress=update.cleaned_data["progress"],
                )
        elif part == "milestone":
            milestone_form = MilestoneForm(request.POST)
            if milestone_form.is_valid():
                services.milestone_add(
                    actor=request.user, result=result, **milestone_form.cleaned_data
                )
        elif part == "reach":
            reach = MilestoneReachForm(request.POST)
            if reach.is_valid():
                milestone = get_object_or_404(
                    Milestone, pk=reach.cleaned_data.pop("milestone"), result=result
                )
                services.milestone_reach(
                    actor=request.user, milestone=milestone, **reach.cleaned_data
                )
            else:
                messages.error(request, _("Give the date the milestone was reached."))
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(result)


# Working tables


@login_required
def working_table_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", meeting)
    form = WorkingTableForm(
        request.POST or None,
        meeting=meeting,
        people=selectors.rapporteur_candidates(meeting.body),
    )
    if request.method == "POST" and form.is_valid():
        try:
            table = services.working_table_create(
                actor=request.user,
                meeting=meeting,
                name=form.cleaned_data["name"],
                theme=form.cleaned_data["theme"],
                agenda_items=list(form.cleaned_data["agenda_items"]),
                rapporteur=form.cleaned_data["rapporteur"],
            )
        except services.AssemblyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(table)
    return render(request, "assemblies/form_page.html", {"body": meeting.body, "form": form})


def working_table_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    can_manage = has_perm(request.user, "assemblies.meeting.manage", table.meeting)
    can_report = has_perm(request.user, "assemblies.working_table.report", table)
    context = {
        "table": table,
        "items": table.agenda_items.all(),
        "can_manage": can_manage,
        "can_report": can_report,
        "rapporteur_form": RapporteurForm(
            people=selectors.rapporteur_candidates(table.meeting.body),
            initial={"rapporteur": table.rapporteur_id},
        )
        if can_manage
        else None,
        "report_form": ReportForm(
            initial={"report": table.report, "language": table.report_language}
        )
        if can_report
        else None,
    }
    return render(request, "assemblies/working_table_detail.html", context)


@login_required
@require_POST
def working_table_rapporteur(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", table.meeting)
    form = RapporteurForm(request.POST, people=selectors.rapporteur_candidates(table.meeting.body))
    if not form.is_valid():
        messages.error(request, _("Choose an active person as rapporteur."))
        return redirect(table)
    try:
        services.working_table_assign_rapporteur(
            actor=request.user, table=table, rapporteur=form.cleaned_data["rapporteur"]
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    return redirect(table)


@login_required
@require_POST
def working_table_report(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    require(request.user, "assemblies.working_table.report", table)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the report."))
        return redirect(table)
    try:
        services.working_table_report_write(
            actor=request.user,
            table=table,
            report=form.cleaned_data["report"],
            language=form.cleaned_data["language"],
        )
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was saved."))
    return redirect(table)


# Documents to keep and print


def _document_response(document: exports.Document, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("html", "pdf"):
        raise Http404
    if fmt == "pdf":
        response = HttpResponse(exports.render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    response = HttpResponse(exports.render_html(document), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.html"'
    return response


def meeting_minutes_export(request: HttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """The minutes as a standalone accessible HTML page or as a PDF."""
    meeting = selectors.get_meeting_for(request.user, uuid)
    return _document_response(exports.minutes_document(meeting), fmt, f"minutes-{meeting.uuid}")


def declaration_export(request: HttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """An adopted text with its adoption record, as accessible HTML or PDF."""
    declaration = selectors.get_declaration_for(request.user, uuid)
    return _document_response(
        exports.declaration_document(declaration), fmt, f"{declaration.kind}-{declaration.uuid}"
    )


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
        except services.AssemblyError as error:
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
    except services.AssemblyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document was added."))
    return redirect(proposal.get_absolute_url() + "#documents")


# Debate spaces


def debate_list(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    debates = selectors.visible_debates(request.user, body)
    page = Paginator(debates, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "body": body,
        "debates": page.object_list,
        "page": page,
        "can_open": has_perm(request.user, "assemblies.debate.create", body),
    }
    return render(request, "assemblies/debate_list.html", context)


@login_required
def debate_new(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.debate.create", body)
    form = DebateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.debate_create(actor=request.user, body=body, **form.cleaned_data)
        except services.AssemblyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(debate)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})


def debate_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    debate = selectors.get_debate_for(request.user, uuid)
    discussion = Paginator(selectors.debate_thread(debate), selectors.COMMENT_THREADS_PER_PAGE)
    threads = discussion.get_page(request.GET.get("comments"))
    context = {
        "debate": debate,
        "thread": threads.object_list,
        "threads": threads,
        "comment_form": CommentForm(),
        "comment_action": reverse("assemblies:debate_comment_add", args=[debate.uuid]),
        "can_comment": has_perm(request.user, "assemblies.debate.comment", debate),
    }
    return render(request, "assemblies/debate_detail.html", context)


@login_required
@require_POST
def debate_comment_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    debate = selectors.get_debate_for(request.user, uuid)
    require(request.user, "assemblies.debate.comment", debate)
    return _post_comment(
        request,
        thread=debate,
        add=partial(services.debate_comment_add, actor=request.user, debate=debate),
        parent_lookup={"debate": debate},
    )
