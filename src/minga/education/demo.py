"""Demo data of education: the confederation's institute and two schools with public courses
in several languages, a running cohort with its sessions, attendance marks, applications
waiting for an answer and an issued certificate (invented, deterministic)."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.people.models import User
from minga.registry.models import Organization, Role

from . import services
from .models import Course, CourseTranslation, Enrolment, School, Topic
from .types import OnBehalf

TOPICS_OF_COURSES = [
    ["communal-economy", "political-training"],
    ["popular-communication"],
    ["seed-keeping", "technical-training"],
    ["agroecology", "technical-training"],
]

OUTLINE = {
    # course index: modules (title, summary, lessons (title, Markdown text, video or ""))
    0: [
        (
            "La comuna produce",
            "Qué produce la comuna, con qué medios y para quién.",
            [
                (
                    "El plan comunal de producción",
                    "La asamblea decide **qué** se produce y **cómo** se reparte.\n\n"
                    "1. Inventario de medios\n2. Necesidades de las familias\n"
                    "3. Metas por unidad productiva",
                    "https://video.example.org/minga/plan-comunal",
                ),
                (
                    "Las unidades de producción social",
                    "Cada unidad rinde cuentas a la asamblea cada mes.",
                    "",
                ),
            ],
        ),
        (
            "La comuna intercambia",
            "El crédito mutuo entre comunas y la contabilidad abierta.",
            [
                (
                    "El crédito mutuo",
                    "Un saldo negativo es un compromiso con la red, no una deuda con un "
                    "banco.\n\n| Comuna | Saldo |\n|---|---|\n| El Maizal | -120 |\n"
                    "| Ayllu | 120 |",
                    "",
                ),
            ],
        ),
    ],
    1: [
        (
            "Radyo kominotè",
            "Kijan pou fè yon emisyon radyo ak telefòn ou.",
            [
                (
                    "Anrejistre yon emisyon",
                    "Chwazi yon kote ki pa fè bri. Pale dousman, *klè*.",
                    "https://video.example.org/minga/radyo",
                ),
            ],
        ),
    ],
}


def _outline(course: Course, modules: list[tuple[str, str, list[tuple[str, str, str]]]]) -> int:
    lessons = 0
    for title, summary, items in modules:
        module = services.module_create(actor=SYSTEM, course=course, title=title, summary=summary)
        for lesson_title, body, video in items:
            lesson = services.lesson_create(
                actor=SYSTEM, module=module, title=lesson_title, body=body
            )
            lessons += 1
            if video:
                services.material_add_video(
                    actor=SYSTEM, lesson=lesson, url=video, title=f"Video: {lesson_title}"
                )
    return lessons


# course index: (language, title, description, status) — the demo's courses in other
# languages, with every status a reader may meet.
TRANSLATIONS = {
    0: [
        (
            "pt",
            "Economia comunal",
            "Como uma comuna planeja, produz e troca: o crédito mútuo, os fundos comuns e a "
            "contabilidade aberta.",
            "reviewed",
        ),
        (
            "fr",
            "Économie communale",
            "Comment une commune planifie, produit et échange : le crédit mutuel, les fonds "
            "communs et la comptabilité ouverte.",
            "human",
        ),
        (
            "ht",
            "Ekonomi kominal",
            "Kijan yon komin planifye, pwodui epi fè echanj: kredi mityèl, fon komen ak "
            "kontablite ouvè.",
            "reviewed",
        ),
        (
            "en",
            "Communal economy",
            "How a commune plans, produces and exchanges: mutual credit, common funds and "
            "open accounting.",
            "machine",
        ),
    ],
    1: [
        (
            "es",
            "Comunicación popular",
            "Radio comunitaria, periódicos murales y redes sociales para que las organizaciones "
            "hablen con el pueblo.",
            "reviewed",
        ),
        (
            "fr",
            "Communication populaire",
            "Radio communautaire, journaux muraux et réseaux sociaux pour que les organisations "
            "parlent au peuple.",
            "human",
        ),
    ],
    2: [
        (
            "es",
            "Guardianas de semillas criollas",
            "Seleccionar, secar, guardar y probar la germinación de las semillas de la comunidad.",
            "human",
        ),
        (
            "ht",
            "Gadyen semans peyi",
            "Chwazi, seche, sere epi teste jèminasyon semans kominote a.",
            "machine",
        ),
    ],
    3: [
        (
            "es",
            "Agroecología campesina",
            "Suelos vivos, asociaciones de cultivos y biofertilizantes hechos en la finca.",
            "reviewed",
        ),
        (
            "ht",
            "Agwoekoloji peyizan",
            "Tè vivan, asosyasyon kilti ak angrè byolojik yo fè nan jaden an.",
            "human",
        ),
    ],
}


def _translate(course: Course, index: int) -> int:
    made = 0
    for language, title, description, status in TRANSLATIONS.get(index, []):
        translation = services.course_translation_save(
            actor=SYSTEM, course=course, language=language, title=title, description=description
        )
        if status == "reviewed":
            services.course_translation_review(actor=SYSTEM, course=course, language=language)
        elif status == "machine":
            # As the operator's LibreTranslate server would have drafted it.
            CourseTranslation.objects.filter(pk=translation.pk).update(machine=True)
        made += 1
    return made


def _endorsed_cohort(course: Course, today: date) -> int:
    """A cohort of a course that asks for endorsements: members of organizations apply on
    their behalf; the first is endorsed, the others wait for their coordinators."""
    cohort = services.cohort_create(
        actor=SYSTEM,
        course=course,
        data=services.CohortData(
            name="Promotion 2027",
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=90),
            capacity=20,
            enrolment_opens_on=today - timedelta(days=5),
            enrolment_closes_on=today + timedelta(days=25),
            place="Maison paysanne",
        ),
    )
    coordinated = Role.objects.current().filter(kind="coordinator").values("organization")
    members = (
        Role.objects.current()
        .filter(kind="member", organization__in=coordinated, person__username__startswith="demo-")
        .select_related("person", "organization")
        .order_by("person__username", "id")
    )
    applied = 0
    seen: set[int] = set()
    for role in members:
        if role.person_id in seen or applied == 3:
            continue
        seen.add(role.person_id)
        enrolment = services.enrolment_apply(
            actor=role.person, cohort=cohort, on_behalf_of=role.organization
        )
        if applied == 0:
            services.enrolment_endorse(actor=SYSTEM, enrolment=enrolment, decision="endorse")
        applied += 1
    return applied


COURSES = [
    # school index, language, title, description, level, hours
    (
        0,
        "es",
        "Economía comunal",
        "Cómo una comuna planifica, produce e intercambia: el "
        "crédito mutuo, los fondos comunes y la contabilidad abierta.",
        "introductory",
        24,
    ),
    (
        0,
        "ht",
        "Kominikasyon popilè",
        "Radyo kominotè, jounal miray ak rezo sosyal pou òganizasyon yo pale ak pèp la.",
        "introductory",
        16,
    ),
    (
        1,
        "pt",
        "Guardiãs de sementes crioulas",
        "Selecionar, secar, guardar e testar a germinação das sementes da comunidade.",
        "intermediate",
        20,
    ),
    (
        2,
        "fr",
        "Agroécologie paysanne",
        "Sols vivants, associations de cultures et biofertilisants faits à la ferme.",
        "introductory",
        30,
    ),
]


def _assignments(course: Course, cohort: Any, enrolments: list[Any], teacher: Any) -> int:
    """A rubric for the course, two assignments, work sent by four students and marked for
    two of them (with feedback). Returns how many were marked."""
    now = timezone.now()
    diagnosis = services.assignment_create(
        actor=SYSTEM,
        course=course,
        data=services.AssignmentData(
            title="Diagnóstico de la economía de su comuna",
            instructions=(
                "Describa en una o dos páginas qué produce su comuna, qué intercambia y qué "
                "compra fuera. Termine con **dos propuestas** para el fondo comunal."
            ),
            due_at=now + timedelta(days=3),
        ),
    )
    services.assignment_create(
        actor=SYSTEM,
        course=course,
        data=services.AssignmentData(
            title="Plan de trabajo del consejo de economía",
            instructions="Un plan de seis meses, con responsables y fechas.",
            due_at=now + timedelta(days=24),
            accepts_late=False,
        ),
    )
    services.marking_set(
        actor=SYSTEM,
        course=course,
        data=services.MarkingData(
            kind="rubric",
            pass_points=5,
            rubric=(
                "Diagnóstico | Incompleto 0 | Suficiente 2 | Completo 4\n"
                "Propuestas | Ninguna 0 | Generales 1 | Concretas y viables 3"
            ),
            assignments_to_pass=1,
        ),
    )
    sent = [
        services.submission_send(
            actor=enrolment.person,
            enrolment=enrolment,
            assignment=diagnosis,
            text=(
                "Nuestra comuna produce maíz, caraotas y café; intercambiamos semillas con "
                "las comunas vecinas y compramos fuera el aceite y las herramientas."
            ),
        )
        for enrolment in enrolments[:4]
    ]
    feedback = [
        "Un diagnóstico claro. Las propuestas pueden ser más concretas: ¿quién, cuándo?",
        "Falta lo que la comuna compra fuera; las propuestas están bien pensadas.",
    ]
    for submission, levels, words in zip(sent, [(2, 2), (1, 2)], feedback, strict=False):
        services.submission_mark(
            actor=teacher,
            submission=submission,
            data=services.SubmissionMark(levels=levels, feedback=words),
        )
    return len(feedback)


@transaction.atomic
def load_education_demo(seed: int) -> str:
    if School.objects.exists():
        return "Education demo: already present."
    institute_of = Organization.objects.filter(slug="confederacion-minga").first()
    if institute_of is None:
        return "Education demo: no confederation to hold the institute."
    rng = random.Random(seed + 55)
    others = list(
        Organization.objects.filter(visibility="public", kind="commune").order_by("id")[:2]
    )
    schools = [
        services.school_create(
            actor=SYSTEM,
            organization=institute_of,
            name="Instituto de Formación de la Confederación",
            description="Formación política y técnica para comunas y movimientos.",
            language="es",
        )
    ]
    names = ["Escola de Sementes", "École paysanne"]
    for organization, name, language in zip(others, names, ["pt", "fr"], strict=False):
        schools.append(
            services.school_create(
                actor=SYSTEM, organization=organization, name=name, language=language
            )
        )
    courses: list[Course] = []
    for index, language, title, description, level, hours in COURSES:
        school = schools[min(index, len(schools) - 1)]
        courses.append(
            services.course_create(
                actor=SYSTEM,
                school=school,
                title=title,
                description=description,
                language=language,
                level=level,
                hours=hours,
                min_attendance_percent=75,
                topics=list(Topic.objects.filter(code__in=TOPICS_OF_COURSES[len(courses) % 4])),
                # The peasant school asks applicants to come endorsed by their organization.
                on_behalf=OnBehalf.ENDORSED if index == 2 else OnBehalf.FREE,
            )
        )
    lessons = sum(_outline(courses[index], modules) for index, modules in OUTLINE.items())
    translations = sum(_translate(course, index) for index, course in enumerate(courses))
    services.course_create(
        actor=SYSTEM,
        school=schools[0],
        title="Taller interno de coordinación",
        description="Solo para el equipo del instituto.",
        visibility=Visibility.CUSTODIANS,
    )
    coordinators = list(
        User.objects.filter(
            pk__in=Role.objects.filter(organization=institute_of, kind="coordinator").values(
                "person"
            )
        ).order_by("username")
    )
    students = list(
        User.objects.filter(username__startswith="demo-")
        .exclude(pk__in=[c.pk for c in coordinators])
        .order_by("username")[:16]
    )
    today = timezone.localdate()
    cohort = services.cohort_create(
        actor=SYSTEM,
        course=courses[0],
        data=services.CohortData(
            name="Cohorte 2026-II",
            starts_on=today - timedelta(days=28),
            ends_on=today + timedelta(days=28),
            capacity=14,
            waitlist_size=4,
            enrolment_opens_on=today - timedelta(days=45),
            enrolment_closes_on=today + timedelta(days=14),
            place="Casa comunal de la Confederación",
            teachers=coordinators[:1],
        ),
    )
    zone = timezone.get_current_timezone()
    sessions = [
        services.session_create(
            actor=SYSTEM,
            cohort=cohort,
            title=f"Sesión {week + 1}",
            starts_at=datetime.combine(today + timedelta(days=7 * week - 27), time(17), zone),
            ends_at=datetime.combine(today + timedelta(days=7 * week - 27), time(19), zone),
            time_zone=timezone.get_current_timezone_name(),
        )
        for week in range(8)
    ]
    enrolments = []
    # Every other student applies on behalf of one of their organizations, so that the
    # school's report has organizations and regions to show.
    home = {
        role.person_id: role.organization
        for role in Role.objects.current()
        .filter(person__in=students[:14])
        .select_related("organization")
        .order_by("-id")
    }
    for number, student in enumerate(students[:14]):
        enrolment = services.enrolment_apply(
            actor=student, cohort=cohort, on_behalf_of=home.get(student.pk) if number % 2 else None
        )
        if number < 12:
            enrolment = services.enrolment_decide(
                actor=SYSTEM, enrolment=enrolment, decision="accept"
            )
            enrolments.append(enrolment)
    held = [s for s in sessions if s.starts_at <= timezone.now()]
    marks = []
    for number, enrolment in enumerate(enrolments):
        for session in held:
            status = (
                "present"
                if number == 0
                else rng.choice(["present"] * 5 + ["late", "absent", "excused"])
            )
            marks.append(
                services.MarkData(
                    client_id=str(uuid.UUID(int=rng.getrandbits(128))),
                    session=str(session.uuid),
                    enrolment=str(enrolment.uuid),
                    status=status,
                    recorded_at=session.ends_at,
                )
            )
    services.attendance_sync(actor=SYSTEM, cohort=cohort, marks=marks)
    marked = _assignments(
        courses[0], cohort, enrolments, coordinators[0] if coordinators else SYSTEM
    )
    first = Enrolment.objects.get(pk=enrolments[0].pk)
    certificate = services.certificate_grant(
        actor=SYSTEM,
        enrolment=first,
        reason="Completó la cohorte anterior y repitió el curso como facilitadora.",
    )
    endorsements = _endorsed_cohort(courses[-1], today)
    return (
        f"Education demo: {len(schools)} schools, {len(courses) + 1} courses, a cohort of "
        f"{len(enrolments)} students with {len(marks)} attendance marks, {lessons} lessons, "
        f"{translations} translations of courses, {endorsements} applications on behalf of "
        f"organizations, {marked} marked submissions, certificate {certificate.code}."
    )
