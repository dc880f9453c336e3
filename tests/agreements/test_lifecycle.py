"""The lifecycle rules of issue 4, one test each, through the API (409 names the rule)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.models import AgreementEvent
from citydiplomacy.policy.selectors import permitting_authority_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def rule_of(response):
    assert response.status_code == 409, response.json()
    return response.json()["error"]["rule"]


def approved(create, step, partner, instrument="twinning", final_on="2019-01-10"):
    agreement = create(partner, instrument=instrument)
    assert step(agreement["id"], "in_committee", "2019-01-02").status_code == 200
    response = step(agreement["id"], "council_approved", "2019-01-05", reference="2019/12",
                    **({"final_on": final_on} if final_on else {}))
    assert response.status_code == 200, response.json()
    return agreement["id"]


def test_foreign_twinning_needs_final_council_decision(users, policy_tables, partners, create, step):
    pk = approved(create, step, partners["berlin"], final_on=None)
    assert rule_of(step(pk, "permission_requested", "2019-01-20")) == "law5393.council_decision_not_final"
    assert rule_of(step(pk, "signed", "2019-01-20")) == "law5393.council_decision_not_final"


def test_foreign_twinning_needs_ministry_permission_before_signing(users, policy_tables, partners, create, step):
    pk = approved(create, step, partners["berlin"])
    assert rule_of(step(pk, "signed", "2019-01-20")) == "law5393.ministry_permission_required"
    assert step(pk, "permission_requested", "2019-01-20").status_code == 200
    assert step(pk, "permission_granted", "2019-03-01", reference="E-123").status_code == 200
    response = step(pk, "signed", "2019-04-01", place="Berlin")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    assert step(pk, "active", "2019-04-01").json()["status"] == "active"


def test_domestic_partner_needs_council_decision_only(users, policy_tables, partners, create, step):
    pk = approved(create, step, partners["izmir"])
    assert rule_of(step(pk, "permission_requested", "2019-01-20")) == "law5393.permission_not_required"
    assert step(pk, "signed", "2019-01-20").json()["status"] == "signed"


def test_letter_of_goodwill_needs_neither(users, policy_tables, partners, create, step):
    letter = create(partners["berlin"], instrument="letter_of_goodwill")
    assert step(letter["id"], "signed", "2019-01-20").json()["status"] == "signed"
    twinning = create(partners["berlin"])
    assert rule_of(step(twinning["id"], "signed", "2019-01-20")) == "law5393.council_decision_required"


def test_memorandum_without_operative_commitments_needs_no_permission():
    assert not lifecycle.needs_ministry_permission("memorandum_of_understanding", foreign=True, operative=False)
    assert lifecycle.needs_ministry_permission("memorandum_of_understanding", foreign=True, operative=True)
    assert lifecycle.needs_ministry_permission("membership", foreign=False)


@pytest.mark.parametrize("day, ministry", [
    ("2018-07-09", "Ministry of Interior"),
    ("2018-07-10", "Ministry of Environment and Urbanisation"),
    ("2021-10-28", "Ministry of Environment and Urbanisation"),
    ("2021-10-29", "Ministry of Environment, Urbanisation and Climate Change"),
])
def test_permitting_authority_is_chosen_by_the_date_of_the_request(policy_tables, day, ministry):
    assert permitting_authority_on(dt.date.fromisoformat(day)).name_en.startswith(ministry)


def test_permission_request_records_the_authority_of_its_date(users, policy_tables, partners, create, step):
    agreement = create(partners["berlin"])
    step(agreement["id"], "in_committee", "2018-06-01")
    step(agreement["id"], "council_approved", "2018-06-05", reference="2018/1", final_on="2018-06-10")
    response = step(agreement["id"], "permission_requested", "2018-07-09")
    assert response.json()["permitting_authority"]["name_tr"].startswith("İçişleri Bakanlığı")


def test_suspension_and_termination_need_council_reference_and_reason(users, policy_tables, partners, create, step):
    pk = approved(create, step, partners["izmir"])
    step(pk, "signed", "2019-02-01")
    step(pk, "active", "2019-02-01")
    response = step(pk, "suspended", "2019-03-01")
    assert response.status_code == 409
    rules = {v["rule"] for v in response.json()["error"]["violations"]}
    assert rules == {"lifecycle.council_reference_required", "lifecycle.reason_required"}
    assert rule_of(step(pk, "terminated", "2019-03-01", reference="2019/40")) == "lifecycle.reason_required"
    assert step(pk, "suspended", "2019-03-01", reference="2019/40", reason="no activity").status_code == 200


def test_special_provincial_administration_cannot_twin(users, partners, api_client_for):
    spa = users["officer"].organisation
    spa.kind = "special_provincial_administration"
    spa.save()
    response = api_client_for("officer").post("/api/agreements/", {
        "instrument": "twinning", "partner": partners["berlin"].pk, "title": "x"}, format="json")
    assert response.status_code == 400
    assert "special provincial administration" in response.json()["error"]["message"]
    facts = lifecycle.Facts(state="in_committee", target="council_approved", on=dt.date(2020, 1, 1),
                            today=dt.date(2020, 1, 2), instrument="twinning", foreign=True,
                            special_provincial_administration=True, reference="1")
    assert [v.rule for v in lifecycle.check(facts)] == ["law5393.special_provincial_administration_twinning"]


def test_terminated_tie_is_never_reactivated(users, policy_tables, partners, create, step):
    pk = approved(create, step, partners["izmir"])
    step(pk, "signed", "2019-02-01")
    step(pk, "active", "2019-02-01")
    assert step(pk, "terminated", "2019-05-01", reference="2019/77", reason="ended").status_code == 200
    for target in ("active", "signed", "draft", "suspended", "in_committee"):
        assert rule_of(step(pk, target, "2019-06-01", role="admin")) == "lifecycle.terminated_is_final"


def test_roles_fire_only_their_transitions(users, policy_tables, partners, create, step):
    agreement = create(partners["izmir"])
    assert step(agreement["id"], "in_committee", "2019-01-02", role="approver").status_code == 403
    assert step(agreement["id"], "in_committee", "2019-01-02", role="viewer").status_code == 403
    assert step(agreement["id"], "in_committee", "2019-01-02", role="other_officer").status_code == 404
    assert step(agreement["id"], "in_committee", "2019-01-02").status_code == 200
    assert step(agreement["id"], "council_approved", "2019-01-05", role="officer",
                reference="1").status_code == 403
    assert step(agreement["id"], "council_approved", "2019-01-05", role="admin",
                reference="1").status_code == 200


def test_oversight_reads_but_cannot_transition(users, policy_tables, partners, create, step, api_client_for):
    agreement = create(partners["izmir"])
    assert api_client_for("oversight").get(f"/api/agreements/{agreement['id']}/").status_code == 200
    assert step(agreement["id"], "in_committee", "2019-01-02", role="oversight").status_code == 403


def test_dates_must_follow_the_previous_step_and_not_be_in_the_future(users, policy_tables, partners, create, step):
    agreement = create(partners["izmir"])
    step(agreement["id"], "in_committee", "2019-01-02")
    assert rule_of(step(agreement["id"], "council_approved", "2019-01-01", reference="1")) == \
        "lifecycle.date_before_previous_step"
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert rule_of(step(agreement["id"], "council_approved", future, reference="1")) == "lifecycle.date_in_future"


def test_every_transition_is_in_the_append_only_event_log(users, policy_tables, partners, create, step, api_client_for):
    pk = approved(create, step, partners["izmir"])
    events = api_client_for("viewer").get(f"/api/agreements/{pk}/events/").json()
    assert [(e["from_state"], e["to_state"]) for e in events] == [
        ("", "draft"), ("draft", "in_committee"), ("in_committee", "council_approved")]
    assert events[-1]["reference"] == "2019/12" and events[-1]["actor"] == "ibb-approver"
    event = AgreementEvent.objects.filter(agreement_id=pk).last()
    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_restricted_country_needs_clearance(users, policy_tables, partners, create, step, api_client_for):
    response = api_client_for("oversight").post("/api/country-relations/", {
        "country_code": "DE", "status": "restricted", "valid_from": "2019-01-01"}, format="json")
    assert response.status_code == 201
    agreement = create(partners["berlin"])
    step(agreement["id"], "in_committee", "2019-01-02")
    assert rule_of(step(agreement["id"], "council_approved", "2019-01-05", reference="1")) == \
        "policy.restricted_needs_clearance"
    response = step(agreement["id"], "council_approved", "2019-01-05", reference="1", clearance="MFA-7")
    assert response.status_code == 200 and "restricted" in response.json()["flags"]
