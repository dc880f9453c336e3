"""Training on the database registry, the page, the API, drafts and partner profiles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from citydiplomacy.recommend import services
from citydiplomacy.recommend.models import PartnerProfile, TrainedModel

from .fixtures import build_registry_network


@pytest.fixture
def trained(db, istanbul, settings, tmp_path):
    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "models"
    services.set_recommender(None)
    lgs = build_registry_network(istanbul)
    row = services.train_recommender(source="db")
    yield lgs, row
    services.set_recommender(None)


def test_training_stores_file_and_row(trained):
    _lgs, row = trained
    assert TrainedModel.objects.count() == 1
    assert row.ties > 300 and row.training_rows > row.ties and row.source == "db"
    assert services.model_path().exists()


def test_recommendations_exclude_partners_and_policy(trained, users):
    from citydiplomacy.policy.models import CountryRelation

    lgs, _ = trained
    CountryRelation.objects.create(country_code="AM", status="no_relations")
    CountryRelation.objects.create(country_code="NL", status="frozen", valid_from=dt.date(2017, 3, 11),
                                   valid_to=dt.date(2018, 7, 20))
    ranking = services.recommend_for_organisation(lgs["Istanbul"], top=200, as_of=dt.date(2017, 3, 12))
    names = {s.name for s in ranking.suggestions}
    assert "Berlin" not in names and "Yerevan" not in names and "Rotterdam" not in names
    assert {"Yerevan", "Rotterdam"} <= {s.name for s in ranking.excluded}
    today = services.recommend_for_organisation(lgs["Istanbul"], top=200)
    assert "Rotterdam" in {s.name for s in today.suggestions}
    assert all(s.country_code != "TR" for s in today.suggestions)  # domestic excluded


def test_page_api_and_draft(trained, client_for, api_client_for):
    lgs, _ = trained
    page = client_for("viewer").get(reverse("recommend:recommendations"), {"emphasis": "neighbourhood"})
    assert page.status_code == 200 and b'data-testid="suggestion"' in page.content
    assert b"add-draft" not in page.content  # viewers cannot create drafts
    api = api_client_for("officer").get("/api/recommendations/", {"emphasis": "history_culture", "top": 5})
    assert api.status_code == 200
    body = api.json()
    assert body["trained"] and len(body["results"]) == 5 and body["results"][0]["reasons"]
    first = body["results"][0]
    response = client_for("officer").post(reverse("recommend:add-draft"),
                                          {"local_government": first["local_government_id"]})
    assert response.status_code == 302
    from citydiplomacy.agreements.models import Agreement

    draft = Agreement.objects.get(partner_id=first["local_government_id"])
    assert draft.state == "draft" and draft.organisation == lgs["Istanbul"]
    # the new draft's partner is no longer suggested
    again = api_client_for("officer").get("/api/recommendations/", {"top": 50}).json()
    assert first["local_government_id"] not in {r["local_government_id"] for r in again["results"]}


def test_unknown_emphasis_is_a_clear_error(trained, api_client_for):
    response = api_client_for("viewer").get("/api/recommendations/", {"emphasis": "nonsense"})
    assert response.status_code == 400
    assert "emphasis" in response.json()["error"]["message"]


def test_profiles_and_mutual_match(trained, client_for, users):
    lgs, _ = trained
    response = client_for("officer").post(reverse("recommend:profile"), {
        "is_open": "on", "countries": "de, nl", "min_population": "100000", "text": "Parks"})
    assert response.status_code == 302
    profile = PartnerProfile.objects.get(organisation=lgs["Istanbul"])
    assert profile.countries == ["DE", "NL"] and profile.min_population == 100000
    bad = client_for("officer").post(reverse("recommend:profile"), {"countries": "Germany"})
    assert bad.status_code == 200
    assert PartnerProfile.objects.get(organisation=lgs["Istanbul"]).countries == ["DE", "NL"]
    # Paris publishes a profile seeking Turkish partners: a mutual match for İstanbul
    PartnerProfile.objects.create(organisation=lgs["Paris"], countries=["TR"], text="Bosphorus")
    ranking = services.recommend_for_organisation(lgs["Istanbul"], top=300)
    mutual = {s.name: s.mutual for s in ranking.suggestions}
    assert mutual["Paris"] is True and mutual["Tokyo"] is False
    public = client_for("anonymous").get(reverse("recommend:public-profiles"))
    assert b"Bosphorus" in public.content and b"Parks" in public.content


def test_untrained_page_explains(db, client_for, settings, tmp_path, users):
    settings.CITYDIPLOMACY_MODEL_DIR = tmp_path / "none"
    services.set_recommender(None)
    page = client_for("viewer").get(reverse("recommend:recommendations"))
    assert b'data-testid="not-trained"' in page.content


def test_the_country_filter_takes_a_name_in_turkish_or_english(trained, client_for):
    import re

    officer = client_for("officer")

    def suggested(country):
        page = officer.get("/recommendations/", {"country": country}).content.decode()
        return page, re.findall(r'data-testid="suggestion" data-geonameid="(\d*)"', page)

    page, by_code = suggested("DE")
    assert by_code
    for name in ("Almanya", "Germany", "almanya"):
        page, found = suggested(name)
        assert found == by_code and f'value="{name}"' in page
    page = officer.get("/recommendations/", {"country": "Atlantis"}, follow=True).content.decode()
    assert "Bilinmeyen ülke “Atlantis”" in page
