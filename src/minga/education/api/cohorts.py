"""Cohorts, sessions, enrolments and attendance sync."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.common.permissions import has_perm
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..types import Admission

router = Router(tags=["education"])


class CohortOut(Schema):
    uuid: UUID
    url: str
    course: UUID
    name: str
    starts_on: date
    ends_on: date
    place: str
    online_link: str
    capacity: int
    waitlist_size: int
    admission: str
    enrolment_opens_on: date
    enrolment_closes_on: date

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_course(obj: Any) -> UUID:
        return UUID(str(obj.course.uuid))


class CohortIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    starts_on: date
    ends_on: date
    capacity: int = Field(..., ge=1, le=100000)
    waitlist_size: int = Field(0, ge=0, le=100000)
    admission: Admission = Admission.REVIEW
    enrolment_opens_on: date
    enrolment_closes_on: date
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=200)
    teachers: list[str] = Field(default_factory=list, description="user names")


class SessionOut(Schema):
    uuid: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    place: str


class SessionIn(Schema):
    title: str = Field("", max_length=200)
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field("UTC", max_length=64)
    place: str = Field("", max_length=300)


class EnrolmentOut(Schema):
    uuid: UUID
    cohort: UUID
    person: str
    status: str
    reason: str
    on_behalf_of: UUID | None
    endorsement: str = Field(
        ..., description="'' (not needed), pending, endorsed or declined by the organization"
    )
    final_assessment_passed: bool

    @staticmethod
    def resolve_cohort(obj: Any) -> UUID:
        return UUID(str(obj.cohort.uuid))

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return str(obj.person.username)

    @staticmethod
    def resolve_on_behalf_of(obj: Any) -> UUID | None:
        return UUID(str(obj.on_behalf_of.uuid)) if obj.on_behalf_of_id else None


class ApplyIn(Schema):
    on_behalf_of: UUID | None = None


class DecisionIn(Schema):
    decision: str = Field(..., description="accept, waitlist or refuse")
    reason: str = Field("", max_length=2000)


class EndorsementIn(Schema):
    decision: str = Field(..., description="endorse or decline")
    reason: str = Field("", max_length=2000)


class MarkIn(Schema):
    client_id: str = Field(..., max_length=64)
    session: str = Field(..., max_length=64)
    enrolment: str = Field(..., max_length=64)
    status: str = Field(..., max_length=16)
    recorded_at: datetime


class SyncIn(Schema):
    marks: list[MarkIn]


class SyncOut(Schema):
    received: int
    stored: int
    already_known: int


@router.get("/cohorts", response=list[CohortOut])
@paginate(Pages, page_size=50)
def list_cohorts(request: HttpRequest) -> Any:
    return selectors.visible_cohorts(caller(request)).order_by("-starts_on", "pk")


@router.get("/cohorts/{uuid}", response={200: CohortOut, 404: ErrorOut})
def get_cohort(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_cohort_for(caller(request), uuid)


@router.post(
    "/courses/{uuid}/cohorts",
    response={201: CohortOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_cohort(request: HttpRequest, uuid: UUID, payload: CohortIn) -> Any:
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    teachers = list(get_user_model().objects.filter(username__in=payload.teachers, is_active=True))
    missing = sorted(set(payload.teachers) - {t.get_username() for t in teachers})
    if missing:
        raise FieldError(
            422,
            _("No person has the user name %(names)s.") % {"names": ", ".join(missing)},
            "teachers",
            code="unknown_person",
        )
    data = services.CohortData(**{**payload.dict(exclude={"teachers"}), "teachers": teachers})
    return Status(201, services.cohort_create(actor=user, course=course, data=data))


@router.get("/cohorts/{uuid}/sessions", response={200: list[SessionOut], 404: ErrorOut})
def list_sessions(request: HttpRequest, uuid: UUID) -> Any:
    return list(selectors.get_cohort_for(caller(request), uuid).sessions.all())


@router.post(
    "/cohorts/{uuid}/sessions",
    response={201: SessionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_session(request: HttpRequest, uuid: UUID, payload: SessionIn) -> Any:
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    return Status(201, services.session_create(actor=user, cohort=cohort, **payload.dict()))


@router.put(
    "/sessions/{uuid}",
    response={200: SessionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_session(request: HttpRequest, uuid: UUID, payload: SessionIn) -> Any:
    """Change or move a session (its event on the shared calendar follows)."""
    user = signed_in(request)
    session = selectors.get_session_for(user, uuid)
    return services.session_update(actor=user, session=session, **payload.dict())


@router.delete(
    "/sessions/{uuid}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def delete_session(request: HttpRequest, uuid: UUID) -> Any:
    """Remove a session no one was marked in (its event leaves the shared calendar)."""
    user = signed_in(request)
    services.session_delete(actor=user, session=selectors.get_session_for(user, uuid))
    return Status(204, None)


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate(Pages, page_size=50)
def my_enrolments(request: HttpRequest) -> Any:
    """The caller's own applications and places."""
    return selectors.my_enrolments(caller(request)).select_related("person", "on_behalf_of")


@router.get(
    "/cohorts/{uuid}/enrolments", response={200: list[EnrolmentOut], 403: ErrorOut, 404: ErrorOut}
)
@paginate(Pages, page_size=50)
def cohort_enrolments(request: HttpRequest, uuid: UUID) -> Any:
    """Every application to a cohort, for its teachers and the school's coordinators."""
    user = caller(request)
    cohort = selectors.get_cohort_for(user, uuid)
    if not has_perm(user, "education.cohort.teach", cohort):
        raise FieldError(
            403,
            _("Only the cohort's teachers and coordinators see its applications."),
            None,
            code="not_cohort_staff",
        )
    return selectors.cohort_enrolments(cohort)


@router.post(
    "/cohorts/{uuid}/apply",
    response={201: EnrolmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def apply(request: HttpRequest, uuid: UUID, payload: ApplyIn) -> Any:
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    organization = (
        get_organization_for(user, uuid=payload.on_behalf_of) if payload.on_behalf_of else None
    )
    enrolment = services.enrolment_apply(actor=user, cohort=cohort, on_behalf_of=organization)
    return Status(201, enrolment)


@router.post(
    "/enrolments/{uuid}/decision",
    response={
        200: EnrolmentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def decide(request: HttpRequest, uuid: UUID, payload: DecisionIn) -> Any:
    user = signed_in(request)
    enrolment = selectors.get_enrolment_for(user, uuid)
    return services.enrolment_decide(
        actor=user, enrolment=enrolment, decision=payload.decision, reason=payload.reason
    )


@router.get("/endorsements", response={200: list[EnrolmentOut], 401: ErrorOut})
@paginate(Pages, page_size=50)
def list_endorsements(request: HttpRequest) -> Any:
    """Applications made on behalf of organizations the caller coordinates, waiting for
    their endorsement."""
    return selectors.endorsements_waiting(signed_in(request))


@router.post(
    "/enrolments/{uuid}/endorsement",
    response={
        200: EnrolmentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def endorse(request: HttpRequest, uuid: UUID, payload: EndorsementIn) -> Any:
    """The organization's coordinators endorse or decline (with a reason) an application."""
    user = signed_in(request)
    enrolment = selectors.get_enrolment_for(user, uuid)
    return services.enrolment_endorse(
        actor=user, enrolment=enrolment, decision=payload.decision, reason=payload.reason
    )


@router.post(
    "/cohorts/{uuid}/attendance",
    response={200: SyncOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def sync_attendance(request: HttpRequest, uuid: UUID, payload: SyncIn) -> Any:
    """Marks recorded offline, each with the id its phone made: sending them again is safe."""
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    marks = [services.MarkData(**mark.dict()) for mark in payload.marks]
    return services.attendance_sync(actor=user, cohort=cohort, marks=marks)


class CheckInIn(Schema):
    code: str = Field(..., max_length=12)


class CheckInOut(Schema):
    session: UUID
    status: str
    recorded_at: datetime


@router.post(
    "/cohorts/{uuid}/check-in",
    response={200: CheckInOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def check_in(request: HttpRequest, uuid: UUID, payload: CheckInIn) -> Any:
    """A student checks themself in with the code the teacher opened for a session."""
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    enrolment = selectors.my_enrolments(user).filter(cohort=cohort).first()
    if enrolment is None:
        raise FieldError(404, _("You have no place in this cohort."), code="not_enrolled")
    record = services.attendance_check_in(actor=user, enrolment=enrolment, code=payload.code)
    return CheckInOut(
        session=record.session.uuid, status=record.status, recorded_at=record.recorded_at
    )
