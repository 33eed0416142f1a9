"""Course sessions on the platform's shared calendar (issue #14): a public course's sessions
are public events; a hidden course's are read by its cohort's teachers, accepted students
and the school's coordinators only, on every page, feed and API of the calendar, and never
federated; changing, moving or deleting a session changes its one event."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common import calendar_publishing
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.comms import services as comms_services
from minga.comms.models import Event
from minga.comms.services import EventData
from minga.education import published_sessions, services
from minga.federation.models import OutboxActivity
from tests import factories
from tests.education import factories as education

pytestmark = pytest.mark.django_db


def _schedule(cohort: Any, *, title: str = "Sesión 1", days: int = 5, **fields: Any) -> Any:
    starts = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return services.session_create(
        actor=SYSTEM,
        cohort=cohort,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone=fields.pop("time_zone", "America/Caracas"),
        **fields,
    )


def _event(session: Any) -> Event:
    return Event.objects.get(source_key=published_sessions.session_key(session))


def _client(user: Any) -> Client:
    # Signed in with a second factor, as coordinators must be.
    return Client() if user is None else factories.verified_client(user)


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def _api_token_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_public_course_session_is_a_public_event_on_the_calendar_and_its_feeds(
    cohort: Any, commune: Any
) -> None:
    """Scheduled, the session is on the calendar page, the calendar's iCalendar file, its
    organization's file and the event page, which points to the cohort's page."""
    session = _schedule(cohort, title="Suelos vivos", place="Casa comunal")
    event = _event(session)
    assert event.visibility == Visibility.PUBLIC and event.audience_id is None
    assert event.title == "Economía comunal: Suelos vivos"
    assert (event.starts_at, event.ends_at) == (session.starts_at, session.ends_at)
    assert event.time_zone == "America/Caracas" and event.place == "Casa comunal"
    assert event.organization_id == commune.pk
    anonymous = Client()
    page = anonymous.get(reverse("comms:calendar"), {"month": _month(session.starts_at)})
    assert "Suelos vivos" in page.content.decode()
    for feed in (
        reverse("comms:calendar_ics"),
        reverse("comms:organization_ics", args=[commune.slug]),
    ):
        assert "Suelos vivos" in anonymous.get(feed).content.decode(), feed
    detail = anonymous.get(event.get_absolute_url()).content.decode()
    assert "Suelos vivos" in detail and cohort.get_absolute_url() in detail
    # The edit and cancel controls are education's, not comms'.
    assert reverse("comms:event_edit", args=[event.uuid]) not in detail


def test_publishing_a_session_twice_keeps_one_event(cohort: Any) -> None:
    """Publishing again (a retry) updates the one event of the session."""
    session = _schedule(cohort)
    published_sessions.publish_sessions(cohort, [session])
    published_sessions.publish_sessions(cohort)
    assert Event.objects.filter(source_key=published_sessions.session_key(session)).count() == 1
    assert Event.objects.count() == 1


def test_changing_moving_and_deleting_a_session_changes_and_removes_its_event(
    cohort: Any, teacher: Any
) -> None:
    session = _schedule(cohort)
    event = _event(session)
    later = session.starts_at + timedelta(days=7)
    services.session_update(
        actor=teacher,
        session=session,
        title="Sesión movida",
        starts_at=later,
        ends_at=later + timedelta(hours=3),
        time_zone="America/Bogota",
        place="Escuela",
    )
    moved = _event(session)
    assert moved.pk == event.pk and moved.sequence == event.sequence + 1
    assert moved.title == "Economía comunal: Sesión movida"
    assert (moved.starts_at, moved.ends_at) == (later, later + timedelta(hours=3))
    assert (moved.time_zone, moved.place) == ("America/Bogota", "Escuela")
    services.session_delete(actor=teacher, session=session)
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_refused_session_change_leaves_the_event_as_it_was(cohort: Any, teacher: Any) -> None:
    session = _schedule(cohort)
    before = _event(session)
    with pytest.raises(DomainError) as refused:
        services.session_update(
            actor=teacher,
            session=session,
            starts_at=session.starts_at,
            ends_at=session.starts_at - timedelta(hours=1),
        )
    assert refused.value.code == "ends_before_start"
    after = _event(session)
    assert (after.starts_at, after.title, after.sequence) == (
        before.starts_at,
        before.title,
        before.sequence,
    )


def test_a_session_with_attendance_is_not_deleted_and_keeps_its_event(cohort: Any) -> None:
    session = _schedule(cohort, days=-1)
    enrolment = education.student(cohort)
    services.attendance_sync(
        actor=SYSTEM, cohort=cohort, marks=[education.mark(session, enrolment)]
    )
    with pytest.raises(DomainError) as refused:
        services.session_delete(actor=SYSTEM, session=session)
    assert refused.value.code == "session_has_attendance"
    assert _event(session)


@pytest.fixture
def hidden_cohort(school: Any, teacher: Any) -> Any:
    """A cohort of a course the commune's members read (not the public)."""
    course = education.course(school, title="Taller interno", visibility=Visibility.ORGANIZATIONS)
    return education.cohort(course, teachers=[teacher])


def _member_student(cohort: Any, username: str) -> Any:
    person = factories.person(username)
    factories.role(person, cohort.course.school.organization, "member")
    enrolment = services.enrolment_apply(actor=person, cohort=cohort)
    return services.enrolment_decide(actor=SYSTEM, enrolment=enrolment, decision="accept")


def test_a_hidden_course_session_is_read_by_its_cohort_only(
    hidden_cohort: Any, teacher: Any, coordinator: Any, commune: Any
) -> None:
    """Anonymous readers, strangers, another organization's members and a member of the
    commune who applied but was not accepted find the session nowhere (calendar page,
    iCalendar files, RSS/Atom, event page and its file, map, API); its teacher, its
    accepted student and the school's coordinator see it."""
    student = _member_student(hidden_cohort, "estudiante").person
    applicant = factories.person("solicitante")
    factories.role(applicant, commune, "member")
    services.enrolment_apply(actor=applicant, cohort=hidden_cohort)  # not accepted
    session = _schedule(hidden_cohort, title="Reunión reservada")
    event = _event(session)
    assert event.visibility == Visibility.CUSTODIANS and event.audience_id is not None
    stranger = factories.person("extrana")
    other_member = factories.person("otra-comuna")
    factories.role(other_member, factories.organization(slug="otra"), "coordinator")
    month = {"month": _month(session.starts_at)}
    title = "Reunión reservada"
    for reader in (None, stranger, other_member, applicant):
        client = _client(reader)
        assert title not in client.get(reverse("comms:calendar"), month).content.decode()
        assert title not in client.get(reverse("comms:map"), month).content.decode()
        for feed in (
            reverse("comms:calendar_ics"),
            reverse("comms:organization_ics", args=[commune.slug]),
            reverse("comms:organization_rss", args=[commune.slug]),
            reverse("comms:organization_atom", args=[commune.slug]),
            reverse("comms:rss"),
            reverse("comms:atom"),
        ):
            assert title not in client.get(feed).content.decode(), (reader, feed)
        assert client.get(event.get_absolute_url()).status_code == 404
        assert client.get(reverse("comms:event_ics", args=[event.uuid])).status_code == 404
        assert client.get(f"/api/v1/comms/events/{event.uuid}").status_code == 404
        window = {
            "start": (session.starts_at - timedelta(days=1)).isoformat(),
            "end": (session.starts_at + timedelta(days=1)).isoformat(),
        }
        listed = client.get("/api/v1/comms/calendar", window).json()
        assert listed["count"] == 0, reader
        assert client.get(f"/events/{event.uuid}/").status_code == 404  # canonical address
    for reader in (teacher, student, coordinator):
        client = _client(reader)
        assert title in client.get(reverse("comms:calendar"), month).content.decode(), reader
        assert client.get(event.get_absolute_url()).status_code == 200
        assert client.get(f"/api/v1/comms/events/{event.uuid}").status_code == 200
    # A personal access token reads what its owner reads, until it is revoked.
    from minga.people.models import PersonalAccessToken
    from minga.people.services import access_token_revoke

    secret = factories.api_token(student, scope="read")
    api = _api_token_client(secret)
    assert api.get(f"/api/v1/comms/events/{event.uuid}").status_code == 200
    token = PersonalAccessToken.objects.get(user=student)
    access_token_revoke(user=student, token_id=token.pk)
    assert api.get(f"/api/v1/comms/events/{event.uuid}").status_code in (401, 404)


def test_the_audience_follows_acceptances_and_withdrawals(hidden_cohort: Any) -> None:
    session = _schedule(hidden_cohort, title="Reunión reservada")
    event = _event(session)
    enrolment = _member_student(hidden_cohort, "nueva")
    student = enrolment.person
    assert _client(student).get(event.get_absolute_url()).status_code == 200
    services.enrolment_withdraw(actor=student, enrolment=enrolment)
    assert _client(student).get(event.get_absolute_url()).status_code == 404


def test_closed_sessions_never_federate_and_public_ones_do(cohort: Any, hidden_cohort: Any) -> None:
    public = _event(_schedule(cohort, title="Abierta"))
    closed = _event(_schedule(hidden_cohort, title="Cerrada"))
    sent = list(OutboxActivity.objects.values_list("activity_type", "body"))
    assert [kind for kind, body in sent if str(public.uuid) in body] == ["Create"]
    assert not [kind for kind, body in sent if str(closed.uuid) in body]
    assert closed.federated_at is None
    # Asked as an ActivityPub object, the closed one is not found either.
    response = Client().get(closed.get_absolute_url(), HTTP_ACCEPT="application/activity+json")
    assert response.status_code == 404


def test_comms_refuses_to_change_a_published_session(cohort: Any, commune: Any) -> None:
    """The organization's coordinator may change its events, but a session is changed in
    education: the edit page says so and sends them to the cohort, the services and the
    API refuse with a code."""
    session = _schedule(cohort)
    event = _event(session)
    editor = factories.person("editora")
    factories.role(editor, commune, "coordinator")
    client = factories.verified_client(editor)
    response = client.get(reverse("comms:event_edit", args=[event.uuid]), follow=True)
    assert response.redirect_chain[0][0] == cohort.get_absolute_url()
    assert "change it there" in response.content.decode() or response.context["messages"]
    with pytest.raises(DomainError) as refused:
        comms_services.event_cancel(actor=editor, event=event)
    assert refused.value.code == "event_published_elsewhere"
    data = EventData(
        title="Otra cosa",
        starts_at=event.starts_at,
        time_zone="UTC",
        place="Otro lugar",
    )
    with pytest.raises(DomainError):
        comms_services.event_update(actor=editor, event=event, data=data)
    secret = factories.api_token(editor)
    answer = _api_token_client(secret).post(f"/api/v1/comms/events/{event.uuid}/cancel")
    assert answer.status_code == 409 and answer.json()["code"] == "event_published_elsewhere"
    refreshed = _event(session)
    assert not refreshed.cancelled and refreshed.title == event.title


def test_education_works_without_a_calendar(cohort: Any, monkeypatch: Any) -> None:
    """With no calendar registered, sessions are scheduled and nothing is published."""
    monkeypatch.setattr(calendar_publishing, "_publisher", None)
    session = _schedule(cohort)
    services.session_delete(actor=SYSTEM, session=_schedule(cohort, title="Otra"))
    assert session.pk and not Event.objects.exists()


def test_the_demo_shows_the_running_cohorts_sessions_on_the_calendar() -> None:
    """``minga demo`` schedules the running cohort's sessions through the services, so they
    are on the shared calendar, its public course's ones for anyone."""
    from django.core.management import call_command

    from minga.education.models import Session

    call_command("demo", organizations=200, verbosity=0)
    sessions = list(Session.objects.filter(title__startswith="Sesión").order_by("starts_at"))
    assert sessions
    keys = {published_sessions.session_key(session) for session in sessions}
    assert (
        set(Event.objects.filter(source_key__in=keys).values_list("source_key", flat=True)) == keys
    )
    upcoming = next(s for s in sessions if s.starts_at > timezone.now())
    window = {
        "start": (upcoming.starts_at - timedelta(minutes=1)).isoformat(),
        "end": (upcoming.starts_at + timedelta(minutes=1)).isoformat(),
        "page_size": 100,
    }
    listed = Client().get("/api/v1/comms/calendar", window).json()
    assert str(_event(upcoming).uuid) in {item["event"]["uuid"] for item in listed["items"]}


def test_the_api_moves_and_removes_a_session_and_its_event(cohort: Any, teacher: Any) -> None:
    """PUT and DELETE /api/v1/education/sessions/<id>: refused to a stranger (nothing
    changes), done by the cohort's teacher (the event follows)."""
    session = _schedule(cohort)
    url = f"/api/v1/education/sessions/{session.uuid}"
    later = session.starts_at + timedelta(days=2)
    body = {
        "title": "Movida",
        "starts_at": later.isoformat(),
        "ends_at": (later + timedelta(hours=1)).isoformat(),
        "time_zone": "America/La_Paz",
    }
    stranger = _api_token_client(factories.api_token(factories.person("ajena")))
    assert stranger.put(url, body, content_type="application/json").status_code == 403
    assert stranger.delete(url).status_code == 403
    assert _event(session).starts_at == session.starts_at
    api = _api_token_client(factories.api_token(teacher))
    answer = api.put(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert _event(session).starts_at == later
    assert _event(session).title == "Economía comunal: Movida"
    assert api.delete(url).status_code == 204
    assert not Event.objects.filter(source_key=published_sessions.session_key(session)).exists()
    assert api.delete(url).status_code == 404


def test_a_coordinator_named_in_the_registry_reaches_the_closed_calendar_by_the_sweep(
    hidden_cohort: Any, commune: Any
) -> None:
    """A role given after the session was scheduled reaches the calendar when the stator's
    sweep runs (education is not told of registry changes); an ended role leaves it; a pass
    with nothing changed writes nothing."""
    session = _schedule(hidden_cohort, title="Reunión reservada")
    event = _event(session)
    newcomer = factories.person("nueva-coordinadora")
    role = factories.role(newcomer, commune, "coordinator")
    client = _client(newcomer)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert published_sessions.upcoming_audiences_refresh() == 1
    assert client.get(event.get_absolute_url()).status_code == 200

    role.ended_on = timezone.localdate() - timedelta(days=1)
    role.started_on = role.ended_on - timedelta(days=30)
    role.save()
    published_sessions.upcoming_audiences_refresh()
    assert _client(newcomer).get(event.get_absolute_url()).status_code == 404

    from minga.comms.models import CalendarStamp

    stamp = CalendarStamp.objects.get().revision
    published_sessions.upcoming_audiences_refresh()
    assert CalendarStamp.objects.get().revision == stamp


def test_a_teacher_changes_and_removes_a_session_on_its_page(cohort: Any, teacher: Any) -> None:
    """The session's page moves it (the event moves too, with a confirmation), removes it
    when no one was marked, and refuses with the reason when someone was; a student of the
    cohort and a stranger may not open it."""
    session = _schedule(cohort, title="Suelos vivos")
    page = reverse("education:session_edit", args=[session.uuid])
    for outsider in (factories.person("extrana"), _member_student(cohort, "estudiante").person):
        assert _client(outsider).get(page).status_code in (403, 404)
        moved = _client(outsider).post(page, {"starts_at": "2030-01-01T10:00"})
        assert moved.status_code in (403, 404)
    client = _client(teacher)
    assert client.get(page).status_code == 200
    answer = client.post(
        page,
        {
            "title": "Suelos vivos II",
            "starts_at": "2030-03-02T09:00",
            "ends_at": "2030-03-02T11:30",
            "place": "Escuela",
        },
        follow=True,
    )
    assert "The session was changed." in answer.content.decode()
    event = _event(session)
    assert event.title == "Economía comunal: Suelos vivos II" and event.place == "Escuela"
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == "2030-03-02 09:00"

    marked = _schedule(cohort, title="Con asistencia", days=1)
    enrolment = _member_student(cohort, "presente")
    services.attendance_sync(actor=SYSTEM, cohort=cohort, marks=[education.mark(marked, enrolment)])
    refused = client.post(
        reverse("education:session_edit", args=[marked.uuid]), {"remove": "1"}, follow=True
    )
    assert "cannot be removed" in refused.content.decode()
    assert _event(marked)

    removed = client.post(page, {"remove": "1"}, follow=True)
    assert "The session was removed." in removed.content.decode()
    assert not Event.objects.filter(pk=event.pk).exists()
