"""Admin: staff correct the commute table here; applications are read-mostly.

Personal data stays out of list pages (no address, phone or birth date columns).
"""

from django.contrib import admin

from .models import (
    Agreement,
    CheckIn,
    CommuteTime,
    HostApplication,
    Match,
    MatchingRun,
    StudentApplication,
    University,
)


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "name_en", "district"]
    list_filter = ["city"]


@admin.register(CommuteTime)
class CommuteTimeAdmin(admin.ModelAdmin):
    list_display = ["university", "district", "minutes", "updated_at"]
    list_editable = ["minutes"]
    list_filter = ["university", "district"]
    list_select_related = ["university", "district"]
    readonly_fields = ["updated_by"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(HostApplication)
class HostApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "status", "rooms", "submitted_at"]
    list_filter = ["status", "district"]
    raw_id_fields = ["applicant", "screened_by"]


@admin.register(StudentApplication)
class StudentApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "university", "status", "submitted_at"]
    list_filter = ["status", "district", "university"]
    raw_id_fields = ["applicant", "screened_by"]


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "district",
        "term_start",
        "hosts_count",
        "students_count",
        "duration_ms",
    ]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "host_response", "student_response", "proposed_at"]
    list_filter = ["status"]
    raw_id_fields = ["host_application", "student_application", "candidate", "proposed_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "start_on", "end_on"]
    raw_id_fields = ["match", "created_by"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_on", "done_on", "concern"]
    raw_id_fields = ["agreement", "done_by"]
