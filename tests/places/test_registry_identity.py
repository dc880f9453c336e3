"""The review of names sets a partner's identity only once, from the gazetteer (issue 19 item 1,
finding F2's note on record_choice), and re-checks the ties in force decided without it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.selectors import row_of
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import services
from citydiplomacy.policy.models import CountryRelation

pytestmark = pytest.mark.django_db


def test_an_identified_record_is_not_renamed_by_a_review_choice(gazetteer, users, istanbul):
    with pytest.raises(ValidationError):
        services.record_choice(istanbul, "place", "2747891", users["officer"])
    istanbul.refresh_from_db()
    assert istanbul.name.startswith("İstanbul") and istanbul.geonameid == 745044


def test_resolving_a_partner_rechecks_its_ties_in_force(gazetteer, users, api_client_for):
    ghost = LocalGovernment.objects.create(name="Rottrdm", raw_name="Rottrdm",
                                           raw_country="Netherlands", is_unresolved=True)
    officer = api_client_for("officer")
    created = officer.post("/api/agreements/", {"instrument": "letter_of_goodwill",
                                                "partner": ghost.pk, "title": "Letter"},
                           format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    for to, day in (("signed", "2019-01-20"), ("active", "2019-01-21")):
        response = officer.post(f"/api/agreements/{pk}/transition/", {"to": to, "date": day},
                                format="json")
        assert response.status_code == 200, response.json()
    CountryRelation.objects.create(country_code="NL", status="frozen", valid_from="2020-01-01")
    assert not row_of(Agreement.objects.get(pk=pk)).needs_review
    resolved = services.record_choice(ghost, "place", "2747891", users["officer"])
    assert resolved.pk == ghost.pk and resolved.country_code == "NL"
    assert row_of(Agreement.objects.get(pk=pk)).needs_review


def test_a_merge_does_not_move_an_identified_partner_to_another_country(users):
    """Raw text 'Northern Cyprus' merged onto a partner in the Republic of Cyprus would make it
    count as XC for the national policy (a way around F1)."""
    from citydiplomacy.policy.selectors import policy_country

    limassol = LocalGovernment.objects.create(name="Limassol", country_code="CY",
                                              kind="municipality", geonameid=146384)
    ghost = LocalGovernment.objects.create(name="Limasol", raw_name="Limasol",
                                           raw_country="Northern Cyprus", is_unresolved=True)
    services.merge_local_governments(limassol, ghost, users["officer"])
    limassol.refresh_from_db()
    assert policy_country(limassol) == "CY" and limassol.raw_country == ""
