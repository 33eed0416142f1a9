"""The attendance sheet without a connection, on a 360 px phone in Haitian Creole.

The teacher opens the sheet before the session (its service worker keeps it); the server is
then stopped, since Playwright's offline mode does not cover a service worker's fetches. The
teacher records the session, reloads the sheet still offline and finds the marks kept on the
phone; the server starts again, the marks are sent, sent a second time (as after a crash
before the phone forgot them), and each is found exactly once on the server.
"""

from __future__ import annotations

import contextlib
import socket
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from minga.education.models import AttendanceRecord
from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in


class _Server:
    """A live server that can be stopped and started again on the same address, and whose
    stop really cuts the phone off: it answers one request per connection, so no kept-alive
    connection outlives it (the session's live server keeps serving those after its stop)."""

    def __init__(self) -> None:
        self.port = 0
        self.current: Any = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        from django.test.testcases import QuietWSGIRequestHandler
        from pytest_django.live_server_helper import LiveServer

        server = LiveServer(f"localhost:{self.port}", start=False)
        thread = server.thread

        class OneRequest(QuietWSGIRequestHandler):
            def handle(self) -> None:
                self.close_connection = True
                self.handle_one_request()
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_WR)

        def create_server(connections_override: Any = None) -> Any:
            return thread.server_class(
                (thread.host, thread.port),
                OneRequest,
                allow_reuse_address=True,
                connections_override=connections_override,
            )

        thread._create_server = create_server
        server.start()
        self.port = thread.port
        self.current = server

    def stop(self) -> None:
        self.current.stop()


@pytest.fixture
def server(live_server: Any) -> Iterator[Any]:
    """Its own server beside the session's (whose settings, e.g. allowed hosts, it shares)."""
    own = _Server()
    # The first request loads every URL pattern: on a loaded machine, longer than the
    # browser's patience, so it is made here.
    login = own.url + "/accounts/login/"  # our own server, plain http
    with urllib.request.urlopen(login, timeout=120) as response:  # noqa: S310
        assert response.status == 200
    yield own
    own.stop()


def _status(page: Any) -> str:
    return str(page.inner_text("#sheet-status"))


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_attendance_is_recorded_offline_and_sent_once(server: Any, phone_for: Any) -> None:
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    teacher = factories.person("pwofese")
    course = education.course(education.school(commune, language="ht"), language="ht")
    cohort = education.cohort(course, name="Gwoup 2026", teachers=[teacher])
    session = education.session(cohort)
    first = education.student(cohort, "rozelo")
    second = education.student(cohort, "jozef")
    base = server.url
    sheet_url = f"{base}/education/sessions/{session.uuid}/attendance/"

    phone = phone_for()
    _sign_in(phone, base, "pwofese")
    phone.goto(sheet_url)
    assert phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now under the worker, which keeps a copy of the sheet
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    assert fits(phone)

    server.stop()
    phone.context.set_offline(True)  # navigator.onLine, as on a phone without signal
    try:
        phone.check(f"fieldset[data-enrolment='{first.uuid}'] input[value=late]")
        phone.check(f"fieldset[data-enrolment='{second.uuid}'] input[value=absent]")
        phone.click("#attendance-sheet button[type=submit]")
        waiting = creole(
            "No connection: the marks stay on this phone and will be sent when it returns."
        )
        phone.wait_for_function(
            "text => document.getElementById('sheet-status').textContent === text", arg=waiting
        )
        phone.reload()
        assert phone.is_checked(f"fieldset[data-enrolment='{first.uuid}'] input[value=late]")
        assert phone.is_checked(f"fieldset[data-enrolment='{second.uuid}'] input[value=absent]")
        pending = phone.evaluate(f"localStorage.getItem('minga-attendance:{session.uuid}')")
        assert AttendanceRecord.objects.count() == 0
    finally:
        server.start()
    phone.context.set_offline(False)  # the connection returns: the sheet sends by itself
    # The sentence comes from a template, where percent signs are doubled in the catalogue.
    sent = creole("Sent: %%(stored)s new marks recorded, %%(known)s already known.")
    sent = sent.replace("%%", "%")
    phone.wait_for_function(
        "text => document.getElementById('sheet-status').textContent === text",
        arg=sent % {"stored": 2, "known": 0},
    )
    # The phone crashed before forgetting the marks: they are sent a second time.
    phone.evaluate(
        "([key, marks]) => {"
        " localStorage.setItem(key, marks); return window.mingaAttendanceSync(); }",
        [f"minga-attendance:{session.uuid}", pending],
    )
    phone.wait_for_function(
        "text => document.getElementById('sheet-status').textContent === text",
        arg=sent % {"stored": 0, "known": 2},
    )
    records = {(r.enrolment_id, r.status) for r in AttendanceRecord.objects.all()}
    assert AttendanceRecord.objects.count() == 2
    assert records == {(first.pk, "late"), (second.pk, "absent")}
    assert fits(phone)
