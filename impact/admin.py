from django.contrib import admin

from impact.models import (
    Activity,
    Comment,
    Effect,
    Indicator,
    ReportExport,
    Revision,
    Snapshot,
    Stakeholder,
    StepReview,
    Suggestion,
    TargetGroup,
    Worksheet,
)


class StepReviewInline(admin.TabularInline):
    model = StepReview
    extra = 0
    fields = ["step", "state", "changed_by", "note"]
    raw_id_fields = ["changed_by"]


@admin.register(Worksheet)
class WorksheetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enrolment", "updated_at", "version"]
    list_select_related = ["enrolment__organisation", "enrolment__cohort__training"]
    search_fields = ["enrolment__organisation__name", "good_practice", "impact_goal"]
    list_filter = ["enrolment__cohort"]
    raw_id_fields = ["enrolment"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [StepReviewInline]


@admin.register(TargetGroup, Stakeholder, Activity, Effect, Indicator)
class RowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "updated_at"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def get_raw_id_fields(self, request):
        return [f.name for f in self.model._meta.fields if f.is_relation]


@admin.register(StepReview)
class StepReviewAdmin(admin.ModelAdmin):
    list_display = ["worksheet", "step", "state", "changed_by", "updated_at"]
    list_filter = ["state", "step"]
    raw_id_fields = ["worksheet", "changed_by"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """History is evidence: it can be read here, never changed."""

    list_display = ["worksheet", "step", "row_type", "row_id", "row_version", "action", "author"]
    list_filter = ["action", "step", "row_type"]
    list_select_related = ["worksheet__enrolment__organisation", "author"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["worksheet", "session", "created_at"]
    raw_id_fields = ["worksheet", "session"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "worksheet", "step", "author", "resolved_at"]
    raw_id_fields = ["worksheet", "parent", "author", "resolved_by"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "theme", "is_active"]
    list_filter = ["kind", "theme", "is_active"]
    search_fields = ["title", "description"]


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "requested_by", "status", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cohort", "worksheet", "session", "requested_by"]
