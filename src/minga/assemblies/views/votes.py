"""Pages of votes: the ballot, receipts, closing, BLT export, delegation, new votes."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..forms import (
    VoteForm,
    ballot_contents,
)
from ..models import (
    Amendment,
    BodyMembership,
    Vote,
)
from ..models.bodies import RANKED_METHODS


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
