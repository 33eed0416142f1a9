"""Assignments, the course's marking scale, submissions, marks and feedback.

The same visibility as the pages: an assignment is read by whoever may read its course; a
piece of work, its mark and its feedback by the student who sent it and the cohort's staff.
A list of a cohort's work gives its staff the whole cohort and anyone else their own only.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.common.permissions import has_perm

from .. import selectors, services

router = Router(tags=["education"])

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AssignmentOut(Schema):
    uuid: UUID
    course: UUID
    module: UUID | None
    title: str
    instructions: str
    due_at: datetime
    accepts_late: bool
    is_final: bool

    @staticmethod
    def resolve_course(obj: Any) -> UUID:
        return UUID(str(obj.course.uuid))

    @staticmethod
    def resolve_module(obj: Any) -> UUID | None:
        return UUID(str(obj.module.uuid)) if obj.module_id else None

    @staticmethod
    def resolve_due_at(obj: Any) -> datetime:
        # In a cohort's list, the cohort's own due date.
        return getattr(obj, "due", None) or obj.due_at  # type: ignore[no-any-return]


class AssignmentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    instructions: str = Field("", max_length=50_000)
    due_at: datetime
    module: UUID | None = None
    accepts_late: bool = True
    is_final: bool = False


class MarkingOut(Schema):
    kind: str
    max_points: int
    pass_points: int
    criteria: list[dict[str, Any]]
    assignments_to_pass: int


class MarkingIn(Schema):
    kind: str = Field(..., description="pass_fail, points or rubric")
    max_points: int = Field(0, ge=0, le=10000)
    pass_points: int = Field(0, ge=0, le=10000)
    rubric: str = Field(
        "", max_length=20_000, description="a criterion a line: name | level points | ..."
    )
    assignments_to_pass: int = Field(0, ge=0, le=1000)


class DueIn(Schema):
    due_at: datetime | None = Field(None, description="null: the course's due date again")


class SubmissionOut(Schema):
    uuid: UUID
    assignment: UUID
    enrolment: UUID
    person: str
    text: str
    file: str | None
    file_name: str
    mime: str
    size_bytes: int
    submitted_at: datetime
    is_late: bool
    times_sent: int
    marked_at: datetime | None
    passed: bool | None
    points: int | None
    levels: list[int]
    feedback: str

    @staticmethod
    def resolve_assignment(obj: Any) -> UUID:
        return UUID(str(obj.assignment.uuid))

    @staticmethod
    def resolve_enrolment(obj: Any) -> UUID:
        return UUID(str(obj.enrolment.uuid))

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return str(obj.enrolment.person.username)

    @staticmethod
    def resolve_file(obj: Any) -> str | None:
        return str(obj.file.url) if obj.file else None


class MarkIn(Schema):
    passed: bool | None = Field(None, description="on a pass/fail scale")
    points: int | None = Field(None, ge=0, le=10000, description="on a points scale")
    levels: list[int] = Field(
        default_factory=list, description="on a rubric: the level chosen, per criterion"
    )
    feedback: str = Field("", max_length=20_000)


@router.get("/courses/{uuid}/assignments", response={200: list[AssignmentOut], 404: ErrorOut})
@paginate(Pages, page_size=50)
def list_course_assignments(request: HttpRequest, uuid: UUID) -> Any:
    course = selectors.get_course_for(caller(request), uuid)
    return selectors.course_assignments(course).select_related("course")


@router.post("/courses/{uuid}/assignments", response={201: AssignmentOut, **WRITE_ERRORS})
def create_assignment(request: HttpRequest, uuid: UUID, payload: AssignmentIn) -> Any:
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    module = None
    if payload.module is not None:
        module = selectors.get_module_for(user, payload.module)
    data = services.AssignmentData(**{**payload.dict(), "module": module})
    return Status(201, services.assignment_create(actor=user, course=course, data=data))


@router.get("/assignments/{uuid}", response={200: AssignmentOut, 404: ErrorOut})
def get_assignment(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_assignment_for(caller(request), uuid)


@router.put("/assignments/{uuid}", response={200: AssignmentOut, **WRITE_ERRORS})
def update_assignment(request: HttpRequest, uuid: UUID, payload: AssignmentIn) -> Any:
    """Change an assignment (the course's staff), also once work was sent: that work keeps
    its late flag and marks."""
    user = signed_in(request)
    task = selectors.get_assignment_for(user, uuid)
    module = None
    if payload.module is not None:
        module = selectors.get_module_for(user, payload.module)
    data = services.AssignmentData(**{**payload.dict(), "module": module})
    return services.assignment_update(actor=user, assignment=task, data=data)


@router.delete("/assignments/{uuid}", response={204: None, **WRITE_ERRORS})
def delete_assignment(request: HttpRequest, uuid: UUID, submissions_to_delete: int = 0) -> Any:
    """Delete an assignment with the work sent for it (as Moodle does): give how many pieces
    of work you expect to delete (the delete page shows it); a different number is refused
    (409 ``submissions_changed``, its message giving the current number) and nothing is
    deleted."""
    user = signed_in(request)
    task = selectors.get_assignment_for(user, uuid)
    services.assignment_delete(
        actor=user, assignment=task, submissions_to_delete=submissions_to_delete
    )
    return Status(204, None)


def _marking(course: Any) -> MarkingOut:
    from minga.core.education import marking

    data = marking.to_data(course.scale)
    return MarkingOut(
        kind=data["kind"],
        max_points=course.scale.max_points,
        pass_points=course.scale.pass_points,
        criteria=data.get("criteria", []),
        assignments_to_pass=course.assignments_to_pass,
    )


@router.get("/courses/{uuid}/marking", response={200: MarkingOut, 404: ErrorOut})
def get_marking(request: HttpRequest, uuid: UUID) -> Any:
    return _marking(selectors.get_course_for(caller(request), uuid))


@router.put("/courses/{uuid}/marking", response={200: MarkingOut, **WRITE_ERRORS})
def set_marking(request: HttpRequest, uuid: UUID, payload: MarkingIn) -> Any:
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    course = services.marking_set(
        actor=user, course=course, data=services.MarkingData(**payload.dict())
    )
    return _marking(course)


@router.get("/cohorts/{uuid}/assignments", response={200: list[AssignmentOut], 404: ErrorOut})
def list_cohort_assignments(request: HttpRequest, uuid: UUID) -> Any:
    """The course's assignments with their due date in this cohort."""
    return selectors.cohort_assignments(selectors.get_cohort_for(caller(request), uuid))


@router.put(
    "/cohorts/{uuid}/assignments/{assignment}/due", response={200: AssignmentOut, **WRITE_ERRORS}
)
def set_due_date(request: HttpRequest, uuid: UUID, assignment: UUID, payload: DueIn) -> Any:
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    task = selectors.get_assignment_for(user, assignment, cohort=cohort)
    services.due_date_set(actor=user, cohort=cohort, assignment=task, due_at=payload.due_at)
    task.due = selectors.due_for(task, cohort)  # type: ignore[attr-defined]
    return task


@router.get(
    "/cohorts/{uuid}/assignments/{assignment}/submissions",
    response={200: list[SubmissionOut], 404: ErrorOut},
)
@paginate(Pages, page_size=50)
def list_submissions(request: HttpRequest, uuid: UUID, assignment: UUID) -> Any:
    """The cohort's work for the assignment: all of it for the cohort's staff, the caller's
    own for anyone else."""
    user = caller(request)
    cohort = selectors.get_cohort_for(user, uuid)
    task = selectors.get_assignment_for(user, assignment, cohort=cohort)
    rows = selectors.cohort_submissions(cohort, task)
    if has_perm(user, "education.cohort.teach", cohort):
        return rows
    if not user.is_authenticated:
        return rows.none()
    return rows.filter(enrolment__person=user)


@router.post(
    "/cohorts/{uuid}/assignments/{assignment}/submissions",
    response={201: SubmissionOut, **WRITE_ERRORS},
)
def send_submission(
    request: HttpRequest,
    uuid: UUID,
    assignment: UUID,
    text: Form[str] = "",
    file: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
) -> Any:
    """Send (again, until marked) one's work: ``text`` and/or ``file`` as multipart form data."""
    user = signed_in(request)
    cohort = selectors.get_cohort_for(user, uuid)
    task = selectors.get_assignment_for(user, assignment, cohort=cohort)
    enrolment = selectors.my_enrolments(user).filter(cohort=cohort).first()
    if enrolment is None:
        raise FieldError(404, _("You have no place in this cohort."), code="not_enrolled")
    submission = services.submission_send(
        actor=user, enrolment=enrolment, assignment=task, text=text, upload=file
    )
    return Status(201, submission)


@router.get("/submissions", response=list[SubmissionOut])
@paginate(Pages, page_size=50)
def my_submissions(request: HttpRequest) -> Any:
    """The caller's own work, marks and feedback."""
    return selectors.my_submissions(caller(request)).select_related("enrolment__person")


@router.get("/submissions/{uuid}", response={200: SubmissionOut, 404: ErrorOut})
def get_submission(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_submission_for(caller(request), uuid)


@router.post("/submissions/{uuid}/mark", response={200: SubmissionOut, **WRITE_ERRORS})
def mark_submission(request: HttpRequest, uuid: UUID, payload: MarkIn) -> Any:
    user = signed_in(request)
    submission = selectors.get_submission_for(user, uuid)
    return services.submission_mark(
        actor=user,
        submission=submission,
        data=services.SubmissionMark(
            passed=payload.passed,
            points=payload.points,
            levels=tuple(payload.levels),
            feedback=payload.feedback,
        ),
    )
