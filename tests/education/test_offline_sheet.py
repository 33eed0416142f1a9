"""The installable attendance sheet: its manifest, its service worker, and what the page
gives the script (each student's enrolment and current mark)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from minga.common.permissions import SYSTEM
from minga.education import services
from tests import factories
from tests.education import factories as education


def test_the_sheet_is_installable_for_the_cohort_staff_only(cohort: Any, teacher: Any) -> None:
    """The manifest opens the session's sheet; strangers get nothing."""
    session = education.session(cohort)
    enrolment = education.student(cohort)
    late = education.mark(session, enrolment, "late")
    services.attendance_sync(actor=SYSTEM, cohort=cohort, marks=[late])
    client = Client()
    client.force_login(teacher)
    page = client.get(f"/education/sessions/{session.uuid}/attendance/").content.decode()
    assert 'rel="manifest"' in page and "education/sheet.js" in page
    assert f'data-enrolment="{enrolment.uuid}" data-current="late"' in page
    assert f"/api/v1/education/cohorts/{cohort.uuid}/attendance" in page
    manifest = json.loads(
        client.get(f"/education/sessions/{session.uuid}/attendance.webmanifest").content
    )
    assert manifest["start_url"] == f"/education/sessions/{session.uuid}/attendance/"
    assert manifest["display"] == "standalone"
    stranger = Client()
    stranger.force_login(factories.person("extrana"))
    answer = stranger.get(f"/education/sessions/{session.uuid}/attendance.webmanifest")
    assert answer.status_code in {403, 404}


def test_the_worker_keeps_only_the_sheets_and_their_assets() -> None:
    response = Client().get("/education/attendance-worker.js")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert "/static/education/sheet.js" in body and "/static/education/education.css" in body
    assert "attendance" in body and "http" not in body.split("ASSETS")[1].split(";")[0]
