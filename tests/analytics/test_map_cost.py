"""The map page reads light agreements (map_agreements) and light events; what it shows equals
what the full records give, and its query count does not grow with the registry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.agreements.services import create_agreement, transition
from citydiplomacy.analytics import selectors

pytestmark = pytest.mark.django_db


def test_map_data_from_light_agreements_equals_full(ibb_relations, users, istanbul):
    viewer = users["viewer"]
    assert selectors.map_data(selectors.map_agreements(viewer, istanbul), istanbul) == \
        selectors.map_data(selectors.organisation_agreements(viewer, istanbul), istanbul)


def test_map_page_queries_do_not_grow(ibb_relations, users, istanbul, client_for):
    client = client_for("viewer")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/map/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    for i in range(15):
        letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                                  partner=partner, title=f"Letter {i}")
        transition(letter, actor=users["officer"], to="signed", on="2025-01-15")
    assert queries() == before


def test_map_table_pages_while_the_map_keeps_every_tie(ibb_relations, users, istanbul, client_for):
    from citydiplomacy.analytics.views import MAP_TABLE_ROWS

    partner = ibb_relations.filter(partner__isnull=False).first().partner
    while len(selectors.map_agreements(users["viewer"], istanbul)) <= MAP_TABLE_ROWS:
        create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=partner,
                         title="Letter")
    ties = selectors.map_data(selectors.map_agreements(users["viewer"], istanbul), istanbul)
    total = len(ties["ties"]) + len(ties["unplaced"])
    client = client_for("viewer")
    first = client.get("/analytics/map/")
    assert len(first.context["rows"]) == MAP_TABLE_ROWS
    assert len(first.context["map_data"]["ties"]) + len(first.context["map_data"]["unplaced"]) == total
    assert b'class="pagination"' in first.content
    last = client.get(f"/analytics/map/?page={first.context['page'].paginator.num_pages}")
    shown = MAP_TABLE_ROWS * (last.context["page"].number - 1) + len(last.context["rows"])
    assert shown == len(selectors.map_table(ties, selectors.today()))


def _fresh_map(viewer, organisation):
    return selectors.map_data(selectors.map_agreements(viewer, organisation), organisation)


def test_the_held_map_follows_every_change_it_shows(ibb_relations, users, istanbul):
    """organisation_map holds the map per process; each kind of change it draws (a new tie, a
    step, an edit of a partner's record, the language) gives the map built from scratch."""
    from django.utils import translation

    from citydiplomacy.governments.services import update_local_government

    viewer, officer = users["viewer"], users["officer"]

    def same_as_fresh():
        held, script = selectors.organisation_map(viewer, istanbul)
        assert held == _fresh_map(viewer, istanbul)
        assert script.startswith('<script id="map-data" type="application/json">')
        return held

    first = same_as_fresh()
    assert selectors.organisation_map(viewer, istanbul)[0] is first  # held, not rebuilt
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    letter = create_agreement(actor=officer, instrument="letter_of_goodwill", partner=partner,
                              title="New letter")
    assert letter.pk in {t["id"] for t in same_as_fresh()["ties"] + same_as_fresh()["unplaced"]}
    transition(letter, actor=officer, to="signed", on="2025-01-15")
    tie = next(t for t in same_as_fresh()["ties"] if t["id"] == letter.pk)
    assert tie["state"] == "signed"
    update_local_government(partner, actor=officer, latitude=10.5, longitude=20.25)
    tie = next(t for t in same_as_fresh()["ties"] if t["id"] == letter.pk)
    assert (tie["lat"], tie["lng"]) == (10.5, 20.25)
    with translation.override("en" if translation.get_language() != "en" else "tr"):
        assert same_as_fresh()["states"] != first["states"]
