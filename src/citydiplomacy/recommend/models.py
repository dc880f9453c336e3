"""Trained recommender models (a row per training run; the weights live in a file under
settings.CITYDIPLOMACY_MODEL_DIR) and partner-seeking profiles that organisations publish
(as Japan's CLAIR and the UK's LGA publish them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrainedModel(models.Model):
    trained_at = models.DateTimeField(_("trained at"))
    path = models.CharField(_("model file"), max_length=500)
    source = models.CharField(_("network source"), max_length=20)
    nodes = models.PositiveIntegerField(_("nodes"), default=0)
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    ties = models.PositiveIntegerField(_("ties"), default=0)
    training_rows = models.PositiveIntegerField(_("training rows"), default=0)
    seconds = models.FloatField(_("training time (s)"), default=0)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)

    class Meta:
        verbose_name = _("trained recommender")
        verbose_name_plural = _("trained recommenders")
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.ties} ties)"


class PartnerProfile(models.Model):
    """What an organisation seeks in a partner; open profiles are public."""

    organisation = models.OneToOneField("governments.LocalGovernment", verbose_name=_("organisation"),
                                        on_delete=models.CASCADE, related_name="partner_profile")
    is_open = models.BooleanField(_("open (published)"), default=True)
    countries = models.JSONField(_("countries sought"), default=list, blank=True,
                                 help_text=_("ISO 3166-1 alpha-2 codes; empty: any country."))
    regions = models.JSONField(_("world regions sought"), default=list, blank=True,
                               help_text=_("UN M49 sub-regions, e.g. Western Asia; empty: any."))
    min_population = models.PositiveBigIntegerField(_("minimum population"), null=True, blank=True)
    max_population = models.PositiveBigIntegerField(_("maximum population"), null=True, blank=True)
    areas = models.JSONField(_("cooperation areas"), default=list, blank=True)
    text = models.TextField(_("what we seek"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner-seeking profile")
        verbose_name_plural = _("partner-seeking profiles")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)
