"""Pages of bodies: the index and a body's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minga.common.permissions import has_perm

from .. import selectors


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
