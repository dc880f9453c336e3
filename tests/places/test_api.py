import pytest


@pytest.mark.parametrize("q,expected", [
    ("Saraybosna", "Sarajevo"), ("Köln", "Köln"), ("İstanbul", "Istanbul"),
    ("Istanbul", "Istanbul"), ("Constantinople", "Istanbul"), ("rotter", "Rotterdam"),
])
def test_search_finds_alternate_names(gazetteer, api_client_for, small_places, q, expected):
    response = api_client_for("viewer").get("/api/places/search/", {"q": q})
    assert response.status_code == 200
    names = [hit["name"] for hit in response.json()]
    assert expected in names, names


def test_search_filters_by_country_and_needs_login(gazetteer, api_client_for):
    hits = api_client_for("oversight").get("/api/places/search/", {"q": "rotterdam", "country": "NL"}).json()
    assert {h["country_code"] for h in hits} == {"NL"}
    assert api_client_for("anonymous").get("/api/places/search/", {"q": "rot"}).status_code == 401
