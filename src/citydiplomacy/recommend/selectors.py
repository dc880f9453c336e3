"""Reads: open partner-seeking profiles (public), an organisation's profile, training runs."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PartnerProfile, TrainedModel


def open_profiles() -> QuerySet[PartnerProfile]:
    return PartnerProfile.objects.filter(is_open=True).select_related("organisation")


def profile_of(organisation_id: int) -> PartnerProfile | None:
    return PartnerProfile.objects.filter(organisation_id=organisation_id).first()


def training_runs() -> QuerySet[TrainedModel]:
    return TrainedModel.objects.all()
