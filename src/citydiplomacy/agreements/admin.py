from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citydiplomacy.agreements.models import (
    Activity,
    Agreement,
    AgreementEvent,
    Document,
    InternationalOrganisation,
)


class ReadOnlyEventInline(admin.TabularInline):
    model = AgreementEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "from_state", "to_state", "occurred_on", "actor", "reason", "reference", "document")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    """Read-mostly: changes go through the services (rules, events, versions)."""

    list_display = ("title", "organisation", "instrument", "state", "is_imported", "archived_at")
    list_filter = ("instrument", "state", "is_imported")
    search_fields = ("title", "partner__name")
    raw_id_fields = ("organisation", "partner", "partner_organisation", "created_by")
    inlines = [ReadOnlyEventInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organisation", "kind", "starts_on", "status")
    raw_id_fields = ("organisation", "agreement", "partner", "created_by")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("original_name", "kind", "size", "sha256", "uploaded_at")
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(InternationalOrganisation, SimpleHistoryAdmin)
