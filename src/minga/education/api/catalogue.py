"""Schools and courses: read what the caller may see; create where the pages allow it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..types import Level, OnBehalf

router = Router(tags=["education"])


class SchoolOut(Schema):
    uuid: UUID
    url: str
    name: str
    description: str
    language: str
    organization: UUID

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_organization(obj: Any) -> UUID:
        return UUID(str(obj.organization.uuid))


class SchoolIn(Schema):
    organization: UUID
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    language: str = Field("es", max_length=16)


class CourseTranslationOut(Schema):
    language: str
    title: str
    description: str = Field(..., alias="text")
    status: str
    machine: bool
    reviewed_at: datetime | None

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.status.value)


class CourseTranslationIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""


class CourseOut(Schema):
    uuid: UUID
    url: str
    school: UUID
    title: str
    description: str
    language: str
    level: str
    hours: int
    min_attendance_percent: int
    final_assessment_required: bool
    on_behalf: str = Field(..., description="free, named or endorsed")
    visibility: str
    topics: list[str]
    prerequisites: list[UUID]
    translations: list[CourseTranslationOut] = Field(
        ..., description="the title and description in other languages, with their status"
    )

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_school(obj: Any) -> UUID:
        return UUID(str(obj.school.uuid))

    @staticmethod
    def resolve_translations(obj: Any) -> list[Any]:
        return list(obj.translations.all())

    @staticmethod
    def resolve_topics(obj: Any) -> list[str]:
        return [topic.code for topic in obj.topics.all()]

    @staticmethod
    def resolve_prerequisites(obj: Any, context: Any) -> list[UUID]:
        # Only the prerequisites the reader may see: a hidden course appears nowhere.
        readable = selectors.visible_courses(caller(context["request"]))
        earlier = readable.filter(pk__in=obj.prerequisites.values("pk"))
        return [UUID(str(uuid)) for uuid in earlier.values_list("uuid", flat=True)]


class CourseIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    language: str = Field("es", max_length=16)
    level: Level = Level.INTRODUCTORY
    hours: int = Field(0, ge=0, le=10000)
    min_attendance_percent: int = Field(75, ge=0, le=100)
    final_assessment_required: bool = False
    on_behalf: OnBehalf = OnBehalf.FREE
    visibility: Visibility = Visibility.PUBLIC
    topics: list[str] = Field(default_factory=list, description="codes of the topics")
    prerequisites: list[UUID] = Field(default_factory=list)


@router.get("/schools", response=list[SchoolOut])
@paginate(Pages, page_size=50)
def list_schools(request: HttpRequest) -> Any:
    return selectors.visible_schools(caller(request)).order_by("name", "pk")


@router.post(
    "/schools",
    response={201: SchoolOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_school(request: HttpRequest, payload: SchoolIn) -> Any:
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    school = services.school_create(
        actor=user, organization=organization, **payload.dict(exclude={"organization"})
    )
    return Status(201, school)


@router.get("/courses", response=list[CourseOut])
@paginate(Pages, page_size=50)
def list_courses(request: HttpRequest) -> Any:
    return selectors.visible_courses(caller(request)).order_by("title", "pk")


@router.get("/courses/{uuid}", response={200: CourseOut, 404: ErrorOut})
def get_course(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_course_for(caller(request), uuid)


@router.post(
    "/schools/{uuid}/courses",
    response={201: CourseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_course(request: HttpRequest, uuid: UUID, payload: CourseIn) -> Any:
    user = signed_in(request)
    school = selectors.get_school_for(user, uuid)
    data = payload.dict(exclude={"topics", "prerequisites"})
    topics = list(selectors.topics().filter(code__in=payload.topics))
    unknown = sorted(set(payload.topics) - {topic.code for topic in topics})
    if unknown:
        raise DomainError(
            _("Unknown topic: %(codes)s.") % {"codes": ", ".join(unknown)},
            "topics",
            code="unknown_topic",
        )
    earlier = list(selectors.visible_courses(user).filter(uuid__in=payload.prerequisites))
    if len(earlier) != len(set(payload.prerequisites)):
        raise DomainError(
            _("A prerequisite is not a course you may see."),
            "prerequisites",
            code="unknown_prerequisite",
        )
    course = services.course_create(
        actor=user, school=school, topics=topics, prerequisites=earlier, **data
    )
    return Status(201, course)


@router.put(
    "/courses/{uuid}/translations/{language}",
    response={
        200: CourseTranslationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def put_course_translation(
    request: HttpRequest, uuid: UUID, language: str, payload: CourseTranslationIn
) -> Any:
    """Write or correct the course in ``language`` (its teachers and coordinators)."""
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    return services.course_translation_save(
        actor=user, course=course, language=language, **payload.dict()
    )


@router.post(
    "/courses/{uuid}/translations/{language}/review",
    response={
        200: CourseTranslationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def review_course_translation(request: HttpRequest, uuid: UUID, language: str) -> Any:
    """Mark the translation as reviewed (the school's coordinators)."""
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    return services.course_translation_review(actor=user, course=course, language=language)


@router.delete(
    "/courses/{uuid}/translations/{language}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def delete_course_translation(request: HttpRequest, uuid: UUID, language: str) -> Any:
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    services.course_translation_remove(actor=user, course=course, language=language)
    return Status(204, None)
