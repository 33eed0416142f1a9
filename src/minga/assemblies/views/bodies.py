"""Pages of bodies: the index and a body's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minga.common.permissions import has_perm

from .. import selectors
from ..forms import DelegateForm

MEMBERS_SHOWN = 20
MEMBERS_PER_PAGE = 100


def index(request: HttpRequest) -> HttpResponse:
    bodies = selectors.visible_bodies(request.user).order_by("name")
    return render(request, "assemblies/index.html", {"bodies": bodies})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    rules = selectors.rules_in_force(body)
    seats = selectors.seats_of(request.user, body)
    members = selectors.current_memberships(body).order_by("organization__name", "pk")
    summary = members.aggregate(count=Count("pk"), weight=Sum("weight"))
    context = {
        "body": body,
        "rules": rules,
        "history": selectors.rules_history(body),
        # A Congress may have a thousand members: the first few here, all on their own pages.
        "members": members[:MEMBERS_SHOWN],
        "member_count": summary["count"],
        "total_weight": summary["weight"] or 0,
        "delegate_form": DelegateForm(body=body, members=selectors.member_organizations(body))
        if seats
        else None,
        "meetings": selectors.visible_meetings(request.user, body)[:20],
        "votes": selectors.visible_votes(request.user, body)[:20],
        "seats": seats,
        "delegations": selectors.delegations_of(body) if seats else [],
        "can_propose": has_perm(request.user, "assemblies.proposal.create", body),
        "can_manage": has_perm(request.user, "assemblies.body.manage", body),
        "declarations": selectors.visible_declarations(request.user, body)[:20],
    }
    return render(request, "assemblies/body_detail.html", context)


def body_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Every member of a body with its weight, a page at a time."""
    body = selectors.get_body_for(request.user, slug=slug)
    members = selectors.current_memberships(body).order_by("organization__name", "pk")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assemblies/body_members.html", {"body": body, "page": page})
