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
    path("courses/<uuid:uuid>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<uuid:uuid>/", views.cohort_detail, name="cohort"),
    path("cohorts/<uuid:uuid>/apply/", views.cohort_apply, name="apply"),
    path("cohorts/<uuid:uuid>/calendar.ics", views.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<uuid:uuid>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:uuid>/attendance/", views.session_attendance, name="attendance"),
    path("enrolments/<uuid:uuid>/decide/", views.enrolment_decide, name="decide"),
    path("enrolments/<uuid:uuid>/withdraw/", views.enrolment_withdraw, name="withdraw"),
    path("enrolments/<uuid:uuid>/assessment/", views.assessment, name="assessment"),
    path("enrolments/<uuid:uuid>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("enrolments/<uuid:uuid>/grant/", views.certificate_grant, name="certificate_grant"),
    path("verify/", views.verify, name="verify_form"),
    path("certificates/<str:code>/", views.verify_code, name="verify"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:code>/signed.txt", views.certificate_signed, name="certificate_signed"),
    path("certificates/<str:code>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
