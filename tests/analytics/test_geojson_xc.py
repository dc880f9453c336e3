"""GeoJSON includes partners in Northern Cyprus (XC) with their coordinates (GeoNames files
them under CY) and stays RFC 7946 valid (lon, lat)."""

from __future__ import annotations

import json

import pytest


@pytest.mark.django_db
def test_geojson_includes_the_xc_partner_with_coordinates(client_for, istanbul, settings):
    from citydiplomacy.agreements.relations_import import import_relations

    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)
    data = json.loads(client_for("viewer").get("/analytics/export/partners.geojson").content)
    xc = [f for f in data["features"] if f["properties"]["country"] == "XC"]
    assert len(xc) == 1 and xc[0]["properties"]["partner"] == "Nicosia Turkish Municipality"
    lon, lat = xc[0]["geometry"]["coordinates"]
    assert 32.2 < lon < 34.7 and 34.5 < lat < 35.8  # on Cyprus, in lon/lat order
    public = json.loads(client_for("anonymous").get(f"/public/{istanbul.pk}/partners.geojson").content)
    assert any(f["properties"]["country"] == "XC" for f in public["features"])
