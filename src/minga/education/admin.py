from django.contrib import admin

from .models import Certificate, Cohort, Course, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin[School]):
    list_display = ["name", "organization"]
    search_fields = ["name"]
    raw_id_fields = ["organization"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ["title", "school", "language", "visibility"]
    search_fields = ["title"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin[Cohort]):
    list_display = ["name", "course", "starts_on", "capacity"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin[Certificate]):
    list_display = ["code", "issued_at", "revoked_at"]
    search_fields = ["code"]
    readonly_fields = ["signed"]
