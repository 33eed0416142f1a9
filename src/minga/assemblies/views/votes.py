"""Pages of votes: the ballot, receipts, closing, BLT export, delegation, new votes."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..exports import write_blt_of
from ..forms import (
    DelegateForm,
    VoteForm,
    ballot_contents,
)
from ..models import (
    Amendment,
    BodyMembership,
    Vote,
    VotingMethod,
)
from ..models.bodies import BLANK_METHODS, RANKED_METHODS
from ..outcomes import CHOICE_LABELS, choice_label, is_blank, method_label, outcome_of
from .inputs import optional_uuid, uuid_or_404


def vote_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    vote = selectors.get_vote_for(request.user, uuid)
    return _vote_page(request, vote)


STATE_LABELS = {
    "scheduled": gettext_lazy("Not open yet"),
    "open": gettext_lazy("Open"),
    "ended": gettext_lazy("Ended; waiting to be counted"),
    "closed": gettext_lazy("Closed and counted"),
}
CONSENT_POSITIONS = ("consent", "stand_aside", "objection", "block")


def _ballot_form(vote: Vote, entered: QueryDict | None) -> dict[str, Any]:
    """The ballot's inputs, with what the voter typed when the ballot came back refused."""
    data = entered if entered is not None else QueryDict()
    choices = list(vote.choices)
    prefix = "score" if vote.method == VotingMethod.SCORE else "rank"
    return {
        "options": [
            (option, choice_label(vote, option), data.get("option") == option) for option in choices
        ],
        "positions": [
            (position, CHOICE_LABELS[position], data.get("position") == position)
            for position in CONSENT_POSITIONS
        ],
        "reason": data.get("reason", ""),
        "approvals": [(name, name in data.getlist("approved")) for name in choices],
        "numbers": [
            (f"{prefix}-{index}", name, data.get(f"{prefix}-{index}", ""))
            for index, name in enumerate(choices)
        ],
        "blank": bool(data.get("blank")),
    }


def _vote_page(
    request: HttpRequest,
    vote: Vote,
    *,
    receipt: str = "",
    error: DomainError | None = None,
    entered: QueryDict | None = None,
    changing: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The vote: its state, the ballot (or "you have voted"), the result once counted.

    A seat that has voted no longer gets the ballot form; where the rules let ballots change
    until the vote closes, "change my vote" brings it back (a secret ballot is opened again
    with its receipt code, which the server never kept).
    """
    state = selectors.vote_state(vote)
    tally = getattr(vote, "tally", None) if vote.closed_at else None
    seats = selectors.seats_of(request.user, vote.body)
    taken = selectors.participations_of(vote, seats)
    voted = [(seat, taken[seat.pk]) for seat in seats if seat.pk in taken]
    waiting = [seat for seat in seats if seat.pk not in taken]
    can_cast = state == "open" and has_perm(request.user, "assemblies.vote.cast", vote)
    changeable = [seat for seat, via in voted if via is None]
    can_change = can_cast and vote.changeable and bool(changeable)
    changing = can_change and (changing or request.GET.get("change") == "1")
    form_seats = changeable if changing else waiting
    context = {
        "vote": vote,
        "state": state,
        "tally": tally,
        "outcome": outcome_of(vote, tally) if tally else None,
        "method_label": method_label(vote.method),
        "ranked": vote.method in RANKED_METHODS,
        "blank_allowed": vote.method in BLANK_METHODS and vote.rules.abstention_allowed,
        "state_label": STATE_LABELS[state],
        "ballot": _ballot_form(vote, entered),
        "rank_count": len(vote.choices),
        "voted": voted,
        "form_seats": form_seats,
        "changing": changing,
        "can_change": can_change and not changing,
        "chains": selectors.chains_for(request.user, vote),
        "roll_call": [
            (ballot, _ballot_text(vote, ballot.contents)) for ballot in selectors.roll_call(vote)
        ]
        if not vote.secret
        else [],
        "show_form": can_cast and bool(form_seats),
        "can_close": state == "ended" and has_perm(request.user, "assemblies.vote.manage", vote),
        "can_close_now": state == "open" and has_perm(request.user, "assemblies.vote.manage", vote),
        "receipt": receipt,
        "error": error,
    }
    return render(request, "assemblies/vote_detail.html", context, status=status)


def _ballot_text(vote: Vote, contents: dict[str, Any]) -> str:
    """A roll-call ballot in the reader's language."""
    if is_blank(contents):
        return _("Blank ballot")
    if "option" in contents:
        return choice_label(vote, contents["option"])
    if "position" in contents:
        label = str(CHOICE_LABELS.get(contents["position"], contents["position"]))
        return f"{label}: {contents['reason']}" if contents.get("reason") else label
    if "approved" in contents:
        return ", ".join(contents["approved"])
    if "scores" in contents:
        return ", ".join(f"{name} {score}" for name, score in contents["scores"].items())
    return " > ".join(contents.get("ranking", []))


@login_required
@require_POST
def vote_cast(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Cast or change a ballot; a refused ballot comes back with what was typed and what is
    wrong, next to the field at fault."""
    vote = selectors.get_vote_for(request.user, uuid)
    require(request.user, "assemblies.vote.cast", vote)
    changing = request.POST.get("change") == "1"
    membership = optional_uuid(request.POST.get("membership"))
    seat = (
        get_object_or_404(BodyMembership, uuid=membership, body=vote.body) if membership else None
    )
    try:
        result = services.ballot_cast(
            actor=request.user,
            vote=vote,
            contents=ballot_contents(vote, request.POST),
            membership=seat,
            receipt=request.POST.get("receipt", ""),
        )
    except DomainError as error:
        return _vote_page(
            request, vote, error=error, entered=request.POST, changing=changing, status=400
        )
    if result.replaced:
        messages.success(request, _("Your vote was changed."))
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
    except DomainError as error:
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
    except DomainError as error:
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
        text = write_blt_of(vote)
    except DomainError as error:
        raise Http404 from error
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.uuid}.blt"'
    return response


@login_required
@require_POST
def delegation_set(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.take_part", body)
    delegator = get_object_or_404(
        BodyMembership, uuid=uuid_or_404(request.POST.get("delegator")), body=body
    )
    delegate = _delegate_seat(request, body)
    if delegate is None:
        return redirect("assemblies:body", slug=body.slug)
    try:
        services.delegation_set(actor=request.user, delegator=delegator, delegate=delegate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your delegation was saved."))
    return redirect("assemblies:body", slug=body.slug)


def _delegate_seat(request: HttpRequest, body: Any) -> BodyMembership | None:
    """The seat named by the form: the organization typed in the picker (or, from older
    forms, the seat's identifier); ``None`` with a message saying what was wrong."""
    text = request.POST.get("delegate", "")
    try:
        seat_id = uuid_lib.UUID(text.strip())
    except ValueError:
        seat_id = None
    if seat_id is not None:
        seat = BodyMembership.objects.filter(uuid=seat_id, body=body).first()
        if seat is not None:
            return seat
    members = selectors.current_memberships(body)
    form = DelegateForm(
        request.POST,
        body=body,
        members=selectors.member_organizations(body),
    )
    if not form.is_valid():
        for error in form.errors.get("delegate", []):
            messages.error(request, str(error))
        return None
    return members.filter(organization=form.cleaned_data["delegate"]).first()


@login_required
def vote_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a vote: on a proposal sent to vote (``?proposal=``), an amendment, or an election;
    ``?meeting=`` holds it in a meeting of the body."""
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.manage", body)
    rules = selectors.rules_in_force(body)
    if rules is None:
        raise Http404
    proposal_id = optional_uuid(request.GET.get("proposal"))
    amendment_id = optional_uuid(request.GET.get("amendment"))
    meeting_id = optional_uuid(request.GET.get("meeting"))
    proposal = selectors.get_proposal_for(request.user, proposal_id) if proposal_id else None
    amendment = (
        get_object_or_404(Amendment, uuid=amendment_id, proposal__body=body)
        if amendment_id
        else None
    )
    meeting = selectors.get_meeting_for(request.user, meeting_id) if meeting_id else None
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
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(vote)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})
