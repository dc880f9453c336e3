"""Finding a partner (issue 13, item 1): one ranked search over the registry and the gazetteer,
Turkish exonyms, nothing pre-selected, one-click add from the gazetteer, earlier-tie warning."""

from __future__ import annotations

import pytest

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.partner_search import EXACT_ALTERNATE, EXACT_NAME, search_partners

EXONYMS = {  # Turkish name → (GeoNames name, country)
    "Saraybosna": ("Sarajevo", "BA"), "Kahire": ("Cairo", "EG"), "Erivan": ("Yerevan", "AM"),
    "Lefkoşa": ("Nicosia", "CY"), "Münih": ("Munich", "DE"), "Londra": ("London", "GB"),
    "Moskova": ("Moscow", "RU"), "Viyana": ("Vienna", "AT"), "Üsküp": ("Skopje", "MK"),
    "Selanik": ("Thessaloníki", "GR"), "Halep": ("Aleppo", "SY"), "Şam": ("Damascus", "SY"),
    "Gazze": ("Gaza", "PS"), "Kudüs": ("Jerusalem", "IL"),
}


def test_turkish_exonyms_find_the_city_first_with_country_and_region_names(world_gazetteer, settings):
    settings.LANGUAGE_CODE = "tr"
    from django.utils import translation

    with translation.override("tr"):
        for query, (name, country) in EXONYMS.items():
            hits = search_partners(query)
            assert hits, query
            best = hits[0]
            assert (best.name, best.country_code) == (name, country), (query, [(h.name, h.country_code) for h in hits[:3]])
            assert best.quality in (EXACT_NAME, EXACT_ALTERNATE)
        sarajevo = search_partners("Saraybosna")[0]
        assert sarajevo.country == "Bosna-Hersek"
        assert sarajevo.also_known_as == "Saraybosna"
        assert search_partners("Kahire")[0].country == "Mısır"


def test_ranking_is_match_quality_then_size_and_registry_entries_are_reused(world_gazetteer):
    # a registry entry with the gazetteer's id is answered as that entry, not twice
    sarajevo = LocalGovernment.objects.create(name="Sarajevo", country_code="BA", geonameid=3191281)
    LocalGovernment.objects.create(name="Istočno Novo Sarajevo", country_code="BA", is_unresolved=True,
                                   raw_name="Istočno Novo Sarajevo")
    hits = search_partners("Sarajevo")
    assert hits[0].government == sarajevo
    assert [h.choice for h in hits].count(str(sarajevo.pk)) == 1
    assert all(h.choice != "g3191281" for h in hits)
    namesake = next(h for h in hits if h.name == "Istočno Novo Sarajevo")
    assert namesake.quality > hits[0].quality
    # same quality: the bigger place first ("Paris" is Paris, France, not a smaller namesake)
    paris = [h for h in search_partners("Paris") if h.quality == EXACT_NAME]
    assert paris[0].country_code == "FR"
    assert [h.population for h in paris] == sorted((h.population for h in paris), reverse=True)


def test_too_short_or_junk_queries_answer_nothing(world_gazetteer):
    assert search_partners("") == []
    assert search_partners("a") == []
    assert search_partners("%%'; drop table") == []


@pytest.fixture
def officer_client(client_for):
    return client_for("officer")


def test_search_fragment_checks_no_radio_and_saving_without_a_choice_explains(world_gazetteer, officer_client, users):
    html = officer_client.get("/agreements/partner-options/", {"partner_query": "Saraybosna"}).content.decode()
    assert 'value="g3191281"' in html and "Sarajevo" in html and "Bosna-Hersek" in html
    assert "checked" not in html
    response = officer_client.post("/agreements/new/", {
        "instrument": "cooperation_protocol", "title": "Afet protokolü", "partner_query": "Saraybosna"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bir ortak seçin" in page  # "Choose a partner …" in Turkish
    assert 'value="Afet protokolü"' in page and 'value="Saraybosna"' in page  # nothing typed is lost
    assert Agreement.objects.count() == 0


def test_a_gazetteer_place_becomes_a_partner_in_one_click(world_gazetteer, officer_client, users):
    response = officer_client.post("/agreements/new/", {
        "instrument": "cooperation_protocol", "title": "Kahire protokolü", "partner": "g360630"})
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Kahire protokolü")
    cairo = agreement.partner
    assert (cairo.name, cairo.country_code, cairo.geonameid) == ("Cairo", "EG", 360630)
    assert cairo.latitude and cairo.longitude and cairo.population
    # the next search answers the registry entry, not the gazetteer place
    assert search_partners("Kahire")[0].government == cairo


def test_a_second_tie_with_a_partner_is_warned_before_saving(world_gazetteer, officer_client, users):
    rotterdam = LocalGovernment.objects.create(name="Rotterdam", country_code="NL", geonameid=2747891)
    old = create_agreement(actor=users["officer"], instrument="twinning", title="Eski Rotterdam bağı",
                           partner=rotterdam)
    fragment = officer_client.get("/agreements/partner-ties/", {"partner": str(rotterdam.pk)}).content.decode()
    assert f"/agreements/{old.pk}/" in fragment
    data = {"instrument": "memorandum_of_understanding", "title": "Yeni Rotterdam", "partner": str(rotterdam.pk)}
    response = officer_client.post("/agreements/new/", data)
    assert response.status_code == 200 and f"/agreements/{old.pk}/" in response.content.decode()
    assert not Agreement.objects.filter(title="Yeni Rotterdam").exists()
    response = officer_client.post("/agreements/new/", {**data, "confirm_existing_tie": "on"})
    assert response.status_code == 302
    assert Agreement.objects.filter(title="Yeni Rotterdam", partner=rotterdam).exists()
    # another organisation's ties are none of this officer's business
    other = LocalGovernment.objects.create(name="Köln", country_code="DE")
    create_agreement(actor=users["other_officer"], instrument="twinning", title="Ankara–Köln", partner=other)
    assert "Ankara–Köln" not in officer_client.get("/agreements/partner-ties/", {"partner": str(other.pk)}).content.decode()


def test_local_government_list_adds_a_gazetteer_place_in_one_click(world_gazetteer, client_for, users):
    officer = client_for("officer")
    page = officer.get("/local-governments/", {"q": "Kudüs"}).content.decode()
    assert "Jerusalem" in page and 'name="geonameid" value="281184"' in page
    response = officer.post("/local-governments/from-gazetteer/", {"geonameid": "281184"})
    jerusalem = LocalGovernment.objects.get(geonameid=281184)
    assert response.status_code == 302 and response["Location"] == f"/local-governments/{jerusalem.pk}/"
    assert (jerusalem.country_code, jerusalem.name) == ("IL", "Jerusalem")
    # twice is still one entry; junk changes nothing and says why
    officer.post("/local-governments/from-gazetteer/", {"geonameid": "281184"})
    assert LocalGovernment.objects.filter(geonameid=281184).count() == 1
    before = LocalGovernment.objects.count()
    officer.post("/local-governments/from-gazetteer/", {"geonameid": "x1"})
    officer.post("/local-governments/from-gazetteer/", {"geonameid": "999999999"})
    assert LocalGovernment.objects.count() == before
    assert client_for("viewer").post("/local-governments/from-gazetteer/", {"geonameid": "360630"}).status_code == 403


def test_the_recommender_and_the_registry_list_use_the_same_search_and_lead_to_a_draft(
        world_gazetteer, client_for, users):
    officer = client_for("officer")
    page = officer.get("/recommendations/", {"partner_query": "Saraybosna"}).content.decode()
    assert 'data-testid="recommend-partner-hits"' in page and "Sarajevo" in page and "Bosna-Hersek" in page
    assert "/agreements/new/?partner=g3191281" in page
    listed = officer.get("/local-governments/", {"q": "Saraybosna"}).content.decode()
    assert "/agreements/new/?partner=g3191281" in listed
    # the chosen gazetteer place arrives chosen (an explicit choice, not a search default); nothing
    # is stored until the draft is saved
    form = officer.get("/agreements/new/", {"partner": "g3191281"}).content.decode()
    assert 'value="g3191281" checked' in form and "Sarajevo" in form
    assert not LocalGovernment.objects.filter(geonameid=3191281).exists()
    viewer = client_for("viewer").get("/recommendations/", {"partner_query": "Saraybosna"}).content.decode()
    assert "Sarajevo" in viewer and "/agreements/new/" not in viewer


def test_a_partner_chosen_elsewhere_shows_the_earlier_ties_at_once(world_gazetteer, client_for, users):
    rotterdam = LocalGovernment.objects.create(name="Rotterdam", country_code="NL", geonameid=2747891)
    old = create_agreement(actor=users["officer"], instrument="twinning", title="Eski Rotterdam bağı",
                           partner=rotterdam)
    page = client_for("officer").get("/agreements/new/", {"partner": str(rotterdam.pk)}).content.decode()
    assert 'data-testid="existing-ties"' in page and f"/agreements/{old.pk}/" in page
    assert 'data-testid="confirm-existing-tie"' in page



def test_the_national_policy_is_said_before_a_draft_is_saved(world_gazetteer, client_for, users):
    from citydiplomacy.policy.services import load_policy_tables

    load_policy_tables()  # Armenia: no diplomatic relations
    officer = client_for("officer")
    fragment = officer.get("/agreements/partner-ties/", {"partner": "g616052"}).content.decode()  # Yerevan
    assert 'data-testid="policy-notes"' in fragment and "diplomatik ilişkisi" in fragment
    assert 'data-testid="policy-notes"' not in officer.get(
        "/agreements/partner-ties/", {"partner": "g3191281"}).content.decode()  # Sarajevo: normal
    assert not LocalGovernment.objects.filter(geonameid=616052).exists()  # nothing created by looking
    form = officer.get("/agreements/new/", {"partner": "g616052"}).content.decode()
    assert 'data-testid="policy-notes"' in form
