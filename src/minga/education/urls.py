from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.my_calendar, name="my_calendar"),
    path("schools/new/", views.school_new, name="school_new"),
    path("schools/<uuid:uuid>/", views.school_detail, name="school"),
    path("schools/<uuid:uuid>/courses/new/", views.course_new, name="course_new"),
    path("courses/<uuid:uuid>/", views.course_detail, name="course"),
    path(
        "courses/<uuid:uuid>/translations/",
        views.course_translations,
        name="course_translations",
    ),
    path(
        "courses/<uuid:uuid>/translations/<str:language>/",
        views.course_translation,
        name="course_translation",
    ),
    path("courses/<uuid:uuid>/modules/new/", views.module_new, name="module_new"),
    path("modules/<uuid:uuid>/", views.module_detail, name="module"),
    path("modules/<uuid:uuid>/move/", views.module_move, name="module_move"),
    path("modules/<uuid:uuid>/lessons/new/", views.lesson_new, name="lesson_new"),
    path(
        "modules/<uuid:uuid>/offline.<str:fmt>",
        views.module_offline,
        name="module_offline",
    ),
    path("lessons/<uuid:uuid>/", views.lesson_detail, name="lesson"),
    path("lessons/<uuid:uuid>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<uuid:uuid>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<uuid:uuid>/audio/", views.lesson_audio, name="lesson_audio"),
    path("lessons/<uuid:uuid>/materials/new/", views.material_new, name="material_new"),
    path("materials/<uuid:uuid>/remove/", views.material_remove, name="material_remove"),
    path("courses/<uuid:uuid>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<uuid:uuid>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:uuid>/apply/", views.cohort_apply, name="apply"),
    path("cohorts/<uuid:uuid>/calendar.ics", views.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<uuid:uuid>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:uuid>/attendance/", views.session_attendance, name="attendance"),
    path(
        "sessions/<uuid:uuid>/attendance.webmanifest",
        views.sheet_manifest,
        name="sheet_manifest",
    ),
    path("sessions/<uuid:uuid>/check-in/", views.session_checkin, name="session_checkin"),
    path("cohorts/<uuid:uuid>/check-in/", views.cohort_check_in, name="check_in"),
    path("attendance-worker.js", views.sheet_worker, name="sheet_worker"),
    path("enrolments/<uuid:uuid>/decide/", views.enrolment_decide, name="decide"),
    path("enrolments/<uuid:uuid>/withdraw/", views.enrolment_withdraw, name="withdraw"),
    path("enrolments/<uuid:uuid>/assessment/", views.assessment, name="assessment"),
    path("enrolments/<uuid:uuid>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("enrolments/<uuid:uuid>/grant/", views.certificate_grant, name="certificate_grant"),
    path(
        "cohorts/<uuid:uuid>/certificates/issue/",
        views.certificates_issue_completed,
        name="certificates_issue",
    ),
    path(
        "cohorts/<uuid:uuid>/certificates.zip",
        views.cohort_certificates_zip,
        name="certificates_zip",
    ),
    path("verify/", views.verify, name="verify_form"),
    path("certificates/<str:code>/", views.verify_code, name="verify"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:code>/signed.txt", views.certificate_signed, name="certificate_signed"),
    path("certificates/<str:code>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
