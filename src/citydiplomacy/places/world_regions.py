"""UN M49 world regions and sub-regions (the names data/recommend/un_subregions.csv carries, in
English) as labels in the user's language; the one home for showing a world region."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WORLD_REGIONS = {
    "Africa": _("Africa"), "Americas": _("Americas"), "Asia": _("Asia"), "Europe": _("Europe"),
    "Oceania": _("Oceania"), "Antarctica": _("Antarctica"), "North America": _("North America"),
    "Australia and New Zealand": _("Australia and New Zealand"), "Caribbean": _("Caribbean"),
    "Central America": _("Central America"), "Central Asia": _("Central Asia"),
    "Eastern Africa": _("Eastern Africa"), "Eastern Asia": _("Eastern Asia"),
    "Eastern Europe": _("Eastern Europe"), "Melanesia": _("Melanesia"), "Micronesia": _("Micronesia"),
    "Middle Africa": _("Middle Africa"), "Northern Africa": _("Northern Africa"),
    "Northern America": _("Northern America"), "Northern Europe": _("Northern Europe"),
    "Polynesia": _("Polynesia"), "South America": _("South America"),
    "South-eastern Asia": _("South-eastern Asia"), "Southern Africa": _("Southern Africa"),
    "Southern Asia": _("Southern Asia"), "Southern Europe": _("Southern Europe"),
    "Western Africa": _("Western Africa"), "Western Asia": _("Western Asia"),
    "Western Europe": _("Western Europe"),
}


def world_region_name(name: str | None) -> str:
    """A UN region's name in the user's language (the stored English name when unknown)."""
    return str(WORLD_REGIONS.get(name or "", name or ""))
