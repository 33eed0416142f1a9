"""Pages of the follow-up of agreements: the dashboard, results and their updates."""

from __future__ import annotations

import csv
import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.registry.selectors import visible_organizations

from .. import selectors, services
from ..forms import (
    MilestoneForm,
    MilestoneReachForm,
    ResultFilterForm,
    ResultForm,
    ResultUpdateForm,
)
from ..models import (
    Milestone,
)


def results_dashboard(request: HttpRequest) -> HttpResponse:
    """Every result the reader may see, filtered, with rolled-up progress; ``?format=csv``."""
    form = ResultFilterForm(request.GET or None)
    filters = selectors.ResultFilters(**form.cleaned_data) if form.is_valid() else None
    results = list(selectors.visible_results(request.user, filters)[:500])
    progress = selectors.rolled_up_progress(results)
    rows = [
        (result, progress.get(result.pk, 0), depth) for result, depth in selectors.as_tree(results)
    ]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="results.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["uuid", "body", "title", "responsible", "parent", "status", "progress",
             "starts_on", "due_on"]
        )  # fmt: skip
        for result, percent, _depth in rows:
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
    subtree = selectors.result_subtree(result)
    progress = selectors.rolled_up_progress([result])
    context = {
        "result": result,
        "progress": progress.get(result.pk, 0),
        "children": [(child, progress.get(child.pk, 0), depth) for child, depth in subtree],
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
        except DomainError as error:
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
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(result)
