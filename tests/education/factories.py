"""Factories of education's tests: schools, courses, cohorts, sessions made as the server."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.education import services
from tests import factories


def school(organization: Any = None, **fields: Any) -> Any:
    return services.school_create(
        actor=SYSTEM,
        organization=organization or factories.organization(),
        name=fields.pop("name", "Escuela de agroecología"),
        **fields,
    )


def course(school_: Any = None, **fields: Any) -> Any:
    return services.course_create(
        actor=SYSTEM,
        school=school_ or school(),
        title=fields.pop("title", "Economía comunal"),
        visibility=fields.pop("visibility", Visibility.PUBLIC),
        **fields,
    )


def cohort(course_: Any = None, *, teachers: list[Any] | None = None, **fields: Any) -> Any:
    today = timezone.localdate()
    data = {
        "name": "Cohorte 1",
        "starts_on": today - timedelta(days=10),
        "ends_on": today + timedelta(days=30),
        "capacity": 3,
        "waitlist_size": 2,
        "enrolment_opens_on": today - timedelta(days=20),
        "enrolment_closes_on": today + timedelta(days=5),
        "teachers": teachers or [],
        **fields,
    }
    return services.cohort_create(
        actor=SYSTEM, course=course_ or course(), data=services.CohortData(**data)
    )


def session(cohort_: Any, *, days_ago: int = 1) -> Any:
    starts = timezone.now() - timedelta(days=days_ago)
    return services.session_create(
        actor=SYSTEM, cohort=cohort_, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


def student(cohort_: Any, username: str | None = None) -> Any:
    """A person accepted in the cohort (returns the enrolment)."""
    person = factories.person(username)
    enrolment = services.enrolment_apply(actor=person, cohort=cohort_)
    return services.enrolment_decide(actor=SYSTEM, enrolment=enrolment, decision="accept")


def mark(session_: Any, enrolment: Any, status: str = "present", **fields: Any) -> Any:
    return services.MarkData(
        client_id=fields.pop("client_id", str(uuid.uuid4())),
        session=str(session_.uuid),
        enrolment=str(enrolment.uuid),
        status=status,
        recorded_at=fields.pop("recorded_at", timezone.now() - timedelta(minutes=5)),
    )


def wav(seconds: float = 2.0, rate: int = 44100) -> bytes:
    """A stereo WAV recording of a tone (what a phone's recorder might give)."""
    import io
    import math
    import struct
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(
            b"".join(
                struct.pack("<hh", int(8000 * math.sin(i / 20)), int(6000 * math.sin(i / 31)))
                for i in range(int(rate * seconds))
            )
        )
    return buffer.getvalue()


def lesson(course_: Any, *, title: str = "Las semillas criollas", body: str = "") -> Any:
    """A lesson in a new module of the course (made as the server)."""
    module = services.module_create(actor=SYSTEM, course=course_, title="Módulo 1")
    return services.lesson_create(actor=SYSTEM, module=module, title=title, body=body)


def assignment(course_: Any, *, days_left: int = 7, **fields: Any) -> Any:
    """An assignment of the course, due in ``days_left`` days (made as the server)."""
    return services.assignment_create(
        actor=SYSTEM,
        course=course_,
        data=services.AssignmentData(
            title=fields.pop("title", "Informe del huerto"),
            due_at=timezone.now() + timedelta(days=days_left),
            **fields,
        ),
    )


def pdf(size: int = 400) -> Any:
    """A small PDF upload (its type is read from its first bytes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n" + b"0" * max(size - 9, 0)
    return SimpleUploadedFile("informe.pdf", body, content_type="application/pdf")
