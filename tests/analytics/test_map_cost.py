"""The map page: its query count does not grow with the registry, its table pages while the map
keeps every tie, and it shows every change as soon as it is made."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.analytics import maps, selectors

pytestmark = pytest.mark.django_db


def test_map_page_queries_do_not_grow(ibb_relations, users, istanbul, client_for):
    """The map reads no more often when the registry grows."""
    client = client_for("viewer")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/map/").status_code == 200
        return len(ctx.captured_queries)

    partner = ibb_relations.filter(partner__isnull=False).first().partner

    def letters(n):
        for i in range(n):
            letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                                      partner=partner, title=f"Letter {i}")
            transition(letter, actor=users["officer"], to="signed", on="2025-01-15")

    queries()  # the first request of the process loads what every later one shares
    few = queries()
    letters(15)
    assert queries() == few


def test_map_table_pages_while_the_map_keeps_every_tie(ibb_relations, users, istanbul, client_for):
    from citydiplomacy.analytics.views import MAP_TABLE_ROWS

    partner = ibb_relations.filter(partner__isnull=False).first().partner
    while len(maps.map_agreements(users["viewer"], istanbul)) <= MAP_TABLE_ROWS:
        create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=partner,
                         title="Letter")
    ties = maps.map_data(maps.map_agreements(users["viewer"], istanbul), istanbul)
    total = len(ties["ties"]) + len(ties["unplaced"])
    client = client_for("viewer")
    first = client.get("/analytics/map/")
    assert len(first.context["rows"]) == MAP_TABLE_ROWS
    assert len(first.context["map_data"]["ties"]) + len(first.context["map_data"]["unplaced"]) == total
    assert b'class="pagination"' in first.content
    last = client.get(f"/analytics/map/?page={first.context['page'].paginator.num_pages}")
    shown = MAP_TABLE_ROWS * (last.context["page"].number - 1) + len(last.context["rows"])
    assert shown == len(maps.map_table(ties, selectors.today()))


def test_the_map_follows_every_change_it_shows(ibb_relations, users, istanbul):
    """Each kind of change the map draws (a new tie, a step, an edit of a partner's record,
    the language) shows at once."""
    from django.utils import translation

    from citydiplomacy.governments.corrections import accept_correction, propose_correction

    viewer, officer = users["viewer"], users["officer"]

    def shown():
        data, script = maps.organisation_map(viewer, istanbul)
        assert script.startswith('<script id="map-data" type="application/json">')
        return data

    first = shown()
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    letter = create_agreement(actor=officer, instrument="letter_of_goodwill", partner=partner,
                              title="New letter")
    assert letter.pk in {t["id"] for t in shown()["ties"] + shown()["unplaced"]}
    transition(letter, actor=officer, to="signed", on="2025-01-15")
    tie = next(t for t in shown()["ties"] if t["id"] == letter.pk)
    assert tie["state"] == "signed"
    # a partner's position changes only through an accepted identity correction
    proposal = propose_correction(partner, actor=officer, changes={"latitude": 10.5, "longitude": 20.25},
                                  reason="map test")
    accept_correction(proposal, actor=users["oversight"])
    tie = next(t for t in shown()["ties"] if t["id"] == letter.pk)
    assert (tie["lat"], tie["lng"]) == (10.5, 20.25)
    with translation.override("en" if translation.get_language() != "en" else "tr"):
        assert shown()["states"] != first["states"]
