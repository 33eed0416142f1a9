"""A course's title and description in other languages, with the platform's translation
status: who writes and reviews them, what readers of each language see, and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.education import selectors, services
from minga.education.models import CourseTranslation
from tests import factories
from tests.education import factories as education


def _client(user: Any, language: str = "es") -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["minga_language"] = language
    return client


# Services -----------------------------------------------------------------------------


def test_a_teacher_writes_a_translation_shown_as_human(cohort: Any, teacher: Any) -> None:
    """A teacher of a cohort of the course writes it in French: published at once, status
    human, the teacher named as translator, the write audited."""
    course = cohort.course
    translation = services.course_translation_save(
        actor=teacher,
        course=course,
        language="fr",
        title="Économie communale",
        description="Planifier, produire, échanger.",
    )
    assert translation.is_published
    assert translation.status == "human"
    assert translation.translator == teacher
    assert AuditEntry.objects.filter(action="education.course.translation").count() == 1


def test_a_review_makes_it_reviewed_and_a_later_change_undoes_it(
    course: Any, coordinator: Any
) -> None:
    """The coordinator's review makes the status reviewed; correcting the words afterwards
    makes it a human translation again, waiting for a new review."""
    services.course_translation_save(
        actor=coordinator, course=course, language="pt", title="Economia comunal"
    )
    reviewed = services.course_translation_review(actor=coordinator, course=course, language="pt")
    assert reviewed.status == "reviewed"
    assert reviewed.reviewer == coordinator
    same = services.course_translation_save(
        actor=coordinator, course=course, language="pt", title="Economia comunal"
    )
    assert same.status == "reviewed"
    changed = services.course_translation_save(
        actor=coordinator, course=course, language="pt", title="A economia da comuna"
    )
    assert changed.status == "human"
    assert changed.reviewed_at is None


def test_a_machine_draft_is_shown_as_machine_until_a_person_corrects_it(
    course: Any, coordinator: Any, settings: Any, monkeypatch: Any
) -> None:
    """With the operator's translation server, the draft is a machine translation; a person's
    correction makes it human, and the machine never overwrites a person's words."""
    from minga.education.services import translations

    monkeypatch.setattr(
        translations, "machine_translator", lambda: lambda text, src, dst: f"[{dst}] {text}"
    )
    draft = services.course_translation_prefill(actor=coordinator, course=course, language="fr")
    assert (draft.title, draft.status) == ("[fr] Economía comunal", "machine")
    corrected = services.course_translation_save(
        actor=coordinator, course=course, language="fr", title="Économie communale"
    )
    assert corrected.status == "human"
    with pytest.raises(DomainError) as refusal:
        services.course_translation_prefill(actor=coordinator, course=course, language="fr")
    assert refusal.value.code == "translated_by_a_person"
    assert CourseTranslation.objects.get().title == "Économie communale"


def test_without_a_translation_server_the_machine_draft_is_refused(
    course: Any, coordinator: Any
) -> None:
    with pytest.raises(DomainError) as refusal:
        services.course_translation_prefill(actor=coordinator, course=course, language="fr")
    assert refusal.value.code == "machine_translation_unavailable"
    assert not CourseTranslation.objects.exists()


@pytest.mark.parametrize(
    ("language", "title", "code"),
    [
        ("es", "Economía", "original_language"),
        ("es-VE", "Economía", "original_language"),
        ("Français", "Économie", "unknown_language"),
        ("fr", "   ", "title_required"),
        ("fr", "x" * 301, "too_long"),
    ],
)
def test_bad_translations_are_refused_and_change_nothing(
    course: Any, coordinator: Any, language: str, title: str, code: str
) -> None:
    with pytest.raises(DomainError) as refusal:
        services.course_translation_save(
            actor=coordinator, course=course, language=language, title=title
        )
    assert refusal.value.code == code
    assert not CourseTranslation.objects.exists()


def test_removing_a_translation_shows_the_original_again(course: Any, coordinator: Any) -> None:
    services.course_translation_save(
        actor=coordinator, course=course, language="fr", title="Économie communale"
    )
    services.course_translation_remove(actor=coordinator, course=course, language="fr")
    assert selectors.course_for_reader(course, "fr").title == "Economía comunal"
    with pytest.raises(DomainError) as refusal:
        services.course_translation_remove(actor=coordinator, course=course, language="fr")
    assert refusal.value.code == "no_translation"


# Who may write and review ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "may_write", "may_review"),
    [
        ("stranger", False, False),
        ("member_elsewhere", False, False),
        ("student", False, False),
        ("teacher", True, False),
        ("coordinator", True, True),
    ],
)
def test_who_may_write_and_review_translations(
    cohort: Any, teacher: Any, coordinator: Any, who: str, may_write: bool, may_review: bool
) -> None:
    """Teachers of the course's cohorts write translations; only the school's coordinators
    review them; a stranger, a member of another organization or a student does neither,
    and a refusal changes nothing."""
    course = cohort.course
    services.course_translation_save(actor=SYSTEM, course=course, language="pt", title="Base")
    elsewhere = factories.person()
    factories.role(elsewhere, factories.organization(), "coordinator")
    actor = {
        "stranger": factories.person(),
        "member_elsewhere": elsewhere,
        "student": education.student(cohort).person,
        "teacher": teacher,
        "coordinator": coordinator,
    }[who]
    try:
        services.course_translation_save(actor=actor, course=course, language="fr", title="T")
        wrote = True
    except PermissionDenied:
        wrote = False
    try:
        services.course_translation_review(actor=actor, course=course, language="pt")
        reviewed = True
    except PermissionDenied:
        reviewed = False
    assert (wrote, reviewed) == (may_write, may_review)
    assert CourseTranslation.objects.filter(language="fr").exists() == may_write
    assert CourseTranslation.objects.get(language="pt").reviewed_at is not None or not may_review


# Pages ----------------------------------------------------------------------------------


def test_readers_see_the_course_in_their_language_with_its_status(
    course: Any, coordinator: Any
) -> None:
    """A reader of French sees the French title and description, told it is a reviewed
    translation, with the original one click away; a reader of Portuguese (no translation)
    sees the original; the catalogue lists the course under the reader's title."""
    services.course_translation_save(
        actor=coordinator,
        course=course,
        language="fr",
        title="Économie communale",
        description="Planifier ensemble.",
    )
    services.course_translation_review(actor=coordinator, course=course, language="fr")
    french = _client(None, "fr")
    page = french.get(course.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Économie communale</h1>' in page
    assert "Planifier ensemble." in page
    assert "Traduction relue" in page or "Reviewed translation" in page
    assert "?original=1" in page
    original = french.get(course.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="es">Economía comunal</h1>' in original
    assert "Économie communale" not in original.split("<h1")[1].split("</h1>")[0]
    assert (
        '<h1 lang="es">Economía comunal</h1>'
        in _client(None, "pt").get(course.get_absolute_url()).content.decode()
    )
    for listing in ("/education/", course.school.get_absolute_url()):
        assert ">Économie communale</a>" in french.get(listing).content.decode()


def test_cohort_pages_name_the_course_in_the_reader_language(cohort: Any, teacher: Any) -> None:
    services.course_translation_save(
        actor=teacher, course=cohort.course, language="ht", title="Ekonomi kominal"
    )
    page = _client(teacher, "ht").get(cohort.get_absolute_url()).content.decode()
    assert f'<a href="{cohort.course.get_absolute_url()}" lang="ht">Ekonomi kominal</a>' in page


def test_a_teacher_adds_corrects_and_a_coordinator_reviews_through_pages(
    cohort: Any, teacher: Any, coordinator: Any
) -> None:
    course = cohort.course
    url = f"/education/courses/{course.uuid}/translations/"
    client = _client(teacher)
    form = client.get(url).content.decode()
    offered = form.split('id="id_language"')[1].split("</select>")[0]
    assert 'value="fr"' in offered
    assert 'value="es"' not in offered  # the language of the original is not offered
    response = client.post(
        url,
        {"language": "fr", "title": "Économie communale", "description": "Texte."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{url}fr/"
    translation = CourseTranslation.objects.get(language="fr")
    assert translation.status == "human"
    detail = f"{url}fr/"
    client.post(detail, {"action": "save", "title": "Économie de la commune"})
    translation.refresh_from_db()
    assert translation.title == "Économie de la commune"
    assert client.post(detail, {"action": "review"}).status_code == 403
    translation.refresh_from_db()
    assert translation.reviewed_at is None  # a teacher does not review
    coordinating = factories.verified_client(coordinator)
    coordinating.post(detail, {"action": "review"})
    translation.refresh_from_db()
    assert translation.status == "reviewed"
    listing = coordinating.get(url).content.decode()
    assert "Économie de la commune" in listing
    coordinating.post(detail, {"action": "remove"})
    assert not CourseTranslation.objects.exists()


def test_strangers_cannot_open_the_translation_pages(course: Any, coordinator: Any) -> None:
    services.course_translation_save(
        actor=coordinator, course=course, language="fr", title="Économie"
    )
    stranger = _client(factories.person())
    url = f"/education/courses/{course.uuid}/translations/"
    assert stranger.get(url).status_code == 403
    assert stranger.post(f"{url}fr/", {"action": "remove"}).status_code == 403
    assert CourseTranslation.objects.exists()


def test_a_hidden_course_translations_appear_nowhere(school: Any, coordinator: Any) -> None:
    hidden = education.course(school, title="Taller interno", visibility="custodians")
    services.course_translation_save(
        actor=coordinator, course=hidden, language="fr", title="Atelier interne"
    )
    reader = _client(factories.person(), "fr")
    assert "Atelier interne" not in reader.get("/education/").content.decode()
    assert reader.get(hidden.get_absolute_url()).status_code == 404
    listing = Client().get("/api/v1/education/courses").json()
    assert "Atelier interne" not in str(listing)


# API ------------------------------------------------------------------------------------


def test_the_api_reads_and_writes_translations(cohort: Any, teacher: Any, coordinator: Any) -> None:
    course = cohort.course
    teaching = Client(headers={"Authorization": f"Bearer {factories.api_token(teacher)}"})
    url = f"/api/v1/education/courses/{course.uuid}/translations/fr"
    written = teaching.put(
        url, {"title": "Économie communale", "description": "Texte."}, "application/json"
    )
    assert written.status_code == 200
    assert written.json()["status"] == "human"
    assert written.json()["description"] == "Texte."
    assert teaching.post(f"{url}/review").json()["code"] == "permission_denied"
    coordinating = Client(headers={"Authorization": f"Bearer {factories.api_token(coordinator)}"})
    assert coordinating.post(f"{url}/review").json()["status"] == "reviewed"
    read = Client().get(f"/api/v1/education/courses/{course.uuid}").json()
    assert read["translations"] == [
        {
            "language": "fr",
            "title": "Économie communale",
            "description": "Texte.",
            "status": "reviewed",
            "machine": False,
            "reviewed_at": read["translations"][0]["reviewed_at"],
        }
    ]
    assert read["translations"][0]["reviewed_at"]
    bad = teaching.put(
        f"/api/v1/education/courses/{course.uuid}/translations/es",
        {"title": "Otra"},
        "application/json",
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "original_language")
    stranger = Client(
        headers={"Authorization": f"Bearer {factories.api_token(factories.person())}"}
    )
    assert stranger.delete(url).status_code == 403
    assert teaching.delete(url).status_code == 204
    assert not CourseTranslation.objects.exists()
