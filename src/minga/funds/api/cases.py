"""Legal cases: read and written by their team only (the same selectors and services as
the pages, so the same access rule: superusers see none). Every read is logged."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, signed_in
from minga.common.permissions import require

from .. import case_data, selectors, services
from ..models import CaseDocument, LegalCase
from ..types import CaseStatus

router = Router(tags=["funds"])

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


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


class DocumentOut(Schema):
    uuid: UUID
    title: str
    filename: str
    mime: str
    size: int
    added_on: str


class ExpenseOut(Schema):
    uuid: UUID
    movement: UUID
    amount: int
    category: str
    status: str
    paid_to: str
    what_for: str


class MemberOut(Schema):
    username: str
    role: str


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
    documents: list[DocumentOut]
    expenses: list[ExpenseOut]


class CaseIn(Schema):
    pseudonym: str = Field(..., min_length=1, max_length=100)
    country: str = Field(..., min_length=2, max_length=2)
    kind: str
    place: str = ""
    summary: str = ""


class CaseEditIn(CaseIn):
    status: str = CaseStatus.OPEN
    outcome: str = ""


class IdentityIn(Schema):
    legal_name: str = Field(..., min_length=1, max_length=500)
    born_on: str = Field("", max_length=500)
    nationality: str = Field("", max_length=500)
    contact: str = Field("", max_length=500)
    papers: str = Field("", max_length=500)


class IdentityOut(Schema):
    legal_name: str
    born_on: str
    nationality: str
    contact: str
    papers: str


class MemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    role: str = "lawyer"


class ExpenseIn(Schema):
    amount: int
    category: str = Field("legal-fees", max_length=40)
    paid_to: str = Field(..., min_length=1, max_length=200)
    what_for: str = Field(..., min_length=1, max_length=500)


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
        "dates": [_case_date(case, row) for row in selectors.case_dates(case)],
        "notes": [case_data.unseal(case, "note", note, note.sealed) for note in case.notes.all()],
        "documents": [_document(case, d) for d in case.documents.all()],
        "expenses": [_expense(case, e) for e in case.expenses.select_related("movement")],
    }


def _case_date(case: LegalCase, row: Any) -> dict[str, Any]:
    return {
        "uuid": row.uuid,
        "kind": row.kind,
        "on": row.on,
        "done": row.done,
        **case_data.unseal(case, "date", row, row.sealed),
    }


def _document(case: LegalCase, document: CaseDocument) -> dict[str, Any]:
    meta = case_data.unseal(case, "document", document, document.sealed)
    return {"uuid": document.uuid, **{name: meta[name] for name in DOCUMENT_FIELDS}}


DOCUMENT_FIELDS = ("title", "filename", "mime", "size", "added_on")


def _expense(case: LegalCase, expense: Any) -> dict[str, Any]:
    fields = case_data.unseal(case, "expense", expense, expense.sealed)
    movement = expense.movement
    return {
        "uuid": expense.uuid,
        "movement": movement.uuid,
        "amount": movement.amount,
        "category": movement.category,
        "status": movement.status,
        "paid_to": fields.get("paid_to", ""),
        "what_for": fields.get("what_for", ""),
    }


def _case_out(case: LegalCase, pseudonym: str) -> LegalCase:
    case.pseudonym = pseudonym  # type: ignore[attr-defined]
    return case


@router.put("/cases/{uuid}", response={200: CaseOut, **WRITE_ERRORS})
@sensitive_variables()
def edit_case(request: HttpRequest, uuid: UUID, payload: CaseEditIn) -> Any:
    """Change the case's fields, as on its page (its team)."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    case = services.case_update(actor=user, case=case, data=services.CaseData(**payload.dict()))
    return _case_out(case, payload.pseudonym)


@router.delete("/cases/{uuid}", response={204: None, **WRITE_ERRORS})
def delete_case(request: HttpRequest, uuid: UUID, reference: str) -> Any:
    """Delete the case at the supported person's request (its coordinators): ``reference``
    repeats the case's reference to confirm. Its identity, dates, notes, documents and key
    are deleted for good; the fund keeps the amounts paid under the reference."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    services.case_delete(actor=user, case=case, reference=reference[:16])
    return Status(204, None)


@router.get("/cases/{uuid}/identity", response={200: IdentityOut, **WRITE_ERRORS})
def get_identity(request: HttpRequest, uuid: UUID) -> Any:
    """The supported person's real identity (who may read it on the case's team); the
    read is logged for the team."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    identity = services.identity_read(actor=user, case=case)
    if identity is None:
        raise FieldError(404, _("No identity is written for this case."), code="no_identity")
    return identity


@router.put("/cases/{uuid}/identity", response={200: IdentityOut, **WRITE_ERRORS})
@sensitive_variables()
def set_identity(request: HttpRequest, uuid: UUID, payload: IdentityIn) -> Any:
    """Write (or replace) the real identity, kept apart from the case, encrypted."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    services.identity_set(actor=user, case=case, identity=payload.dict())
    return {name: str(getattr(payload, name)).strip() for name in services.cases.IDENTITY_FIELDS}


@router.get("/cases/{uuid}/team", response={200: list[MemberOut], **WRITE_ERRORS})
def get_team(request: HttpRequest, uuid: UUID) -> Any:
    case = selectors.get_case_for(signed_in(request), uuid)
    return _team(case)


def _team(case: LegalCase) -> list[dict[str, str]]:
    return [{"username": m.user.username, "role": m.role} for m in selectors.case_team(case)]


@router.post("/cases/{uuid}/team", response={200: list[MemberOut], **WRITE_ERRORS})
def add_member(request: HttpRequest, uuid: UUID, payload: MemberIn) -> Any:
    """Put a person on the team, or change their role (the case's coordinators); the
    answer is the team."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    require(user, "funds.case.lead", case)
    person = get_user_model().objects.filter(username=payload.username, is_active=True).first()
    if person is None:
        raise FieldError(422, _("Nobody has this user name."), "username", code="user_unknown")
    services.member_add(actor=user, case=case, user=person, role=payload.role)
    return _team(case)


@router.delete("/cases/{uuid}/team/{username}", response={200: list[MemberOut], **WRITE_ERRORS})
def remove_member(request: HttpRequest, uuid: UUID, username: str) -> Any:
    """Take a person off the team (never its last coordinator); the answer is the team."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    require(user, "funds.case.lead", case)
    member = case.members.filter(user__username=username[:150]).select_related("user").first()
    if member is None:
        raise FieldError(404, _("This person is not on the case's team."), code="not_on_team")
    services.member_remove(actor=user, case=case, user=member.user)
    return _team(case)


@router.post("/cases/{uuid}/documents", response={201: DocumentOut, **WRITE_ERRORS})
def add_document(
    request: HttpRequest,
    uuid: UUID,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Any:
    """Add a document (PDF, office document or picture, up to 10 MB) as multipart form
    data: ``file`` and an optional ``title``. It is encrypted in the database."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    document = services.document_add(actor=user, case=case, upload=file, title=title)
    return Status(201, _document(case, document))


@router.get(
    "/cases/documents/{uuid}",
    response={200: None, **WRITE_ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The document's bytes, as it was added.",
                "content": {"application/octet-stream": {}},
            }
        }
    },
)
def get_document(request: HttpRequest, uuid: UUID) -> Any:
    """The document's file (its team); the read is logged for the team."""
    user = signed_in(request)
    document = selectors.get_case_document_for(user, uuid)
    meta, content = services.document_open(actor=user, document=document)
    response = HttpResponse(content, content_type=str(meta.get("mime", "")) or "application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=str(meta.get("filename", "document"))
    )
    add_never_cache_headers(response)
    return response


@router.delete("/cases/documents/{uuid}", response={204: None, **WRITE_ERRORS})
def remove_document(request: HttpRequest, uuid: UUID) -> Any:
    """Remove a document from its case, for good."""
    user = signed_in(request)
    services.document_remove(actor=user, document=selectors.get_case_document_for(user, uuid))
    return Status(204, None)


@router.post("/cases/{uuid}/expenses", response={201: ExpenseOut, **WRITE_ERRORS})
@sensitive_variables()
def request_expense(request: HttpRequest, uuid: UUID, payload: ExpenseIn) -> Any:
    """Ask the fund to pay an expense of the case (``amount`` in the fund's unit's smallest
    step). The fund's managers see the amount, the category and the case's reference only;
    to whom and for what stay sealed in the case."""
    user = signed_in(request)
    case = selectors.get_case_for(user, uuid)
    expense = services.expense_request(actor=user, case=case, **payload.dict())
    return Status(201, _expense(case, expense))


@router.post("/cases/dates/{uuid}/done", response={200: DateOut, **WRITE_ERRORS})
def mark_date_done(request: HttpRequest, uuid: UUID) -> Any:
    """Mark a hearing or deadline as done (it is no longer reminded)."""
    user = signed_in(request)
    row = services.date_done(actor=user, case_date=selectors.get_case_date_for(user, uuid))
    return _case_date(row.case, row)


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
