"""Policy rows for an ISO 3166-2 region as well as a country, decided from the sourced rows of
data/policy/policy_events.csv: Crimea (UA-43) and Sevastopol (UA-40) need a central clearance
(Turkey does not recognise their annexation); the rest of Ukraine does not. Northern Cyprus
(XC) is judged by XC's status, never the Republic of Cyprus's."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.conf import settings

from citydiplomacy.agreements.errors import RuleViolation
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.selectors import agreement_rows
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.models import Place, Region
from citydiplomacy.policy.models import CountryRelation
from citydiplomacy.policy.selectors import PolicyIndex, status_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = dt.date.today()


@pytest.fixture
def crimea(db):
    """The gazetteer rows the policy reads: the two regions and a place in each (as
    load-gazetteer stores them from GeoNames, admin1 11 = UA-43, 20 = UA-40)."""
    Region.objects.create(code="UA-43", name="Avtonomna Respublika Krym", country_code="UA",
                          kind="Republic", admin1_code="11")
    Region.objects.create(code="UA-40", name="Sevastopol", country_code="UA", kind="City", admin1_code="20")
    Place.objects.create(geonameid=693805, name="Simferopol", ascii_name="Simferopol", country_code="UA",
                         admin1_code="11", region_code="UA-43", latitude=44.95, longitude=34.1)
    Place.objects.create(geonameid=694423, name="Sevastopol", ascii_name="Sevastopol", country_code="UA",
                         admin1_code="20", region_code="UA-40", latitude=44.6, longitude=33.52)

    def make(name, **extra):
        return LocalGovernment.objects.create(name=name, country_code="UA", kind="municipality", **extra)

    return {"simferopol": make("Simferopol", geonameid=693805), "sevastopol": make("Sevastopol", geonameid=694423),
            "kyiv": make("Kyiv", geonameid=703448),
            "crimea": LocalGovernment.objects.create(name="Crimea", country_code="UA", kind="region",
                                                     region_code="UA-43")}


def test_the_vendored_table_has_sourced_rows_for_crimea_and_sevastopol(policy_tables):
    with open(settings.DATA_DIR / "policy" / "policy_events.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    regional = {row["region"]: row for row in rows if row["region"]}
    assert set(regional) == {"UA-43", "UA-40"}
    assert all(row["status"] == "restricted" and row["source"].startswith("https://") for row in regional.values())
    assert all(row["source"] for row in rows)
    loaded = {row.region_code: row for row in CountryRelation.objects.filter(country_code="UA")}
    assert set(loaded) == {"UA-43", "UA-40"} and loaded["UA-43"].valid_from == dt.date(2014, 3, 17)
    assert status_on("UA", TODAY, "UA-43") == "restricted" and status_on("UA", TODAY) == "normal"
    assert status_on("UA", dt.date(2014, 3, 16), "UA-43") == "normal"


def test_a_partner_in_crimea_is_judged_by_the_region(policy_tables, crimea):
    index = PolicyIndex()
    assert [index.relation_for(crimea[k], TODAY).region_code for k in ("simferopol", "sevastopol", "crimea")] == [
        "UA-43", "UA-40", "UA-43"]
    assert index.relation_for(crimea["kyiv"], TODAY) is None
    assert index.admin1_regions == {("UA", "11"): "UA-43", ("UA", "20"): "UA-40"}


def test_ties_in_crimea_are_flagged_and_need_clearance(users, policy_tables, crimea, api_client_for):
    officer = users["officer"]
    tie = Agreement.objects.create(organisation=officer.organisation, partner=crimea["simferopol"],
                                   instrument="letter_of_goodwill", title="Simferopol letter")
    other = Agreement.objects.create(organisation=officer.organisation, partner=crimea["kyiv"],
                                     instrument="letter_of_goodwill", title="Kyiv letter")
    flags = {row.agreement.pk: row.flags for row in agreement_rows(officer)}
    assert "restricted" in flags[tie.pk] and "restricted" not in flags[other.pk]
    listed = {row["id"]: row for row in api_client_for("viewer").get("/api/agreements/").json()["results"]}
    assert "restricted" in listed[tie.pk]["flags"]
    with pytest.raises(RuleViolation) as refused:
        transition(tie, actor=officer, to="signed", on=TODAY.isoformat())
    assert refused.value.rule == "policy.restricted_needs_clearance" and "UA-43" in refused.value.message
    transition(other, actor=officer, to="signed", on=TODAY.isoformat())  # the rest of Ukraine: normal


def test_region_rows_are_validated(users, api_client_for):
    api = api_client_for("oversight")
    good = api.post("/api/country-relations/", {"country_code": "UA", "region_code": "ua-43",
                                                "status": "restricted", "valid_from": "2014-03-17"}, format="json")
    assert good.status_code == 201 and good.json()["region_code"] == "UA-43"
    for bad in ({"country_code": "RU", "region_code": "UA-43"}, {"country_code": "UA", "region_code": "UA-99"}):
        before = CountryRelation.objects.count()
        response = api.post("/api/country-relations/", {**bad, "status": "frozen"}, format="json")
        assert response.status_code == 400 and CountryRelation.objects.count() == before


def test_northern_cyprus_is_judged_by_xc_not_by_cyprus(users, policy_tables):
    officer = users["officer"]
    legacy_girne = LocalGovernment.objects.create(name="Girne", country_code="CY", kind="municipality",
                                                  geonameid=146412)  # stored before XC was known
    limassol = LocalGovernment.objects.create(name="Limassol", country_code="CY", kind="municipality",
                                              geonameid=146384)
    ties = {name: Agreement.objects.create(organisation=officer.organisation, partner=partner,
                                           instrument="letter_of_goodwill", title=name)
            for name, partner in (("Girne", legacy_girne), ("Limassol", limassol))}
    flags = {row.agreement.title: row.flags for row in agreement_rows(officer)}
    assert "policy_blocked" in flags["Limassol"] and "policy_blocked" not in flags["Girne"]
    transition(ties["Girne"], actor=officer, to="signed", on=TODAY.isoformat())
    with pytest.raises(RuleViolation):
        transition(ties["Limassol"], actor=officer, to="signed", on=TODAY.isoformat())


def test_the_policy_board_names_the_region(policy_tables, client_for, settings):
    settings.LANGUAGE_CODE = "tr"
    page = client_for("viewer").get("/policy/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Ukrayna – Kırım Özerk Cumhuriyeti" in page and "Ukrayna – Sivastopol" in page


def test_a_directive_for_a_region_reaches_places_inside_it(users, crimea):
    from citydiplomacy.agreements.directives import affected_agreements

    officer = users["officer"]
    ties = {}
    for key in ("simferopol", "crimea", "sevastopol", "kyiv"):
        ties[key] = Agreement.objects.create(organisation=officer.organisation, partner=crimea[key],
                                             instrument="letter_of_goodwill", title=key, state="active")
    assert {a.title for a in affected_agreements("", "UA-43")} == {"simferopol", "crimea"}
    assert {a.title for a in affected_agreements("", "UA-40")} == {"sevastopol"}
