"""The central-government policy layer: vendored tables, oversight-only writes, policy check."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.policy.selectors import status_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_vendored_tables_match_their_provenance():
    provenance = (settings.DATA_DIR / "policy" / "PROVENANCE.md").read_text()
    for name in ("policy_events.csv", "permitting_authorities.csv"):
        assert hashlib.sha256((settings.DATA_DIR / "policy" / name).read_bytes()).hexdigest() in provenance


def test_dated_statuses(policy_tables):
    assert status_on("NL", dt.date(2017, 3, 10)) == "normal"
    assert status_on("NL", dt.date(2017, 3, 11)) == "frozen"
    assert status_on("NL", dt.date(2018, 7, 21)) == "normal"
    assert status_on("AM", dt.date(1990, 1, 1)) == "no_relations"
    assert status_on("CY", dt.date.today()) == "no_relations"
    assert status_on("XC", dt.date.today()) == "normal"


def test_only_oversight_writes_country_relations(users, api_client_for):
    payload = {"country_code": "DE", "status": "frozen", "valid_from": "2020-01-01"}
    for role in ("viewer", "officer", "approver", "admin"):
        assert api_client_for(role).post("/api/country-relations/", payload, format="json").status_code == 403
    assert api_client_for("oversight").post("/api/country-relations/", payload, format="json").status_code == 201
    bad = dict(payload, valid_to="2019-01-01")
    response = api_client_for("oversight").post("/api/country-relations/", bad, format="json")
    assert response.status_code == 400 and "before the start date" in response.json()["error"]["message"]


def test_policy_check_flags_active_ties_and_appears_on_the_dashboard(users, partners, policy_tables, api_client_for, client_for):
    agreement = Agreement.objects.create(organisation=users["officer"].organisation, partner=partners["berlin"],
                                         instrument="letter_of_goodwill", title="Berlin letter")
    transition(agreement, actor=users["officer"], to="signed", on="2019-01-01")
    transition(agreement, actor=users["officer"], to="active", on="2019-01-02")
    api_client_for("oversight").post("/api/country-relations/", {
        "country_code": "DE", "status": "frozen", "valid_from": "2020-01-01"}, format="json")
    detail = api_client_for("viewer").get(f"/api/agreements/{agreement.pk}/").json()
    assert detail["needs_review"] and "DE" in detail["review_note"]
    before = io.StringIO()
    call_command("policy-check", on=dt.date(2019, 6, 1), stdout=before)  # before the freeze
    assert before.getvalue().strip().endswith("needs review: 0")
    now = io.StringIO()
    call_command("policy-check", stdout=now)
    assert "Berlin letter" in now.getvalue() and now.getvalue().strip().endswith("needs review: 1")
    page = client_for("viewer").get("/").content.decode()
    assert "Berlin letter" in page
    assert "Berlin letter" not in client_for("other_officer").get("/").content.decode()


def test_impact_is_scoped_and_saves_nothing(users, partners, policy_tables, api_client_for):
    from citydiplomacy.agreements.services import create_agreement
    from citydiplomacy.policy.models import CountryRelation
    create_agreement(actor=users["officer"], partner=partners["berlin"], instrument="twinning",
                     title="Berlin twin")
    before = CountryRelation.objects.count()
    url = f"/api/policy/impact/?country=DE&status=frozen&on={dt.date.today().isoformat()}"
    mine = api_client_for("officer").get(url).json()
    assert [a["effects"] for a in mine["agreements"]] == [["policy_blocked"]]
    assert api_client_for("other_officer").get(url).json()["agreements"] == []
    assert len(api_client_for("oversight").get(url).json()["agreements"]) == 1
    assert CountryRelation.objects.count() == before
    assert api_client_for("officer").get("/api/policy/impact/?country=DE").status_code == 400
