"""The registry's shared filters (agreements.filters.RegistryFilter) on the web list and the
API list: text search, country by name in Turkish or English, unknown country refused with a
clear message, area and year, the oversight organisation filter, sorting and pagination."""

from __future__ import annotations

import pytest
from django.conf import settings

from citydiplomacy.agreements.models import InternationalOrganisation
from citydiplomacy.agreements.partner_country import policy_country_of
from citydiplomacy.agreements.relations_import import import_relations
from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.countries import country_name
from citydiplomacy.places.normalize import fold

pytestmark = pytest.mark.django_db


@pytest.fixture
def ibb_relations(users, policy_tables, istanbul):
    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)


def _partners(response) -> list[str]:
    return [row.agreement.partner_name for row in response.context["rows"]]


def test_text_search_over_title_partner_country_and_reference(ibb_relations, users, client_for):
    client = client_for("viewer")
    assert _partners(client.get("/agreements/?q=Rotter")) == ["Rotterdam"]
    assert _partners(client.get("/agreements/?q=rotterdam")) == ["Rotterdam"]
    # the country by its Turkish and English names
    assert "Rotterdam" in _partners(client.get("/agreements/?q=Hollanda"))
    assert "Rotterdam" in _partners(client.get("/agreements/?q=Netherlands"))
    # a reference number recorded on a step
    berlin = LocalGovernment.objects.create(name="Berlin", country_code="DE")
    letter = create_agreement(actor=users["officer"], instrument="cooperation_protocol",
                              partner=berlin, title="Afet protokolü")
    letter.council_decision_number = "İBB Meclisi 2026/1234"
    letter.save()
    assert _partners(client.get("/agreements/?q=2026/1234")) == ["Berlin"]
    assert _partners(client.get("/agreements/?q=Afet")) == ["Berlin"]
    assert _partners(client.get("/agreements/?q=zzzznothing")) == []


@pytest.mark.parametrize("text", ["Almanya", "almanya", "Germany", "de", "DE"])
def test_country_filter_takes_a_name_in_either_language(ibb_relations, client_for, text):
    partners = _partners(client_for("viewer").get(f"/agreements/?country={text}"))
    assert partners and "Köln" in partners or "Cologne" in partners
    assert "Rotterdam" not in partners


def test_unknown_country_is_a_clear_turkish_message_never_ignored(ibb_relations, client_for):
    response = client_for("viewer").get("/agreements/?country=Atlantis")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Bilinmeyen ülke “Atlantis”" in html
    english = client_for("viewer").get("/agreements/?country=Atlantis", HTTP_ACCEPT_LANGUAGE="en")
    assert "Unknown country “Atlantis”" in english.content.decode()


def test_area_year_and_status_still_filter(ibb_relations, client_for):
    client = client_for("viewer")
    assert _partners(client.get("/agreements/?status=terminated&q=Rotterdam")) == ["Rotterdam"]
    year = _partners(client.get("/agreements/?year=2005"))
    assert "Rotterdam" in year and all(p != "Almaty" for p in year)
    # as of a date, the status is the state on that day
    assert _partners(client.get("/agreements/?as_of=2017-03-14&status=active&q=Rotterdam")) == ["Rotterdam"]
    assert _partners(client.get("/agreements/?as_of=2017-03-16&status=active&q=Rotterdam")) == []


def test_oversight_filters_by_organisation_and_others_have_no_such_filter(
        ibb_relations, users, client_for, istanbul, ankara):
    oversight = client_for("oversight")
    html = oversight.get("/agreements/").content.decode()
    assert 'name="organisation"' in html
    everything = oversight.get("/agreements/").context["page"].paginator.count
    assert oversight.get(f"/agreements/?organisation={istanbul.pk}").context["page"].paginator.count == everything
    assert oversight.get(f"/agreements/?organisation={ankara.pk}").context["rows"] == []
    assert 'name="organisation"' not in client_for("viewer").get("/agreements/").content.decode()


def test_sort_by_country_follows_names_and_puts_rows_without_country_last(ibb_relations, users, client_for):
    network = InternationalOrganisation.objects.create(name="Aaa Network of Cities")  # no seat country
    create_agreement(actor=users["officer"], instrument="membership", partner_organisation=network,
                     title="Membership")
    response = client_for("viewer").get("/agreements/?sort=country")
    countries = [policy_country_of(r.agreement) for r in response.context["rows"]]
    assert countries[-1] == "" and "" not in countries[:-1]
    names = [country_name(code, "tr") for code in countries[:-1]]
    assert names == sorted(names, key=fold)  # alphabetical by the Turkish name: Almanya first
    assert names[0] == "Almanya"
    # the union of Turkish World municipalities counts as Türkiye and says so in the table
    assert "<td>Türkiye</td>" in response.content.decode()


def test_pages_follow_the_filters(ibb_relations, users, client_for):
    berlin = LocalGovernment.objects.create(name="Berlin", country_code="DE")
    for i in range(55):
        create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=berlin,
                         title=f"Letter {i}")
    client = client_for("viewer")
    first = client.get("/agreements/?q=Letter")
    second = client.get("/agreements/?q=Letter&page=2")
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert "q=Letter" in first.content.decode().split('class="pagination"')[1]


def test_api_list_uses_the_same_filters(ibb_relations, api_client_for):
    api = api_client_for("viewer")
    names = [a["partner"]["name"] for a in api.get("/api/agreements/?q=Rotter").json()["results"]]
    assert names == ["Rotterdam"]
    by_name = api.get("/api/agreements/?partner_country=Hollanda").json()["results"]
    assert [a["partner"]["name"] for a in by_name] == ["Rotterdam"]
    refused = api.get("/api/agreements/?country=Atlantis")
    assert refused.status_code == 400 and "Atlantis" in refused.json()["error"]["message"]
    ordered = api.get("/api/agreements/?sort=-signed_on&page_size=100").json()["results"]
    dates = [a["signed_on"] for a in ordered if a["signed_on"]]
    assert dates == sorted(dates, reverse=True)


def test_every_sort_is_done_by_the_database_in_the_documented_order(ibb_relations, users, client_for):
    """The list sorts in the database (agreements.filters.order_registry); each order is the
    rule it names: partner name folded, signing date (undated last either way), state in the
    lifecycle's order, partner country by its Turkish name as national policy sees it (the
    north of Cyprus as XC, a membership by its organisation's seat, no country last)."""
    from citydiplomacy.agreements.filters import STATE_ORDER

    girne = LocalGovernment.objects.create(name="Girne", country_code="CY", raw_country="Northern Cyprus")
    create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=girne, title="Girne")
    seat = InternationalOrganisation.objects.create(name="Union of Towns", country_code="BE")
    create_agreement(actor=users["officer"], instrument="membership", partner_organisation=seat,
                     title="Union")
    client = client_for("viewer")

    def rows(sort):
        response = client.get(f"/agreements/?sort={sort}", HTTP_ACCEPT_LANGUAGE="tr")
        return [row for page in range(1, response.context["page"].paginator.num_pages + 1)
                for row in client.get(f"/agreements/?sort={sort}&page={page}",
                                      HTTP_ACCEPT_LANGUAGE="tr").context["rows"]]

    names = [fold(r.agreement.partner_name) for r in rows("partner")]
    assert names == sorted(names)
    dated = [r.agreement.signed_on for r in rows("-signed_on")]
    known = [d for d in dated if d]
    assert known == sorted(known, reverse=True) and dated[:len(known)] == known
    assert [r.agreement.signed_on for r in rows("signed_on") if r.agreement.signed_on] == sorted(known)
    states = [STATE_ORDER[r.state] for r in rows("status")]
    assert states == sorted(states)
    countries = [policy_country_of(r.agreement) for r in rows("country")]
    assert "XC" in countries and "BE" in countries
    named = [fold(country_name(code, "tr")) for code in countries if code]
    assert named == sorted(named) and countries[:len(named)] == [c for c in countries if c]
