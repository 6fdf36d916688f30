from django.contrib import admin

from trainings.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    Programme,
    Project,
    Session,
    Training,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "introduced_by"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "partner"]
    search_fields = ["name"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "project"]
    list_filter = ["programme"]
    search_fields = ["name"]
    filter_horizontal = ["trainers"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "training", "starts_on", "ends_on", "status", "capacity"]
    list_filter = ["status", "training"]
    search_fields = ["name", "training__name"]
    filter_horizontal = ["trainers"]
    inlines = [SessionInline, EnrolmentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "cohort", "sent_at", "expires_at", "accepted_at"]
    search_fields = ["email"]
    list_filter = ["cohort"]
    readonly_fields = ["token_hash"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "person", "recorded_at"]
    list_filter = ["session__cohort"]
