"""Education with a cohort of 500 students: course page and cohort dashboard latency,
attendance sync of 1,000 marks in one request, and certificates issued (signature + PDF).

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings; the students, sessions and earlier attendance marks are inserted in bulk (their
creation is not what is measured), then times, through Django's whole stack (middleware,
view, template, database) with the test client:

- the course page, anonymous, and the cohort dashboard as its teacher (a cohort of 500
  students, 5,000 attendance marks and 1,000 marked assignments; the dashboard counts the
  whole cohort by status and shows its first page: 50 students with their progress and
  actions, and a link to each of the 10 pages), and the school's report for its
  coordinator, grouped by organization (same goal, 50 ms). Beside each p95 of wall time,
  the median and p95 of the processor time each request took in this process
  (``time.process_time``), which the other work of a shared machine does not inflate;
- ``POST /api/v1/education/cohorts/<id>/attendance`` with 1,000 new marks (and the same
  request again, which must store nothing);
- ``--certificates`` certificates (10,000 by default) issued and printed through the
  cohort page's two actions, cohort after cohort (``--per-cohort`` students each, all having
  met the rules): ``POST .../certificates/issue/`` (progress counted by the database, each
  certificate signed with Ed25519, written in bulk with its audit entries) then
  ``GET .../certificates.zip`` (every PDF drawn in the pool of processes, fonts loaded once
  per worker). Once, not per run: it is the long one.

    python benchmarks/bench_education.py [--students 500] [--requests 60] [--runs 3]
        [--certificates 10000] [--per-cohort 500]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_registry import configure, percentile


def build(students: int) -> dict[str, Any]:
    from django.utils import timezone

    from minga.common.permissions import SYSTEM
    from minga.education import services
    from minga.education.models import AttendanceRecord, Enrolment, Submission
    from minga.people.models import User
    from minga.registry.models import Organization, Region, Role

    organization = Organization.objects.create(
        name="Comuna", slug="comuna", kind="commune", country="VE", region=Region.objects.first()
    )
    teacher = User.objects.create(username="maestra", display_name="Maestra")
    Role.objects.create(
        person=teacher,
        organization=organization,
        kind="member",
        started_on=timezone.localdate() - timedelta(days=30),
    )
    coordinator = User.objects.create(username="coordinadora", display_name="Coordinadora")
    Role.objects.create(
        person=coordinator,
        organization=organization,
        kind="coordinator",
        started_on=timezone.localdate() - timedelta(days=30),
    )
    school = services.school_create(actor=SYSTEM, organization=organization, name="Escuela")
    course = services.course_create(actor=SYSTEM, school=school, title="Economía comunal", hours=24)
    # The course page lists its outline: four modules of five lessons.
    for number in range(4):
        module = services.module_create(actor=SYSTEM, course=course, title=f"Módulo {number}")
        for lesson in range(5):
            services.lesson_create(
                actor=SYSTEM, module=module, title=f"Lección {lesson}", body="**Texto**"
            )
    today = timezone.localdate()
    cohort = services.cohort_create(
        actor=SYSTEM,
        course=course,
        data=services.CohortData(
            name="Cohorte",
            starts_on=today - timedelta(days=70),
            ends_on=today + timedelta(days=30),
            capacity=students,
            enrolment_opens_on=today - timedelta(days=80),
            enrolment_closes_on=today,
            teachers=[teacher],
        ),
    )
    people = User.objects.bulk_create(
        [User(username=f"estudiante-{n}", display_name=f"Estudiante {n}") for n in range(students)]
    )
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, person=p, status="accepted") for p in people]
    )
    now = timezone.now()
    sessions = [
        services.session_create(
            actor=SYSTEM,
            cohort=cohort,
            starts_at=now - timedelta(days=7 * week + 1),
            ends_at=now - timedelta(days=7 * week + 1) + timedelta(hours=2),
        )
        for week in range(12)
    ]
    enrolments = list(cohort.enrolments.all())
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                client_id=uuid.uuid4(),
                session=session,
                enrolment=e,
                status="present",
                recorded_at=session.ends_at,
                recorded_by=teacher,
            )
            for session in sessions[2:]
            for e in enrolments
        ],
        batch_size=2000,
    )
    # Three assignments, two to pass; every student sent two pieces of work, marked.
    tasks = [
        services.assignment_create(
            actor=SYSTEM,
            course=course,
            data=services.AssignmentData(title=f"Tarea {n}", due_at=now + timedelta(days=n)),
        )
        for n in range(3)
    ]
    services.marking_set(
        actor=SYSTEM, course=course, data=services.MarkingData(assignments_to_pass=2)
    )
    Submission.objects.bulk_create(
        [
            Submission(
                assignment=task,
                enrolment=e,
                text="Trabajo",
                submitted_at=now,
                marked_at=now,
                marked_by=teacher,
                passed=number % 5 != 0,
            )
            for task in tasks[:2]
            for number, e in enumerate(enrolments)
        ],
        batch_size=2000,
    )
    return {
        "school": school,
        "coordinator": coordinator,
        "course": course,
        "cohort": cohort,
        "teacher": teacher,
        "sessions": sessions,
        "enrolments": enrolments,
    }


def build_certificates(world: dict[str, Any], total: int, per_cohort: int) -> list[Any]:
    """Cohorts of a course without attendance rule, their students all accepted."""
    from django.utils import timezone

    from minga.common.permissions import SYSTEM
    from minga.education import services
    from minga.education.models import Enrolment
    from minga.people.models import User

    school = world["course"].school
    course = services.course_create(
        actor=SYSTEM, school=school, title="Taller de semillas", hours=8, min_attendance_percent=0
    )
    today = timezone.localdate()
    cohorts = []
    for number in range((total + per_cohort - 1) // per_cohort):
        size = min(per_cohort, total - number * per_cohort)
        cohort = services.cohort_create(
            actor=SYSTEM,
            course=course,
            data=services.CohortData(
                name=f"Taller {number}",
                starts_on=today - timedelta(days=10),
                ends_on=today,
                capacity=size,
                enrolment_opens_on=today - timedelta(days=20),
                enrolment_closes_on=today - timedelta(days=10),
                teachers=[world["teacher"]],
            ),
        )
        people = User.objects.bulk_create(
            [
                User(username=f"taller-{number}-{n}", display_name=f"Compañera {number}-{n}")
                for n in range(size)
            ]
        )
        Enrolment.objects.bulk_create(
            [Enrolment(cohort=cohort, person=p, status="accepted") for p in people]
        )
        cohorts.append(cohort)
    return cohorts


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_pages(client: Any, path: str, requests: int) -> tuple[list[float], list[float]]:
    """Wall and processor milliseconds of each request."""
    client.get(path)  # warm the templates
    timings, processor = [], []
    for _ in range(requests):
        cpu_started = time.process_time()
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        processor.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings, processor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--certificates", type=int, default=10000)
    parser.add_argument("--per-cohort", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only-certificates", action="store_true", help="skip the pages and the sync"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minga-bench-education-") as directory:
        configure(Path(directory))
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from minga.education import drawing

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        world = build(args.students)
        anonymous = Client()
        teacher = Client()
        teacher.force_login(world["teacher"])
        coordinator = Client()
        device = TOTPDevice.objects.create(user=world["coordinator"], name="b", confirmed=True)
        coordinator.force_login(world["coordinator"])
        otp = coordinator.session
        otp["otp_device_id"] = device.persistent_id
        otp.save()
        results: dict[str, Any] = {
            "students": args.students,
            "load_at_start": [round(v, 2) for v in os.getloadavg()],
        }
        pages = (
            ("course_page", anonymous, world["course"].get_absolute_url()),
            ("cohort_dashboard", teacher, world["cohort"].get_absolute_url()),
            # For comparison, in the same sitting: the module's index page, which lists the
            # schools and the teacher's cohorts (the platform's own cost of a page).
            ("index_page", teacher, "/education/"),
            # The school's report for its coordinators, by organization (the widest grouping).
            (
                "school_report",
                coordinator,
                f"/education/schools/{world['school'].uuid}/report/?group=organization",
            ),
        )
        for name, client, path in () if args.only_certificates else pages:
            p95s, cpu = [], []
            for _ in range(args.runs):
                wall, processor = time_pages(client, path, args.requests)
                p95s.append(percentile(wall, 0.95))
                cpu.extend(processor)
            results[name] = {
                "p95_ms_runs": [round(v, 1) for v in p95s],
                "cpu_ms_median": round(statistics.median(cpu), 1),
                "cpu_ms_p95": round(percentile(cpu, 0.95), 1),
                "load": [round(v, 2) for v in os.getloadavg()],
            }
            print(name, results[name], file=sys.stderr, flush=True)

        url = f"/api/v1/education/cohorts/{world['cohort'].uuid}/attendance"
        teacher.post(url, json.dumps({"marks": []}), content_type="application/json")  # warm
        syncs, repeats = [], []
        for run in range(0 if args.only_certificates else args.runs):
            session = world["sessions"][run % 2]
            marks = [
                {
                    "client_id": str(uuid.uuid4()),
                    "session": str(session.uuid),
                    "enrolment": str(world["enrolments"][n % len(world["enrolments"])].uuid),
                    "status": "late",
                    "recorded_at": timezone.now().isoformat(),
                }
                for n in range(1000)
            ]
            body = json.dumps({"marks": marks})
            started = time.perf_counter()
            response = teacher.post(url, body, content_type="application/json")
            syncs.append(time.perf_counter() - started)
            assert response.json()["stored"] == 1000, response.content
            started = time.perf_counter()
            again = teacher.post(url, body, content_type="application/json")
            repeats.append(time.perf_counter() - started)
            assert again.json()["stored"] == 0
        results["sync_1000_s_runs"] = [round(v, 3) for v in syncs]
        results["sync_1000_again_s_runs"] = [round(v, 3) for v in repeats]
        print("sync", syncs, repeats, file=sys.stderr, flush=True)

        cohorts = build_certificates(world, args.certificates, args.per_cohort)
        results["load_before_certificates"] = [round(v, 2) for v in os.getloadavg()]
        drawing.shutdown_pool()  # its workers' CPU time is counted once they have ended
        cpu_before = _cpu_seconds()
        issued = printed = 0
        issue_s = print_s = 0.0
        for cohort in cohorts:
            started = time.perf_counter()
            response = teacher.post(f"/education/cohorts/{cohort.uuid}/certificates/issue/")
            issue_s += time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            started = time.perf_counter()
            response = teacher.get(f"/education/cohorts/{cohort.uuid}/certificates.zip")
            print_s += time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                names = archive.namelist()
                assert all(archive.read(n).startswith(b"%PDF-") for n in names[:3])
            printed += len(names)
            issued = printed
        drawing.shutdown_pool()
        cpu_s = _cpu_seconds() - cpu_before
        print("certificates", issued, issue_s, print_s, cpu_s, file=sys.stderr, flush=True)
        results["certificates"] = {
            "issued": issued,
            "printed": printed,
            "issue_s": round(issue_s, 1),
            "print_s": round(print_s, 1),
            "total_s": round(issue_s + print_s, 1),
            # Processor time of this process and the pool's workers: what the two cores
            # must give, whatever else the machine is doing.
            "cpu_s": round(cpu_s, 1),
            "load_after": [round(v, 2) for v in os.getloadavg()],
        }
        if not args.only_certificates:
            results["median"] = {
                "course_page_p95_ms": statistics.median(results["course_page"]["p95_ms_runs"]),
                "cohort_dashboard_p95_ms": statistics.median(
                    results["cohort_dashboard"]["p95_ms_runs"]
                ),
                "school_report_p95_ms": statistics.median(results["school_report"]["p95_ms_runs"]),
                "sync_1000_s": statistics.median(syncs),
            }
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
