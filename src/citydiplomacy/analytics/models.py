"""Monitoring and evaluation records of the analytics app.

- SelfAssessment: the annual self-assessment of one agreement, scores 1–5 against the
  principles of the OECD framework for city-to-city partnerships, with free-text evidence.
- PartnerAcknowledgement: whether the partner acknowledges the tie (confirmed / not confirmed
  / denied), with the date and source of that statement. Append-only: the latest counts.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplomacy.core.fields import acting_user


class Principle(models.TextChoices):
    """Principles of the self-assessment, modelled on the OECD framework for city-to-city
    partnerships (shared strategy, mutual benefit, stakeholders, multi-level coordination,
    resources, monitoring and learning, transparency, continuity)."""

    STRATEGY = "strategy", _("Aligned with the city's development strategy")
    MUTUAL_BENEFIT = "mutual_benefit", _("Mutual benefit and reciprocity")
    STAKEHOLDERS = "stakeholders", _("Engages citizens, business, academia and civil society")
    MULTI_LEVEL = "multi_level", _("Coordinated with national and regional governments")
    RESOURCES = "resources", _("Dedicated staff and budget")
    MONITORING = "monitoring", _("Objectives, monitoring, evaluation and learning")
    TRANSPARENCY = "transparency", _("Transparency and accountability")
    CONTINUITY = "continuity", _("Continuity beyond electoral cycles")


class SelfAssessment(models.Model):
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT,
                                  related_name="self_assessments", verbose_name=_("agreement"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900),
                                                                   MaxValueValidator(2200)])
    scores = models.JSONField(_("scores"), default=dict)      # principle -> 1..5
    evidence = models.JSONField(_("evidence"), default=dict)  # principle -> text
    assessed_by = acting_user()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["agreement_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"],
                                               name="unique_self_assessment_year")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.year}"

    @property
    def average(self) -> float | None:
        values = [int(v) for v in self.scores.values() if v]
        return round(sum(values) / len(values), 2) if values else None


class Acknowledgement(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the partner")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    DENIED = "denied", _("Denied by the partner")


class PartnerAcknowledgement(models.Model):
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT,
                                  related_name="acknowledgements", verbose_name=_("agreement"))
    status = models.CharField(_("acknowledgement"), max_length=20, choices=Acknowledgement.choices)
    stated_on = models.DateField(_("date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner acknowledgement")
        verbose_name_plural = _("partner acknowledgements")
        ordering = ["agreement_id", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.status}"
