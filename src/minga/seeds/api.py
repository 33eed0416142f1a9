"""API of the seed bank: banks, accessions, lots (with predicted viability) and seed requests,
with the pages' visibility. Sensitive passport fields are returned only to the bank's own
organization."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.errors import DomainError
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from . import selectors, services
from .models import Accession, GerminationTest, Lot, Regeneration, SeedBank, SeedRequest, Settlement

router = Router(tags=["seeds"])


def _sensitive(accession: Accession, context: Any) -> bool:
    return selectors.may_see_sensitive(caller(context["request"]), accession)


def _stored_where(lot: Lot, context: Any) -> bool:
    return selectors.may_see_bank_sensitive(caller(context["request"]), lot.accession.bank)


class BankOut(Schema):
    uuid: UUID
    url: str
    name: str
    instcode: str
    place: str
    organization: UUID

    @staticmethod
    def resolve_url(obj: SeedBank) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_organization(obj: SeedBank) -> UUID:
        return obj.organization.uuid


class AccessionOut(Schema):
    uuid: UUID
    url: str
    bank: UUID
    instcode: str
    accenumb: str
    genus: str
    species: str
    cropname: str
    accename: str
    sampstat: int | None
    origcty: str
    acqdate: str
    duplsite: str
    local_names: dict[str, str]
    story: str
    sharing_conditions: str
    visibility: str
    declatitude: float | None = None
    declongitude: float | None = None
    custodian: str | None = None

    @staticmethod
    def resolve_url(obj: Accession) -> str:
        return obj.get_canonical_url()

    # Sensitive fields: only for the bank's own organization.
    @staticmethod
    def resolve_declatitude(obj: Accession, context: Any) -> float | None:
        return obj.declatitude if _sensitive(obj, context) else None

    @staticmethod
    def resolve_declongitude(obj: Accession, context: Any) -> float | None:
        return obj.declongitude if _sensitive(obj, context) else None

    @staticmethod
    def resolve_custodian(obj: Accession, context: Any) -> str | None:
        return obj.custodian if _sensitive(obj, context) else None

    @staticmethod
    def resolve_bank(obj: Accession) -> UUID:
        return obj.bank.uuid


class ViabilityOut(Schema):
    predicted_percent: float | None
    initial_percent: float | None
    threshold_percent: float | None
    regenerate_on: date | None
    citation: str | None
    problem: str


class LotOut(Schema):
    uuid: UUID
    url: str
    accession: UUID
    code: str
    parent: UUID | None
    seeds: int
    hundred_seed_weight_mg: int | None
    harvested_on: date | None
    received_on: date
    stored_since: date
    storage_temperature: float
    moisture_percent: float
    distributable: bool
    germination_percent: float | None
    room: str | None = None
    shelf: str | None = None
    container: str | None = None

    @staticmethod
    def resolve_url(obj: Lot) -> str:
        return obj.get_canonical_url()

    # Where the lot is stored: only for the bank's own organization.
    @staticmethod
    def resolve_room(obj: Lot, context: Any) -> str | None:
        return obj.room if _stored_where(obj, context) else None

    @staticmethod
    def resolve_shelf(obj: Lot, context: Any) -> str | None:
        return obj.shelf if _stored_where(obj, context) else None

    @staticmethod
    def resolve_container(obj: Lot, context: Any) -> str | None:
        return obj.container if _stored_where(obj, context) else None

    @staticmethod
    def resolve_accession(obj: Lot) -> UUID:
        return obj.accession.uuid

    @staticmethod
    def resolve_parent(obj: Lot) -> UUID | None:
        return obj.parent.uuid if obj.parent is not None else None


class LotDetailOut(LotOut):
    viability: ViabilityOut

    @staticmethod
    def resolve_viability(obj: Lot) -> dict[str, Any]:
        viability = selectors.lot_viability(obj)
        return {
            "predicted_percent": viability.predicted_percent,
            "initial_percent": viability.initial_percent,
            "threshold_percent": viability.threshold_percent,
            "regenerate_on": viability.regenerate_on,
            "citation": viability.species.citation if viability.species else None,
            "problem": viability.problem,
        }


class TestOut(Schema):
    tested_on: date
    sown: int
    germinated: int
    abnormal: int
    dead: int
    replicates: int
    method: str
    percent: float


class RegenerationOut(Schema):
    uuid: UUID
    url: str
    lot: UUID
    grower: UUID
    place: str | None = None
    sow_on: date
    plants: int
    seeds_used: int
    status: str
    harvest: UUID | None

    @staticmethod
    def resolve_url(obj: Regeneration) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_lot(obj: Regeneration) -> UUID:
        return obj.lot.uuid

    @staticmethod
    def resolve_grower(obj: Regeneration) -> UUID:
        return obj.grower.uuid

    @staticmethod
    def resolve_place(obj: Regeneration, context: Any) -> str | None:
        """Where a commune grows it: the bank's and the grower's members only."""
        user = caller(context["request"])
        return obj.place if selectors.may_see_grow_out_place(user, obj) else None

    @staticmethod
    def resolve_harvest(obj: Regeneration) -> UUID | None:
        return obj.harvest.uuid if obj.harvest is not None else None


class RequestOut(Schema):
    uuid: UUID
    url: str
    lot: UUID
    requester: UUID
    seeds: int
    settlement: str
    barter_offer: str
    purpose: str
    status: str
    answer: str
    shipped_on: date | None
    unit: str | None = None
    amount: int | None = None
    paid: bool = False

    @staticmethod
    def resolve_unit(obj: SeedRequest) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_paid(obj: SeedRequest) -> bool:
        return obj.transfer_id is not None

    @staticmethod
    def resolve_url(obj: SeedRequest) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_lot(obj: SeedRequest) -> UUID:
        return obj.lot.uuid

    @staticmethod
    def resolve_requester(obj: SeedRequest) -> UUID:
        return obj.requester.uuid


class InventoryOut(Schema):
    genus: str
    species: str
    accessions: int
    lots: int
    seeds: int
    grams: float | None
    germination_percent: float | None
    lots_to_regenerate: int
    lots_with_few_seeds: int

    @staticmethod
    def resolve_lots_to_regenerate(obj: selectors.InventoryRow) -> int:
        return obj.due

    @staticmethod
    def resolve_lots_with_few_seeds(obj: selectors.InventoryRow) -> int:
        return obj.low


class AtRiskOut(Schema):
    accession: UUID
    url: str
    accenumb: str
    genus: str
    species: str
    seeds: int
    regenerate_on: date | None
    reasons: list[str]

    @staticmethod
    def resolve_accession(obj: Accession) -> UUID:
        return obj.uuid

    @staticmethod
    def resolve_url(obj: Accession) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_seeds(obj: Any) -> int:
        return int(obj.stock)

    @staticmethod
    def resolve_regenerate_on(obj: Any) -> date | None:
        return obj.due  # type: ignore[no-any-return]

    @staticmethod
    def resolve_reasons(obj: Accession) -> list[str]:
        return selectors.risk_reasons(obj, obj.bank, timezone.localdate())


class AlertOut(Schema):
    code: str
    text: str


class LotAlertsOut(Schema):
    lot: UUID
    url: str
    accession: str
    code: str
    seeds: int
    alerts: list[AlertOut]

    @staticmethod
    def resolve_lot(obj: Lot) -> UUID:
        return obj.uuid

    @staticmethod
    def resolve_url(obj: Lot) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_accession(obj: Lot) -> str:
        return obj.accession.accenumb

    @staticmethod
    def resolve_alerts(obj: Lot) -> list[dict[str, str]]:
        today = timezone.localdate()
        return [
            {"code": alert.code, "text": alert.text}
            for alert in selectors.row_alerts(obj, obj.accession.bank, today)
        ]


class RequestIn(Schema):
    requester: UUID
    seeds: int
    conditions_accepted: bool
    settlement: Settlement = Settlement.GIFT
    barter_offer: str = ""
    purpose: str = ""
    unit: str | None = Field(None, description="For settlement=exchange: the unit's code.")
    amount: int | None = Field(None, description="For settlement=exchange: minor units.")


class AccessionIn(Schema):
    mcpd: dict[str, str] = Field(
        ..., description="MCPD v2.1 fields by their names (ACCENUMB, GENUS, ...), as text."
    )
    local_names: dict[str, str] = Field(default_factory=dict, description="Language tag → name.")
    custodian: str = ""
    story: str = ""
    sharing_conditions: str = ""
    visibility: str = "public"


class AccessionPatch(Schema):
    mcpd: dict[str, str] = Field(
        default_factory=dict,
        description="MCPD fields to change, by their names, as text; an empty text clears one.",
    )
    local_names: dict[str, str] | None = None
    custodian: str | None = None
    story: str | None = None
    sharing_conditions: str | None = None
    visibility: str | None = None


class LotIn(Schema):
    code: str
    received_on: date
    storage_temperature: Decimal = Field(..., max_digits=4, decimal_places=1)
    moisture_percent: Decimal = Field(..., max_digits=4, decimal_places=1)
    seeds: int | None = Field(None, ge=0)
    grams: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=3)
    hundred_seed_weight_mg: int | None = Field(None, ge=1, le=10**9)
    harvested_on: date | None = None
    stored_since: date | None = None
    room: str = Field("", max_length=64)
    shelf: str = Field("", max_length=64)
    container: str = Field("", max_length=64)
    distributable: bool = True
    parent: UUID | None = Field(None, description="A lot of the same accession.")

    def to_data(self, accession: Accession | None) -> Any:
        values = self.dict(exclude={"parent"})
        parent = None
        if self.parent is not None:
            parent = accession.lots.filter(uuid=self.parent).first() if accession else None
            if parent is None:
                raise DomainError(
                    _("A parent lot must belong to the same accession."),
                    "parent",
                    code="foreign_parent",
                )
        return services.LotData(parent=parent, **values)


class TestIn(Schema):
    tested_on: date
    sown: int = Field(..., ge=1, le=10**9)
    germinated: int = Field(..., ge=0, le=10**9)
    abnormal: int = Field(0, ge=0, le=10**9)
    dead: int = Field(0, ge=0, le=10**9)
    replicates: int = Field(1, ge=1, le=100)
    method: str = Field("", max_length=200)


class RegenerationIn(Schema):
    grower: UUID = Field(
        ...,
        description=(
            "The commune that grows it: the bank's, one you manage, or a member of a network "
            "the bank's commune belongs to."
        ),
    )
    place: str = Field(..., max_length=200)
    sow_on: date
    plants: int = Field(..., ge=1, le=10**9)
    seeds_used: int = Field(..., ge=1, le=10**9)


class AnswerIn(Schema):
    answer: str = ""


@router.get("/banks", response=list[BankOut])
@paginate(Pages, page_size=50)
def list_banks(request: HttpRequest) -> Any:
    return selectors.visible_banks(caller(request)).select_related("organization")


@router.get("/banks/{uuid}", response={200: BankOut, 404: ErrorOut})
def get_bank(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_bank_for(caller(request), uuid=uuid)


@router.get("/banks/{uuid}/inventory", response={200: list[InventoryOut], 404: ErrorOut})
def bank_inventory(request: HttpRequest, uuid: UUID) -> Any:
    """Stock and viability per species, over the accessions the caller may see."""
    user = caller(request)
    return selectors.bank_inventory(user, selectors.get_bank_for(user, uuid=uuid))


@router.get(
    "/banks/{uuid}/at-risk",
    response={200: list[AtRiskOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@paginate(Pages, page_size=50)
def bank_at_risk(request: HttpRequest, uuid: UUID, reason: str = "") -> Any:
    """Accessions at risk, the most urgent first (the bank's keepers); ``reason`` is
    ``viability``, ``quantity`` or ``duplicate``."""
    user = signed_in(request)
    bank = selectors.get_bank_for(user, uuid=uuid)
    require(user, "seeds.bank.manage", bank)
    reason = reason if reason in selectors.RISK_REASONS else ""
    return selectors.accessions_at_risk(user, bank, reason=reason).select_related("bank")


@router.get(
    "/banks/{uuid}/alerts",
    response={200: list[LotAlertsOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@paginate(Pages, page_size=50)
def bank_alerts(request: HttpRequest, uuid: UUID, kind: str = "") -> Any:
    """The bank's lots that have an alert today, by accession number, for its keepers;
    ``kind`` (first_test, low_initial_germination, low_viability, low_quantity,
    monitoring_overdue) keeps one kind."""
    user = signed_in(request)
    bank = selectors.get_bank_for(user, uuid=uuid)
    require(user, "seeds.bank.manage", bank)
    kind = kind if kind in selectors.ALERT_KINDS else ""
    return selectors.lots_with_alerts(user, bank, kind=kind)


WRITE_RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/banks/{uuid}/accessions", response={201: AccessionOut, **WRITE_RESPONSES})
def create_accession(request: HttpRequest, uuid: UUID, payload: AccessionIn) -> Any:
    """Register an accession (the bank's keepers), as on the page."""
    user = signed_in(request)
    bank = selectors.get_bank_for(user, uuid=uuid)
    accession = services.accession_create(
        actor=user,
        bank=bank,
        data=services.AccessionData(
            mcpd=payload.mcpd,
            local_names=payload.local_names,
            custodian=payload.custodian,
            story=payload.story,
            sharing_conditions=payload.sharing_conditions,
            visibility=payload.visibility,
        ),
    )
    return Status(201, accession)


@router.post("/accessions/{uuid}/lots", response={201: LotDetailOut, **WRITE_RESPONSES})
def create_lot(request: HttpRequest, uuid: UUID, payload: LotIn) -> Any:
    """Record a lot of an accession (the bank's keepers); ``seeds`` or ``grams`` with the
    weight of 100 seeds; ``parent`` a lot of the same accession."""
    user = signed_in(request)
    accession = selectors.get_accession_for(user, uuid=uuid)
    require(user, "seeds.bank.manage", accession.bank)
    lot = services.lot_create(actor=user, accession=accession, data=payload.to_data(accession))
    return Status(201, selectors.get_lot_for(user, uuid=lot.uuid))


@router.get("/lots/{uuid}/tests", response={200: list[TestOut], 404: ErrorOut})
def list_tests(request: HttpRequest, uuid: UUID) -> Any:
    """The lot's germination tests, oldest first (its germination history)."""
    lot = selectors.get_lot_for(caller(request), uuid=uuid)
    return sorted(lot.tests.all(), key=lambda test: (test.tested_on, test.pk))


@router.post("/lots/{uuid}/tests", response={201: TestOut, **WRITE_RESPONSES})
def create_test(request: HttpRequest, uuid: UUID, payload: TestIn) -> Any:
    """Record a germination test (the bank's keepers); its seeds leave the lot."""
    user = signed_in(request)
    lot = selectors.get_lot_for(user, uuid=uuid)
    test: GerminationTest = services.test_record(
        actor=user, lot=lot, data=services.TestData(**payload.dict())
    )
    return Status(201, test)


@router.get("/lots/{uuid}/regenerations", response={200: list[RegenerationOut], 404: ErrorOut})
def list_regenerations(request: HttpRequest, uuid: UUID) -> Any:
    lot = selectors.get_lot_for(caller(request), uuid=uuid)
    return lot.regenerations.select_related("lot__accession__bank", "grower", "harvest")


@router.post("/lots/{uuid}/regenerations", response={201: RegenerationOut, **WRITE_RESPONSES})
def create_regeneration(request: HttpRequest, uuid: UUID, payload: RegenerationIn) -> Any:
    """Plan a grow-out (the bank's keepers); the seeds to sow leave the lot now."""
    user = signed_in(request)
    lot = selectors.get_lot_for(user, uuid=uuid)
    require(user, "seeds.bank.manage", lot.accession.bank)
    grower = selectors.grower_choices(user, lot).filter(uuid=payload.grower).first()
    if grower is None:
        raise DomainError(
            _("Choose the bank's commune, one you manage or one of its networks."),
            "grower",
            code="unknown_grower",
        )
    regeneration = services.regeneration_plan(
        actor=user,
        lot=lot,
        grower=grower,
        place=payload.place,
        sow_on=payload.sow_on,
        plants=payload.plants,
        seeds_used=payload.seeds_used,
    )
    return Status(201, selectors.get_regeneration_for(user, uuid=regeneration.uuid))


@router.get("/regenerations/{uuid}", response={200: RegenerationOut, 404: ErrorOut})
def get_regeneration(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_regeneration_for(caller(request), uuid=uuid)


@router.post("/regenerations/{uuid}/harvest", response={201: LotDetailOut, **WRITE_RESPONSES})
def harvest_regeneration(request: HttpRequest, uuid: UUID, payload: LotIn) -> Any:
    """Record the grow-out's harvest as a new lot whose parent is the sown lot."""
    user = signed_in(request)
    regeneration = selectors.get_regeneration_for(user, uuid=uuid)
    if payload.parent is not None:
        raise DomainError(
            _("The harvest's parent is the lot that was sown."), "parent", code="foreign_parent"
        )
    lot = services.regeneration_harvest(
        actor=user, regeneration=regeneration, data=payload.to_data(None)
    )
    return Status(201, selectors.get_lot_for(user, uuid=lot.uuid))


@router.get("/accessions", response=list[AccessionOut])
@paginate(Pages, page_size=50)
def list_accessions(request: HttpRequest) -> Any:
    return selectors.visible_accessions(caller(request)).select_related("bank").order_by("id")


@router.get("/accessions/{uuid}", response={200: AccessionOut, 404: ErrorOut})
def get_accession(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_accession_for(caller(request), uuid=uuid)


@router.patch("/accessions/{uuid}", response={200: AccessionOut, **WRITE_RESPONSES})
def update_accession(request: HttpRequest, uuid: UUID, payload: AccessionPatch) -> Any:
    """Change an accession's passport data (the bank's keepers), as on the page: only the
    fields sent change; sending the current values changes nothing."""
    user = signed_in(request)
    accession = selectors.get_accession_for(user, uuid=uuid)
    services.accession_update(
        actor=user,
        accession=accession,
        data=services.AccessionEdit(**payload.dict()),
    )
    return selectors.get_accession_for(user, uuid=uuid)


@router.get("/lots", response=list[LotOut])
@paginate(Pages, page_size=50)
def list_lots(request: HttpRequest) -> Any:
    return (
        selectors.visible_lots(caller(request)).select_related("accession", "parent").order_by("id")
    )


@router.get("/lots/{uuid}", response={200: LotDetailOut, 404: ErrorOut})
def get_lot(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_lot_for(caller(request), uuid=uuid)


@router.get("/requests", response={200: list[RequestOut], 401: ErrorOut})
@paginate(Pages, page_size=50)
def list_requests(request: HttpRequest) -> Any:
    return (
        selectors.visible_requests(signed_in(request))
        .select_related("lot", "requester")
        .order_by("-created_at", "-id")
    )


@router.post(
    "/lots/{uuid}/requests",
    response={
        201: RequestOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def create_request(request: HttpRequest, uuid: UUID, payload: RequestIn) -> Any:
    user = signed_in(request)
    lot = selectors.get_lot_for(user, uuid=uuid)
    requester = get_organization_for(user, uuid=payload.requester)
    unit = None
    if payload.unit:
        unit = selectors.payment_units(user, lot).filter(code=payload.unit).first()
        if unit is None:
            raise DomainError(
                _("The bank has no account in this unit."), "unit", code="unknown_unit"
            )
    seed_request = services.request_create(
        actor=user,
        lot=lot,
        requester=requester,
        data=services.RequestData(
            seeds=payload.seeds,
            conditions_accepted=payload.conditions_accepted,
            settlement=payload.settlement,
            barter_offer=payload.barter_offer,
            purpose=payload.purpose,
            unit=unit,
            amount=payload.amount,
        ),
    )
    return Status(201, seed_request)


def _answer(request: HttpRequest, uuid: UUID, action: str, answer: str = "") -> Any:
    user = signed_in(request)
    seed_request = selectors.get_request_for(user, uuid=uuid)
    if action == "approve":
        return services.request_approve(actor=user, seed_request=seed_request, answer=answer)
    if action == "refuse":
        return services.request_refuse(actor=user, seed_request=seed_request, answer=answer)
    if action == "ship":
        return services.request_ship(actor=user, seed_request=seed_request)
    return services.request_cancel(actor=user, seed_request=seed_request)


ANSWER_RESPONSES = {200: RequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/requests/{uuid}/approve", response=ANSWER_RESPONSES)
def approve_request(request: HttpRequest, uuid: UUID, payload: AnswerIn | None = None) -> Any:
    return _answer(request, uuid, "approve", payload.answer if payload else "")


@router.post("/requests/{uuid}/refuse", response=ANSWER_RESPONSES)
def refuse_request(request: HttpRequest, uuid: UUID, payload: AnswerIn | None = None) -> Any:
    return _answer(request, uuid, "refuse", payload.answer if payload else "")


@router.post("/requests/{uuid}/ship", response=ANSWER_RESPONSES)
def ship_request(request: HttpRequest, uuid: UUID) -> Any:
    return _answer(request, uuid, "ship")


@router.post("/requests/{uuid}/cancel", response=ANSWER_RESPONSES)
def cancel_request(request: HttpRequest, uuid: UUID) -> Any:
    return _answer(request, uuid, "cancel")
