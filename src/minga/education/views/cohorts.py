"""A cohort's page (for students and for its staff), applying, answering, sessions,
attendance sheets and calendars."""

from __future__ import annotations

import hashlib
import json
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common import ical
from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.common.views import url_maker
from minga.core.education.completion import Progress
from minga.registry.selectors import member_organization_ids, organizations_by_ids

from .. import selectors, services
from ..forms import ApplyForm, EndorsementForm, SessionForm, attendance_form
from ..models import Assignment, Certificate, Cohort, Enrolment, Session, Submission
from ..types import Endorsement, EnrolmentStatus, OnBehalf
from ._shared import form_error, post_data


def cohort_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    user = request.user
    cohort = selectors.get_cohort_for(user, uuid)
    is_staff = has_perm(user, "education.cohort.teach", cohort)
    mine = selectors.my_enrolment_in(user, cohort)
    sessions = list(cohort.sessions.all())
    assignments = selectors.cohort_assignments(cohort)
    counts = selectors.enrolment_counts(cohort)
    context: dict[str, Any] = {
        "cohort": cohort,
        "course": cohort.course,
        "sessions": sessions,
        "teachers": list(cohort.teachers.all()),
        "seats": selectors.seats(cohort, counts),
        "is_open": selectors.is_open_for_applications(cohort),
        "is_staff": is_staff,
        "mine": mine,
        "my_progress": selectors.cohort_progress(
            cohort, [mine], sessions=sessions, assignments=assignments
        )[mine.pk]
        if mine and mine.is_accepted
        else None,
        # Who has a place, or teaches the cohort, does not apply to it.
        "can_apply": mine is None
        and not is_staff
        and has_perm(user, "education.cohort.apply", cohort),
        "can_grant": has_perm(user, "education.school.coordinate", cohort.course.school),
    }
    context["final_by_assignment"] = any(a.is_final for a in assignments)
    context["assignments"] = _assignment_rows(cohort, assignments, mine)
    if context["can_apply"]:
        missing = selectors.missing_prerequisites(user, cohort.course)
        context["prerequisites_missing"] = bool(missing)
        # Only those the reader may read are named (a hidden course appears nowhere).
        context["prerequisites_shown"] = list(
            selectors.visible_courses(user).filter(pk__in=[course.pk for course in missing])
        )
        form = apply_form(user, cohort)
        context["apply_form"] = form
        context["no_organization"] = form is not None and not form.has_organizations
    if is_staff:
        # Fifty students a page: a cohort of hundreds stays light on a phone.
        page = _CountedPaginator(
            selectors.dashboard_enrolments(cohort), 50, known_count=sum(counts.values())
        ).get_page(request.GET.get("page"))
        context["rows"] = _student_rows(
            cohort,
            list(page.object_list),
            sessions=sessions,
            assignments=assignments,
            can_grant=context["can_grant"],
        )
        context["page"] = page
        # Every page by its number (elided past a few around this one): any student is two
        # taps away, whatever the size of the cohort.
        context["page_links"] = [
            number if isinstance(number, int) else None
            for number in page.paginator.get_elided_page_range(page.number, on_ends=1)
        ]
    return render(request, "education/cohort_detail.html", context)


class _CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told how many rows there are (the page counted them already by status)."""

    def __init__(self, object_list: Any, per_page: int, *, known_count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = known_count  # the cached_property's slot


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    url: str
    status: str


def _assignment_rows(
    cohort: Cohort, assignments: list[Assignment], mine: Enrolment | None
) -> list[AssignmentRow]:
    """Each assignment with its address in the cohort and, for a student, where their work
    stands (for the staff: how much of the cohort's work was sent and marked)."""
    own = {}
    if mine is not None:
        own = {s.assignment_id: s for s in Submission.objects.filter(enrolment=mine)}
    rows = []
    for assignment in assignments:
        submission = own.get(assignment.pk)
        if mine is None:
            status = _("%(sent)d sent, %(marked)d marked") % {
                "sent": assignment.sent,  # type: ignore[attr-defined]
                "marked": assignment.marked,  # type: ignore[attr-defined]
            }
        elif submission is None:
            status = _("not sent yet")
        elif submission.marked_at is None:
            status = _("sent, not marked yet")
        else:
            status = _("passed") if submission.passed else _("not passed")
        rows.append(AssignmentRow(assignment, assignment.url_in(cohort), status))
    return rows


@dataclass(frozen=True, slots=True)
class StudentRow:
    """One student or applicant on the staff's dashboard as the page shows them: every text
    and address computed here, so that the template's loop only prints (fifty rows of model
    lookups, comparisons and translations in the template cost more than the rest of the
    page). An empty address means the page offers no such action for this row."""

    pk: int
    name: str
    status: str
    on_behalf: str  # the organization's name, when the application is made on its behalf
    endorsement: str
    reason: str
    decide_url: str  # the application waits for an answer
    can_accept: bool
    can_waitlist: bool
    progress: str  # attendance, assignments and final assessment of an accepted student
    certificate_url: str
    certificate_code: str
    assessment_url: str  # the staff record the final assessment on this page
    assessment_passed: bool
    issue_url: str  # the student met the completion rules
    grant_url: str  # the reader may issue the certificate by decision


def _student_rows(
    cohort: Cohort,
    enrolments: list[Enrolment],
    *,
    sessions: list[Session],
    assignments: list[Assignment],
    can_grant: bool,
) -> list[StudentRow]:
    progress = selectors.cohort_progress(
        cohort,
        [e for e in enrolments if e.status == EnrolmentStatus.ACCEPTED],
        sessions=sessions,
        assignments=assignments,
    )
    decide, assessment, issue, grant = (
        url_maker(f"education:{name}")
        for name in ("decide", "assessment", "certificate_issue", "certificate_grant")
    )
    statuses = {key: str(label) for key, label in EnrolmentStatus.choices}
    endorsements = {key: str(label) for key, label in Endorsement.choices}
    final_required = cohort.course.final_assessment_required
    # With a final assignment, its mark is the final assessment: no button records it.
    assessment_here = final_required and not any(a.is_final for a in assignments)
    final_texts = {True: _("final assessment passed"), False: _("final assessment pending")}
    rows = []
    for enrolment in enrolments:
        shown = progress.get(enrolment.pk)
        try:
            certificate: Certificate | None = enrolment.certificate
        except ObjectDoesNotExist:
            certificate = None
        waiting = enrolment.status in (EnrolmentStatus.APPLIED, EnrolmentStatus.WAITLISTED)
        endorsed = enrolment.endorsement != Endorsement.PENDING
        # Certificates and their actions are for accepted students (those with a progress).
        to_certify = shown is not None and certificate is None
        complete = shown is not None and shown.complete
        grantable = to_certify and can_grant and not complete
        said = "" if shown is None else _progress_text(shown, final_texts, final_required)
        rows.append(
            StudentRow(
                pk=enrolment.pk,
                name=str(enrolment.person),
                status=statuses.get(enrolment.status, enrolment.status),
                on_behalf=enrolment.on_behalf_of.display_name if enrolment.on_behalf_of else "",
                endorsement=endorsements.get(enrolment.endorsement, enrolment.endorsement)
                if enrolment.endorsement
                else "",
                reason=enrolment.reason,
                decide_url=decide(enrolment.uuid) if waiting else "",
                can_accept=endorsed,
                can_waitlist=endorsed and enrolment.status == EnrolmentStatus.APPLIED,
                progress=said,
                certificate_url=""
                if shown is None or certificate is None
                else certificate.get_absolute_url(),
                certificate_code=certificate.code if certificate is not None else "",
                assessment_url=assessment(enrolment.uuid) if to_certify and assessment_here else "",
                assessment_passed=enrolment.final_assessment_passed,
                issue_url=issue(enrolment.uuid) if to_certify and complete else "",
                grant_url=grant(enrolment.uuid) if grantable else "",
            )
        )
    return rows


def _progress_text(shown: Progress, final_texts: dict[bool, str], final_required: bool) -> str:
    parts = [
        _("Attendance: %(share)s%% (%(attended)s of %(counted)s sessions)")
        % {
            "share": shown.attendance_percent,
            "attended": shown.sessions_attended,
            "counted": shown.sessions_counted,
        }
    ]
    if shown.assignments_needed:
        parts.append(
            _("Assignments passed: %(passed)s of %(needed)s")
            % {"passed": shown.assignments_passed, "needed": shown.assignments_needed}
        )
    if final_required:
        parts.append(final_texts[shown.final_assessment_met])
    return " · ".join(parts)


@login_required
@require_POST
def cohort_apply(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for(request.user, uuid)
    form = apply_form(request.user, cohort, request.POST)
    on_behalf_of = None
    if form is not None:
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(str(error) for error in errors))
            return redirect(cohort)
        on_behalf_of = form.cleaned_data.get("on_behalf_of")
    try:
        enrolment = services.enrolment_apply(
            actor=request.user, cohort=cohort, on_behalf_of=on_behalf_of
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if enrolment.endorsement == Endorsement.PENDING:
            message = _("Your application was sent to your organization for its endorsement.")
        else:
            message = {
                str(EnrolmentStatus.ACCEPTED): _("You are in the cohort."),
                str(EnrolmentStatus.WAITLISTED): _("The cohort is full: you are on its wait-list."),
            }.get(str(enrolment.status), _("Your application was sent to the teachers."))
        messages.success(request, message)
    return redirect(cohort)


def apply_form(user: Any, cohort: Cohort, data: Any = None) -> ApplyForm | None:
    """The choice of the organization an application is made on behalf of, when the course
    asks for one (only the applicant's own organizations are offered)."""
    asks = cohort.course.on_behalf
    if asks == OnBehalf.FREE or not getattr(user, "is_authenticated", False):
        return None
    organizations = organizations_by_ids(member_organization_ids(user))
    return ApplyForm(data, organizations=organizations, required=True)


@login_required
@require_POST
def enrolment_decide(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    try:
        services.enrolment_decide(
            actor=request.user,
            enrolment=enrolment,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The answer was recorded."))
    return redirect(enrolment.cohort)


@login_required
@require_POST
def enrolment_withdraw(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You left the cohort."))
    return redirect(enrolment.cohort)


@login_required
@require_POST
def assessment(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    try:
        services.assessment_record(
            actor=request.user, enrolment=enrolment, passed=request.POST.get("passed") == "yes"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The final assessment was recorded."))
    return redirect(enrolment.cohort)


@login_required
def session_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for(request.user, uuid)
    require(request.user, "education.cohort.teach", cohort)
    form = SessionForm(post_data(request), initial={"place": cohort.place})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(
                actor=request.user,
                cohort=cohort,
                time_zone=timezone.get_current_timezone_name(),
                **form.cleaned_data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect(cohort)
    return render(
        request,
        "education/form_page.html",
        {"form": form, "title": _("A new session"), "button": _("Schedule"), "context": cohort},
    )


@login_required
def session_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Change or move a session, or remove one no one was marked in; its calendar event
    follows."""
    session = selectors.get_session_for(request.user, uuid)
    cohort = session.cohort
    require(request.user, "education.cohort.teach", cohort)
    initial = {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "place": session.place,
    }
    form = SessionForm(post_data(request), initial=initial)
    if request.method == "POST" and "remove" in request.POST:
        try:
            services.session_delete(actor=request.user, session=session)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("education:session_edit", uuid=session.uuid)
        messages.success(request, _("The session was removed."))
        return redirect(cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request.user,
                session=session,
                time_zone=timezone.get_current_timezone_name(),
                **form.cleaned_data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The session was changed."))
            return redirect(cohort)
    return render(
        request,
        "education/session_edit.html",
        {"form": form, "session": session, "cohort": cohort},
    )


@login_required
def session_attendance(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The attendance sheet of a session: one status per student, sent in one request."""
    session = selectors.get_session_for(request.user, uuid)
    cohort = session.cohort
    require(request.user, "education.cohort.teach", cohort)
    students = list(
        cohort.enrolments.filter(status=EnrolmentStatus.ACCEPTED).select_related("person")
    )
    resolved = selectors.attendance_of_session(session)
    current = {pk: r.current.status for pk, r in resolved.items()}
    form = attendance_form(students, current)(post_data(request))
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        marks = [
            services.MarkData(
                client_id=str(uuid_lib.uuid4()),
                session=str(session.uuid),
                enrolment=str(enrolment.uuid),
                status=form.cleaned_data[f"student_{enrolment.pk}"],
                recorded_at=now,
            )
            for enrolment in students
            if form.cleaned_data[f"student_{enrolment.pk}"] != current.get(enrolment.pk)
        ]
        try:
            services.attendance_sync(actor=request.user, cohort=cohort, marks=marks)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect(cohort)
    conflicts = [
        (student, resolved[student.pk])
        for student in students
        if student.pk in resolved and resolved[student.pk].conflicts
    ]
    rows = [
        (form[f"student_{enrolment.pk}"], enrolment, current.get(enrolment.pk, ""))
        for enrolment in students
    ]
    return render(
        request,
        "education/attendance.html",
        {
            "session": session,
            "cohort": cohort,
            "form": form,
            "rows": rows,
            "conflicts": conflicts,
            "checkin_open": bool(
                session.checkin_code
                and session.checkin_until
                and session.checkin_until >= timezone.now()
            ),
        },
    )


SHEET_ASSETS = ("education/sheet.js", "education/education.css", "minga/minga.css")


def sheet_worker(request: HttpRequest) -> HttpResponse:
    """The attendance sheet's service worker (served under /education/ for its scope)."""
    from django.templatetags.static import static

    assets = [static(name) for name in SHEET_ASSETS]
    response = render(
        request,
        "education/sheet-worker.js",
        {"assets": json.dumps(assets), "version": _asset_version(assets)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _asset_version(assets: list[str]) -> str:
    # A new version of the assets (their hashed names change) makes a new cache.
    return hashlib.sha256("|".join(assets).encode()).hexdigest()[:12]


@login_required
def sheet_manifest(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The web app manifest of one session's sheet: installed, it opens that sheet."""
    from django.templatetags.static import static

    session = selectors.get_session_for(request.user, uuid)
    require(request.user, "education.cohort.teach", session.cohort)
    manifest = {
        "name": f"{_('Attendance')}: {session.cohort.name}",
        "short_name": _("Attendance"),
        "start_url": reverse("education:attendance", kwargs={"uuid": session.uuid}),
        "scope": reverse("education:index"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#2f6b3a",
        "icons": [{"src": static("minga/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(manifest), content_type="application/manifest+json")


def _events(sessions: Any) -> list[ical.CalendarEvent]:
    now = timezone.now()
    return [
        ical.CalendarEvent(
            uid=f"{session.uuid}@minga-education",
            stamp=now,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            time_zone=session.time_zone,
            summary=f"{session.cohort.course.title}: {session.title or session.cohort.name}",
            location=session.place,
            url=settings.SITE_URL + session.cohort.get_absolute_url(),
        )
        for session in sessions
    ]


def _ics(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def cohort_calendar(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for(request.user, uuid)
    sessions = Session.objects.filter(cohort=cohort).select_related("cohort__course")
    return _ics(ical.feed(_events(sessions), name=f"{cohort.course.title}: {cohort.name}"))


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:  # pragma: no cover - login_required
        raise Http404
    sessions = selectors.sessions_for_person(request.user)
    return _ics(ical.feed(_events(sessions), name=_("My courses")))


@login_required
@require_POST
def session_checkin(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The teacher opens (a new code) or closes the students' self check-in."""
    session = selectors.get_session_for(request.user, uuid)
    opening = request.POST.get("action") == "open"
    try:
        if opening:
            services.checkin_open(actor=request.user, session=session)
        else:
            services.checkin_close(actor=request.user, session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Students can now check in with the code.")
            if opening
            else _("Self check-in is closed."),
        )
    return redirect("education:attendance", uuid=session.uuid)


@login_required
@require_POST
def cohort_check_in(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for(request.user, uuid)
    enrolment = selectors.my_enrolments(request.user).filter(cohort=cohort).first()
    if enrolment is None:
        raise Http404
    try:
        record = services.attendance_check_in(
            actor=request.user, enrolment=enrolment, code=request.POST.get("code", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You are checked in as late.")
            if record.status == "late"
            else _("You are checked in as present."),
        )
    return redirect(cohort)


@login_required
def endorsements(request: HttpRequest) -> HttpResponse:
    """Applications made on behalf of the organizations the user coordinates, waiting for
    their endorsement."""
    waiting = list(selectors.endorsements_waiting(request.user)[:200])
    endorse = url_maker("education:endorse")
    return render(
        request,
        "education/endorsements.html",
        {
            "rows": [(enrolment, endorse(enrolment.uuid)) for enrolment in waiting],
            "form": EndorsementForm(),
        },
    )


@login_required
@require_POST
def enrolment_endorse(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    form = EndorsementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("education:endorsements")
    try:
        services.enrolment_endorse(actor=request.user, enrolment=enrolment, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The application is endorsed: the teachers may now answer it.")
            if form.cleaned_data["decision"] == "endorse"
            else _("The application was declined; the applicant sees your reason."),
        )
    return redirect("education:endorsements")
