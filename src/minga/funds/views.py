"""Pages of the funds. Thin: parse, call one selector or service, render.

What a fund's page shows follows the fund's transparency (``selectors.get_fund_for``
answers 404 to anyone else). Who gave is shown only for contributors who chose it; the
managers' pages (pledges, requests) are behind ``funds.fund.manage``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.charts import Bar, bar_chart
from minga.common.csv import spreadsheet_writer
from minga.common.errors import DomainError
from minga.common.money import format_amount
from minga.common.permissions import has_perm, require
from minga.exchange import selectors as exchange_selectors
from minga.registry.selectors import (
    get_body_for,
    network_ids_of,
    organizations_user_manages,
    visible_bodies,
    visible_organizations,
)

from . import selectors, services
from .forms import (
    ApprovalForm,
    BudgetForm,
    FundForm,
    FundSettingsForm,
    ManagerForm,
    OwnerForm,
    PledgeForm,
    ReasonForm,
    ReceiveForm,
    SpendingForm,
)
from .models import Fund
from .types import MovementStatus, PledgeStatus


def _fail(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def fund_list(request: HttpRequest) -> HttpResponse:
    """The funds the reader may see; ``?body=<uuid>`` those a body owns (404 for a body
    they may not see, as if it did not exist)."""
    funds = selectors.visible_funds(request.user)
    body = None
    if "body" in request.GET:
        body = get_body_for(request.user, _uuid_or_404(request.GET["body"]))
        funds = selectors.funds_of_body(request.user, body)
    return render(
        request,
        "funds/fund_list.html",
        {
            "funds": funds.order_by("name", "id"),
            "body": body,
            "may_create": has_perm(request.user, "funds.fund.create"),
        },
    )


def _uuid_or_404(raw: str) -> UUID:
    from django.http import Http404

    try:
        return UUID(raw.strip()[:40])
    except ValueError:
        raise Http404 from None


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "funds.fund.create")
    managed = organizations_user_manages(request.user)
    form = FundForm(
        request.POST or None,
        organizations=managed,
        units=exchange_selectors.visible_units(request.user),
        bodies=visible_bodies(request.user).filter(organization__in=managed),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.fund_create(
                actor=request.user,
                organization=data["organization"],
                data=services.FundData(
                    name=data["name"],
                    purpose=data["purpose"],
                    unit=data["unit"],
                    transparency=data["transparency"],
                    approval_rule=data["approval_rule"] or None,
                    receipts_public=data["receipts_public"],
                    visible_to=[data["organization"]],
                    body=data["body"],
                    owner_body=data["owner_body"],
                ),
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The fund %(name)s was created.") % {"name": fund.name})
            return redirect(fund)
    return render(
        request,
        "funds/form_page.html",
        {"form": form, "title": _("New fund"), "button": _("Create the fund")},
    )


# How long a drawing of a fund's figures is kept unread. A drawing is never stale (its key
# carries the fund's figures revision); this only lets the cache drop idle funds.
FIGURES_KEPT_SECONDS = 24 * 3600


def _page_figures(fund: Fund) -> dict[str, Any]:
    """What the fund's page draws from its figures: the balance, the charts, the tables by
    month and category, the budget, the legal cases' counts. Drawn once per fund, figures
    revision, language and year, and kept in the cache: a page view then reads them with
    no query, and any transfer, budget line or case counts the revision up in its own
    transaction (``services._revision``), so the next view draws anew.

    One drawing serves every reader because it is built only from what every reader of
    the page sees alike (the kept monthly totals, the budget, the cases' counts with
    small groups suppressed); who may read the fund at all is decided before
    (``selectors.get_fund_for``), and what differs per reader (a manager's requests and
    forms, the movements, receipts) is not in it."""
    year = timezone.localdate().year
    key = f"funds:page:{fund.uuid}:{fund.figures_revision}:{get_language()}:{year}"
    drawn: dict[str, Any] | None = cache.get(key)
    if drawn is None:
        figures = _figures_context(fund, year)
        drawn = {
            "balance": figures["balance"],
            "income": figures["income"],
            "spending": figures["spending"],
            # Its charts and tables written once (the template is most of their cost); a
            # SafeString, which the cache keeps as one.
            "figures_html": render_to_string("funds/includes/figures.html", figures),
            "case_report": _case_report(fund),
        }
        cache.set(key, drawn, FIGURES_KEPT_SECONDS)
    return drawn


def _figures_context(fund: Fund, year: int) -> dict[str, Any]:
    unit = fund.unit
    figures = selectors.figures_of(fund, year)

    def money(amount: int) -> str:
        return format_amount(amount, unit.scale, unit.code)

    by_month = list(figures.by_month.items())[-24:]
    months = [
        {"month": month, "income": money(i), "spending": money(o)} for month, (i, o) in by_month
    ]
    return {
        "charts": _charts(figures, by_month, unit),
        "balance": money(figures.balance),
        "income": money(figures.income),
        "spending": money(figures.spending),
        "income_by_category": [(k, money(v)) for k, v in figures.income_by_category.items()],
        "spending_by_category": [(k, money(v)) for k, v in figures.spending_by_category.items()],
        "months": months,
        "budget": [
            {
                "category": line.category,
                "budget": money(line.budget),
                "spent": money(line.spent),
                "over": line.spent > line.budget,
            }
            for line in figures.budget
        ],
    }


def _charts(figures: Any, by_month: list[Any], unit: Any) -> list[tuple[str, str]]:
    """The fund's figures as the site's SVG bar charts (no script), each with its title;
    the page writes the same figures as text and tables beside them. Received and spent
    by month share one scale, so that their bars compare. The bars' figures are written
    without the unit (the title names it), so that they fit beside a full bar."""
    biggest = max([0, *(max(i, o) for _month, (i, o) in by_month)])
    drawn: list[tuple[str, str]] = []

    def chart(title: str, rows: list[tuple[str, int]], top: float | None = None) -> None:
        bars = [
            Bar(label, max(value, 0), format_amount(value, unit.scale, "").strip())
            for label, value in rows
        ]
        if any(bar.value for bar in bars):
            title = title % {"unit": unit.code}
            drawn.append((title, bar_chart(title, bars, maximum=top)))

    chart(_("Received by month, in %(unit)s"), [(m, i) for m, (i, _o) in by_month], biggest)
    chart(_("Spent by month, in %(unit)s"), [(m, o) for m, (_i, o) in by_month], biggest)
    chart(_("Received by category, in %(unit)s"), list(figures.income_by_category.items()))
    chart(_("Spent by category, in %(unit)s"), list(figures.spending_by_category.items()))
    if figures.budget:
        title = _("Budget this year: spent, in percent of the budget")
        bars = [
            Bar(line.category, min(line.percent, 100), f"{line.percent}%")
            for line in figures.budget
        ]
        drawn.append((title, bar_chart(title, bars, maximum=100)))
    return drawn


def _case_report(fund: Fund) -> list[dict[str, Any]]:
    """The fund's legal cases counted by kind, country, status and year: groups under five
    are not shown (``core.funds.suppress_small``)."""
    if not selectors.fund_has_cases(fund):
        return []
    from django_countries import countries

    from .types import CaseKind, CaseStatus

    names = {
        "kind": (_("By kind of case"), dict(CaseKind.choices)),
        "country": (_("By country"), dict(countries)),
        "status": (_("By status"), dict(CaseStatus.choices)),
        "year": (_("By year opened"), {}),
    }
    report = []
    for dimension, counts in selectors.case_report(fund).items():
        title, labels = names[dimension]
        report.append(
            {
                "title": title,
                "total": counts.total,
                "hidden": counts.hidden,
                "rows": [(str(labels.get(key, key)), n) for key, n in counts.shown.items()],
            }
        )
    return report


MOVEMENTS_A_PAGE = 25


def fund_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The fund's figures (from its kept monthly totals) and its movements, newest first,
    25 a page (``?page=2`` the next older ones; no count of the journal is needed)."""
    fund = selectors.get_fund_for(request.user, uuid)
    manager = selectors.is_manager(request.user, fund)
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * MOVEMENTS_A_PAGE
    movements = list(selectors.done_movements(fund)[start : start + MOVEMENTS_A_PAGE + 1])
    older = len(movements) > MOVEMENTS_A_PAGE
    movements = movements[:MOVEMENTS_A_PAGE]
    for movement in movements:
        movement.incoming = movement.transfer.credit_id == fund.account_id  # type: ignore[union-attr,attr-defined]
    context: dict[str, Any] = {
        "fund": fund,
        "manager": manager,
        "movements": movements,
        "show_receipts": manager or fund.receipts_public,
        "report_year": timezone.localdate().year,
        "newer_page": number - 1 if number > 1 else None,
        "older_page": number + 1 if older else None,
        "contributors": selectors.named_contributors(fund),
        "may_pledge": has_perm(request.user, "funds.pledge.create", fund),
        "may_open_case": has_perm(request.user, "funds.case.open", fund),
        "may_edit": has_perm(request.user, "funds.fund.edit", fund),
        "may_govern": has_perm(request.user, "funds.fund.govern", fund),
        **_page_figures(fund),
    }
    if manager:
        waiting = list(selectors.waiting_requests(fund))
        for movement in waiting:
            movement.approved_by_me = any(  # type: ignore[attr-defined]
                a.manager_id == request.user.pk for a in movement.approvals.all()
            )
        context["waiting"] = waiting
        context["overdue"] = selectors.overdue_pledges(fund).count()
    return render(request, "funds/fund_detail.html", context)


def _page_number(raw: str | None, last: int = 100_000) -> int:
    """A page number from the query, 1 when it is missing or not a number, at most
    ``last`` (so an offset never grows past what the database takes)."""
    try:
        return min(max(int(raw or 1), 1), last)
    except ValueError:
        return 1


def fund_report(request: HttpRequest, uuid: Any, year: int, fmt: str) -> HttpResponse:
    """The fund's yearly report, as a page or a PDF, for whoever may read the fund."""
    from django.http import Http404

    from minga.common.documents import render_html, render_pdf

    from .report import yearly_report

    fund = selectors.get_fund_for(request.user, uuid)
    if fmt not in ("html", "pdf") or not 2000 <= year <= timezone.localdate().year:
        raise Http404
    document = yearly_report(fund, year)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(render_html(document), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="minga-fund-{year}.{fmt}"'
    response["Cache-Control"] = "private"
    return response


def fund_export(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Every paid movement, for members to audit: formula-safe CSV, amounts in the unit,
    each row naming the fund's owner (its body and network, or its organization)."""
    fund = selectors.get_fund_for(request.user, uuid)
    unit = fund.unit
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"minga-fund-{fund.uuid}.csv"
    )
    response.write("\ufeff")
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            "date",
            "kind",
            "category",
            "description",
            "amount",
            "unit",
            "ledger_entry",
            "reverses",
            "fund_owner",
        ]
    )
    owner = fund.owner_name()
    movements = (
        selectors.done_movements(fund)
        .select_related("reverses")
        .order_by("transfer__sequence")
        .iterator(chunk_size=2000)
    )
    for movement in movements:
        transfer = movement.transfer
        if transfer is None:  # done_movements have their transfer
            continue
        signed = transfer.amount if transfer.credit_id == fund.account_id else -transfer.amount
        writer.writerow(
            [
                f"{movement.occurred_on:%Y-%m-%d}",
                movement.kind,
                movement.category,
                movement.description,
                format_amount(signed, unit.scale, "").strip(),
                unit.code,
                str(transfer.uuid),
                str(movement.reverses.uuid) if movement.reverses_id else "",  # type: ignore[union-attr]
                owner,
            ]
        )
    response["Cache-Control"] = "private"
    return response


@login_required
def pledge_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, uuid)
    form = PledgeForm(request.POST or None, unit=fund.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_create(
                actor=request.user,
                fund=fund,
                amount=data["amount"],
                recurrence=data["recurrence"],
                starts_on=data["starts_on"],
                named=data["named"],
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Thank you: your pledge is recorded."))
            return redirect(fund)
    return render(
        request,
        "funds/form_page.html",
        {"form": form, "fund": fund, "title": _("Pledge"), "button": _("Pledge")},
    )


@login_required
def pledge_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The fund's pledges for its managers, 50 a page; ``?overdue=1`` only those with an
    instalment past due, oldest first, each with how many instalments it is behind."""
    fund = selectors.get_fund_for(request.user, uuid)
    require(request.user, "funds.fund.manage", fund)
    only_overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    pledges = selectors.overdue_pledges(fund) if only_overdue else selectors.fund_pledges(fund)
    page = Paginator(pledges, 50).get_page(request.GET.get("page"))
    for pledge in page.object_list:
        pledge.behind = selectors.instalments_behind(pledge, today)  # type: ignore[attr-defined]
    return render(
        request,
        "funds/pledge_list.html",
        {
            "fund": fund,
            "page": page,
            "pledges": page.object_list,
            "only_overdue": only_overdue,
            "overdue": selectors.overdue_pledges(fund).count(),
        },
    )


@login_required
def pledge_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One pledge, for its contributor and the fund's managers (where the reminders link)."""
    pledge = selectors.get_pledge_for(request.user, uuid)
    fund = pledge.fund
    return render(
        request,
        "funds/pledge_detail.html",
        {
            "pledge": pledge,
            "fund": fund,
            "behind": selectors.instalments_behind(pledge, timezone.localdate()),
            "manager": selectors.is_manager(request.user, fund),
            "may_cancel": pledge.status == PledgeStatus.ACTIVE
            and has_perm(request.user, "funds.pledge.cancel", pledge),
        },
    )


@login_required
def contribution_receive(request: HttpRequest, uuid: Any) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, uuid)
    require(request.user, "funds.fund.manage", fund)
    pledges = selectors.fund_pledges(fund).filter(status=PledgeStatus.ACTIVE)
    initial = {}
    chosen = request.GET.get("pledge", "")
    if chosen:
        pledge = pledges.filter(uuid__iexact=chosen[:36]).first() if len(chosen) == 36 else None
        if pledge is not None:
            initial = {
                "pledge": pledge,
                "amount": format_amount(pledge.amount, fund.unit.scale, "").strip(),
            }
    form = ReceiveForm(request.POST or None, unit=fund.unit, pledges=pledges, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_receive(
                actor=request.user,
                fund=fund,
                amount=data["amount"],
                category=data["category"],
                description=data["description"],
                pledge=data["pledge"],
                received_on=data["received_on"],
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The contribution is recorded in the ledger."))
            return redirect(fund)
    return render(
        request,
        "funds/form_page.html",
        {"form": form, "fund": fund, "title": _("Record a contribution"), "button": _("Record")},
    )


@login_required
def spending_request(request: HttpRequest, uuid: Any) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, uuid)
    require(request.user, "funds.fund.manage", fund)
    form = SpendingForm(
        request.POST or None, unit=fund.unit, recipients=visible_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.spending_request(
                actor=request.user,
                fund=fund,
                kind=data["kind"],
                amount=data["amount"],
                category=data["category"],
                description=data["description"],
                recipient=data.get("recipient"),
                payee=data["payee"],
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The request is waiting for approval."))
            return redirect(fund)
    return render(
        request,
        "funds/form_page.html",
        {"form": form, "fund": fund, "title": _("Ask to spend"), "button": _("Send the request")},
    )


@login_required
def budget_set(request: HttpRequest, uuid: Any) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, uuid)
    require(request.user, "funds.fund.manage", fund)
    here = reverse("funds:budget", kwargs={"uuid": fund.uuid})
    if request.method == "POST" and request.POST.get("remove"):
        category, _sep, year = request.POST["remove"].partition("/")
        removed = year.isdecimal() and services.budget_remove(
            actor=request.user, fund=fund, category=category[:40], year=int(year[:4])
        )
        if removed:
            messages.success(request, _("The budget line is removed."))
        else:
            messages.error(request, _("There is no such budget line."))
        return redirect(here)
    form = BudgetForm(request.POST or None, unit=fund.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_set(
                actor=request.user,
                fund=fund,
                category=data["category"],
                year=data["year"],
                amount=data["amount"],
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(here)
    return render(
        request,
        "funds/budget.html",
        {"form": form, "fund": fund, "lines": selectors.budget_lines(fund)},
    )


@login_required
@require_POST
def spending_decide(request: HttpRequest, uuid: Any) -> HttpResponse:
    movement = selectors.get_movement_for(request.user, uuid)
    fund = movement.fund
    require(request.user, "funds.fund.manage", fund)
    try:
        if request.POST.get("decision") == "refuse":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.spending_refuse(actor=request.user, movement=movement, reason=reason)
            messages.success(request, _("The request is refused."))
        else:
            movement = services.spending_approve(actor=request.user, movement=movement)
            if movement.status == MovementStatus.DONE:
                messages.success(request, _("Approved: the money has moved in the ledger."))
            else:
                messages.success(request, _("Approved: another manager must approve too."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(fund)


@login_required
@require_POST
def movement_reverse(request: HttpRequest, uuid: Any) -> HttpResponse:
    movement = selectors.get_movement_for(request.user, uuid)
    fund = movement.fund
    require(request.user, "funds.fund.manage", fund)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.movement_reverse(actor=request.user, movement=movement, reason=reason)
        messages.success(request, _("The movement is reversed in the ledger."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(fund)


@login_required
@require_POST
def receipt_attach(request: HttpRequest, uuid: Any) -> HttpResponse:
    movement = selectors.get_movement_for(request.user, uuid)
    fund = movement.fund
    require(request.user, "funds.fund.manage", fund)
    try:
        services.receipt_attach(
            actor=request.user, movement=movement, upload=request.FILES.get("receipt")
        )
        messages.success(request, _("The receipt is attached."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(fund)


@login_required
@require_POST
def pledge_cancel(request: HttpRequest, uuid: Any) -> HttpResponse:
    pledge = selectors.get_pledge_for(request.user, uuid)
    try:
        services.pledge_cancel(actor=request.user, pledge=pledge)
        messages.success(request, _("The pledge is cancelled."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(pledge)


def _bodies_for(user: Any, fund: Fund) -> Any:
    """Bodies that may vote on the fund's spending: of its owner or of the owner's
    networks, as the user may see them."""
    owners = {fund.organization_id, *network_ids_of(fund.organization)}
    return visible_bodies(user).filter(organization_id__in=owners).order_by("name")


@login_required
def fund_settings(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The fund's name, purposes, transparency and receipts: its managers and its owner's
    coordinators (``funds.fund.edit``)."""
    fund = selectors.get_fund_to_edit(request.user, uuid)
    require(request.user, "funds.fund.edit", fund)
    form = FundSettingsForm(
        request.POST or None,
        fund=fund,
        chosen=fund.visible_to_organizations.order_by("name"),
        organizations=visible_organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fund_update(
                actor=request.user,
                fund=fund,
                data=services.FundSettings(
                    name=data["name"],
                    purpose=data["purpose"],
                    purposes=form.purposes(),
                    transparency=data["transparency"],
                    visible_to=form.organizations(),
                    receipts_public=data["receipts_public"],
                ),
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The fund's settings are saved."))
            return redirect(reverse("funds:settings", kwargs={"uuid": fund.uuid}))
    return render(
        request,
        "funds/fund_settings.html",
        {
            "form": form,
            "fund": fund,
            "may_govern": has_perm(request.user, "funds.fund.govern", fund),
        },
    )


@login_required
def fund_managers(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Who manages the fund and how its spending is approved: the owner's coordinators
    (``funds.fund.govern``). Three forms on one page, told apart by ``action``."""
    fund = selectors.get_fund_to_edit(request.user, uuid)
    require(request.user, "funds.fund.govern", fund)
    action = request.POST.get("action") if request.method == "POST" else None
    here = reverse("funds:managers", kwargs={"uuid": fund.uuid})
    add_form = ManagerForm(request.POST if action == "add" else None)
    rule_form = ApprovalForm(
        request.POST if action == "rule" else None,
        bodies=_bodies_for(request.user, fund),
        initial={"approval_rule": fund.approval_rule, "body": fund.body},
    )
    owner_bodies = selectors.owner_bodies(request.user, fund.organization)
    owner_form = OwnerForm(
        request.POST if action == "owner" else None,
        bodies=owner_bodies,
        initial={"owner_body": fund.owner_body},
    )
    if action == "remove":
        chosen = request.POST.get("user", "").strip()[:20]
        person = fund.custodians.filter(pk=int(chosen)).first() if chosen.isdecimal() else None
        try:
            services.manager_remove(actor=request.user, fund=fund, user=person)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person is no longer a manager of the fund."))
        return redirect(here)
    if action == "add" and add_form.is_valid():
        username = add_form.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=username, is_active=True).first()
        if person is None:
            add_form.add_error("username", _("Nobody has this user name."))
        else:
            services.manager_add(actor=request.user, fund=fund, user=person)
            messages.success(
                request, _("%(name)s manages the fund.") % {"name": person.get_username()}
            )
            return redirect(here)
    if action == "owner" and owner_form.is_valid():
        try:
            services.fund_owner_set(
                actor=request.user, fund=fund, owner_body=owner_form.cleaned_data["owner_body"]
            )
        except DomainError as error:
            _fail(owner_form, error)
        else:
            messages.success(request, _("Who owns the fund is saved."))
            return redirect(here)
    if action == "rule" and rule_form.is_valid():
        try:
            services.approval_rule_set(
                actor=request.user,
                fund=fund,
                rule=rule_form.cleaned_data["approval_rule"],
                body=rule_form.cleaned_data["body"],
            )
        except DomainError as error:
            _fail(rule_form, error)
        else:
            messages.success(request, _("The approval of spending is saved."))
            return redirect(here)
    managers = list(selectors.fund_managers(fund))
    return render(
        request,
        "funds/fund_managers.html",
        {
            "fund": fund,
            "managers": managers,
            "add_form": add_form,
            "rule_form": rule_form,
            # A network's bodies may own its funds; an organization without any has no choice.
            "owner_form": owner_form if fund.owner_body_id or owner_bodies.exists() else None,
            "too_few": fund.approval_rule == "two_managers" and len(managers) < 2,
        },
    )
