"""A school's report: counts against a hand-built school, who may read it, the CSV file."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.core.education import reports as core
from minga.education import reports, services
from tests import factories
from tests.education import factories as education

FORMULA = '=HYPERLINK("http://evil.example/","Comuna")'


@pytest.fixture
def world(school: Any, course: Any, cohort: Any, teacher: Any) -> dict[str, Any]:
    """Course A's cohort: two accepted (one on behalf of a Caribbean organization whose
    name is a formula, one naming none), one wait-listed, one refused; two sessions held and
    one to come; one certificate. A hidden course of the same school with one student; a
    course of another school with one student."""
    haiti = factories.organization(name=FORMULA, region="caribbean")
    first = factories.person("estudiante-1")
    factories.role(first, haiti, "member")
    first_place = services.enrolment_decide(
        actor=SYSTEM,
        enrolment=services.enrolment_apply(actor=first, cohort=cohort, on_behalf_of=haiti),
        decision="accept",
    )
    second_place = education.student(cohort, "estudiante-2")
    waiting = services.enrolment_apply(actor=factories.person("estudiante-3"), cohort=cohort)
    services.enrolment_decide(actor=SYSTEM, enrolment=waiting, decision="waitlist")
    refused = services.enrolment_apply(actor=factories.person("estudiante-4"), cohort=cohort)
    services.enrolment_decide(
        actor=SYSTEM, enrolment=refused, decision="refuse", reason="Sin cupo."
    )
    earlier, later = education.session(cohort, days_ago=3), education.session(cohort, days_ago=1)
    education.session(cohort, days_ago=-5)  # not held yet: not counted
    long_ago = timezone.now() - timedelta(hours=1)
    services.attendance_sync(
        actor=teacher,
        cohort=cohort,
        marks=[
            education.mark(earlier, first_place, "present"),
            education.mark(later, first_place, "excused"),
            # The later mark wins, as on the teachers' sheet.
            education.mark(earlier, second_place, "absent", recorded_at=long_ago),
            education.mark(earlier, second_place, "late"),
            education.mark(later, second_place, "absent"),
        ],
    )
    services.certificate_grant(actor=SYSTEM, enrolment=first_place, reason="Trabajo final.")
    hidden = education.course(school, title="Curso reservado", visibility=Visibility.CUSTODIANS)
    hidden_cohort = education.cohort(hidden, name="Cohorte reservada")
    reserved = factories.person("estudiante-5")
    hidden.custodians.add(reserved)
    services.enrolment_decide(
        actor=SYSTEM,
        enrolment=services.enrolment_apply(actor=reserved, cohort=hidden_cohort),
        decision="accept",
    )
    elsewhere = education.cohort(education.course(education.school(name="Otra escuela")))
    education.student(elsewhere, "estudiante-6")
    return {"hidden": hidden, "haiti": haiti, "first": first, "second": second_place}


def test_counts_by_course_against_the_hand_built_school(
    world: Any, school: Any, course: Any, coordinator: Any
) -> None:
    """Course A: four applications (two accepted, one wait-listed, one refused), four places
    in held sessions minus one excused, two attended (66 %), one certificate of two (50 %);
    the school's hidden course is in its coordinators' report, the other school's is not."""
    report = reports.school_report(coordinator, school, "course", reports.Period())
    rows = {row.label: row for row in report.rows}
    assert set(rows) == {"Economía comunal", "Curso reservado"}
    a = rows["Economía comunal"]
    assert (a.applications, a.accepted, a.count("waitlisted"), a.count("refused")) == (4, 2, 1, 1)
    assert (a.sessions_expected, a.attended, a.excused, a.sessions_counted) == (4, 2, 1, 3)
    assert (a.attendance_percent, a.certified, a.completion_percent) == (66, 1, 50)
    hidden = rows["Curso reservado"]
    assert (hidden.accepted, hidden.sessions_expected, hidden.attendance_percent) == (1, 0, None)
    assert report.total.applications == 5
    assert report.total.certified == 1


def test_counts_by_organization_and_region(world: Any, school: Any, coordinator: Any) -> None:
    """The student on behalf of the Caribbean organization is its group; everyone else
    falls in the group of applications naming no organization, listed last."""
    by_org = reports.school_report(coordinator, school, "organization", reports.Period())
    assert [row.label for row in by_org.rows] == [FORMULA, "No organization named"]
    named, unnamed = by_org.rows
    assert (named.applications, named.attended, named.excused, named.certified) == (1, 1, 1, 1)
    assert named.attendance_percent == 100
    assert (unnamed.applications, unnamed.accepted, unnamed.attended) == (4, 2, 1)
    by_region = reports.school_report(coordinator, school, "region", reports.Period())
    assert [row.label for row in by_region.rows] == ["Caribbean", "No organization named"]
    assert by_region.rows[0].key == str(world["haiti"].region_id)


def test_the_period_selects_cohorts_and_the_sessions_held_in_it(
    world: Any, school: Any, cohort: Any, coordinator: Any
) -> None:
    """A period ending two days ago counts only the session held three days ago; a period
    before every cohort counts nothing."""
    today = timezone.localdate()
    early = reports.Period(today - timedelta(days=5), today - timedelta(days=2))
    report = reports.school_report(coordinator, school, "cohort", early)
    row = next(row for row in report.rows if row.key == str(cohort.pk))
    assert (row.sessions_expected, row.attended, row.excused, row.attendance_percent) == (
        2,
        2,
        0,
        100,
    )
    before = reports.Period(today - timedelta(days=400), today - timedelta(days=300))
    assert reports.school_report(coordinator, school, "cohort", before).rows == ()


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    today = timezone.localdate()
    with pytest.raises(DomainError) as refusal:
        reports.Period(today, today - timedelta(days=1))
    assert refusal.value.code == "bad_period"


def test_the_report_is_counted_in_a_fixed_number_of_queries(
    world: Any, school: Any, coordinator: Any
) -> None:
    """Grouped by the database: the same few queries with one student or many more."""
    reports.school_report(coordinator, school, "organization", reports.Period())  # roles cached
    with CaptureQueriesContext(connection) as before:
        reports.school_report(coordinator, school, "organization", reports.Period())
    cohort = world["second"].cohort
    cohort.capacity = 20
    cohort.save(update_fields=["capacity"])
    for number in range(8):
        education.student(cohort, f"mas-{number}")
    with CaptureQueriesContext(connection) as after:
        report = reports.school_report(coordinator, school, "organization", reports.Period())
    assert report.total.accepted == 11
    assert len(after) == len(before) <= 8


def test_only_the_school_coordinators_read_the_page_csv_and_api(
    world: Any, school: Any, teacher: Any, coordinator: Any
) -> None:
    """Coordinators of another school, the cohort's teacher, a student and a stranger are
    refused (403); a school that does not exist is 404."""
    other = factories.person("otra-coordinadora")
    other_commune = factories.organization(name="Otra comuna")
    factories.role(other, other_commune, "coordinator")
    education.school(other_commune, name="Escuela de la otra comuna")
    paths = [
        f"/education/schools/{school.uuid}/report/",
        f"/education/schools/{school.uuid}/report.csv",
        f"/api/v1/education/schools/{school.uuid}/report",
    ]
    for person in (other, teacher, world["first"]):
        client = factories.verified_client(person)
        token = factories.api_token(person)
        for path in paths:
            response = (
                client.get(path)
                if not path.startswith("/api/")
                else Client(headers={"Authorization": f"Bearer {token}"}).get(path)
            )
            assert response.status_code == 403, (person, path)
            assert "Curso reservado" not in response.content.decode()
    for path in paths:
        assert Client().get(path).status_code in (401, 403)
    coordinator_client = factories.verified_client(coordinator)
    page = coordinator_client.get(paths[0])
    assert page.status_code == 200
    assert "Curso reservado" in page.content.decode()
    assert "<svg" in page.content.decode()
    missing = "/education/schools/00000000-0000-0000-0000-000000000000/report/"
    assert coordinator_client.get(missing).status_code == 404


def test_the_api_gives_the_same_counts(world: Any, school: Any, coordinator: Any) -> None:
    token = factories.api_token(coordinator)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    response = client.get(
        f"/api/v1/education/schools/{school.uuid}/report", {"group": "organization"}
    )
    assert response.status_code == 200
    body = response.json()
    assert [row["name"] for row in body["rows"]] == [FORMULA, "No organization named"]
    assert body["rows"][0]["by_status"]["accepted"] == 1
    assert body["total"]["applications"] == 5
    assert body["total"]["completion_percent"] == 33
    bad = client.get(
        f"/api/v1/education/schools/{school.uuid}/report",
        {"start": "2026-05-01", "end": "2026-04-01"},
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "bad_period"


def test_the_csv_keeps_a_formula_name_as_text(world: Any, school: Any, coordinator: Any) -> None:
    """An organization named '=HYPERLINK(…)' comes out quoted, so a spreadsheet shows it
    as text; figures stay numbers."""
    client = factories.verified_client(coordinator)
    response = client.get(f"/education/schools/{school.uuid}/report.csv", {"group": "organization"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == list(reports.CSV_COLUMNS)
    assert rows[1][2] == "'" + FORMULA
    assert rows[1][3] == "1"
    assert rows[-1][0] == "total"
    assert rows[-1][3] == "5"


def test_a_wrong_period_on_the_page_is_shown_beside_the_field(
    school: Any, coordinator: Any
) -> None:
    client = factories.verified_client(coordinator)
    page = client.get(
        f"/education/schools/{school.uuid}/report/", {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert page.status_code == 200
    assert "The end of the period comes before its start." in page.content.decode()


counts = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", ""]),
        st.sampled_from(["c1", "c2"]),
        st.sampled_from(core.STATUSES),
        st.integers(0, 50),
    ),
    max_size=20,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts, st.integers(0, 10), st.integers(0, 10))
def test_the_total_is_the_sum_of_the_rows_and_shares_stay_within_bounds(
    rows: list[tuple[str, str, str, int]], held_1: int, held_2: int
) -> None:
    """Whatever the counts: totals add up, expected sessions are accepted × held, and
    shares are between 0 and 100."""
    enrolments = [core.EnrolmentCount(k, k or "-", c, s, n) for k, c, s, n in rows]
    accepted = {key: sum(n for k, _c, s, n in rows if k == key and s == "accepted") for key in "ab"}
    marks = [core.MarkCount(key, attended=n, excused=0) for key, n in accepted.items()]
    report = core.build("organization", enrolments, {"c1": held_1, "c2": held_2}, marks, accepted)
    assert report.total.applications == sum(n for *_rest, n in rows)
    assert report.total.sessions_expected == sum(
        n * (held_1 if c == "c1" else held_2) for _k, c, s, n in rows if s == "accepted"
    )
    for row in (*report.rows, report.total):
        for share in (row.attendance_percent, row.completion_percent):
            assert share is None or 0 <= share <= 100
    assert all(row.key != "" for row in report.rows[:-1])
