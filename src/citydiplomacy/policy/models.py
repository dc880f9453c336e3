"""Central-government policy: the national government's relation status with each country
over time, and which ministry grants the prior permission of Municipal Law 5393 art. 74.

A relation row is for a whole country, or (with `region_code`, ISO 3166-2) for one region
of it: a partner inside a region with rows of its own is judged by the region's rows
(e.g. UA-43 Crimea, whose annexation Turkey does not recognise), every other partner by
its country's. Both tables are dated: a row holds from `valid_from` (blank = long-standing, start not
recorded) to `valid_to` (blank = still in force), both inclusive. The policy layer is
national, so only the oversight role may write it (see accounts.permissions).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplomacy.core.fields import acting_user


class RelationStatus(models.TextChoices):
    NORMAL = "normal", _("Normal")
    RESTRICTED = "restricted", _("Restricted")
    FROZEN = "frozen", _("Frozen")
    NO_RELATIONS = "no_relations", _("No diplomatic relations")


# Statuses under which no new tie may pass council approval, permission or signing,
# and existing active ties need review.
BLOCKING_STATUSES = frozenset({RelationStatus.FROZEN, RelationStatus.NO_RELATIONS})


class CountryRelation(models.Model):
    country_code = models.CharField(
        _("country"), max_length=2, db_index=True,
        help_text=_("ISO 3166-1 alpha-2 code of the country."),
    )
    region_code = models.CharField(
        _("region"), max_length=10, blank=True, db_index=True,
        help_text=_("ISO 3166-2 code of a region of the country (e.g. UA-43) when the status "
                    "is for that region only; blank: the whole country."),
    )
    status = models.CharField(_("status"), max_length=20, choices=RelationStatus.choices)
    valid_from = models.DateField(_("from"), null=True, blank=True,
                                  help_text=_("Blank: long-standing, start not recorded."))
    valid_to = models.DateField(_("to"), null=True, blank=True,
                                help_text=_("Blank: still in force."))
    basis = models.TextField(_("basis"), blank=True)
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    recorded_by = acting_user(_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country relation status")
        verbose_name_plural = _("country relation statuses")
        ordering = ["country_code", F("valid_from").asc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="countryrelation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_code}: {self.get_status_display()} ({self.valid_from or '…'} – {self.valid_to or '…'})"

    @property
    def area_code(self) -> str:
        """The region's ISO 3166-2 code for a regional row, else the country's code."""
        return (self.region_code or self.country_code or "").upper()

    @property
    def area_label(self) -> str:
        """The country's name, and the region's after a dash, in the active language."""
        from citydiplomacy.places.countries import country_name, region_name

        country = country_name(self.country_code)
        return f"{country} – {region_name(self.region_code)}" if self.region_code else country


class PermittingAuthority(models.Model):
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_tr = models.CharField(_("name (Turkish)"), max_length=300)
    basis = models.TextField(_("basis"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permitting authority")
        verbose_name_plural = _("permitting authorities")
        ordering = [F("valid_from").asc(nulls_first=True), "id"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_for(get_language())

    def name_for(self, language: str | None) -> str:
        return self.name_tr if (language or "").startswith("tr") else self.name_en
