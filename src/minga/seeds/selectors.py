"""Reads of the seed bank that users see, and the viability and alerts of lots.

Every list goes through :func:`visible_accessions`: an accession is visible when its own
visibility allows the reader and the reader may see the bank's organization. Lots, tests and
grow-outs follow their accession; requests are seen by the two organizations involved.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common.visibility import can_view, filter_visible, viewer_for
from minga.core.viability.constants import SpeciesRow, constants_for
from minga.core.viability.equation import (
    Storage,
    ViabilityError,
    curve,
    days_until,
    initial_from_test,
    predict,
)
from minga.exchange import selectors as exchange_selectors
from minga.library import selectors as library_selectors
from minga.registry.selectors import (
    MANAGING_ROLES,
    network_memberships,
    organization_ids_with_role,
    organizations_user_manages,
    visible_organizations,
)

from .models import (
    Accession,
    GerminationTest,
    Lot,
    Regeneration,
    RequestStatus,
    SeedBank,
    SeedRequest,
)


def visible_banks(user: Any) -> QuerySet[SeedBank]:
    return SeedBank.objects.filter(organization__in=visible_organizations(user).values("pk"))


def get_bank_for(user: Any, *, uuid: Any) -> SeedBank:
    bank = visible_banks(user).select_related("organization").filter(uuid=uuid).first()
    if bank is None:
        raise Http404
    return bank


def visible_accessions(user: Any) -> QuerySet[Accession]:
    accessions = filter_visible(Accession.objects.all(), viewer_for(user))
    return accessions.filter(bank__in=visible_banks(user).values("pk"))


def can_view_accession(user: Any, accession: Accession) -> bool:
    viewer = viewer_for(user)
    return can_view(accession, viewer) and can_view(accession.bank.organization, viewer)


def get_accession_for(user: Any, *, uuid: Any) -> Accession:
    accession = (
        visible_accessions(user).select_related("bank__organization").filter(uuid=uuid).first()
    )
    if accession is None:
        raise Http404
    return accession


def visible_lots(user: Any) -> QuerySet[Lot]:
    return Lot.objects.filter(accession__in=visible_accessions(user).values("pk"))


def can_view_lot(user: Any, lot: Lot) -> bool:
    return can_view_accession(user, lot.accession)


def get_lot_for(user: Any, *, uuid: Any) -> Lot:
    lot = (
        visible_lots(user)
        .select_related("accession__bank__organization", "parent")
        .prefetch_related(
            Prefetch("tests", queryset=GerminationTest.objects.select_related("recorded_by"))
        )
        .filter(uuid=uuid)
        .first()
    )
    if lot is None:
        raise Http404
    return lot


def visible_tests(user: Any) -> QuerySet[GerminationTest]:
    return GerminationTest.objects.filter(lot__in=visible_lots(user).values("pk"))


def visible_regenerations(user: Any) -> QuerySet[Regeneration]:
    return Regeneration.objects.filter(lot__in=visible_lots(user).values("pk"))


def get_regeneration_for(user: Any, *, uuid: Any) -> Regeneration:
    regeneration = (
        visible_regenerations(user)
        .select_related("lot__accession__bank", "grower", "harvest")
        .filter(uuid=uuid)
        .first()
    )
    if regeneration is None:
        raise Http404
    return regeneration


def visible_requests(user: Any) -> QuerySet[SeedRequest]:
    """Requests of an organization the user manages, either side; superusers see all."""
    if getattr(user, "is_superuser", False):
        return SeedRequest.objects.all()
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return SeedRequest.objects.filter(
        Q(requester_id__in=managed) | Q(lot__accession__bank__organization_id__in=managed)
    )


def get_request_for(user: Any, *, uuid: Any) -> SeedRequest:
    seed_request = (
        visible_requests(user)
        .select_related("lot__accession__bank__organization", "requester", "requested_by")
        .filter(uuid=uuid)
        .first()
    )
    if seed_request is None:
        raise Http404
    return seed_request


def may_see_sensitive(user: Any, accession: Accession) -> bool:
    """Exact coordinates and custodians: the bank's own organization (and superusers)."""
    return may_see_bank_sensitive(user, accession.bank)


def managed_organizations(user: Any) -> QuerySet[Any]:
    return organizations_user_manages(user)


def managed_banks(user: Any) -> QuerySet[SeedBank]:
    return SeedBank.objects.filter(
        organization_id__in=organization_ids_with_role(user, MANAGING_ROLES)
    ).select_related("organization")


def catalogue_lots(user: Any) -> QuerySet[Lot]:
    """The Index Seminum: visible lots that may be shared and have seeds, by accession."""
    return (
        visible_lots(user)
        .filter(distributable=True, seeds__gt=0)
        .select_related("accession__bank__organization")
        .order_by("accession__genus", "accession__species", "accession__accenumb", "code")
    )


def bank_lots(bank: SeedBank) -> QuerySet[Lot]:
    return (
        Lot.objects.filter(accession__bank=bank)
        .select_related("accession__bank")
        .prefetch_related(
            Prefetch("tests", queryset=GerminationTest.objects.order_by("tested_on", "id"))
        )
        .order_by("accession__accenumb", "code")
    )


def incoming_requests(bank: SeedBank) -> QuerySet[SeedRequest]:
    return (
        SeedRequest.objects.filter(
            lot__accession__bank=bank,
            status__in=[RequestStatus.REQUESTED, RequestStatus.APPROVED],
        )
        .select_related("lot__accession", "requester")
        .order_by("created_at", "id")
    )


# Viability and alerts -------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    code: str
    text: str


@dataclass
class LotViability:
    """What the equation says about a lot, and why it says nothing when it cannot."""

    species: SpeciesRow | None
    initial_percent: float | None = None  # the first test's germination
    last_percent: float | None = None
    last_tested_on: datetime.date | None = None
    predicted_percent: float | None = None  # today
    threshold_percent: float | None = None
    regenerate_on: datetime.date | None = None
    curve: list[tuple[datetime.date, float]] = field(default_factory=list)
    problem: str = ""


def _today() -> datetime.date:
    return timezone.localdate()


def _tests_in_order(lot: Lot) -> list[GerminationTest]:
    return sorted(lot.tests.all(), key=lambda test: (test.tested_on, test.pk))


def lot_viability(
    lot: Lot, *, today: datetime.date | None = None, points: int = 25
) -> LotViability:
    today = today or _today()
    accession = lot.accession
    result = LotViability(species=constants_for(accession.genus, accession.species))
    tests = _tests_in_order(lot)
    if tests:
        result.initial_percent = tests[0].percent
        result.last_percent = tests[-1].percent
        result.last_tested_on = tests[-1].tested_on
    if result.species is None:
        result.problem = _(
            "No published viability constants for %(taxon)s in the table; no prediction."
        ) % {"taxon": accession.taxon}
        return result
    if not tests:
        result.problem = _("Record a germination test to predict viability.")
        return result
    last = tests[-1]
    storage = Storage(
        moisture_percent=float(lot.moisture_percent),
        temperature_celsius=float(lot.storage_temperature),
    )
    ki = initial_from_test(last.sown, last.germinated)
    threshold = accession.bank.regeneration_fraction * tests[0].percent / 100
    result.threshold_percent = threshold
    try:
        elapsed = max(0, (today - last.tested_on).days)
        result.predicted_percent = predict(
            result.species.constants, initial_percent=ki, storage=storage, days=elapsed
        ).viability_percent
        threshold_clamped = min(max(threshold, 0.01), 99.99)
        wait = days_until(
            result.species.constants,
            initial_percent=ki,
            threshold_percent=threshold_clamped,
            storage=storage,
        )
        if wait < 365 * 500:
            result.regenerate_on = last.tested_on + datetime.timedelta(days=round(wait))
        horizon = max(365.0, min(wait * 1.5, 365.0 * 200), float(elapsed))
        result.curve = [
            (last.tested_on + datetime.timedelta(days=round(day)), percent)
            for day, percent in curve(
                result.species.constants,
                initial_percent=ki,
                storage=storage,
                until_days=horizon,
                points=points,
            )
        ]
    except ViabilityError as error:
        result.problem = error.message
    return result


def lot_alerts(
    lot: Lot, viability: LotViability, *, today: datetime.date | None = None
) -> list[Alert]:
    """The bank's alerts for a lot, with the thresholds the bank set."""
    today = today or _today()
    tests = _tests_in_order(lot)
    threshold = viability.threshold_percent
    current = [
        value
        for value in (viability.predicted_percent, viability.last_percent if tests[1:] else None)
        if value is not None
    ]
    return alerts_from(
        lot.accession.bank,
        received_on=lot.received_on,
        first_percent=tests[0].percent if tests else None,
        last_tested_on=tests[-1].tested_on if tests else None,
        low_viability=threshold is not None and any(value < threshold for value in current),
        seeds=lot.seeds,
        today=today,
    )


def alerts_from(
    bank: SeedBank,
    *,
    received_on: datetime.date,
    first_percent: float | None,
    last_tested_on: datetime.date | None,
    low_viability: bool,
    seeds: int,
    today: datetime.date,
) -> list[Alert]:
    """The alerts of a lot from what is known of it (one lot's page, or a row of the bank's
    list of alerts), in the words the bank's thresholds give them."""
    alerts = []
    if last_tested_on is None:
        due = received_on + relativedelta(months=bank.first_test_months)
        if due <= today:
            alerts.append(
                Alert(
                    "first_test_overdue",
                    _("First germination test overdue since %(date)s.") % {"date": due.isoformat()},
                )
            )
        else:
            alerts.append(
                Alert(
                    "first_test_due",
                    _("First germination test due by %(date)s.") % {"date": due.isoformat()},
                )
            )
    else:
        if first_percent is not None and first_percent < bank.minimum_initial_germination:
            alerts.append(
                Alert(
                    "low_initial_germination",
                    _("Initial germination %(percent).0f%% is below %(minimum)d%%.")
                    % {"percent": first_percent, "minimum": bank.minimum_initial_germination},
                )
            )
        due = last_tested_on + relativedelta(months=bank.monitoring_months)
        if due < today:
            alerts.append(
                Alert(
                    "monitoring_overdue",
                    _("Monitoring test overdue since %(date)s.") % {"date": due.isoformat()},
                )
            )
    if low_viability:
        alerts.append(
            Alert(
                "low_viability",
                _("Viability below %(share)d%% of the initial: regenerate.")
                % {"share": bank.regeneration_fraction},
            )
        )
    if seeds < bank.minimum_seeds:
        alerts.append(
            Alert(
                "low_quantity",
                _("Only %(seeds)d seeds, fewer than %(sowings)d sowings (%(minimum)d).")
                % {
                    "seeds": seeds,
                    "sowings": bank.minimum_sowings,
                    "minimum": bank.minimum_seeds,
                },
            )
        )
    return alerts


# The kinds of alert a bank's list filters on (the first test's two alerts are one kind).
ALERT_KINDS = (
    "first_test",
    "low_initial_germination",
    "low_viability",
    "low_quantity",
    "monitoring_overdue",
)


def lots_with_alerts(
    user: Any, bank: SeedBank, *, kind: str = "", today: datetime.date | None = None
) -> QuerySet[Lot]:
    """The bank's lots the reader may read that have an alert today (of ``kind`` only, when
    it is one of :data:`ALERT_KINDS`), by accession number and lot code.

    One query for any number of lots: the first test's germination and the last test's date
    come as subqueries over the tests' lot index, the rest from the lot's own columns (its
    stock and the regeneration date kept by the services, see ``minga.seeds.risk``); each
    row then has what :func:`row_alerts` needs.
    """
    today = today or _today()
    tests = GerminationTest.objects.filter(lot=OuterRef("pk"))
    first = tests.order_by("tested_on", "id").annotate(
        share=ExpressionWrapper(100.0 * F("germinated") / F("sown"), output_field=FloatField())
    )
    lots = (
        visible_lots(user)
        .filter(accession__bank=bank)
        .annotate(
            first_percent=Subquery(first.values("share")[:1]),
            last_tested_on=Subquery(tests.order_by("-tested_on", "-id").values("tested_on")[:1]),
        )
    )
    conditions = {
        "first_test": Q(last_tested_on__isnull=True),
        "low_initial_germination": Q(first_percent__lt=bank.minimum_initial_germination),
        "low_viability": Q(regenerate_on__lte=today),
        "low_quantity": Q(seeds__lt=bank.minimum_seeds),
        "monitoring_overdue": Q(
            last_tested_on__lt=today - relativedelta(months=bank.monitoring_months)
        ),
    }
    wanted = [conditions[kind]] if kind in conditions else list(conditions.values())
    condition = wanted[0]
    for other in wanted[1:]:
        condition |= other
    return (
        lots.filter(condition)
        .select_related("accession__bank")
        .order_by("accession__accenumb", "code", "id")
    )


def row_alerts(lot: Lot, bank: SeedBank, today: datetime.date) -> list[Alert]:
    """The alerts of a row of :func:`lots_with_alerts` (no query)."""
    return alerts_from(
        bank,
        received_on=lot.received_on,
        first_percent=getattr(lot, "first_percent", None),
        last_tested_on=getattr(lot, "last_tested_on", None),
        low_viability=lot.regenerate_on is not None and lot.regenerate_on <= today,
        seeds=lot.seeds,
        today=today,
    )


@dataclass
class LotStatus:
    lot: Lot
    viability: LotViability
    alerts: list[Alert]


def bank_status(bank: SeedBank, *, today: datetime.date | None = None) -> list[LotStatus]:
    """Every lot of a bank with its viability and alerts (two queries)."""
    rows = []
    for lot in bank_lots(bank):
        viability = lot_viability(lot, today=today, points=2)
        rows.append(LotStatus(lot, viability, lot_alerts(lot, viability, today=today)))
    return rows


def attention_for(user: Any) -> list[Any]:
    """Seed requests waiting for an answer from a bank the user manages."""
    from django.urls import reverse

    from minga.common.registration import Attention

    if not getattr(user, "is_authenticated", False):
        return []
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    if not managed:
        return []
    count = SeedRequest.objects.filter(
        lot__accession__bank__organization_id__in=managed, status=RequestStatus.REQUESTED
    ).count()
    if not count:
        return []
    return [Attention(_("Seed requests waiting for an answer"), reverse("seeds:requests"), count)]


def library_items_of(user: Any, accession: Accession) -> QuerySet[Any]:
    """The library items linked to an accession that the reader may read (the library's own
    access rules: visibility levels and community protocols)."""
    linked = accession.library_items.values("pk")
    return library_selectors.visible_items(user).filter(pk__in=linked).order_by("title")


def payment_units(user: Any, lot: Lot) -> QuerySet[Any]:
    """Units of account the reader may see in which the lot's bank has its own account: a
    request may be settled in them through the exchange."""
    bank_organization = lot.accession.bank.organization
    units = exchange_selectors.visible_units(user)
    held = [
        unit.pk
        for unit in units
        if exchange_selectors.own_account(bank_organization, unit) is not None
    ]
    return units.filter(pk__in=held).order_by("code")


def grower_choices(user: Any, lot: Lot) -> QuerySet[Any]:
    """Communes that may grow a lot out: the bank's own, any the user manages, and any member
    of a network the bank's commune belongs to today, among those the user may read.

    (The grower agrees outside the platform, as a farmer agrees with a genebank; the bank
    records it, and the grower's members then read where it is grown.)"""
    bank_organization = lot.accession.bank.organization_id
    ids = set(organization_ids_with_role(user, MANAGING_ROLES)) | {bank_organization}
    current = network_memberships()
    networks = current.filter(member_id=bank_organization).values("parent_id")
    neighbours = current.filter(parent_id__in=networks).values("member_id")
    return visible_organizations(user).filter(Q(pk__in=ids) | Q(pk__in=neighbours)).order_by("name")


# Reports --------------------------------------------------------------------------------


@dataclass
class InventoryRow:
    """One species of a bank: what is held and how it germinates."""

    genus: str
    species: str
    accessions: int = 0
    lots: int = 0
    seeds: int = 0
    grams: float | None = None  # of the lots whose hundred-seed weight is known
    germination_percent: float | None = None  # mean of the lots' last tests
    due: int = 0  # lots whose viability has fallen (or is predicted to) below the threshold
    low: int = 0  # lots below the bank's minimum stock

    @property
    def taxon(self) -> str:
        return f"{self.genus} {self.species}".strip()


def bank_inventory(
    user: Any, bank: SeedBank, *, today: datetime.date | None = None
) -> list[InventoryRow]:
    """Stock and viability per species, over the accessions the reader may see (two queries)."""
    today = today or _today()
    accessions = visible_accessions(user).filter(bank=bank)
    rows: dict[tuple[str, str], InventoryRow] = {}
    for genus, species, count in (
        accessions.values_list("genus", "species").annotate(count=Count("id")).order_by()
    ):
        rows[(genus, species)] = InventoryRow(genus, species, accessions=count)
    lots = Lot.objects.filter(accession__in=accessions.values("pk"))
    weighed = ExpressionWrapper(F("seeds") * F("hundred_seed_weight_mg"), output_field=FloatField())
    for record in (
        lots.values("accession__genus", "accession__species")
        .annotate(
            lots=Count("id"),
            stock=Sum("seeds"),
            milligrams_per_hundred=Sum(weighed, filter=Q(hundred_seed_weight_mg__isnull=False)),
            germination=Avg("germination_percent"),
            due=Count("id", filter=Q(regenerate_on__lte=today)),
            low=Count("id", filter=Q(seeds__lt=bank.minimum_seeds)),
        )
        .order_by()
    ):
        row = rows[(record["accession__genus"], record["accession__species"])]
        row.lots, row.seeds = record["lots"], record["stock"] or 0
        if record["milligrams_per_hundred"] is not None:
            row.grams = record["milligrams_per_hundred"] / 100 / 1000
        row.germination_percent = record["germination"]
        row.due, row.low = record["due"], record["low"]
    return sorted(rows.values(), key=lambda row: (row.genus, row.species))


RISK_REASONS = ("viability", "quantity", "duplicate")


def accessions_at_risk(
    user: Any, bank: SeedBank, *, reason: str = "", today: datetime.date | None = None
) -> QuerySet[Accession]:
    """Accessions of the bank at risk, the most urgent first: a lot whose viability fell (or is
    predicted to fall) below the bank's threshold by ``today``, fewer seeds in all than the
    bank's minimum, or no safety duplicate. ``reason`` keeps one of the three.

    One query on the accession's own columns (``Accession.stock`` and ``regenerate_on``, kept
    by the services with its lots), so it filters, orders and counts on indexed columns of
    one table; annotated with ``due`` (the earliest regeneration date).
    """
    today = today or _today()
    return (
        visible_accessions(user)
        .filter(bank=bank)
        .filter(_risk_condition(bank, reason, today))
        .annotate(due=F("regenerate_on"))
        .order_by(F("regenerate_on").asc(nulls_last=True), "stock", "accenumb", "id")
    )


def _risk_condition(bank: SeedBank, reason: str, today: datetime.date) -> Q:
    conditions = {
        "viability": Q(regenerate_on__lte=today),
        "quantity": Q(stock__lt=bank.minimum_seeds),
        "duplicate": Q(duplsite=""),
    }
    wanted = [conditions[reason]] if reason in conditions else list(conditions.values())
    condition = wanted[0]
    for other in wanted[1:]:
        condition |= other
    return condition


@dataclass(frozen=True)
class RiskPage:
    """A page of the report of accessions at risk, walked by key (no offset, no count):
    ``after`` and ``before`` are the cursors of the next and previous pages (None at an
    end)."""

    rows: list[Accession]
    after: str | None
    before: str | None


def _cursor(accession: Accession) -> str:
    day = accession.regenerate_on.isoformat() if accession.regenerate_on else "-"
    return f"{day}~{accession.stock}~{accession.accenumb}"


def _parse_cursor(text: str) -> tuple[datetime.date | None, int, str] | None:
    """``(regenerate_on, stock, accenumb)`` of a cursor, or None when it is not one."""
    parts = text.split("~", 2)
    if len(parts) != 3:
        return None
    day_text, stock_text, number = parts
    try:
        day = None if day_text == "-" else datetime.date.fromisoformat(day_text)
        stock = int(stock_text)
    except ValueError:
        return None
    if not 0 <= stock < 2**63 or not number or len(number) > 128:
        return None
    return day, stock, number


def at_risk_page(
    user: Any,
    bank: SeedBank,
    *,
    reason: str = "",
    after: str = "",
    before: str = "",
    last: bool = False,
    size: int = 30,
    today: datetime.date | None = None,
) -> RiskPage:
    """A page of :func:`accessions_at_risk` in its order (regeneration date, those without
    one last; then seeds; then number), after the cursor ``after``, before ``before``, or
    the last page. Each part of the order (with a date, without) is read along the
    ``accession_risk_order`` index from the cursor's place, ``size + 1`` rows at most, so a
    page costs the same at the start or the end of 200,000 accessions."""
    today = today or _today()
    base = (
        visible_accessions(user)
        .filter(bank=bank)
        .filter(_risk_condition(bank, reason, today))
        .annotate(due=F("regenerate_on"))
    )
    dated = base.filter(regenerate_on__isnull=False)
    undated = base.filter(regenerate_on__isnull=True)
    if reason == "viability":
        undated = undated.none()
    forward = not (before or last)
    cursor = _parse_cursor(after if forward else before) if (after or before) else None
    # Those without a date are ordered by the date too (all empty), so that on both
    # databases the index gives the order and nothing is sorted.
    up3 = up2 = ("regenerate_on", "stock", "accenumb")
    down3 = down2 = ("-regenerate_on", "-stock", "-accenumb")
    parts: list[tuple[QuerySet[Accession], tuple[str, ...]]]
    if cursor is None:
        parts = [(dated, up3), (undated, up2)] if forward else [(undated, down2), (dated, down3)]
    else:
        day, stock, number = cursor
        if day is None:  # among the accessions without a date, the end of the order
            if forward:
                beyond = Q(stock__gt=stock) | Q(stock=stock, accenumb__gt=number)
                parts = [(undated.filter(stock__gte=stock).filter(beyond), up2)]
            else:
                within = Q(stock__lt=stock) | Q(stock=stock, accenumb__lt=number)
                parts = [(undated.filter(stock__lte=stock).filter(within), down2), (dated, down3)]
        elif forward:
            beyond = (
                Q(regenerate_on__gt=day)
                | Q(regenerate_on=day, stock__gt=stock)
                | Q(regenerate_on=day, stock=stock, accenumb__gt=number)
            )
            parts = [(dated.filter(regenerate_on__gte=day).filter(beyond), up3), (undated, up2)]
        else:
            within = (
                Q(regenerate_on__lt=day)
                | Q(regenerate_on=day, stock__lt=stock)
                | Q(regenerate_on=day, stock=stock, accenumb__lt=number)
            )
            parts = [(dated.filter(regenerate_on__lte=day).filter(within), down3)]
    rows: list[Accession] = []
    for part, order in parts:
        if len(rows) > size:
            break
        rows.extend(part.order_by(*order)[: size + 1 - len(rows)])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return RiskPage([], None, None)
    if forward:
        return RiskPage(
            rows, _cursor(rows[-1]) if more else None, _cursor(rows[0]) if cursor else None
        )
    return RiskPage(rows, _cursor(rows[-1]) if cursor else None, _cursor(rows[0]) if more else None)


def risk_reasons(accession: Accession, bank: SeedBank, today: datetime.date) -> list[str]:
    """Which of :data:`RISK_REASONS` an accession from :func:`accessions_at_risk` meets."""
    due = getattr(accession, "due", None)
    reasons = []
    if due is not None and due <= today:
        reasons.append("viability")
    if getattr(accession, "stock", 0) < bank.minimum_seeds:
        reasons.append("quantity")
    if not accession.has_safety_duplicate:
        reasons.append("duplicate")
    return reasons


@dataclass(frozen=True)
class OriginCell:
    latitude: float
    longitude: float
    accessions: int


# Cell sizes in degrees, finest first: the map draws at most MAX_CELLS circles.
EXACT_CELLS = (0.01, 0.1, 1.0, 5.0)
PUBLIC_CELLS = (1.0, 5.0)
MAX_CELLS = 600


def origin_cells(user: Any, bank: SeedBank) -> tuple[list[OriginCell], float]:
    """Collecting points of the accessions the reader may see, counted in grid cells.

    Exact coordinates are sensitive: readers outside the bank's organization get cells of
    one degree (about 110 km) at least. Returns the cells and their size in degrees.
    """
    accessions = visible_accessions(user).filter(
        bank=bank, declatitude__isnull=False, declongitude__isnull=False
    )
    points: list[tuple[float, float]] = list(
        accessions.values_list("declatitude", "declongitude")  # type: ignore[arg-type]
    )
    sizes = EXACT_CELLS if may_see_bank_sensitive(user, bank) else PUBLIC_CELLS
    for size in sizes:
        counts: dict[tuple[float, float], int] = {}
        for latitude, longitude in points:
            key = (
                round((math.floor(latitude / size) + 0.5) * size, 6),
                round((math.floor(longitude / size) + 0.5) * size, 6),
            )
            counts[key] = counts.get(key, 0) + 1
        if len(counts) <= MAX_CELLS:
            break
    cells = [OriginCell(lat, lon, count) for (lat, lon), count in sorted(counts.items())]
    return cells, size


def may_see_bank_sensitive(user: Any, bank: SeedBank) -> bool:
    """Custodians, exact coordinates and where the lots are stored (room, shelf,
    container): members of the bank's organization and superusers."""
    if getattr(user, "is_superuser", False):
        return True
    return bank.organization_id in viewer_for(user).organization_ids


def may_see_grow_out_place(user: Any, regeneration: Regeneration) -> bool:
    """Where a commune grows a lot out is its field: the bank's organization and the
    grower's members read it, no one else."""
    if may_see_bank_sensitive(user, regeneration.lot.accession.bank):
        return True
    return regeneration.grower_id in viewer_for(user).organization_ids


def origin_countries(user: Any, bank: SeedBank) -> list[tuple[str, int]]:
    """(ISO 3166 alpha-3 code, accessions) of the visible accessions, most first."""
    accessions = visible_accessions(user).filter(bank=bank).exclude(origcty="")
    counted = accessions.values_list("origcty").annotate(count=Count("id")).order_by()
    return sorted(counted, key=lambda pair: (-pair[1], pair[0]))
