"""Legal cases: read and written by their team only (the same selectors and services as
the pages, so the same access rule: superusers see none). Every read is logged."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, signed_in

from .. import case_data, selectors, services

router = Router(tags=["funds"])


class CaseOut(Schema):
    uuid: UUID
    reference: str
    fund: UUID
    kind: str
    country: str
    status: str
    opened_in: date
    pseudonym: str

    @staticmethod
    def resolve_fund(obj: Any) -> UUID:
        return UUID(str(obj.fund.uuid))

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_pseudonym(obj: Any) -> str:
        return str(getattr(obj, "pseudonym", ""))


class DateOut(Schema):
    uuid: UUID
    kind: str
    on: date
    done: bool
    what: str
    where: str
    time: str


class NoteOut(Schema):
    text: str
    written_at: str


class CaseDetailOut(Schema):
    uuid: UUID
    reference: str
    fund: UUID
    kind: str
    country: str
    status: str
    opened_in: date
    pseudonym: str
    place: str
    summary: str
    outcome: str
    team: list[dict[str, str]]
    dates: list[DateOut]
    notes: list[NoteOut]
    documents: list[dict[str, Any]]


class CaseIn(Schema):
    pseudonym: str = Field(..., min_length=1, max_length=100)
    country: str = Field(..., min_length=2, max_length=2)
    kind: str
    place: str = ""
    summary: str = ""


class DateIn(Schema):
    kind: Literal["hearing", "deadline"]
    on: date
    what: str = Field(..., min_length=1, max_length=500)
    where: str = ""
    time: str = ""


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=20_000)


class ReadOut(Schema):
    at: str
    reader: str
    what: str


class CountsOut(Schema):
    shown: dict[str, int]
    hidden: bool
    total: int | None


@router.get("/cases", response={200: list[CaseOut], 401: ErrorOut})
@paginate(Pages, page_size=50)
def list_cases(request: HttpRequest) -> Any:
    """The cases whose team the caller is on (each listed one logged as read)."""
    user = signed_in(request)
    return _LoggedPage(selectors.visible_cases(user).order_by("-opened_in", "-id"), user)


class _LoggedPage:
    """A queryset whose sliced page is opened (pseudonyms) and logged as read."""

    def __init__(self, queryset: Any, user: Any) -> None:
        self.queryset, self.user = queryset, user

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> list[Any]:
        cases = list(self.queryset[index])
        pseudonyms = services.cases_listed(actor=self.user, cases=cases)
        for case in cases:
            case.pseudonym = pseudonyms.get(case.pk, "")
        return cases


@router.get("/cases/{uuid}", response={200: CaseDetailOut, 401: ErrorOut, 404: ErrorOut})
def get_case(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    fields = services.case_read(actor=user, case=case)
    return {
        "uuid": case.uuid,
        "reference": case.reference,
        "fund": case.fund.uuid,
        "kind": case.kind,
        "country": case.country.code,
        "status": case.status,
        "opened_in": case.opened_in,
        **fields,
        "team": [{"user": str(m.user), "role": m.role} for m in selectors.case_team(case)],
        "dates": [
            {
                "uuid": row.uuid,
                "kind": row.kind,
                "on": row.on,
                "done": row.done,
                **case_data.unseal(case, "date", row, row.sealed),
            }
            for row in selectors.case_dates(case)
        ],
        "notes": [case_data.unseal(case, "note", note, note.sealed) for note in case.notes.all()],
        "documents": [
            {"uuid": str(d.uuid), **case_data.unseal(case, "document", d, d.sealed)}
            for d in case.documents.all()
        ],
    }


@router.post(
    "/funds/{uuid}/cases",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def open_case(request: HttpRequest, uuid: UUID, payload: CaseIn) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    case = services.case_open(actor=user, fund=fund, data=services.CaseData(**payload.dict()))
    case.pseudonym = payload.pseudonym  # type: ignore[attr-defined]
    return Status(201, case)


@router.post(
    "/cases/{uuid}/dates",
    response={201: DateOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_date(request: HttpRequest, uuid: UUID, payload: DateIn) -> Any:
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    row = services.date_add(actor=user, case=case, **payload.dict())
    return Status(
        201,
        {
            "uuid": row.uuid,
            "kind": row.kind,
            "on": row.on,
            "done": row.done,
            "what": payload.what,
            "where": payload.where,
            "time": payload.time,
        },
    )


@router.post(
    "/cases/{uuid}/notes",
    response={201: NoteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_note(request: HttpRequest, uuid: UUID, payload: NoteIn) -> Any:
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    note = services.note_add(actor=user, case=case, text=payload.text)
    return Status(201, case_data.unseal(case, "note", note, note.sealed))


@router.get("/cases/{uuid}/reads", response={200: list[ReadOut], 401: ErrorOut, 404: ErrorOut})
def case_reads(request: HttpRequest, uuid: UUID) -> Any:
    """The case's read log (the latest 100), for its team."""
    case = selectors.get_case_for(signed_in(request), uuid)
    return [
        {"at": read.at.isoformat(), "reader": str(read.reader or ""), "what": read.what}
        for read in selectors.case_reads(case)
    ]


@router.get("/funds/{uuid}/case-report", response={200: dict[str, CountsOut], 404: ErrorOut})
def case_report(request: HttpRequest, uuid: UUID) -> Any:
    """The fund's cases counted by kind, country, status and year, for whoever reads the
    fund: groups under five suppressed."""
    from minga.common.api import caller

    fund = selectors.get_fund_for(caller(request), uuid)
    return {
        dimension: {"shown": counts.shown, "hidden": counts.hidden, "total": counts.total}
        for dimension, counts in selectors.case_report(fund).items()
    }
