"""The public open-data catalogue as DCAT-AP 3.0.1 JSON-LD (`/public/datasets.json`).

The national public register (`/public/register/`, every published tie of the installation)
is one dataset with two distributions (its CSV and GeoJSON exports), and each organisation
that publishes active ties is one more, with its own CSV and GeoJSON. URLs, media types, formats and licences are IRIs (the `@context` coerces them), dates
are typed `xsd:date`, every distribution has an access URL, and the catalogue has a description
and a publisher: the operator of this site, named by the OPEN_DATA_PUBLISHER setting (env CITYDIPLOMACY_OPEN_DATA_PUBLISHER) (else by
the site's host). File types come from the EU Publications Office authority table, media types
from the IANA register. tests/analytics/test_dcat_ap.py validates the output with pyshacl
against the official DCAT-AP 3.0.1 SHACL shapes.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {"tr": "TUR", "en": "ENG"}  # the interface languages

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    # these properties hold IRIs, not text
    **{term: {"@type": "@id"} for term in (
        "dcat:accessURL", "dcat:downloadURL", "dcat:landingPage", "dcat:mediaType", "dct:format",
        "dct:license", "foaf:homepage")},
    "dct:modified": {"@type": "xsd:date"},
}

DISTRIBUTIONS = (
    # file name, IANA media type, EU file type, title
    ("ties.csv", "text/csv", "CSV", "CSV"),
    ("partners.geojson", "application/geo+json", "GEOJSON", "GeoJSON"),
)


def _publisher(base_url: str) -> dict:
    name = settings.OPEN_DATA_PUBLISHER or \
        _("Operator of %(host)s") % {"host": urlsplit(base_url).hostname or base_url}
    return {"@id": f"{base_url}/#publisher", "@type": ["foaf:Agent", "foaf:Organization"],
            "foaf:name": name, "foaf:homepage": {"@id": f"{base_url}/", "@type": "foaf:Document"}}


def _dataset(base_url: str, org: dict) -> dict:
    pk = org["id"]
    landing = f"{base_url}/public/{pk}/"
    return {
        "@id": f"{landing}#ties",
        "@type": "dcat:Dataset",
        "dct:identifier": f"citydiplomacy-ties-{pk}",
        "dct:title": _("International ties of %(name)s") % {"name": org["name"]},
        "dct:description": _("Active agreements (twinning, cooperation protocols, memoranda) "
                             "published by %(name)s.") % {"name": org["name"]},
        "dct:publisher": {"@id": f"{landing}#organisation", "@type": ["foaf:Agent", "foaf:Organization"],
                          "foaf:name": org["name"]},
        "dct:license": {"@id": LICENCE, "@type": "dct:LicenseDocument"},
        "dct:modified": org.get("modified") or dt.date.today().isoformat(),
        "dcat:keyword": ["city diplomacy", "twinning", "sister cities", "kardeş şehir"],
        "dcat:landingPage": {"@id": landing, "@type": "foaf:Document"},
        "dcat:distribution": [_distribution(landing, *row) for row in DISTRIBUTIONS],
    }


REGISTER_DISTRIBUTIONS = (
    # path under /public/register/, IANA media type, EU file type, title
    ("ties.csv", "text/csv", "CSV", "CSV"),
    ("ties.geojson", "application/geo+json", "GEOJSON", "GeoJSON"),
)


def _distribution(landing: str, name: str, media: str, file_type: str, title: str) -> dict:
    return {
        "@id": f"{landing}{name}",
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": landing,
        "dcat:downloadURL": f"{landing}{name}",
        "dcat:mediaType": {"@id": f"{MEDIA_TYPE}{media}", "@type": "dct:MediaType"},
        "dct:format": {"@id": f"{FILE_TYPE}{file_type}", "@type": "dct:MediaTypeOrExtent"},
        "dct:license": {"@id": LICENCE, "@type": "dct:LicenseDocument"},
    }


def register_dataset(base_url: str, modified: dt.date | None = None) -> dict:
    """The national public register as a dataset: its page and its CSV and GeoJSON exports."""
    landing = f"{base_url}/public/register/"
    return {
        "@id": f"{landing}#register",
        "@type": "dcat:Dataset",
        "dct:identifier": "citydiplomacy-national-register",
        "dct:title": _("National register of international ties"),
        "dct:description": _("Every published tie (twinning, cooperation protocols, memoranda) of every "
                             "municipality in this installation: signed, in force, suspended or ended, "
                             "with the end date and reason of ended ties."),
        "dct:publisher": _publisher(base_url),
        "dct:license": {"@id": LICENCE, "@type": "dct:LicenseDocument"},
        "dct:modified": (modified or dt.date.today()).isoformat(),
        "dcat:keyword": ["city diplomacy", "twinning", "sister cities", "kardeş şehir", "national register"],
        "dcat:landingPage": {"@id": landing, "@type": "foaf:Document"},
        "dcat:distribution": [_distribution(landing, *row) for row in REGISTER_DISTRIBUTIONS],
    }


def catalogue(base_url: str, organisations: list[dict], register_modified: dt.date | None = None) -> dict:
    """The catalogue of every organisation's published ties (`organisations`: id, name)."""
    return {
        "@context": CONTEXT,
        "@id": f"{base_url}/public/datasets.json",
        "@type": "dcat:Catalog",
        "dct:title": _("citydiplomacy open data"),
        "dct:description": _("International ties (twinning, cooperation protocols, memoranda) "
                             "that municipalities publish from this registry, as CSV and GeoJSON."),
        "dct:language": {"@id": LANGUAGE + LANGUAGES.get((get_language() or "")[:2], "TUR"),
                         "@type": "dct:LinguisticSystem"},
        "dct:publisher": _publisher(base_url),
        "dct:license": {"@id": LICENCE, "@type": "dct:LicenseDocument"},
        "foaf:homepage": {"@id": f"{base_url}/public/", "@type": "foaf:Document"},
        "dcat:dataset": [register_dataset(base_url, register_modified),
                         *(_dataset(base_url, org) for org in organisations)],
    }
