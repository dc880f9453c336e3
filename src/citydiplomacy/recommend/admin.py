"""Admin for trained models (read-only) and partner-seeking profiles."""

from django.contrib import admin

from .models import PartnerProfile, TrainedModel


@admin.register(TrainedModel)
class TrainedModelAdmin(admin.ModelAdmin):
    list_display = ("trained_at", "source", "ties", "training_rows", "seconds")
    readonly_fields = [f.name for f in TrainedModel._meta.fields]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "is_open", "updated_at")
