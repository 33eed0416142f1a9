"""Reads of the funds, through the platform's visibility rule.

A fund's readers follow its transparency (``Fund`` is ``VisibleContent``; its managers are
its custodians). Movements, pledges and figures are read only through a fund the reader
may see. Who gave is shown to the public only for pledges whose contributor chose to be
named; managers see every contributor.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from minga.common.registration import Attention
from minga.common.visibility import filter_visible, viewer_for
from minga.core.funds import (
    FundEntry,
    FundFigures,
    MovementKind,
    Recurrence,
    SuppressedCounts,
    fund_figures,
    overdue_count,
    suppress_small,
)

from .models import (
    BudgetLine,
    CaseDate,
    CaseDeletion,
    CaseDocument,
    CaseMember,
    CaseRead,
    Fund,
    LegalCase,
    MonthlyTotal,
    Movement,
    Pledge,
)
from .types import CaseStatus, MovementKindChoice, MovementStatus, PledgeStatus


def visible_funds(user: Any) -> QuerySet[Fund]:
    return filter_visible(
        Fund.objects.select_related("organization", "unit", "account", "owner_body", "body"),
        viewer_for(user),
    )


def funds_of_body(user: Any, body: Any) -> QuerySet[Fund]:
    """The funds a body owns, among those the user may read (find the body through
    ``registry.selectors.get_body_for`` first, so a body they may not see is a 404)."""
    return visible_funds(user).filter(owner_body=body)


def owner_bodies(user: Any, organization: Any) -> QuerySet[Any]:
    """The bodies that may own a fund of ``organization`` (its own, when it is a network),
    as the user may see them."""
    from minga.registry.selectors import visible_bodies

    return visible_bodies(user).filter(organization=organization).order_by("name")


def get_fund_for(user: Any, uuid: Any) -> Fund:
    """The fund if the user may read it; otherwise 404, as if it did not exist."""
    fund = visible_funds(user).filter(uuid=uuid).first()
    if fund is None:
        raise Http404
    return fund


def is_manager(user: Any, fund: Fund) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return fund.custodians.filter(pk=user.pk).exists()


def editable_funds(user: Any) -> QuerySet[Fund]:
    """Funds whose settings the user may open: those they may read, and every fund of an
    organization where they hold a managing role (its coordinators set the managers even
    of a fund its managers alone read). The rules decide what they may change."""
    from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

    owned = organization_ids_with_role(user, MANAGING_ROLES)
    return Fund.objects.select_related("organization", "unit", "body", "owner_body").filter(
        Q(pk__in=visible_funds(user).values("pk")) | Q(organization_id__in=owned)
    )


def get_fund_to_edit(user: Any, uuid: Any) -> Fund:
    """The fund if the user may open its settings; otherwise 404."""
    fund = editable_funds(user).filter(uuid=uuid).first()
    if fund is None:
        raise Http404
    return fund


def fund_managers(fund: Fund) -> QuerySet[Any]:
    return fund.custodians.order_by("username")


def budget_lines(fund: Fund) -> QuerySet[BudgetLine]:
    return fund.budget_lines.order_by("-year", "category")


def managed_funds(user: Any) -> QuerySet[Fund]:
    if not getattr(user, "is_authenticated", False):
        return Fund.objects.none()
    return Fund.objects.filter(custodians=user)


def movements_of(fund: Fund) -> QuerySet[Movement]:
    """Every movement of the fund, newest first (what its readers see)."""
    return fund.movements.select_related("recipient", "transfer").order_by("-created_at", "-id")


def done_movements(fund: Fund) -> QuerySet[Movement]:
    return movements_of(fund).filter(transfer__isnull=False)


def waiting_requests(fund: Fund) -> QuerySet[Movement]:
    return (
        fund.movements.filter(status=MovementStatus.REQUESTED)
        .select_related("requested_by", "recipient", "vote")
        .prefetch_related("approvals")
        .order_by("created_at", "id")
    )


def get_movement_for(user: Any, uuid: Any) -> Movement:
    movement = (
        Movement.objects.filter(fund__in=visible_funds(user), uuid=uuid)
        .select_related("fund")
        .first()
    )
    if movement is None:
        raise Http404
    return movement


def visible_movements(user: Any) -> QuerySet[Movement]:
    return Movement.objects.filter(fund__in=visible_funds(user))


def may_read_receipts_of(user: Any, fund: Fund) -> bool:
    """A fund's receipts are read by its managers, and by its readers when it shows its
    receipts (``receipts_public``)."""
    if is_manager(user, fund):
        return True
    return fund.receipts_public and visible_funds(user).filter(pk=fund.pk).exists()


def may_read_receipt(user: Any, movement: Movement) -> bool:
    """A movement's receipt: who may read its fund's receipts, when it has one."""
    return bool(movement.receipt) and may_read_receipts_of(user, movement.fund)


def receipts_of(fund: Fund) -> QuerySet[Movement]:
    """The fund's paid grants and expenses with a receipt, newest first (check
    ``may_read_receipts_of`` first)."""
    return (
        done_movements(fund)
        .filter(kind__in=(MovementKindChoice.GRANT, MovementKindChoice.EXPENSE))
        .exclude(receipt="")
    )


def visible_pledges(user: Any) -> QuerySet[Pledge]:
    """Pledges a reader may know of: their own, and every pledge of the funds they manage."""
    if not getattr(user, "is_authenticated", False):
        return Pledge.objects.none()
    if user.is_superuser:
        return Pledge.objects.all()
    return Pledge.objects.filter(Q(contributor=user) | Q(fund__custodians=user)).distinct()


def get_pledge_for(user: Any, uuid: Any) -> Pledge:
    pledge = visible_pledges(user).filter(uuid=uuid).select_related("fund", "contributor").first()
    if pledge is None:
        raise Http404
    return pledge


def fund_pledges(fund: Fund) -> QuerySet[Pledge]:
    """Every pledge of the fund with its contributor (for its managers only)."""
    return fund.pledges.select_related("contributor").order_by("status", "next_due_on", "id")


def overdue_pledges(fund: Fund, today: date | None = None) -> QuerySet[Pledge]:
    today = today or timezone.localdate()
    return fund_pledges(fund).filter(status=PledgeStatus.ACTIVE, next_due_on__lt=today)


def instalments_behind(pledge: Pledge, today: date) -> int:
    """How many instalments of an active pledge were due before ``today`` and are not
    received (0 for a pledge that is not active)."""
    if pledge.status != PledgeStatus.ACTIVE:
        return 0
    return overdue_count(
        pledge.starts_on,
        Recurrence(pledge.recurrence),
        pledge.received_count,
        today - timedelta(days=1),
    )


def named_contributors(fund: Fund) -> list[str]:
    """Who chose to be named, once each, in name order; nobody else."""
    people = (
        fund.pledges.filter(named=True, received_count__gt=0)
        .exclude(status=PledgeStatus.CANCELLED)
        .select_related("contributor")
    )
    return sorted({str(p.contributor) for p in people}, key=str.casefold)


def budget_of(fund: Fund, year: int) -> dict[str, int]:
    return dict(BudgetLine.objects.filter(fund=fund, year=year).values_list("category", "amount"))


SPENDING_KINDS = (MovementKindChoice.GRANT, MovementKindChoice.EXPENSE)


def committed_in(fund: Fund, category: str, year: int) -> int:
    """Spending already paid in a category in a year (net of reversals)."""
    spent = MonthlyTotal.objects.filter(
        fund=fund, category=category, month__year=year, kind__in=SPENDING_KINDS
    ).aggregate(total=Sum("total"))["total"]
    return -int(spent or 0)


def kept_entries(fund: Fund) -> list[FundEntry]:
    """The fund's kept monthly totals per kind and category (written with each transfer,
    ``services._ledger``): what its page, API and report read, a few rows however long
    the journal is."""
    rows = (
        MonthlyTotal.objects.filter(fund=fund)
        .exclude(total=0)
        .order_by("month", "kind", "category")
        .values_list("kind", "category", "month", "total")
    )
    return [
        FundEntry(MovementKind(kind), category, f"{month:%Y-%m}", total)
        for kind, category, month, total in rows
    ]


def journal_entries(fund: Fund) -> list[FundEntry]:
    """The fund's account's journal, replayed: each transfer signed from the fund's side,
    with the kind and category of the movement it records (a reversal with those of the
    movement it corrects), summed by the database per month it happened in.

    The kept totals (``kept_entries``) must always equal this replay; the state machine
    in ``tests/funds/test_figures_stateful.py`` checks both against the journal row by
    row."""
    signed = Case(
        When(transfer__credit_id=fund.account_id, then=F("transfer__amount")),
        default=-F("transfer__amount"),
        output_field=BigIntegerField(),
    )
    rows = (
        Movement.objects.filter(fund=fund, transfer__isnull=False)
        .annotate(month=TruncMonth("occurred_on"))
        .values("kind", "category", "month")
        .annotate(total=Sum(signed))
        .exclude(total=0)
        .order_by("month", "kind", "category")
    )
    return [
        FundEntry(MovementKind(row["kind"]), row["category"], f"{row['month']:%Y-%m}", row["total"])
        for row in rows
    ]


def figures_of(fund: Fund, year: int | None = None) -> FundFigures:
    year = year or timezone.localdate().year
    return fund_figures(kept_entries(fund), budget_of(fund, year), str(year))


def attention_for(user: Any) -> list[Attention]:
    """Requests waiting for the approval of a manager, per fund they manage; and the
    hearings and deadlines of the next week in the cases they work on (a count only)."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    items = []
    coming = case_dates_coming(user).count()
    if coming:
        text = ngettext(
            "%(count)d hearing or deadline this week in your cases",
            "%(count)d hearings or deadlines this week in your cases",
            coming,
        ) % {"count": coming}
        items.append(Attention(text, reverse("funds:cases"), coming))

    funds = managed_funds(user).annotate(
        waiting=Count("movements", filter=Q(movements__status=MovementStatus.REQUESTED))
    )
    for fund in funds:
        waiting = int(fund.waiting)
        if waiting:
            text = ngettext(
                "%(count)d request waiting in %(fund)s",
                "%(count)d requests waiting in %(fund)s",
                waiting,
            ) % {"count": waiting, "fund": fund.name}
            items.append(
                Attention(text, reverse("funds:fund", kwargs={"uuid": fund.uuid}), waiting)
            )
    return items


# Legal cases --------------------------------------------------------------------------

CASE_REMINDER_DAYS = 7


def visible_cases(user: Any) -> QuerySet[LegalCase]:
    """The cases whose team the user is on; nobody else's, superusers' included (the
    access rule in ``access.py``)."""
    return filter_visible(LegalCase.objects.select_related("fund"), viewer_for(user))


def case_page(
    user: Any, *, status: str = "", number: Any = None, per_page: int = 50
) -> tuple[Page[Any], list[LegalCase]]:
    """A page of the cases whose team the user is on, newest first: the page's ids are
    read through ``visible_cases`` along the ``case_newest`` index (no sort of every
    case, no sealed column read for the others), then only those rows with their fund:
    the page (for its pager) and its cases in order."""
    cases = visible_cases(user).select_related(None).order_by("-opened_in", "-id")
    if status:
        cases = cases.filter(status=status)
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = LegalCase.objects.select_related("fund").in_bulk(ids)
    return page, [rows[pk] for pk in ids if pk in rows]


def get_case_for(user: Any, uuid: Any) -> LegalCase:
    """The case if the user is on its team; otherwise 404, as if it did not exist."""
    case = visible_cases(user).filter(uuid=uuid).first()
    if case is None:
        raise Http404
    return case


def get_case_document_for(user: Any, uuid: Any) -> CaseDocument:
    """A document of a case whose team the user is on; otherwise 404."""
    return _of_visible_case(CaseDocument, user, uuid)


def get_case_date_for(user: Any, uuid: Any) -> CaseDate:
    """A hearing or deadline of a case whose team the user is on; otherwise 404."""
    return _of_visible_case(CaseDate, user, uuid)


R = TypeVar("R", CaseDocument, CaseDate)


def _of_visible_case(model: type[R], user: Any, uuid: Any) -> R:
    row = model.objects.filter(case__in=visible_cases(user), uuid=uuid).select_related("case")
    found: R | None = row.first()
    if found is None:
        raise Http404
    return found


def case_role(user: Any, case: LegalCase) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CaseMember.objects.filter(case=case, user=user).values_list("role", flat=True).first()


def case_team(case: LegalCase) -> QuerySet[CaseMember]:
    return case.members.select_related("user").order_by("role", "user__username")


def case_dates(case: LegalCase) -> QuerySet[CaseDate]:
    return case.dates.order_by("done", "on", "id")


def case_reads(case: LegalCase, limit: int = 100) -> QuerySet[CaseRead]:
    return case.reads.select_related("reader").order_by("-at", "-id")[:limit]


def case_dates_coming(user: Any, today: date | None = None) -> QuerySet[CaseDate]:
    """Hearings and deadlines not done, from today to a week ahead, of the user's cases."""
    if not getattr(user, "is_authenticated", False):
        return CaseDate.objects.none()
    today = today or timezone.localdate()
    return CaseDate.objects.filter(
        case__in=visible_cases(user),
        done=False,
        on__gte=today,
        on__lte=today + timedelta(days=CASE_REMINDER_DAYS),
    )


def case_report(fund: Fund) -> dict[str, SuppressedCounts]:
    """The fund's cases counted by kind, country, status and year opened, for whoever
    reads the fund: counts only, each group under five suppressed."""
    rows = (
        LegalCase.objects.filter(fund=fund)
        .values_list("kind", "country", "status", "opened_in")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted: dict[str, dict[str, int]] = {d: {} for d in ("kind", "country", "status", "year")}
    for kind, country, status, opened_in, n in rows:  # one pass over the cases, not four
        for dimension, key in (
            ("kind", str(kind)),
            ("country", str(country)),
            ("status", str(status)),
            ("year", str(opened_in)[:4]),
        ):
            counted[dimension][key] = counted[dimension].get(key, 0) + int(n)
    return {dimension: suppress_small(counts) for dimension, counts in counted.items()}


def fund_has_cases(fund: Fund) -> bool:
    return LegalCase.objects.filter(fund=fund).exists()


def open_cases(user: Any) -> QuerySet[LegalCase]:
    return visible_cases(user).filter(status=CaseStatus.OPEN)


def visible_case_deletions(user: Any) -> QuerySet[CaseDeletion]:
    """The record that a case was deleted, for the managers of its fund."""
    return CaseDeletion.objects.filter(fund__in=managed_funds(user))
