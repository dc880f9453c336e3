"""Gazetteer (countries, ISO 3166-2 regions, GeoNames places), review choices and imports.

Places and regions are reference data loaded by ``citydiplomacy load-gazetteer``; local
governments refer to them by GeoNames id / region code (not by foreign key), so reloading
the gazetteer never touches the registry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_tr = models.CharField(_("Turkish name"), max_length=100, blank=True)
    continent = models.CharField(_("continent"), max_length=2, blank=True)
    languages = models.CharField(_("official languages"), max_length=200, blank=True)
    neighbours = models.CharField(_("land neighbours"), max_length=200, blank=True)
    alternate_names = models.TextField(_("alternate names"), blank=True)  # "|"-separated

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def neighbour_codes(self) -> list[str]:
        return [c for c in self.neighbours.split(",") if c]


class Region(models.Model):
    code = models.CharField(_("region code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    country_code = models.CharField(_("country"), max_length=2, db_index=True)
    kind = models.CharField(_("kind"), max_length=100, blank=True)
    admin1_code = models.CharField(_("GeoNames admin1 code"), max_length=20, blank=True)
    # indexed: the policy layer looks up the sub-regions of the regions that have rows of their own
    parent_code = models.CharField(_("parent region"), max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    alternate_names = models.TextField(_("alternate names"), blank=True)
    # GeoNames units (code "G<id>"): ids of the places inside that bear the unit's name
    namesakes = models.TextField(_("namesake places"), blank=True)  # "|"-separated ids

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country_code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Place(models.Model):
    geonameid = models.IntegerField(_("GeoNames id"), primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    ascii_name = models.CharField(_("ASCII name"), max_length=200)
    alternate_names = models.TextField(_("alternate names"), blank=True)  # "|"-separated
    country_code = models.CharField(_("country"), max_length=2, db_index=True)
    admin1_code = models.CharField(_("GeoNames admin1 code"), max_length=20, blank=True)
    # indexed: the policy layer reads the places inside a region with rows of its own
    # (policy.selectors.PolicyIndex) on every registry view
    region_code = models.CharField(_("region code"), max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.BigIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["-population"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code})"


class PlaceName(models.Model):
    """One searchable (folded) name of a place: its name and each Latin alternate name."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    key = models.CharField(max_length=200, db_index=True)
    population = models.BigIntegerField(default=0)  # copied for ordering without a join

    class Meta:
        indexes = [models.Index(fields=["key", "-population"], name="placename_key_pop")]


class ReviewChoiceKind(models.TextChoices):
    PLACE = "place", _("Place")
    REGION = "region", _("Region")
    UNRESOLVED = "unresolved", _("Cannot be identified")


class ReviewChoice(models.Model):
    """A person's decision for a raw (name, country) text; reused by every later import."""

    name_key = models.CharField(max_length=300)
    country_key = models.CharField(max_length=200)
    raw_name = models.CharField(_("raw name"), max_length=300)
    raw_country = models.CharField(_("raw country"), max_length=200, blank=True)
    kind = models.CharField(_("choice"), max_length=20, choices=ReviewChoiceKind.choices)
    geonameid = models.IntegerField(_("GeoNames id"), null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=10, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chosen by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review choice")
        verbose_name_plural = _("review choices")
        constraints = [
            models.UniqueConstraint(fields=["name_key", "country_key"], name="unique_review_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.raw_name} / {self.raw_country} -> {self.kind}"

    @property
    def ref(self) -> str:
        return str(self.geonameid) if self.kind == ReviewChoiceKind.PLACE else self.region_code


class ImportBatch(models.Model):
    source = models.CharField(_("source file"), max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows_read = models.PositiveIntegerField(default=0)
    ties_created = models.PositiveIntegerField(default=0)
    merged_duplicates = models.PositiveIntegerField(default=0)
    unresolved_names = models.PositiveIntegerField(default=0)
    # An import commits in batches of rows: rows_done counts the rows committed so far, and
    # a rerun of the same file resumes an unfinished import after them.
    rows_done = models.PositiveIntegerField(_("rows committed"), default=0)
    finished = models.BooleanField(_("finished"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.source


class ReportedTie(models.Model):
    """A twinning reported by a list (not an agreement of ours): low_id < high_id."""

    low = models.ForeignKey(
        "governments.LocalGovernment", on_delete=models.CASCADE, related_name="+"
    )
    high = models.ForeignKey(
        "governments.LocalGovernment", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, default="twinning")
    source = models.CharField(_("source file"), max_length=300)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="ties")

    # imports write ties in bulk (their ImportBatch is the record); a merge of local
    # governments moves or deletes ties one by one, and that edit is kept here
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported twinning")
        verbose_name_plural = _("reported twinnings")
        constraints = [
            models.UniqueConstraint(fields=["low", "high", "source"], name="unique_reported_tie"),
            models.CheckConstraint(condition=~Q(low=models.F("high")), name="reported_tie_two_sides"),
        ]

    def __str__(self) -> str:
        return f"{self.low} – {self.high}"
