from django.contrib import admin

from .models import Country, ImportBatch, Place, Region, ReportedTie, ReviewChoice


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_tr", "continent"]
    search_fields = ["code", "name", "name_tr"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country_code", "kind", "admin1_code"]
    search_fields = ["code", "name"]
    list_filter = ["country_code"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["geonameid", "name", "country_code", "admin1_code", "population"]
    search_fields = ["=geonameid", "name"]


@admin.register(ReviewChoice)
class ReviewChoiceAdmin(admin.ModelAdmin):
    list_display = ["raw_name", "raw_country", "kind", "geonameid", "region_code", "chosen_by", "chosen_at"]
    search_fields = ["raw_name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source", "rows_read", "ties_created", "merged_duplicates", "unresolved_names", "created_at"]


@admin.register(ReportedTie)
class ReportedTieAdmin(admin.ModelAdmin):
    list_display = ["low", "high", "kind", "source"]
    raw_id_fields = ["low", "high", "batch"]
