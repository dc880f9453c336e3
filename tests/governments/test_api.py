"""Local-government registry API: search, validation, clear errors, nothing lost on bad input."""

import pytest

from citydiplomacy.governments.models import LocalGovernment


@pytest.fixture
def registry(db):
    LocalGovernment.objects.create(name="Rotterdam", country_code="NL", geonameid=2747891)
    LocalGovernment.objects.create(name="Rotterdam", country_code="US", geonameid=5134203)
    LocalGovernment.objects.create(name="Köln", official_name="Stadt Köln", country_code="DE")
    LocalGovernment.objects.create(name="İzmir Büyükşehir Belediyesi", country_code="TR")


def names(response):
    return [(item["name"], item["country_code"]) for item in response.json()["results"]]


def test_search_by_country_and_name(api_client_for, registry):
    response = api_client_for("viewer").get("/api/local-governments/?country=NL&search=rotter")
    assert response.status_code == 200
    assert names(response) == [("Rotterdam", "NL")]


def test_search_folds_case_and_diacritics(api_client_for, registry):
    client = api_client_for("viewer")
    assert names(client.get("/api/local-governments/?search=koln")) == [("Köln", "DE")]
    assert names(client.get("/api/local-governments/?search=IZMIR")) == [("İzmir Büyükşehir Belediyesi", "TR")]
    assert names(client.get("/api/local-governments/?search=stadt")) == [("Köln", "DE")]


def test_create_validates_country(api_client_for, registry):
    before = LocalGovernment.objects.count()
    response = api_client_for("officer").post(
        "/api/local-governments/", {"name": "Nowhere", "country_code": "XX"}, format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert "country_code" in body["details"]
    assert "Unknown country code" in body["message"]
    assert LocalGovernment.objects.count() == before


def test_bad_update_keeps_stored_record(api_client_for, registry):
    rotterdam = LocalGovernment.objects.get(country_code="NL")
    response = api_client_for("officer").patch(
        f"/api/local-governments/{rotterdam.pk}/", {"latitude": 123, "name": "Changed"}, format="json"
    )
    assert response.status_code == 400
    rotterdam.refresh_from_db()
    assert rotterdam.name == "Rotterdam" and rotterdam.latitude is None


def test_duplicate_geonameid_is_refused_clearly(api_client_for, registry):
    response = api_client_for("officer").post(
        "/api/local-governments/", {"name": "Rotterdam again", "country_code": "NL", "geonameid": 2747891},
        format="json",
    )
    assert response.status_code == 400
    assert LocalGovernment.objects.filter(geonameid=2747891).count() == 1


def test_viewer_cannot_create(api_client_for, registry):
    response = api_client_for("viewer").post("/api/local-governments/", {"name": "X", "country_code": "NL"},
                                             format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_history_records_who_changed(api_client_for, registry, users):
    rotterdam = LocalGovernment.objects.get(country_code="NL")
    api_client_for("officer").patch(f"/api/local-governments/{rotterdam.pk}/",
                                    {"official_name": "Gemeente Rotterdam"}, format="json")
    latest = rotterdam.history.first()
    assert latest.official_name == "Gemeente Rotterdam"
    assert latest.history_user == users["officer"]
