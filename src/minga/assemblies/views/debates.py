"""Pages of debate spaces."""

from __future__ import annotations

import uuid as uuid_lib
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..forms import (
    CommentForm,
    DebateForm,
)
from .proposals import _post_comment

DEBATES_PER_PAGE = 50

# Debate spaces


def debate_list(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    debates = selectors.visible_debates(request.user, body)
    page = Paginator(debates, DEBATES_PER_PAGE).get_page(request.GET.get("page"))
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
        except DomainError as error:
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
