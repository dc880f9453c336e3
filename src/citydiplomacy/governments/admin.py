from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citydiplomacy.governments.models import LocalGovernment, WikidataMatch


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country_code", "geonameid", "is_unresolved")
    list_filter = ("kind", "is_unresolved")
    search_fields = ("name", "official_name", "raw_name")
    raw_id_fields = ("parent",)


@admin.register(WikidataMatch)
class WikidataMatchAdmin(SimpleHistoryAdmin):
    """Read-only: matches are proposed and decided on the reconciliation page (its history here)."""

    list_display = ("government", "wikidata_id", "method", "state", "proposed_by", "decided_by", "decided_at")
    list_filter = ("state", "method")
    search_fields = ("government__name", "wikidata_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
