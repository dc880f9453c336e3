"""Local governments of the world: the partners, and the organisations that use the system.

A LocalGovernment is any local authority (city, district, province, county, region).
An organisation using the system is simply a LocalGovernment that has member users
(see accounts.User.organisation). Partners that could not be identified from a raw
list are kept as unresolved LocalGovernments carrying their raw text, so no name is lost.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplomacy.core.fields import acting_user
from citydiplomacy.governments.naming import search_key

# A Wikidata item id: Q and a number without leading zeros (Q406). The one rule for every input.
WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"

class GovernmentKind(models.TextChoices):
    METROPOLITAN_MUNICIPALITY = "metropolitan_municipality", _("Metropolitan municipality")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT_MUNICIPALITY = "district_municipality", _("District municipality")
    TOWN_MUNICIPALITY = "town_municipality", _("Town municipality")
    SPECIAL_PROVINCIAL_ADMINISTRATION = (
        "special_provincial_administration",
        _("Special provincial administration"),
    )
    PROVINCE = "province", _("Province")
    COUNTY = "county", _("County")
    REGION = "region", _("Region")
    OTHER = "other", _("Other")


# The facts the lifecycle and policy rules decide on. They come from the gazetteer (import,
# review of unresolved names) or from a steward's decision on an IdentityCorrection; nobody
# edits them directly (governments.services.update_local_government refuses).
IDENTITY_FIELDS = ("country_code", "geonameid", "kind", "parent", "region_code", "latitude",
                   "longitude")


class LocalGovernment(models.Model):
    name = models.CharField(_("name"), max_length=200)
    official_name = models.CharField(
        _("official name"), max_length=300, blank=True,
        help_text=_("Name in its own language, where known."),
    )
    kind = models.CharField(
        _("kind"), max_length=40, choices=GovernmentKind.choices, default=GovernmentKind.MUNICIPALITY
    )
    country_code = models.CharField(
        _("country"), max_length=2, blank=True, db_index=True,
        help_text=_("ISO 3166-1 alpha-2 code; blank when not yet identified."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)  # WIKIDATA_ID_PATTERN
    official_code = models.CharField(
        _("official code"), max_length=24, blank=True, default="",
        help_text=_("The national registry's code, e.g. TR-06 or TR-06-D1231 for Turkish municipalities."),
    )
    geonameid = models.IntegerField(_("GeoNames id"), null=True, blank=True)
    region_code = models.CharField(
        _("region code"), max_length=10, blank=True, help_text=_("ISO 3166-2 code for regions.")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.BigIntegerField(_("population"), null=True, blank=True)
    is_unresolved = models.BooleanField(
        _("unresolved"), default=False,
        help_text=_("Imported from a list but not yet identified in the gazetteer."),
    )
    raw_name = models.CharField(_("raw name"), max_length=300, blank=True)
    raw_country = models.CharField(_("raw country"), max_length=200, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local government")
        verbose_name_plural = _("local governments")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["geonameid"], condition=Q(geonameid__isnull=False),
                name="unique_localgovernment_geonameid",
            ),
            models.UniqueConstraint(
                fields=["official_code"], condition=~Q(official_code=""),
                name="unique_localgovernment_official_code",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="localgovernment_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="localgovernment_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["country_code", "name"]),
                   # the analytics cache key reads the registry's latest change (Max(updated_at))
                   models.Index(fields=["updated_at"], name="localgovernment_updated_at")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code})" if self.country_code else self.name

    def fill_search_text(self) -> None:
        """Set the folded search text from the names (save() does it; bulk creators call it)."""
        self.search_text = " | ".join(
            search_key(n) for n in (self.name, self.official_name, self.raw_name) if n
        )

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    @property
    def is_organisation(self) -> bool:
        return self.members.exists()


class IdentityCorrection(models.Model):
    """A proposed correction of a local government's identity (IDENTITY_FIELDS), decided by a
    registry steward (see accounts.permissions.can_steward_registry_record). `previous` holds the
    values when it was proposed: a proposal is decided against the record it was made on."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    government = models.ForeignKey(LocalGovernment, verbose_name=_("local government"),
                                   on_delete=models.PROTECT, related_name="identity_corrections")
    proposed = models.JSONField(_("proposed values"))
    previous = models.JSONField(_("values when proposed"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN,
                             db_index=True)
    proposed_by = acting_user(_("proposed by"), required=True)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # what accepting it found (governments.corrections.recheck_ties_of): ties flagged, and
    # recorded steps that would not pass on the corrected identity
    recheck = models.JSONField(_("re-check of its ties"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity correction")
        verbose_name_plural = _("identity corrections")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.government} ({self.get_state_display()})"


class WikidataMatch(models.Model):
    """A Wikidata item proposed for a partner by an uploaded Wikidata Query Service export
    (analytics.wikidata_import): attached at once when sure (same GeoNames id; or same folded
    name, same country and close), else waiting for a person's confirmation. Who proposed it and
    who decided, and when, are kept, with the record's history."""

    class State(models.TextChoices):
        ATTACHED = "attached", _("Attached automatically")
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Method(models.TextChoices):
        GEONAMES = "geonames", _("Same GeoNames id")
        LABEL = "label", _("Name, country and distance")

    # why a match waits for a person (codes stored, words in the reader's language)
    DOUBTS = {"no_country": _("the export gives no country"), "no_coordinates": _("no coordinates to compare"),
              "far": _("%(km)s km apart"), "namesakes": _("several partners have this name")}

    organisation = models.ForeignKey(LocalGovernment, verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="+")
    government = models.ForeignKey(LocalGovernment, verbose_name=_("local government"),
                                   on_delete=models.CASCADE, related_name="wikidata_matches")
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20)  # WIKIDATA_ID_PATTERN
    label = models.CharField(_("Wikidata label"), max_length=300, blank=True)
    geonameid = models.IntegerField(_("GeoNames id"), null=True, blank=True)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    method = models.CharField(_("matched by"), max_length=10, choices=Method.choices)
    doubts = models.JSONField(_("why it is uncertain"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, db_index=True)
    proposed_by = acting_user(_("uploaded by"), required=True)
    proposed_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Wikidata match")
        verbose_name_plural = _("Wikidata matches")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "government", "wikidata_id"],
                                    name="unique_wikidata_match"),
        ]

    def __str__(self) -> str:
        return f"{self.government} = {self.wikidata_id} ({self.get_state_display()})"

    @property
    def doubt_labels(self) -> list[str]:
        km = round(self.distance_km) if self.distance_km is not None else "?"
        return [str(self.DOUBTS[code]) % {"km": km} if code == "far" else str(self.DOUBTS.get(code, code))
                for code in self.doubts]
