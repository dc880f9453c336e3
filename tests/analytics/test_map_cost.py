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
    """Neither a map built from scratch nor one that re-reads the changed rows reads more often
    when the registry grows."""
    client = client_for("viewer")

    def queries(from_scratch: bool):
        if from_scratch:
            selectors._MAP_MEMO.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/map/").status_code == 200
        return len(ctx.captured_queries)

    partner = ibb_relations.filter(partner__isnull=False).first().partner

    def letters(n):
        for i in range(n):
            letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                                      partner=partner, title=f"Letter {i}")
            transition(letter, actor=users["officer"], to="signed", on="2025-01-15")

    queries(True)  # the first request of the process loads what every later one shares
    full = queries(True)
    letters(1)
    changed = queries(False)
    letters(15)
    assert queries(False) == changed
    assert queries(True) == full


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

    from citydiplomacy.governments.corrections import accept_correction, propose_correction

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
    # a partner's position changes only through an accepted identity correction
    proposal = propose_correction(partner, actor=officer, changes={"latitude": 10.5, "longitude": 20.25},
                                  reason="map test")
    accept_correction(proposal, actor=users["oversight"])
    tie = next(t for t in same_as_fresh()["ties"] if t["id"] == letter.pk)
    assert (tie["lat"], tie["lng"]) == (10.5, 20.25)
    with translation.override("en" if translation.get_language() != "en" else "tr"):
        assert same_as_fresh()["states"] != first["states"]


def test_a_changed_agreement_rereads_only_its_row(ibb_relations, users, istanbul, monkeypatch):
    """After a save or a step, the held map reads again only the agreements changed since; what
    it shows stays equal to the map built from scratch (order, removals, new ties)."""
    from citydiplomacy.agreements.services import archive_agreement, update_agreement

    viewer, officer = users["viewer"], users["officer"]
    selectors.organisation_map(viewer, istanbul)
    read = []
    real = selectors.map_agreements
    monkeypatch.setattr(selectors, "map_agreements",
                        lambda user, org, only=None: read.append(only) or real(user, org, only=only))
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    letter = create_agreement(actor=officer, instrument="letter_of_goodwill", partner=partner, title="L")
    held = selectors.organisation_map(viewer, istanbul)[0]
    assert read == [{letter.pk}]
    assert held == _fresh_map(viewer, istanbul)
    letter = transition(letter, actor=officer, to="signed", on="2025-01-15")
    older = ibb_relations.filter(partner__isnull=False).exclude(pk=letter.pk).first()
    update_agreement(older, actor=officer, version=older.version, title="Renamed")
    held, _script = selectors.organisation_map(viewer, istanbul)
    assert read[-1] == {letter.pk, older.pk}
    assert held == _fresh_map(viewer, istanbul)
    # signing moved the letter among the ties (newest signed first), as a fresh map has it
    assert [t["id"] for t in held["ties"]].index(letter.pk) == \
        [t["id"] for t in _fresh_map(viewer, istanbul)["ties"]].index(letter.pk)
    older.refresh_from_db()
    archive_agreement(older, actor=officer, version=older.version)
    calls = len(read)
    held, _script = selectors.organisation_map(viewer, istanbul)
    assert read[calls:] == [{older.pk}]  # not rebuilt from scratch
    assert held == _fresh_map(viewer, istanbul) and older.pk not in {t["id"] for t in held["ties"]}
